import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { runPodman } from '../../client/src/podman/tool';
import { bundleSuites, missingRequirement, runBundledSuites } from '../e2e/harness';
import { build, ROOT, withBuildLock } from '../helpers/build';
import { removeTree } from '../helpers/cli';
import { ensureFarmEnv, farmEnvSkipReason, pushTestBase, registryManifest, removeHostManifestList, shareTree } from '../helpers/farm';
import { ensureBootcTestBase } from '../helpers/podman';
import type { FarmSuiteOption } from './e2e/farm.e2e';

/**
 * The farm commands in a real VS Code: the e2e harness (code-server in Chromium) runs the
 * suite test/farm/e2e/farm.e2e.ts alone, with bootc.podman.path set to the farm test
 * environment's podman 5 (scripts/setup-farm-env.sh). The workspace VS Code opens lies in the
 * environment's share folder, the only host folder that podman sees. Skips (outside CI only)
 * when code-server, Chromium or what the farm environment needs is missing.
 */

const missing = missingRequirement();
const farmSkip = farmEnvSkipReason();
const skip = missing && !process.env.CI ? `end-to-end tests skipped: ${missing}` : (farmSkip ?? false);
const BUNDLE_DIR = path.join(ROOT, '.test-output', 'farm-e2e', 'suite');
const SUITE_TESTS = 6;

test('the farm commands work in a real VS Code (code-server)', { skip, timeout: 480_000 }, async (t) => {
  if (missing) assert.fail(`CI is set but ${missing}`);
  const env = ensureFarmEnv();
  const base = pushTestBase(env);
  const workspace = shareTree(env, {
    Containerfile: `FROM ${base}\nRUN echo "farm e2e on $(uname -m)" > /farm-e2e.txt\nLABEL containers.bootc=1\n`,
    // For the fallback on the host's podman 4.3, which reads the base from its own storage.
    'fallback/Containerfile': `FROM ${ensureBootcTestBase()}\nRUN echo "fallback on $(uname -m)" > /fallback.txt\n`,
    // Two stages for the stage pick and the ARG prompt of Build for Multiple Architectures.
    'stages/Containerfile': `FROM ${base} AS tools\nARG GREETING\nLABEL bootc.e2e.stage=tools bootc.e2e.greeting=$GREETING\n\nFROM ${base}\nLABEL bootc.e2e.stage=final\n`,
  });
  const farm: FarmSuiteOption = { registry: env.registry, connection: env.connectionName, farm: env.farmName, runId: Math.random().toString(36).slice(2, 8) };
  const repository = `bootc-farm-e2e-${farm.runId}`;
  try {
    const run = await withBuildLock(async () => {
      build();
      // Only the farm suite: the runner loads every `*.e2e.js` beside its index.js.
      const runner = await bundleSuites(BUNDLE_DIR, [path.join(__dirname, 'e2e', 'farm.e2e.ts')]);
      return runBundledSuites(runner, {
        workspace,
        runParent: env.share,
        settings: { 'bootc.podman.path': env.podmanPath },
        suiteOptions: { farm },
        testTimeoutMs: 150_000,
        timeoutMs: 360_000,
      });
    });
    t.diagnostic(`VS Code ${run.results.vscodeVersion}, ${run.results.tests.length} tests in ${run.durationMs} ms`);
    assert.equal(run.results.fatal, undefined);
    assert.equal(run.results.tests.length, SUITE_TESTS, run.results.tests.map((result) => result.fullTitle).join('\n'));
    for (const result of run.results.tests) {
      t.diagnostic(`${result.title}: ${result.durationMs ?? 0} ms`);
      await t.test(result.fullTitle, () => {
        if (result.state === 'failed') assert.fail(result.error ?? 'failed');
        assert.equal(result.state, 'passed');
      });
    }
    // What the command pushed, read from the registry over HTTP (not through podman or VS Code).
    const served = await registryManifest(env.registry, repository);
    assert.deepEqual(served.manifests?.map((entry) => `${entry.platform?.os}/${entry.platform?.architecture}`), ['linux/amd64']);
  } finally {
    removeTree(workspace);
    // The manifest list the command left in the environment's own storage (never the host's).
    await runPodman(env.podman, ['rmi', '--force', '--ignore', `${env.registry}/${repository}:latest`, `${env.registry}/${repository}-stages:latest`]).catch(() => undefined);
    // The emulated fallback's manifest list and image in the host's storage.
    removeHostManifestList(`localhost/bootc-farm-e2e-fallback-${farm.runId}:latest`);
  }
});
