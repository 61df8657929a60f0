import type { Rule } from '../../rule';
import missingBootcLint from './missing-bootc-lint';

/** Rules of the catalog section "good-practice", in catalog order. */
export const goodPracticeRules: Rule[] = [missingBootcLint];
