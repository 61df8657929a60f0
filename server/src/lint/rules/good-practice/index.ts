import type { Rule } from '../../rule';

/** Rules of the catalog section "good-practice", in catalog order. */
export const goodPracticeRules: Rule[] = [];
