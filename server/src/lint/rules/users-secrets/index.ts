import type { Rule } from '../../rule';

/** Rules of the catalog section "users-secrets", in catalog order. */
export const usersSecretsRules: Rule[] = [];
