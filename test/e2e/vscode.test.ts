// End-to-end: the extension in a real VS Code (code-server in Chromium, see harness.ts).
// Each mocha test of test/e2e/suite/ is reported as a subtest here. Skips when Chromium or
// code-server is missing, except in CI (`CI` set), where that is a failure. The podman suites
// run when podman is installed (in CI they must: podmanAvailable() throws there otherwise); the
// disk suite when the bootc-image-builder stand-in and qemu can run too.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { standInBuilderAvailable } from '../helpers/bib';
import { podmanAvailable } from '../helpers/podman';
import { qemuAvailable } from '../helpers/qemu';
import { E2E_OUTPUT_DIR, missingRequirement, problemsOf, runE2E, type ScreenshotRequest } from './harness';

const missing = missingRequirement();
const skip = missing && !process.env.CI ? `end-to-end tests skipped: ${missing}` : false;

/** The editor with bootc diagnostics and the quick-fix menu open (the README shows it). */
const QUICK_FIX_SCREENSHOT: ScreenshotRequest = { name: 'editor-quick-fix.png', file: 'Containerfile', line: 4, column: 5, show: 'quick-fix-menu' };

/** The Problems view after the podman suites: a `bootc container lint` finding of the built image beside a `bootc` diagnostic. */
const IMAGE_LINT_SCREENSHOT: ScreenshotRequest = {
  name: 'problems-image-lint.png',
  file: 'podman-var-log/Containerfile',
  line: 4,
  column: 1,
  show: 'problems',
  problemsFilter: 'podman-var-log',
  problemsShowing: ['bootc container lint var-log', 'bootc ignored-expose'],
  statusBarShowing: 'bootc-e2e-var-log',
};

test('the extension works in a real VS Code (code-server)', { skip, timeout: 420_000 }, async (t) => {
  if (missing) assert.fail(`CI is set but ${missing}`);
  const podmanMissing = podmanAvailable();
  if (podmanMissing) t.diagnostic(`podman suites skipped: ${podmanMissing}`);
  // The disk suite: the bootc-image-builder stand-in and qemu (in CI these throw when missing).
  const diskMissing = podmanMissing ?? standInBuilderAvailable() ?? qemuAvailable();
  if (diskMissing) t.diagnostic(`disk suite skipped: ${diskMissing}`);
  const run = await runE2E({
    podman: podmanMissing ?? true,
    disk: diskMissing ?? true,
    timeoutMs: diskMissing ? undefined : 360_000,
    screenshots: podmanMissing ? [QUICK_FIX_SCREENSHOT] : [QUICK_FIX_SCREENSHOT, IMAGE_LINT_SCREENSHOT],
  });
  const { results } = run;
  t.diagnostic(`VS Code ${results.vscodeVersion}, ${results.tests.length} tests in ${run.durationMs} ms`);
  for (const [name, value] of Object.entries(results.metrics)) t.diagnostic(`${name}: ${value.toFixed(1)}`);

  for (const result of results.tests) {
    // mocha gives no reason for a skip; the podman suites skip for the one the harness was given.
    const skipped = result.state !== 'pending' ? false : podmanMissing && result.fullTitle.startsWith('podman ') ? podmanMissing : diskMissing && result.fullTitle.startsWith('disk ') ? diskMissing : true;
    await t.test(result.fullTitle, { skip: skipped }, () => {
      if (result.state === 'failed') assert.fail(result.error ?? 'failed');
    });
  }
  const problems = problemsOf(results);
  if (problems.length > 0) assert.fail(`${problems.join('\n')}\n(VS Code's logs: ${path.join(E2E_OUTPUT_DIR, 'logs')})`);
  assert.equal(run.screenshotError, undefined);
  assert.equal(run.screenshots.length >= (podmanMissing ? 1 : 2), true, `screenshots taken: ${run.screenshots.join(', ') || 'none'}`);
});
