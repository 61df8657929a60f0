/**
 * `npm run test:e2e:electron [-- --grep TEXT] [-- --vscode VERSION]`: the same suites, bundle
 * and run folder as the code-server harness (harness.ts), in desktop VS Code (Electron)
 * downloaded by @vscode/test-electron. For machines with a display and internet access (on a
 * headless Linux: `xvfb-run -a npm run test:e2e:electron`); `npm test` runs the code-server
 * harness instead. The podman suites run when podman is available. Exits 1 when a test
 * failed, the runner failed, or too few tests reported.
 */
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { runTests } from '@vscode/test-electron';
import { ROOT, build, withBuildLock } from '../helpers/build';
import { podmanAvailable } from '../helpers/podman';
import { bundleSuites, prepareRunFolder, problemsOf, readResults, removePodmanLeftovers } from './harness';
import { RUN_DIR_ENV } from './suite/protocol';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { grep: { type: 'string' }, vscode: { type: 'string', default: 'stable' } } });
  return withBuildLock(async () => {
    build();
    const suiteIndex = await bundleSuites();
    const podmanMissing = podmanAvailable();
    const folder = prepareRunFolder({ podman: podmanMissing ?? true, grep: values.grep }, 0);
    try {
      // The exit code says nothing about the tests (the extension host exits 0 when they fail): the results file does.
      await runTests({
        version: values.vscode,
        extensionDevelopmentPath: ROOT,
        extensionTestsPath: suiteIndex,
        extensionTestsEnv: { [RUN_DIR_ENV]: folder.runDir },
        launchArgs: [folder.workspace, '--user-data-dir', folder.userDataDir, '--extensions-dir', folder.extensionsDir, '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', '--disable-gpu'],
      });
    } finally {
      if (folder.podmanRunId) removePodmanLeftovers(folder.podmanRunId);
    }
    const results = readResults(folder.runDir);
    if (!results) {
      console.error(`no results file in ${folder.runDir} (run folder kept)`);
      return 1;
    }
    for (const test of results.tests) {
      const state = test.state === 'passed' ? 'ok  ' : test.state === 'pending' ? 'skip' : 'FAIL';
      console.log(`${state} ${test.fullTitle}${test.error ? `\n     ${test.error.split('\n').join('\n     ')}` : ''}`);
    }
    if (podmanMissing) console.log(`podman suites skipped: ${podmanMissing}`);
    // With --grep fewer tests run on purpose: only failures count then.
    const problems = problemsOf(results).filter((problem) => !values.grep || !problem.startsWith('only '));
    console.log(`VS Code ${results.vscodeVersion}: ${results.tests.length} tests, ${problems.length} problems`);
    for (const problem of problems) console.error(problem);
    if (problems.length === 0) fs.rmSync(folder.runDir, { recursive: true, force: true });
    return problems.length > 0 ? 1 : 0;
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  },
);
