import type { Rule } from '../../rule';
import argOutOfScope from './arg-out-of-scope';

/** Rules of the catalog section "build-arguments", in catalog order. */
export const buildArgumentsRules: Rule[] = [argOutOfScope];
