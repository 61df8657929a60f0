/**
 * The entry VS Code loads as `extensionTestsPath`: runs the bundled suites
 * (`*.e2e.js` beside this file) with mocha in the extension host and writes the results file
 * (see protocol.ts). The extension host exits 0 whether tests pass or fail, so the results
 * file is the only verdict; it is written even when a suite fails to load, and `run` never
 * rejects before that.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { sharedState } from './context';
import {
  RELEASE_FILE,
  RESULTS_FILE,
  RUN_CONFIG_FILE,
  RUN_DIR_ENV,
  type RunConfig,
  type SuiteResults,
  type TestResult,
} from './protocol';

const DEFAULT_CONFIG: RunConfig = { testTimeoutMs: 30_000, holdMs: 0, options: {} };

/** The run folder: from the environment, else the parent of the opened workspace folder. */
function runDirectory(): string {
  const fromEnv = process.env[RUN_DIR_ENV];
  if (fromEnv) return fromEnv;
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error(`no workspace folder is open and ${RUN_DIR_ENV} is not set: cannot find the run folder`);
  return path.dirname(folder.uri.fsPath);
}

function readConfig(runDir: string): RunConfig {
  const file = path.join(runDir, RUN_CONFIG_FILE);
  if (!fs.existsSync(file)) return DEFAULT_CONFIG;
  return { ...DEFAULT_CONFIG, ...(JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<RunConfig>) };
}

/** The message (with an assertion's diff) and the stack frames. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  return [`${error.name}: ${error.message}`, ...frames].join('\n');
}

/**
 * mocha's spec reporter (its output goes to the extension host log) that also collects one
 * result per test, and per failed hook, into `reporterOptions.results`.
 */
class CollectingReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options: Mocha.MochaOptions) {
    super(runner, options);
    const results = (options.reporterOptions as { results: TestResult[] }).results;
    runner.on('pass', (test) => results.push({ fullTitle: test.fullTitle(), title: test.title, state: 'passed', durationMs: test.duration }));
    runner.on('pending', (test) => results.push({ fullTitle: test.fullTitle(), title: test.title, state: 'pending' }));
    runner.on('fail', (test, error: unknown) =>
      results.push({ fullTitle: test.fullTitle(), title: test.title, state: 'failed', durationMs: test.duration, error: describeError(error) }),
    );
  }
}

function runMocha(files: string[], config: RunConfig): Promise<TestResult[]> {
  const results: TestResult[] = [];
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: config.testTimeoutMs, reporter: CollectingReporter, reporterOptions: { results } });
  if (config.grep) mocha.grep(new RegExp(config.grep));
  for (const file of files) mocha.addFile(file);
  return new Promise((resolve, reject) => {
    try {
      mocha.run(() => resolve(results));
    } catch (error) {
      reject(error);
    }
  });
}

async function holdWindow(runDir: string, holdMs: number): Promise<void> {
  const release = path.join(runDir, RELEASE_FILE);
  const deadline = Date.now() + holdMs;
  while (Date.now() < deadline && !fs.existsSync(release)) await new Promise((resolve) => setTimeout(resolve, 200));
}

/** Called by VS Code's test runner in the extension host. */
export async function run(): Promise<void> {
  let runDir: string;
  try {
    runDir = runDirectory();
  } catch (error) {
    console.error(`bootc e2e: ${describeError(error)}`);
    return;
  }
  const results: SuiteResults = {
    vscodeVersion: vscode.version,
    runDirFrom: process.env[RUN_DIR_ENV] ? 'environment' : 'workspace',
    files: [],
    tests: [],
    metrics: sharedState().metrics,
  };
  let config = DEFAULT_CONFIG;
  try {
    config = readConfig(runDir);
    sharedState().options = config.options;
    results.files = fs
      .readdirSync(__dirname)
      .filter((name) => name.endsWith('.e2e.js'))
      .sort()
      .map((name) => path.join(__dirname, name));
    results.tests = await runMocha(results.files, config);
  } catch (error) {
    results.fatal = describeError(error);
  }
  // Written whole under another name, then renamed: the harness never reads half a file.
  const target = path.join(runDir, RESULTS_FILE);
  fs.writeFileSync(`${target}.partial`, JSON.stringify(results, null, 2));
  fs.renameSync(`${target}.partial`, target);
  if (config.holdMs > 0) await holdWindow(runDir, config.holdMs);
}
