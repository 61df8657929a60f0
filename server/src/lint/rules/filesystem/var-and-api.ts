import type { Rule } from '../../rule';

/** var-content, var-run-dir, api-filesystem-content, api-dir-removed. */
export const varAndApiRules: Rule[] = [];
