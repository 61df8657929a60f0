import type { Rule } from '../rule';
import { ociConfigRules } from './oci-config';

/** Every rule, in catalog order. A meta-test checks this against the catalog, the docs and the tests. */
export const rules: readonly Rule[] = [...ociConfigRules];

const byId = new Map(rules.map((r) => [r.meta.id, r]));

export function ruleById(id: string): Rule | undefined {
  return byId.get(id);
}
