/** Public entry point of the lint core. */
export { Linter } from './lint';
export { rules, ruleById } from './rules';
export { applyEdits } from './fixes';
export * from './types';
