/** Public entry point of the lint core. */
export { Linter } from './lint';
export { tuneForOneShotRun } from './one-shot';
export { rules, ruleById } from './rules';
export { applyEdits } from './fixes';
export * from './types';
