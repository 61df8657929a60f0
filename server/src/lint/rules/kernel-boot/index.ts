import type { Rule } from '../../rule';

/** Rules of the catalog section "kernel-boot", in catalog order. */
export const kernelBootRules: Rule[] = [];
