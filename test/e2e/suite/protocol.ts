/**
 * What the end-to-end harness (test/e2e/harness.ts, run-electron.ts) and the suite runner
 * inside VS Code (suite/index.ts) exchange through files in the run folder. The extension
 * host of code-server does not reliably inherit the harness's environment, so the runner
 * finds the run folder from an environment variable when it is set (@vscode/test-electron
 * passes one) and otherwise as the parent of the opened workspace folder, which the harness
 * creates inside the run folder.
 */

/** Environment variable naming the run folder, when the launcher can pass one. */
export const RUN_DIR_ENV = 'BOOTC_E2E_RUN_DIR';
/** In the run folder: the harness's {@link RunConfig}. */
export const RUN_CONFIG_FILE = 'run.json';
/** In the run folder: the runner's {@link SuiteResults}, written once all suites have run. */
export const RESULTS_FILE = 'results.json';
/** In the run folder: created by the harness once it no longer needs the live window. */
export const RELEASE_FILE = 'release';
/** In the run folder: the copy of the fixture workspace that VS Code opens. */
export const WORKSPACE_DIR = 'workspace';

/** Written by the harness before VS Code starts. */
export interface RunConfig {
  /** Only tests whose full title matches this regular expression run. */
  grep?: string;
  /** Mocha's per-test timeout. */
  testTimeoutMs: number;
  /**
   * Keep the window (and so the extension host) alive after the results are written until
   * the release file appears or this many milliseconds pass: the harness takes screenshots
   * meanwhile. 0 returns at once.
   */
  holdMs: number;
  /** Free-form values for the suites (see suite/context.ts `suiteOption`). */
  options: Record<string, unknown>;
}

/** One mocha test's outcome. */
export interface TestResult {
  /** The suite titles and the test title joined by spaces. */
  fullTitle: string;
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  /** The failure's message and stack. */
  error?: string;
}

/** The results file. */
export interface SuiteResults {
  vscodeVersion: string;
  /** How the runner found the run folder: code-server's extension host may not inherit the harness's environment. */
  runDirFrom: 'environment' | 'workspace';
  /** The suite files that were loaded. */
  files: string[];
  tests: TestResult[];
  /** Numbers the suites recorded (suite/context.ts `recordMetric`), e.g. activation time. */
  metrics: Record<string, number>;
  /** Set when the run itself failed (a suite file did not load, mocha threw). */
  fatal?: string;
}

/** The {@link RunConfig} option (see suite/context.ts `suiteOption`) that tells the podman suites whether podman is theirs. */
export const PODMAN_OPTION = 'podman';

/** The podman suites name their images `localhost/<prefix><purpose>-<runId>:latest`. */
export const E2E_IMAGE_PREFIX = 'bootc-e2e-';

/** The value of {@link PODMAN_OPTION}: what the podman suites run against, or why they skip. */
export interface PodmanSuiteOption {
  /** The containers.conf `podman run` needs on this machine (also set as `bootc.podman.containersConf`). */
  containersConf?: string;
  /** The local base image the workspace's podman Containerfiles build FROM, ready before VS Code started. */
  baseImage?: string;
  /** Part of every image name the suites create (`localhost/bootc-e2e-<purpose>-<runId>`), so the harness can remove what a broken run left. */
  runId?: string;
  /** Set when podman is not available: the suites skip, saying this. */
  skipReason?: string;
}

/** The {@link RunConfig} option that tells the disk suite (Create Disk Image, Open in VM) what it runs against. */
export const DISK_OPTION = 'disk';

/** The value of {@link DISK_OPTION}: the image to turn into a disk and the builder, or why the suite skips. */
export interface DiskSuiteOption {
  /** The bootc image the suite makes disks of (the podman suites' local base image). */
  image?: string;
  /** The STAND-IN bootc-image-builder, tagged with the real builder's name (test/helpers/bib.ts), ready before VS Code started. */
  builderImage?: string;
  /** Set when podman, the stand-in builder or qemu is not available: the suite skips, saying this. */
  skipReason?: string;
}
