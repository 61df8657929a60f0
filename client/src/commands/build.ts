/**
 * Bootc: Build Image. Asks for what the build needs (tag, target stage, ARGs without a
 * default, secrets the Containerfile mounts), runs `podman build` with the output in a
 * terminal and a cancellable progress notification, puts a failed step on its instruction,
 * and runs `bootc container lint` in the new image afterwards (setting).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BuildFailure } from '../../../server/src/image/build-output';
import { isSecretLikeName } from '../../../server/src/lint/analysis/secret-names';
import { BUILD_INPUTS_REQUEST, LOCATE_REQUEST, type BuildInputs, type BuildInputsParams, type LocateParams, type LocateResult } from '../../../server/src/lsp/protocol';
import type { BootcSettings } from '../../../server/src/settings';
import { readSettings } from '../configuration';
import { BUILD_SOURCE } from '../imageProblems';
import { buildImage } from '../podman/operations';
import { defaultTagFor, validateImageReference } from '../podman/reference';
import { podmanFor } from '../podmanSetup';
import { Redactor } from '../process';
import { requireTrust, showCommandError, type Services } from '../services';
import { OutputTerminal, showOutputTerminal } from '../terminal';
import { readContainerfile, resolveContainerfile } from './containerfiles';
import { stageChoices } from './stageChoices';
import { lintBuiltImage, publishImageLint, type ImageLintOutcome } from './lintImage';
import { toRange } from './ranges';

/** Options of a build; given as the command's second argument (or a task's definition) they replace the prompts. */
export interface BuildOptions {
  tag?: string;
  /** The build context folder (absolute, or relative to the workspace folder). */
  context?: string;
  buildArgs?: Record<string, string>;
  target?: string;
  secrets?: string[];
  extraArgs?: string[];
  /** Run `bootc container lint` after a successful build; default `bootc.build.lintAfterBuild`. */
  lint?: boolean;
}

export interface BuildRequest {
  containerfile: vscode.Uri;
  tag: string;
  context: string;
  buildArgs: Record<string, string>;
  target?: string;
  secrets: string[];
  extraArgs: string[];
  lint: boolean;
}

export interface BuildOutcome {
  state: 'succeeded' | 'failed' | 'cancelled';
  image: string;
  imageId?: string;
  /** What podman reported for a failed build, and where it was shown. */
  failure?: { message: string; range: vscode.Range };
  imageLint?: ImageLintOutcome;
}

export async function buildImageCommand(services: Services, argument: unknown, options?: BuildOptions): Promise<BuildOutcome | undefined> {
  if (!requireTrust('Build Image')) return undefined;
  const containerfile = await resolveContainerfile(argument, 'build');
  if (!containerfile) return undefined;
  const settings = readSettings(containerfile);
  const request = options ? requestFromOptions(services, containerfile, settings, options) : await promptForRequest(services, containerfile, settings);
  if (!request) return undefined;
  const problem = validateImageReference(request.tag);
  if (problem) {
    void vscode.window.showErrorMessage(`Cannot build: ${problem}`);
    return undefined;
  }

  const pty = new OutputTerminal();
  showOutputTerminal(`Bootc Build: ${request.tag}`, pty);
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Building ${request.tag}`, cancellable: true },
    async (progress, token) => {
      const cancel = new AbortController();
      token.onCancellationRequested(() => cancel.abort());
      pty.signal.addEventListener('abort', () => cancel.abort());
      let outcome: BuildOutcome;
      try {
        outcome = await executeBuild(services, request, pty, cancel.signal, (message) => progress.report({ message }));
      } catch (error) {
        pty.writeLine(error instanceof Error ? error.message : String(error), 'error');
        await showCommandError('Build Image', error);
        return undefined;
      }
      publishBuildProblems(services, containerfile, outcome);
      void announce(outcome, containerfile);
      return outcome;
    },
  );
}

/** Runs a build to its end, writing to `pty`; shared by the command and the `bootc` task. */
export async function executeBuild(services: Services, request: BuildRequest, pty: OutputTerminal, signal: AbortSignal, onStep?: (step: string) => void): Promise<BuildOutcome> {
  const { containerfile, tag } = request;
  const settings = readSettings(containerfile);
  const podman = await podmanFor(settings);
  const redactor = new Redactor();
  for (const [name, value] of Object.entries(request.buildArgs)) if (isSecretLikeName(name)) redactor.add(value);

  services.problems.clear(containerfile);
  await services.state.setLastBuild({ containerfile: containerfile.toString(), image: tag, state: 'running' });
  const text = await readContainerfile(containerfile);
  const result = await buildImage(
    podman,
    {
      containerfile: containerfile.fsPath,
      context: request.context,
      tag,
      buildArgs: request.buildArgs,
      target: request.target,
      secrets: request.secrets,
      extraArgs: request.extraArgs,
    },
    {
      signal,
      redactor,
      onCommandLine: (commandLine) => pty.writeLine(`$ ${commandLine}`, 'info'),
      onLine: (line, stream) => {
        pty.writeLine(line, stream);
        if (/^(?:\[\d+\/\d+\] )?STEP \d+/.test(line)) onStep?.(line.length > 100 ? `${line.slice(0, 99)}…` : line);
      },
    },
  );

  const state = result.cancelled ? 'cancelled' : result.ok ? 'succeeded' : 'failed';
  await services.state.setLastBuild({ containerfile: containerfile.toString(), image: tag, state, finishedAt: Date.now() });
  const outcome: BuildOutcome = { state, image: tag, imageId: result.imageId };
  if (state === 'cancelled') {
    pty.writeLine('Build cancelled: podman and the processes it started were stopped.', 'error');
    return outcome;
  }
  if (state === 'failed') {
    outcome.failure = await locateFailure(services, request, text, result.failure, result.stderr);
    pty.writeLine(`Build failed: ${outcome.failure.message.split('\n')[0]}`, 'error');
    return outcome;
  }
  await services.state.rememberTag(containerfile, tag);
  pty.writeLine(`Built ${tag}${result.imageId ? ` (${result.imageId.slice(0, 12)})` : ''}.`, 'success');
  if (request.lint) outcome.imageLint = await lintBuiltImage(services, containerfile, tag, pty, signal, text, request.target);
  return outcome;
}

/** Finds the failing instruction (the first line when no step is known) and podman's error text. */
async function locateFailure(services: Services, request: BuildRequest, text: string, failure: BuildFailure | undefined, stderr: string): Promise<{ message: string; range: vscode.Range }> {
  const fallbackMessage = stderr.trim().split('\n').slice(-5).join('\n') || 'podman build failed without an error message.';
  let range: vscode.Range | undefined;
  let message = failure?.message ?? fallbackMessage;
  if (failure) {
    const located = await services.languageClient.request<LocateParams, LocateResult>(LOCATE_REQUEST, { uri: request.containerfile.toString(), text, target: request.target, buildFailure: failure });
    if (located?.buildFailure) {
      range = toRange(located.buildFailure.range);
      message = located.buildFailure.message;
    }
  }
  return { message, range: range ?? new vscode.Range(0, 0, 0, 0) };
}

/** Shows the outcome's problems in the Problems view (commands; tasks print them for their problem matcher). */
export function publishBuildProblems(services: Services, containerfile: vscode.Uri, outcome: BuildOutcome): void {
  services.problems.clear(containerfile);
  if (outcome.failure) {
    const diagnostic = new vscode.Diagnostic(outcome.failure.range, `This step failed in podman build: ${outcome.failure.message}`, vscode.DiagnosticSeverity.Error);
    diagnostic.source = BUILD_SOURCE;
    services.problems.setBuildFailure(containerfile, diagnostic);
  }
  if (outcome.imageLint) publishImageLint(services, containerfile, outcome.imageLint);
}

async function announce(outcome: BuildOutcome, containerfile: vscode.Uri): Promise<void> {
  if (outcome.state === 'succeeded') {
    const findings = outcome.imageLint?.findings.length ?? 0;
    const lintNote = outcome.imageLint ? (findings ? ` bootc container lint reported ${findings} problem${findings === 1 ? '' : 's'}: see the Problems view.` : ' bootc container lint passed.') : '';
    const choice = await vscode.window.showInformationMessage(`Built ${outcome.image}.${lintNote}`, 'Run Image', 'Push Image');
    if (choice === 'Run Image') await vscode.commands.executeCommand('bootc.runImage', outcome.image);
    if (choice === 'Push Image') await vscode.commands.executeCommand('bootc.pushImage', outcome.image);
  } else if (outcome.state === 'failed') {
    const choice = await vscode.window.showErrorMessage(`Build of ${outcome.image} failed: ${outcome.failure?.message.split('\n')[0] ?? 'see the terminal'}`, 'Show Problem');
    if (choice) {
      const editor = await vscode.window.showTextDocument(containerfile);
      if (outcome.failure) editor.selection = new vscode.Selection(outcome.failure.range.start, outcome.failure.range.end);
      await vscode.commands.executeCommand('workbench.actions.view.problems');
    }
  }
}

function workspaceFolderOf(uri: vscode.Uri): string {
  return vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? path.dirname(uri.fsPath);
}

/** The context folder: an explicit one (absolute or relative to the workspace folder), the setting, or the Containerfile's folder. */
function contextFolder(containerfile: vscode.Uri, explicit: string | undefined, settings: BootcSettings): string {
  const chosen = explicit || settings.build.contextFolder;
  if (!chosen) return path.dirname(containerfile.fsPath);
  return path.resolve(workspaceFolderOf(containerfile), chosen.replace(/\$\{workspaceFolder\}/g, workspaceFolderOf(containerfile)));
}

/** A build request from a `bootc` task definition (no prompts). */
export function requestForTask(services: Services, containerfile: vscode.Uri, settings: BootcSettings, definition: BuildOptions & { args?: string[] }): BuildRequest {
  return requestFromOptions(services, containerfile, settings, { ...definition, extraArgs: definition.args });
}

function requestFromOptions(services: Services, containerfile: vscode.Uri, settings: BootcSettings, options: BuildOptions): BuildRequest {
  return {
    containerfile,
    tag: options.tag ?? services.state.tagFor(containerfile) ?? defaultTagFor(path.basename(path.dirname(containerfile.fsPath))),
    context: contextFolder(containerfile, options.context, settings),
    buildArgs: { ...settings.build.args, ...options.buildArgs },
    target: options.target,
    secrets: [...settings.build.secrets, ...(options.secrets ?? [])],
    extraArgs: [...settings.build.extraArgs, ...(options.extraArgs ?? [])],
    lint: options.lint ?? settings.build.lintAfterBuild,
  };
}

async function promptForRequest(services: Services, containerfile: vscode.Uri, settings: BootcSettings): Promise<BuildRequest | undefined> {
  const request = requestFromOptions(services, containerfile, settings, {});
  const tag = await vscode.window.showInputBox({
    title: 'Bootc: Build Image: image tag',
    prompt: 'The name the built image gets, e.g. localhost/my-os:latest or quay.io/me/my-os:1.0',
    value: request.tag,
    validateInput: (value) => validateImageReference(value.trim()),
    ignoreFocusOut: true,
  });
  if (tag === undefined) return undefined;
  request.tag = tag.trim();

  const inputs = await promptStageAndBuildArgs(services, containerfile, request, 'Build Image');
  if (inputs === false) return undefined;

  const configuredIds = new Set(request.secrets.map((spec) => /(?:^|,)id=([^,]+)/.exec(spec)?.[1]).filter(Boolean));
  for (const id of inputs?.secretIds ?? []) {
    if (configuredIds.has(id)) continue;
    const picked = await vscode.window.showOpenDialog({
      title: `Secret "${id}" for RUN --mount=type=secret,id=${id} (Cancel to build without it)`,
      openLabel: 'Use as secret',
      canSelectMany: false,
    });
    if (picked?.[0]) request.secrets.push(`id=${id},src=${picked[0].fsPath}`);
  }
  return request;
}

/**
 * Asks for the stage to build (when the Containerfile has several; stages from the language
 * server) and for the ARGs declared without a default that `request` does not set, writing the
 * answers into `request`. Shared by Build Image and Build for Multiple Architectures. Returns
 * the Containerfile's build inputs (undefined when the server gave none), false when cancelled.
 */
export async function promptStageAndBuildArgs(services: Services, containerfile: vscode.Uri, request: { target?: string; buildArgs: Record<string, string> }, command: string): Promise<BuildInputs | undefined | false> {
  const text = await readContainerfile(containerfile);
  const inputs = await services.languageClient.request<BuildInputsParams, BuildInputs>(BUILD_INPUTS_REQUEST, { uri: containerfile.toString(), text });
  const stages = stageChoices(inputs?.stages ?? []);
  if (stages.length > 0) {
    const picked = await vscode.window.showQuickPick(stages, { title: `Bootc: ${command}: stage to build`, placeHolder: 'The final stage is the bootable image; earlier stages are for debugging builds', ignoreFocusOut: true });
    if (!picked) return false;
    request.target = picked.target;
  }

  for (const name of inputs?.argsWithoutDefault ?? []) {
    if (name in request.buildArgs) continue;
    const value = await vscode.window.showInputBox({
      title: `Bootc: ${command}: build argument ${name}`,
      prompt: `The Containerfile declares ARG ${name} without a default. Leave empty to build with an empty value.`,
      password: isSecretLikeName(name),
      ignoreFocusOut: true,
    });
    if (value === undefined) return false;
    if (value !== '') request.buildArgs[name] = value;
  }
  return inputs ?? undefined;
}
