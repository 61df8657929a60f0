/**
 * Runs the end-to-end suites (test/e2e/suite/*.e2e.ts) inside a real VS Code: code-server
 * (installed by scripts/install-code-server.sh) opened in Debian's Chromium through
 * playwright-core. Builds the extension and bundles the suites, copies the fixture
 * workspace into a fresh run folder, starts code-server with the extension under
 * development and the suite runner as the extension tests, waits for the runner's results
 * file (the extension host exits 0 whatever happens), optionally takes screenshots in the
 * same window, and stops code-server's whole process tree.
 *
 * Adding a suite: drop a `*.e2e.ts` file into test/e2e/suite/ (use the helpers in
 * suite/context.ts). Settings for VS Code go in {@link E2EOptions.settings}; values for the
 * suites themselves in {@link E2EOptions.suiteOptions}; real podman for the podman suites
 * with {@link E2EOptions.podman}.
 *
 * A run never writes tracked files: screenshots go to .test-output/e2e/ and are copied to
 * docs/images/ only when `UPDATE_SCREENSHOTS=1` is set.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT, build, withBuildLock } from '../helpers/build';
import { ensureStandInBuilder } from '../helpers/bib';
import { ensureBootcTestBase, podmanList, podmanSync, testContainersConf } from '../helpers/podman';
import {
  DISK_OPTION,
  E2E_IMAGE_PREFIX,
  PODMAN_OPTION,
  RELEASE_FILE,
  RESULTS_FILE,
  RUN_CONFIG_FILE,
  RUN_DIR_ENV,
  WORKSPACE_DIR,
  type DiskSuiteOption,
  type PodmanSuiteOption,
  type RunConfig,
  type SuiteResults,
} from './suite/protocol';

/** The code-server release scripts/install-code-server.sh installs (VS Code 1.100.3). */
export const CODE_SERVER_VERSION = '4.100.3';
/** Where scripts/install-code-server.sh puts code-server. */
export const CODE_SERVER_PREFIX = path.join(ROOT, '.cache', 'code-server');
/** The bundled suites: index.js (the `extensionTestsPath`) and one `*.e2e.js` per suite. */
export const SUITE_BUNDLE_DIR = path.join(ROOT, '.test-output', 'e2e', 'suite');
/** Logs of failed runs and screenshots are kept here. */
export const E2E_OUTPUT_DIR = path.join(ROOT, '.test-output', 'e2e');
/** The README's pictures: screenshots are copied here only when {@link UPDATE_SCREENSHOTS_ENV} is `1`. */
export const SCREENSHOT_DOCS_DIR = path.join(ROOT, 'docs', 'images');
/** Set to `1` to refresh the screenshots in docs/images/ (tracked files) from a run. */
export const UPDATE_SCREENSHOTS_ENV = 'UPDATE_SCREENSHOTS';
/** Fewer tests than this means suites were lost (not loaded, filtered out); skipped tests count. */
export const MINIMUM_E2E_TESTS = 31;
/** The workspace the suites expect. */
export const FIXTURE_WORKSPACE = path.join(__dirname, 'workspace');

const SUITE_SOURCE_DIR = path.join(__dirname, 'suite');
const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/lib/chromium/chromium', '/usr/bin/chromium-browser'];
/** From ENVIRONMENT.md; playwright adds --headless itself. */
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const VIEWPORT = { width: 1280, height: 800 };

/** VS Code settings for every run: a quiet, deterministic window. */
const BASE_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.commandCenter.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'editor.minimap.enabled': false,
  'window.zoomLevel': 0,
};

/** Where the window should be when a screenshot is taken. */
export interface ScreenshotRequest {
  /** The PNG's file name: written to .test-output/e2e/, and to docs/images/ with `UPDATE_SCREENSHOTS=1`. */
  name: string;
  /** File to open, relative to the workspace folder. */
  file: string;
  /** 1-based line and column to put the cursor on (a diagnostic's position). */
  line: number;
  column: number;
  /**
   * What to show besides the editor: the quick-fix menu (Ctrl+.) or the Problems view
   * (Ctrl+Shift+M) filtered by {@link problemsFilter}.
   */
  show: 'quick-fix-menu' | 'problems';
  /** Text typed into the Problems view's filter (e.g. the file's folder). */
  problemsFilter?: string;
  /** Texts rows of the Problems view must show before the picture is taken (e.g. `<source> <code>`). */
  problemsShowing?: string[];
  /** Text a status bar item must show before the picture is taken. */
  statusBarShowing?: string;
}

export interface E2EOptions {
  /** Extra VS Code user settings, e.g. `{ 'bootc.podman.containersConf': '/tmp/x/containers.conf' }`. */
  settings?: Record<string, unknown>;
  /** Values the suites read with `suiteOption(name)` (suite/context.ts). */
  suiteOptions?: Record<string, unknown>;
  /** Only tests whose full title matches this regular expression run. */
  grep?: string;
  /** Extra environment for code-server and so for the extension host and the processes it starts. */
  env?: NodeJS.ProcessEnv;
  /** The workspace to copy and open (default: test/e2e/workspace). */
  workspace?: string;
  /** Where the run folder (and so the opened workspace copy) is made (default: the system's temporary folder). */
  runParent?: string;
  /** How long the whole suite may take before the run is declared stuck. */
  timeoutMs?: number;
  /** mocha's per-test timeout. */
  testTimeoutMs?: number;
  /**
   * The podman suites: `true` runs them against real podman (the harness makes the local
   * test base image before VS Code starts and points `bootc.podman.containersConf` at the
   * test containers.conf); a string is the reason they skip. Default: they skip.
   */
  podman?: true | string;
  /**
   * The disk suite (Create Disk Image, Open in VM): `true` runs it against the STAND-IN
   * bootc-image-builder (test/helpers/bib.ts builds and tags it before VS Code starts) and real
   * qemu; it needs `podman: true` too. A string is the reason it skips. Default: it skips.
   */
  disk?: true | string;
  /** Pictures to take, in order, in the window the suites ran in. */
  screenshots?: ScreenshotRequest[];
  /** Keep the run folder (workspace, logs) for inspection. */
  keepRunDir?: boolean;
}

export interface E2ERun {
  results: SuiteResults;
  /** Screenshot files written. */
  screenshots: string[];
  /** Why a requested screenshot could not be taken. */
  screenshotError?: string;
  /** Browser console lines (errors and warnings), for failure messages. */
  consoleLines: string[];
  /** Milliseconds from starting code-server to reading the results. */
  durationMs: number;
}

/** The code-server entry script, if installed. */
export function findCodeServer(): string | undefined {
  const marker = path.join(CODE_SERVER_PREFIX, 'installed-version');
  const entry = path.join(CODE_SERVER_PREFIX, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!fs.existsSync(entry)) return undefined;
  return fs.existsSync(marker) && fs.readFileSync(marker, 'utf8').trim() === CODE_SERVER_VERSION ? entry : undefined;
}

/** The Chromium executable, if installed (`CHROMIUM_PATH` overrides). */
export function findChromium(): string | undefined {
  const candidates = process.env.CHROMIUM_PATH ? [process.env.CHROMIUM_PATH] : CHROMIUM_CANDIDATES;
  return candidates.find((candidate) => fs.existsSync(candidate));
}

/** Why the end-to-end suite cannot run on this machine, or undefined when it can. */
export function missingRequirement(): string | undefined {
  if (!findChromium()) return 'Chromium is not installed (Debian: apt-get install chromium; or set CHROMIUM_PATH)';
  if (!findCodeServer()) return `code-server ${CODE_SERVER_VERSION} is not installed (run scripts/install-code-server.sh)`;
  return undefined;
}

/**
 * Bundles the suite runner and the suites (default: every `*.e2e.ts` of the suite folder) into
 * `outDir`, one file each (the runner loads every `*.e2e.js` beside it). `vscode` comes from
 * the extension host; mocha is resolved from the repository's node_modules at run time, so the
 * runner and the suites share one mocha instance.
 */
export async function bundleSuites(outDir = SUITE_BUNDLE_DIR, suites = fs.readdirSync(SUITE_SOURCE_DIR).filter((name) => name.endsWith('.e2e.ts')).map((name) => path.join(SUITE_SOURCE_DIR, name))): Promise<string> {
  fs.rmSync(outDir, { recursive: true, force: true });
  await esbuild.build({
    // Named entries: every output lands directly in outDir, wherever its source is.
    entryPoints: Object.fromEntries([path.join(SUITE_SOURCE_DIR, 'index.ts'), ...suites].map((file) => [path.basename(file, '.ts'), file])),
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return path.join(outDir, 'index.js');
}

/** Builds the extension and the suites, then runs them in code-server. */
export async function runE2E(options: E2EOptions = {}): Promise<E2ERun> {
  const missing = missingRequirement();
  if (missing) throw new Error(missing);
  // Hold the build lock for the whole run: other test files rebuild the bundles the extension host loads.
  return withBuildLock(async () => {
    build();
    const suiteIndex = await bundleSuites();
    return runBundledSuites(suiteIndex, options);
  });
}

/** A fresh run folder: the workspace copy, VS Code's user data and extensions folders, run.json. */
export interface RunFolder {
  runDir: string;
  workspace: string;
  userDataDir: string;
  extensionsDir: string;
  /** The podman suites' run id when they run against podman (see {@link removePodmanLeftovers}). */
  podmanRunId?: string;
}

/**
 * Creates a run folder in the system's temporary folder for one run of the suites: copies
 * the workspace, writes the user settings and the runner's {@link RunConfig}.
 */
export function prepareRunFolder(options: E2EOptions, holdMs: number): RunFolder {
  const runDir = fs.mkdtempSync(path.join(options.runParent ?? os.tmpdir(), 'bootc-e2e-'));
  const folder: RunFolder = {
    runDir,
    workspace: path.join(runDir, WORKSPACE_DIR),
    userDataDir: path.join(runDir, 'user-data'),
    extensionsDir: path.join(runDir, 'extensions'),
  };
  fs.cpSync(options.workspace ?? FIXTURE_WORKSPACE, folder.workspace, { recursive: true });
  fs.mkdirSync(folder.extensionsDir);
  const podman = podmanSetup(options.podman);
  const disk = diskSetup(options.disk, podman.suiteOption);
  const settings = { ...BASE_SETTINGS, ...podman.settings, ...disk.settings, ...options.settings };
  // User settings, and the same as code-server's remote ("Machine") settings: in a remote
  // window VS Code drops machine-scoped settings such as bootc.podman.* from the user
  // settings once it reloads the configuration (e.g. when .vscode/tasks.json changes).
  for (const scope of ['User', 'Machine']) {
    fs.mkdirSync(path.join(folder.userDataDir, scope), { recursive: true });
    fs.writeFileSync(path.join(folder.userDataDir, scope, 'settings.json'), JSON.stringify(settings, null, 2));
  }
  const config: RunConfig = {
    grep: options.grep,
    testTimeoutMs: options.testTimeoutMs ?? 30_000,
    holdMs,
    options: { [PODMAN_OPTION]: podman.suiteOption, [DISK_OPTION]: disk.suiteOption, ...options.suiteOptions },
  };
  folder.podmanRunId = podman.suiteOption.runId;
  fs.writeFileSync(path.join(runDir, RUN_CONFIG_FILE), JSON.stringify(config, null, 2));
  return folder;
}

/**
 * What the podman suites need: with real podman, the local base image (made now, before VS
 * Code starts) and the containers.conf this machine needs for `podman run`, as a user
 * setting, and a run id for the images they create; otherwise the reason they skip.
 */
function podmanSetup(podman: true | string | undefined): { settings: Record<string, unknown>; suiteOption: PodmanSuiteOption } {
  if (podman !== true) return { settings: {}, suiteOption: { skipReason: podman ?? 'the harness was not asked to run them (E2EOptions.podman)' } };
  const baseImage = ensureBootcTestBase();
  const containersConf = testContainersConf();
  const runId = Math.random().toString(36).slice(2, 10);
  return { settings: { 'bootc.podman.containersConf': containersConf }, suiteOption: { containersConf, baseImage, runId } };
}

/**
 * What the disk suite needs: the stand-in builder (made now, before VS Code starts), the
 * podman suites' base image to make disks of, and VM settings that keep it short (the test
 * guest has no ACPI handling, so Stop VM kills it after the timeout).
 */
function diskSetup(disk: true | string | undefined, podman: PodmanSuiteOption): { settings: Record<string, unknown>; suiteOption: DiskSuiteOption } {
  if (disk !== true) return { settings: {}, suiteOption: { skipReason: disk ?? 'the harness was not asked to run it (E2EOptions.disk)' } };
  if (podman.skipReason || !podman.baseImage) return { settings: {}, suiteOption: { skipReason: `it needs podman: ${podman.skipReason ?? 'no base image'}` } };
  const builderImage = ensureStandInBuilder();
  return {
    settings: { 'bootc.vm.memory': 512, 'bootc.vm.shutdownTimeout': 2 },
    suiteOption: { image: podman.baseImage, builderImage },
  };
}

/**
 * Removes the containers and images of a run's podman suites that are still there: the suites
 * remove their own, but a run that was stopped (timeout, code-server died) could not.
 */
export function removePodmanLeftovers(runId: string): void {
  const listed = podmanList(['images', '--format', '{{.Repository}}:{{.Tag}}', '--filter', `reference=localhost/${E2E_IMAGE_PREFIX}*`]);
  const images = listed.split('\n').filter((image) => image.endsWith(`-${runId}:latest`));
  for (const image of images) {
    const containers = podmanSync(['ps', '--all', '--quiet', '--filter', `ancestor=${image}`]).stdout.split('\n').filter(Boolean);
    if (containers.length > 0) podmanSync(['rm', '--force', ...containers]);
  }
  if (images.length > 0) podmanSync(['rmi', '--force', ...images]);
}

/** The results file of a finished run, or undefined when the runner wrote none. */
export function readResults(runDir: string): SuiteResults | undefined {
  const file = path.join(runDir, RESULTS_FILE);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as SuiteResults) : undefined;
}

/** One line per problem of a finished run: a runner failure, each failed test, too few tests. */
export function problemsOf(results: SuiteResults): string[] {
  const problems = results.fatal ? [`the suite runner failed: ${results.fatal}`] : [];
  for (const test of results.tests) if (test.state === 'failed') problems.push(`${test.fullTitle}: ${test.error ?? 'failed'}`);
  if (results.tests.length < MINIMUM_E2E_TESTS) {
    problems.push(`only ${results.tests.length} tests ran (expected at least ${MINIMUM_E2E_TESTS}): were suites lost?`);
  }
  return problems;
}

/** Runs already bundled suites (see {@link bundleSuites}) against the already built extension. */
export async function runBundledSuites(suiteIndex: string, options: E2EOptions = {}): Promise<E2ERun> {
  const codeServerEntry = findCodeServer();
  const chromiumPath = findChromium();
  if (!codeServerEntry || !chromiumPath) throw new Error(missingRequirement());
  for (const stale of ['logs', 'screenshot-failure.png']) fs.rmSync(path.join(E2E_OUTPUT_DIR, stale), { recursive: true, force: true });

  const screenshotRequests = options.screenshots ?? [];
  // With screenshots to take, the runner keeps the window alive until released (or 60 s).
  const { runDir, workspace, userDataDir, extensionsDir, podmanRunId } = prepareRunFolder(options, screenshotRequests.length > 0 ? 60_000 : 0);
  const started = Date.now();
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const consoleLines: string[] = [];
  let succeeded = false;
  try {
    server = await startCodeServer(codeServerEntry, runDir, userDataDir, extensionsDir, workspace, options.env);
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_FLAGS });
    const page = await browser.newPage({ viewport: VIEWPORT });
    page.setDefaultTimeout(15_000);
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') consoleLines.push(`[${message.type()}] ${message.text()}`);
    });
    page.on('pageerror', (error) => consoleLines.push(`[pageerror] ${error.message}`));
    await page.goto(testUrl(server.origin, workspace, ROOT, suiteIndex));

    const results = await waitForResults(runDir, server, options.timeoutMs ?? 120_000, consoleLines);
    const durationMs = Date.now() - started;
    const screenshots: string[] = [];
    let screenshotError: string | undefined;
    for (const request of screenshotRequests) {
      try {
        screenshots.push(...(await takeScreenshot(page, workspace, request)));
      } catch (error) {
        // Keep what the window showed: it usually tells which step did not happen.
        const picture = path.join(E2E_OUTPUT_DIR, 'screenshot-failure.png');
        await page.screenshot({ path: picture }).catch(() => undefined);
        screenshotError = `${request.name}: ${error instanceof Error ? error.message : String(error)} (the window at that moment: ${picture})`;
        break;
      }
    }
    succeeded = !results.fatal && !screenshotError && results.tests.every((test) => test.state !== 'failed');
    return { results, screenshots, screenshotError, consoleLines, durationMs };
  } finally {
    fs.writeFileSync(path.join(runDir, RELEASE_FILE), '');
    await browser?.close().catch(() => undefined);
    await server?.stop();
    if (podmanRunId) removePodmanLeftovers(podmanRunId);
    if (!succeeded) keepLogs(runDir, consoleLines, server?.log() ?? '');
    if (!options.keepRunDir) fs.rmSync(runDir, { recursive: true, force: true });
  }
}

/** The URL that opens `workspace` with the extension under development and the suite runner. */
function testUrl(origin: string, workspace: string, extensionPath: string, suiteIndex: string): string {
  const remote = (file: string) => `vscode-remote://${new URL(origin).host}${encodeURI(file)}`;
  const payload = [
    ['extensionDevelopmentPath', remote(extensionPath)],
    ['extensionTestsPath', remote(suiteIndex)],
  ];
  return `${origin}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

interface CodeServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  process: ChildProcess;
  /** The log so far (stdout and stderr). */
  log(): string;
  /** Why it exited early, if it did. */
  exited(): string | undefined;
  /** Stops the whole process tree (extension host, language server, everything it started). */
  stop(): Promise<void>;
}

/** Starts code-server on a free port of 127.0.0.1 and resolves once it serves HTTP. */
async function startCodeServer(
  entry: string,
  runDir: string,
  userDataDir: string,
  extensionsDir: string,
  workspace: string,
  env: NodeJS.ProcessEnv | undefined,
): Promise<CodeServer> {
  const configFile = path.join(runDir, 'code-server.yaml');
  // Port 0: the kernel picks a free port, which code-server prints.
  fs.writeFileSync(configFile, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  const args = [
    entry,
    '--config', configFile,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--ignore-last-opened',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    workspace,
  ];
  // Its own process group, so that stopping it reaches every process it started.
  const child = spawn(process.execPath, args, {
    cwd: runDir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: childEnvironment({ ...env, [RUN_DIR_ENV]: runDir }),
  });
  let log = '';
  let exitReason: string | undefined;
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.on('error', (error) => (exitReason = `could not start: ${error.message}`));
  child.on('exit', (code, signal) => (exitReason ??= `exited with ${signal ?? `code ${code}`}`));
  fs.writeFileSync(path.join(runDir, 'code-server.pid'), String(child.pid));

  const server: CodeServer = {
    origin: '',
    process: child,
    log: () => log,
    exited: () => exitReason,
    stop: () => stopProcessGroup(child),
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    const listening = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
    if (listening) {
      server.origin = listening[1];
      break;
    }
    if (exitReason || Date.now() > deadline) {
      await server.stop();
      throw new Error(`code-server did not start (${exitReason ?? 'no "HTTP server listening" line after 30 s'}). Its log:\n${log}`);
    }
    await sleep(50);
  }
  fs.writeFileSync(path.join(runDir, 'code-server.url'), server.origin);
  return server;
}

/** This process's environment plus `extra`, without the node test runner's own variable (it changes how node:test reports). */
function childEnvironment(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const environment = { ...process.env, ...extra };
  delete environment.NODE_TEST_CONTEXT;
  return environment;
}

/** SIGTERM to the process group, SIGKILL after a grace period; resolves once the group is gone. */
async function stopProcessGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  // Signal 0 only asks whether any process of the group is left.
  const signalGroup = (signal: NodeJS.Signals | 0): boolean => {
    try {
      process.kill(-pid, signal);
      return true;
    } catch {
      return false; // no such group: everything has exited
    }
  };
  if (!signalGroup('SIGTERM')) return;
  for (let waited = 0; waited < 3_000; waited += 100) {
    await sleep(100);
    if (!signalGroup(0)) return;
  }
  signalGroup('SIGKILL');
  for (let waited = 0; waited < 3_000 && signalGroup(0); waited += 100) await sleep(100);
}

/** Polls for the results file; fails early when code-server dies, with the logs to look at. */
async function waitForResults(runDir: string, server: CodeServer, timeoutMs: number, consoleLines: string[]): Promise<SuiteResults> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const results = readResults(runDir);
    if (results) return results;
    const exited = server.exited();
    if (exited || Date.now() > deadline) {
      const why = exited ? `code-server ${exited}` : `no results after ${Math.round(timeoutMs / 1000)} s`;
      const logDir = keepLogs(runDir, consoleLines, server.log());
      throw new Error(
        `The end-to-end suites did not report (${why}). Logs (code-server, extension host, browser console) are in ${logDir}.\n` +
          `code-server log (end):\n${server.log().slice(-3_000)}\nbrowser console (end):\n${consoleLines.slice(-30).join('\n')}`,
      );
    }
    await sleep(200);
  }
}

/** Copies the run's logs to .test-output/e2e/logs/ (replacing older ones) and returns that folder. */
function keepLogs(runDir: string, consoleLines: string[], serverLog: string): string {
  const target = path.join(E2E_OUTPUT_DIR, 'logs');
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  const vscodeLogs = path.join(runDir, 'user-data', 'logs');
  if (fs.existsSync(vscodeLogs)) fs.cpSync(vscodeLogs, path.join(target, 'vscode'), { recursive: true });
  for (const name of [RUN_CONFIG_FILE, RESULTS_FILE]) {
    if (fs.existsSync(path.join(runDir, name))) fs.copyFileSync(path.join(runDir, name), path.join(target, name));
  }
  fs.writeFileSync(path.join(target, 'browser-console.log'), consoleLines.join('\n'));
  fs.writeFileSync(path.join(target, 'code-server.log'), serverLog);
  return target;
}

/**
 * Puts the window in the requested state with the keyboard, as a user would: Quick Open
 * (Ctrl+P) the file, Go to Line (Ctrl+G) `line:column`, then the quick-fix menu (Ctrl+.) or
 * the Problems view (Ctrl+Shift+M, its filter with Ctrl+F). Returns the files written.
 */
async function takeScreenshot(page: Page, workspace: string, request: ScreenshotRequest): Promise<string[]> {
  // A menu or widget left open by an earlier picture.
  await page.keyboard.press('Escape');
  await page.locator('.monaco-workbench').click({ position: { x: 640, y: 300 } }).catch(() => undefined);
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').waitFor({ state: 'visible' });
  // The absolute path: a relative name can match several files.
  await page.keyboard.type(path.join(workspace, request.file));
  // The list shows the recently opened files first and filters asynchronously: wait until
  // the one row left is the file (its label is "<name> <folder>, ..." or "<name>, ...").
  const folder = path.dirname(request.file);
  const label = `${path.basename(request.file)}${folder === '.' ? ',' : ` ${folder}`}`;
  const rows = page.locator('.quick-input-list .monaco-list-row');
  await until(`Quick Open to list only ${request.file}`, async () => (await rows.count()) === 1 && ((await rows.first().getAttribute('aria-label')) ?? '').startsWith(label));
  await page.keyboard.press('Enter');
  await page.locator('.monaco-editor .view-lines').first().waitFor({ state: 'visible' });
  // Squiggles appear once the language server has linted the file.
  await page.locator('.monaco-editor .squiggly-warning, .monaco-editor .squiggly-error').first().waitFor({ state: 'attached' });
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget input').waitFor({ state: 'visible' });
  await page.keyboard.type(`${request.line}:${request.column}`);
  await page.keyboard.press('Enter');
  if (request.show === 'quick-fix-menu') {
    await page.keyboard.press('Control+.');
    await page.locator('.action-widget').first().waitFor({ state: 'visible' });
  } else {
    await page.keyboard.press('Control+Shift+M');
    const problems = page.locator('.markers-panel');
    await problems.waitFor({ state: 'visible' });
    if (request.problemsFilter) {
      // The filter box in the panel's title bar (clicked: Ctrl+F only works once the view has focus).
      const filter = page.locator('.part.panel .viewpane-filter input').first();
      await filter.click();
      await page.keyboard.type(request.problemsFilter);
      // Away from the filter box, whose tooltip would cover the view.
      await page.mouse.move(640, 300);
    }
    // A row reads "<message> <source> <code> [Ln L, Col C]" (whitespace collapsed).
    const rows = problems.locator('.monaco-list-row');
    let shown: string[] = [];
    for (const text of request.problemsShowing ?? []) {
      await until(`a Problems row showing ${text}`, async () => {
        shown = (await rows.allInnerTexts()).map((row) => row.replace(/\s+/g, ' '));
        return shown.some((row) => row.includes(text));
      }).catch((error: Error) => {
        throw new Error(`${error.message}; the rows: ${JSON.stringify(shown)}`);
      });
    }
  }
  if (request.statusBarShowing) await page.locator('.statusbar-item', { hasText: request.statusBarShowing }).first().waitFor({ state: 'visible' });
  // Let menus and views finish fading in.
  await sleep(500);
  const picture = await page.screenshot();
  const outputs = [path.join(E2E_OUTPUT_DIR, request.name)];
  if (process.env[UPDATE_SCREENSHOTS_ENV] === '1') outputs.push(path.join(SCREENSHOT_DOCS_DIR, request.name));
  for (const output of outputs) {
    fs.mkdirSync(path.dirname(output), { recursive: true });
    fs.writeFileSync(output, picture);
  }
  return outputs;
}

/** Polls `condition` until it holds; fails after `timeoutMs` naming what it waited for. */
async function until(what: string, condition: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}
