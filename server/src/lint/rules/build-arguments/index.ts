import type { Rule } from '../../rule';

/** Rules of the catalog section "build-arguments", in catalog order. */
export const buildArgumentsRules: Rule[] = [];
