/**
 * The VS Code side of vscode-bootc: the bootc language server for Dockerfile/Containerfile
 * documents (started lazily), and the commands, tasks and status bar that drive podman.
 */
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { buildImageCommand, type BuildOptions } from './commands/build';
import { buildMultiArchCommand, manageFarmsCommand, type ManageFarmsOptions, type MultiArchBuildOptions } from './commands/farm';
import { createConfigCommand, createDiskImageCommand, createKickstartCommand, type ConfigFileOptions, type DiskImageOptions, type KickstartFileOptions } from './commands/disk';
import { lintImageCommand } from './commands/lintImage';
import { newProjectCommand, newProjectOptions } from './commands/newProject';
import { pushImageCommand } from './commands/push';
import { runImageCommand, RunningContainers, stopContainerCommand, type RunOptions } from './commands/run';
import { openInVmCommand, RunningVms, sshIntoVmCommand, stopVmCommand, type OpenVmOptions, type SshOptions } from './commands/vm';
import { ImageProblems } from './imageProblems';
import { BootcLanguageClient } from './languageClient';
import type { Services } from './services';
import { RememberedState } from './state';
import { createBuildStatusItem } from './statusBar';
import { BootcTaskProvider, TASK_TYPE } from './tasks';
import { VM_VIEW_ID, VmTreeProvider } from './vmView';

/** Must match SHOW_DOCUMENTATION_COMMAND in server/src/lsp/codeActions.ts (kept apart so the client does not bundle server code). */
const SHOW_DOCUMENTATION_COMMAND = 'bootc.showRuleDocumentation';

/** What `activate` returns to other extensions and to the end-to-end tests. */
export interface BootcExtensionApi {
  /** How long `activate` took, in milliseconds (the benchmark reports it). */
  activationMs: number;
  /** Starts the language server if no Containerfile started it yet. */
  languageServerReady(): Promise<void>;
}

let languageClient: BootcLanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): BootcExtensionApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Bootc', { log: true });
  languageClient = new BootcLanguageClient(context, log);
  const state = new RememberedState(context.workspaceState);
  const problems = new ImageProblems();
  const running = new RunningContainers();
  const vms = new RunningVms();
  const services: Services = { context, log, languageClient, state, problems };
  void vscode.commands.executeCommand('setContext', 'bootc.hasBuilt', state.lastBuild !== undefined);

  context.subscriptions.push(
    log,
    languageClient,
    problems,
    running,
    vms,
    vscode.window.registerTreeDataProvider(VM_VIEW_ID, new VmTreeProvider(vms)),
    createBuildStatusItem(state),
    vscode.tasks.registerTaskProvider(TASK_TYPE, new BootcTaskProvider(services)),
    // (uri, selected uris) from menus; (uri | undefined, options) from other callers.
    vscode.commands.registerCommand('bootc.buildImage', (argument?: unknown, options?: unknown) => buildImageCommand(services, argument, isOptions(options) ? (options as BuildOptions) : undefined)),
    vscode.commands.registerCommand('bootc.runImage', (argument?: unknown, options?: unknown) => runImageCommand(services, running, argument, isOptions(options) ? (options as RunOptions) : {})),
    vscode.commands.registerCommand('bootc.stopContainer', (id?: unknown) => stopContainerCommand(running, id)),
    vscode.commands.registerCommand('bootc.pushImage', (argument?: unknown, destination?: unknown) => pushImageCommand(services, argument, typeof destination === 'string' ? destination : undefined)),
    vscode.commands.registerCommand('bootc.lintImage', (argument?: unknown, image?: unknown) => lintImageCommand(services, argument, typeof image === 'string' ? image : undefined)),
    vscode.commands.registerCommand('bootc.showLastBuild', () => showLastBuild(state)),
    vscode.commands.registerCommand('bootc.newProject', (options?: unknown) => newProjectCommand(services, newProjectOptions(options))),
    vscode.commands.registerCommand('bootc.buildMultiArch', (argument?: unknown, options?: unknown) => buildMultiArchCommand(services, argument, isOptions(options) ? (options as MultiArchBuildOptions) : undefined)),
    vscode.commands.registerCommand('bootc.manageFarms', (options?: unknown) => manageFarmsCommand(services, isOptions(options) ? (options as ManageFarmsOptions) : undefined)),
    vscode.commands.registerCommand('bootc.createDiskImage', (argument?: unknown, options?: unknown) => createDiskImageCommand(services, argument, isOptions(options) ? (options as DiskImageOptions) : undefined)),
    vscode.commands.registerCommand('bootc.createConfig', (argument?: unknown, options?: unknown) => createConfigCommand(argument, isOptions(options) ? (options as ConfigFileOptions) : undefined)),
    vscode.commands.registerCommand('bootc.createKickstart', (argument?: unknown, options?: unknown) => createKickstartCommand(services, argument, isOptions(options) ? (options as KickstartFileOptions) : undefined)),
    vscode.commands.registerCommand('bootc.openInVm', (argument?: unknown, options?: unknown) => openInVmCommand(services, vms, argument, isOptions(options) ? (options as OpenVmOptions) : {})),
    vscode.commands.registerCommand('bootc.sshIntoVm', (argument?: unknown, options?: unknown) => sshIntoVmCommand(services, vms, argument, isOptions(options) ? (options as SshOptions) : {})),
    vscode.commands.registerCommand('bootc.stopVm', (argument?: unknown) => stopVmCommand(vms, argument)),
    vscode.commands.registerCommand(SHOW_DOCUMENTATION_COMMAND, async (href: unknown) => {
      if (typeof href !== 'string') return;
      const uri = vscode.Uri.parse(href);
      // The rule pages are Markdown files inside the extension: show them rendered.
      if (uri.scheme === 'file' && uri.path.endsWith('.md')) await vscode.commands.executeCommand('markdown.showPreview', uri);
      else await vscode.env.openExternal(uri);
    }),
  );

  const client = languageClient;
  const activationMs = performance.now() - started;
  log.info(`bootc activated in ${activationMs.toFixed(1)} ms`);
  return { activationMs, languageServerReady: async () => void (await client.start()) };
}

function isOptions(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof vscode.Uri);
}

async function showLastBuild(state: RememberedState): Promise<void> {
  const build = state.lastBuild;
  if (!build) return;
  const terminal = vscode.window.terminals.find((candidate) => candidate.name === `Bootc Build: ${build.image}`);
  if (terminal) terminal.show();
  else await vscode.window.showTextDocument(vscode.Uri.parse(build.containerfile));
}

export async function deactivate(): Promise<void> {
  await languageClient?.stop();
  languageClient = undefined;
}
