import type { Rule } from '../../rule';
import ignoredEntrypoint from './ignored-entrypoint';

export const ociConfigRules: Rule[] = [ignoredEntrypoint];
