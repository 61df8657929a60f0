import type { Rule } from '../../rule';

/** Rules of the catalog section "build-environment", in catalog order. */
export const buildEnvironmentRules: Rule[] = [];
