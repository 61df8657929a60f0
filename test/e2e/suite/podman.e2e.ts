// The podman commands in a real VS Code against real podman: Build Image, a failed build
// step on its line, Run Image as Container booted with /sbin/init and stopped, a `bootc`
// build task, Lint Built Image findings in the Problems view, and the tasks the `bootc` task
// type offers. The harness makes the local
// base image (FROM localhost/bootc-test-base) before VS Code starts and sets
// `bootc.podman.containersConf`; without podman these suites skip (see harness.ts `podman`).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { BuildOptions, BuildOutcome } from '../../../client/src/commands/build';
import type { ImageLintOutcome } from '../../../client/src/commands/lintImage';
import type { BootedContainer } from '../../../client/src/commands/run';
import { BOOT_LINE } from '../../helpers/podman';
import { ruleId, suiteOption, waitForDiagnostics, workspaceUri } from './context';
import { E2E_IMAGE_PREFIX, PODMAN_OPTION, type PodmanSuiteOption } from './protocol';

/** Diagnostic sources of the extension's image problems (client/src/imageProblems.ts). */
const BUILD_SOURCE = 'podman build';
const IMAGE_LINT_SOURCE = 'bootc container lint';

/** Every image and container this run creates, removed at the end whatever happened. */
const createdImages: string[] = [];
const createdContainers: string[] = [];

function podmanOption(): PodmanSuiteOption {
  return suiteOption<PodmanSuiteOption>(PODMAN_OPTION) ?? { skipReason: 'no podman option from the harness' };
}

/** Runs podman for checks and cleanup (the code under test runs it through the extension). */
function podman(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const { containersConf } = podmanOption();
  const result = spawnSync('podman', args, { encoding: 'utf8', env: { ...process.env, ...(containersConf ? { CONTAINERS_CONF: containersConf } : {}) } });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/** A tag no other run uses (the harness's run id), remembered for cleanup. */
function uniqueImage(purpose: string): string {
  const image = `localhost/${E2E_IMAGE_PREFIX}${purpose}-${podmanOption().runId ?? Math.random().toString(36).slice(2, 10)}:latest`;
  createdImages.push(image);
  return image;
}

/** The 0-based line of the first line of `uri` that starts with `prefix`. */
async function lineStartingWith(uri: vscode.Uri, prefix: string): Promise<number> {
  const document = await vscode.workspace.openTextDocument(uri);
  for (let line = 0; line < document.lineCount; line++) if (document.lineAt(line).text.startsWith(prefix)) return line;
  throw new Error(`no line of ${uri.fsPath} starts with ${prefix}`);
}

function diagnosticsFrom(uri: vscode.Uri, source: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === source);
}

/** Builds without prompts; `--layers=false` so that a failed build leaves no intermediate images behind. */
function buildImage(uri: vscode.Uri, options: BuildOptions): Thenable<BuildOutcome | undefined> {
  return vscode.commands.executeCommand<BuildOutcome | undefined>('bootc.buildImage', uri, { ...options, extraArgs: ['--layers=false'] });
}

/** Polls `condition` (state outside VS Code's events, e.g. podman's) until it holds. */
async function eventually(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

suite('podman', () => {
  /** The image of the first build test, which the run test boots. */
  let builtImage: string | undefined;

  suiteSetup(function () {
    if (podmanOption().skipReason) this.skip();
  });

  suiteTeardown(async () => {
    if (createdContainers.length > 0) podman('rm', '--force', '--ignore', ...createdContainers);
    if (createdImages.length > 0) podman('rmi', '--force', ...createdImages);
    // Leave the window as the other suites and the harness's screenshots expect it: no build
    // notifications over the Problems view, no terminal panel under the quick-fix menu.
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });

  test('Build Image builds a real image from a bootc Containerfile and lints it', async () => {
    const uri = workspaceUri('podman-build/Containerfile');
    const image = uniqueImage('build');
    const outcome = await buildImage(uri, { tag: image, lint: true });
    assert.equal(outcome?.state, 'succeeded', `the build did not succeed: ${JSON.stringify(outcome)}`);
    assert.equal(outcome.image, image);
    assert.match(outcome.imageId ?? '', /^[0-9a-f]{64}$/);
    assert.equal(podman('image', 'exists', image).status, 0, `${image} is not in podman's storage`);
    assert.equal(podman('image', 'inspect', '--format', '{{.Id}}', image).stdout.trim(), outcome.imageId);
    // The RUN instruction really ran in the image.
    assert.equal(podman('run', '--rm', image, 'cat', '/usr/lib/bootc-e2e-marker').stdout.trim(), 'built');
    // Lint after build ran bootc container lint (the stand-in) in the new image: a clean base passes.
    assert.equal(outcome.imageLint?.error, undefined);
    assert.equal(outcome.imageLint?.ok, true, JSON.stringify(outcome.imageLint));
    assert.deepEqual(diagnosticsFrom(uri, BUILD_SOURCE), []);
    assert.deepEqual(diagnosticsFrom(uri, IMAGE_LINT_SOURCE), []);
    builtImage = image;

    // The last build (status bar item) is this one: showing it brings its terminal to the front.
    assert.ok(vscode.window.terminals.some((terminal) => terminal.name === `Bootc Build: ${image}`), 'no build terminal');
    await vscode.commands.executeCommand('bootc.showLastBuild');
    await eventually(`the terminal of ${image} to be active`, () => vscode.window.activeTerminal?.name === `Bootc Build: ${image}`);
  });

  test('a failing RUN puts a podman build diagnostic on exactly its line', async () => {
    const uri = workspaceUri('podman-fail/Containerfile');
    const failingLine = await lineStartingWith(uri, 'RUN echo building && false');
    const image = uniqueImage('fail');
    const outcome = await buildImage(uri, { tag: image, lint: true });
    assert.equal(outcome?.state, 'failed', JSON.stringify(outcome));
    assert.equal(outcome.failure?.range.start.line, failingLine, JSON.stringify(outcome.failure));
    assert.equal(outcome.imageLint, undefined, 'a failed build was linted');
    const diagnostics = diagnosticsFrom(uri, BUILD_SOURCE);
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    assert.equal(diagnostics[0].range.start.line, failingLine);
    assert.equal(diagnostics[0].range.end.line, failingLine);
    assert.equal(diagnostics[0].severity, vscode.DiagnosticSeverity.Error);
    assert.match(diagnostics[0].message, /exit status 1/);
    assert.notEqual(podman('image', 'exists', image).status, 0, `${image} exists after a failed build`);
  });

  test('Run Image as Container boots with /sbin/init, shows its log, and Stop Container removes it', async function () {
    if (!builtImage) assert.fail('the build test did not leave an image to run');
    const container = await vscode.commands.executeCommand<BootedContainer | undefined>('bootc.runImage', builtImage, { mode: 'systemd' });
    assert.ok(container && typeof container.waitForLine === 'function', `no booted container: ${String(container)}`);
    createdContainers.push(container.id);
    assert.match(container.id, /^[0-9a-f]{12,64}$/);
    const boot = await container.waitForLine(new RegExp(BOOT_LINE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 20_000);
    assert.equal(boot, BOOT_LINE);
    assert.ok(container.lines.includes(BOOT_LINE));
    assert.equal(podman('ps', '--quiet', '--no-trunc', '--filter', `id=${container.id}`).stdout.trim().length > 0, true, 'the container is not running');

    await vscode.commands.executeCommand('bootc.stopContainer', container.id);
    // `podman run --rm`: podman removes the stopped container itself.
    await eventually(`container ${container.id.slice(0, 12)} to be removed`, () => podman('ps', '--all', '--quiet', '--filter', `id=${container.id}`).stdout.trim() === '');
  });

  test('a bootc build task from tasks.json builds the image', async () => {
    const image = uniqueImage('task');
    const label = `e2e: build ${image}`;
    // Written into this run's copy of the workspace: the tag must be unique per run.
    const tasksJson = workspaceUri('.vscode/tasks.json');
    const definition = { type: 'bootc', command: 'build', containerfile: 'podman-build/Containerfile', tag: image, args: ['--layers=false'], label };
    await vscode.workspace.fs.writeFile(tasksJson, new TextEncoder().encode(JSON.stringify({ version: '2.0.0', tasks: [definition] }, null, 2)));
    try {
      let task: vscode.Task | undefined;
      const deadline = Date.now() + 10_000;
      while (!task) {
        task = (await vscode.tasks.fetchTasks({ type: 'bootc' })).find((candidate) => candidate.name === label);
        if (!task && Date.now() > deadline) assert.fail(`VS Code did not pick up the task ${label} from ${tasksJson.fsPath}`);
        if (!task) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const ended = new Promise<number | undefined>((resolve) => {
        const listener = vscode.tasks.onDidEndTaskProcess((event) => {
          if (event.execution.task.name !== label) return;
          listener.dispose();
          resolve(event.exitCode);
        });
      });
      await vscode.tasks.executeTask(task);
      assert.equal(await ended, 0, 'the build task failed: see its terminal in the logs');
      assert.equal(podman('image', 'exists', image).status, 0, `${image} is not in podman's storage`);
    } finally {
      // The fixture workspace has no .vscode folder: leave none in the Explorer of the screenshots.
      await vscode.workspace.fs.delete(workspaceUri('.vscode'), { recursive: true });
    }
  });

  test('Lint Built Image puts a var-log finding on the instruction that wrote /var/log', async () => {
    const uri = workspaceUri('podman-var-log/Containerfile');
    const writingLine = await lineStartingWith(uri, 'RUN mkdir -p /var/log/myapp');
    // The language server's own diagnostics for the same file (EXPOSE means nothing to bootc).
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await waitForDiagnostics(uri, (found) => found.some((diagnostic) => ruleId(diagnostic) === 'ignored-expose'));

    const image = uniqueImage('var-log');
    const built = await buildImage(uri, { tag: image, lint: false });
    assert.equal(built?.state, 'succeeded', JSON.stringify(built));
    assert.equal(built.imageLint, undefined, 'linted although lint: false');

    const outcome = await vscode.commands.executeCommand<ImageLintOutcome | undefined>('bootc.lintImage', uri, image);
    assert.equal(outcome?.error, undefined, JSON.stringify(outcome));
    // var-log is a warning: bootc passes.
    assert.equal(outcome?.ok, true, JSON.stringify(outcome));
    const varLog = outcome.findings.find(({ finding }) => finding.lint === 'var-log');
    assert.ok(varLog, `no var-log finding among ${outcome.findings.map(({ finding }) => finding.lint).join(', ')}`);
    assert.deepEqual(varLog.finding.paths, ['/var/log/myapp/app.log']);
    assert.equal(varLog.range.start.line, writingLine, varLog.reason);

    const diagnostics = diagnosticsFrom(uri, IMAGE_LINT_SOURCE).filter((diagnostic) => ruleId(diagnostic) === 'var-log');
    assert.equal(diagnostics.length, 1, JSON.stringify(vscode.languages.getDiagnostics(uri)));
    assert.equal(diagnostics[0].range.start.line, writingLine);
    assert.equal(diagnostics[0].severity, vscode.DiagnosticSeverity.Warning);
    assert.match(diagnostics[0].message, /\/var\/log\/myapp\/app\.log/);
  });
});

suite('bootc tasks', () => {
  test('the bootc task type offers a build and an image lint of the workspace Containerfile', async () => {
    const tasks = await vscode.tasks.fetchTasks({ type: 'bootc' });
    const describe = tasks.map((task) => `${task.name} ${JSON.stringify(task.definition)}`).join('; ');
    const build = tasks.find((task) => task.definition.command === 'build' && task.definition.containerfile === 'Containerfile');
    assert.ok(build, `no build task for Containerfile among: ${describe}`);
    assert.equal(build.source, 'bootc');
    assert.equal(build.group?.id, vscode.TaskGroup.Build.id);
    assert.deepEqual(build.problemMatchers, ['$bootc']);
    assert.ok(build.execution instanceof vscode.CustomExecution, 'the build task has no custom execution');
    assert.ok(
      tasks.some((task) => task.definition.command === 'lint-image' && task.definition.containerfile === 'Containerfile'),
      `no lint-image task among: ${describe}`,
    );
  });
});
