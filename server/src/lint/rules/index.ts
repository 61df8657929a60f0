import type { Rule } from '../rule';
import { ociConfigRules } from './oci-config';
import { filesystemRules } from './filesystem';
import { packagesRules } from './packages';
import { usersSecretsRules } from './users-secrets';
import { kernelBootRules } from './kernel-boot';
import { buildEnvironmentRules } from './build-environment';
import { buildArgumentsRules } from './build-arguments';
import { goodPracticeRules } from './good-practice';

/** Every rule, in catalog order. A meta-test checks this against the catalog, the docs and the tests. */
export const rules: readonly Rule[] = [
  ...ociConfigRules,
  ...filesystemRules,
  ...packagesRules,
  ...usersSecretsRules,
  ...kernelBootRules,
  ...buildEnvironmentRules,
  ...buildArgumentsRules,
  ...goodPracticeRules,
];

const byId = new Map(rules.map((r) => [r.meta.id, r]));

export function ruleById(id: string): Rule | undefined {
  return byId.get(id);
}
