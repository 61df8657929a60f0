import type { Rule } from '../../rule';

/** Rules of the catalog section "packages", in catalog order. */
export const packagesRules: Rule[] = [];
