/**
 * The `bootc` task type, so builds can live in tasks.json:
 *   { "type": "bootc", "command": "build", "containerfile": "Containerfile", "tag": "localhost/my-os" }
 * Tasks run the same code as the commands and print their problems as
 * `file:line:column: severity id message` lines for the `$bootc` problem matcher.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readSettings } from './configuration';
import { executeBuild, requestForTask, type BuildOutcome } from './commands/build';
import { lintBuiltImage, type ImageLintOutcome } from './commands/lintImage';
import { pushImage, runContainer } from './podman/operations';
import { podmanFor } from './podmanSetup';
import type { Services } from './services';
import { OutputTerminal } from './terminal';

export const TASK_TYPE = 'bootc';

export interface BootcTaskDefinition extends vscode.TaskDefinition {
  command: 'build' | 'run' | 'lint-image' | 'push';
  containerfile?: string;
  tag?: string;
  context?: string;
  buildArgs?: Record<string, string>;
  target?: string;
  secrets?: string[];
  args?: string[];
  destination?: string;
}

export class BootcTaskProvider implements vscode.TaskProvider {
  constructor(private readonly services: Services) {}

  /** A build and an image lint for each Containerfile at the top of a workspace folder. */
  async provideTasks(): Promise<vscode.Task[]> {
    const tasks: vscode.Task[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      for (const name of ['Containerfile', 'Dockerfile']) {
        const uri = vscode.Uri.joinPath(folder.uri, name);
        try {
          await vscode.workspace.fs.stat(uri);
        } catch {
          continue;
        }
        for (const command of ['build', 'lint-image'] as const) {
          tasks.push(this.createTask({ type: TASK_TYPE, command, containerfile: name }, folder));
        }
        break;
      }
    }
    return tasks;
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    const definition = task.definition as BootcTaskDefinition;
    if (!['build', 'run', 'lint-image', 'push'].includes(definition.command)) return undefined;
    const folder = typeof task.scope === 'object' ? task.scope : vscode.workspace.workspaceFolders?.[0];
    return this.createTask(definition, folder, task.name);
  }

  private createTask(definition: BootcTaskDefinition, folder: vscode.WorkspaceFolder | undefined, name?: string): vscode.Task {
    const label = name ?? `${definition.command} ${definition.containerfile ?? definition.tag ?? ''}`.trim();
    const task = new vscode.Task(
      definition,
      folder ?? vscode.TaskScope.Workspace,
      label,
      TASK_TYPE,
      // VS Code passes the definition with ${workspaceFolder} and other variables substituted.
      new vscode.CustomExecution(async (resolved) => {
        const pty = new OutputTerminal();
        void pty.whenOpened().then(() => this.run({ ...definition, ...(resolved as BootcTaskDefinition) }, folder, pty));
        return pty;
      }),
      ['$bootc'],
    );
    if (definition.command === 'build') task.group = vscode.TaskGroup.Build;
    return task;
  }

  private async run(definition: BootcTaskDefinition, folder: vscode.WorkspaceFolder | undefined, pty: OutputTerminal): Promise<void> {
    try {
      pty.exit(await this.execute(definition, folder, pty));
    } catch (error) {
      pty.writeLine(error instanceof Error ? error.message : String(error), 'error');
      pty.exit(1);
    }
  }

  private async execute(definition: BootcTaskDefinition, folder: vscode.WorkspaceFolder | undefined, pty: OutputTerminal): Promise<number> {
    if (!vscode.workspace.isTrusted) throw new Error('bootc tasks run podman, which an untrusted workspace may not do. Trust the workspace first.');
    const base = folder?.uri.fsPath ?? process.cwd();
    const containerfile = vscode.Uri.file(path.resolve(base, definition.containerfile ?? 'Containerfile'));
    const settings = readSettings(containerfile);
    switch (definition.command) {
      case 'build': {
        const request = requestForTask(this.services, containerfile, settings, definition);
        const outcome = await executeBuild(this.services, request, pty, pty.signal);
        printBuildProblems(pty, containerfile, outcome);
        return outcome.state === 'succeeded' && (outcome.imageLint?.ok ?? true) ? 0 : 1;
      }
      case 'lint-image': {
        const image = definition.tag ?? this.services.state.tagFor(containerfile);
        if (!image) throw new Error(`No image to lint: set "tag" in the task, or build ${definition.containerfile ?? 'the Containerfile'} first.`);
        const outcome = await lintBuiltImage(this.services, containerfile, image, pty, pty.signal);
        printImageLint(pty, containerfile, outcome);
        return outcome.ok ? 0 : 1;
      }
      case 'run': {
        const image = definition.tag ?? this.services.state.tagFor(containerfile);
        if (!image) throw new Error('No image to run: set "tag" in the task.');
        const podman = await podmanFor(settings);
        const result = await runContainer(podman, image, definition.args ?? [settings.run.shell, '-c', 'true'], {
          extraArgs: settings.run.extraArgs,
          signal: pty.signal,
          onCommandLine: (line) => pty.writeLine(`$ ${line}`, 'info'),
          onLine: (line, stream) => pty.writeLine(line, stream),
        });
        return result.exitCode ?? 1;
      }
      case 'push': {
        const image = definition.tag ?? this.services.state.tagFor(containerfile);
        if (!image || !definition.destination) throw new Error('A push task needs "tag" (the local image) and "destination" (the registry reference).');
        const podman = await podmanFor(settings);
        const result = await pushImage(podman, image, definition.destination, { signal: pty.signal, onCommandLine: (line) => pty.writeLine(`$ ${line}`, 'info'), onLine: (line, stream) => pty.writeLine(line, stream) });
        if (!result.ok && result.error) pty.writeLine(result.error, 'error');
        return result.ok ? 0 : 1;
      }
    }
  }
}

/** `file:line:column: severity id message`, the format of the `$bootc` problem matcher (and of `bootc-lint`). */
function matcherLine(containerfile: vscode.Uri, range: vscode.Range, severity: string, id: string, message: string): string {
  return `${containerfile.fsPath}:${range.start.line + 1}:${range.start.character + 1}: ${severity} ${id} ${message.replace(/\s*\n\s*/g, ' ')}`;
}

function printBuildProblems(pty: OutputTerminal, containerfile: vscode.Uri, outcome: BuildOutcome): void {
  if (outcome.failure) pty.writeLine(matcherLine(containerfile, outcome.failure.range, 'error', 'podman-build', outcome.failure.message), 'error');
  if (outcome.imageLint) printImageLint(pty, containerfile, outcome.imageLint);
}

function printImageLint(pty: OutputTerminal, containerfile: vscode.Uri, outcome: ImageLintOutcome): void {
  for (const { finding, range } of outcome.findings) pty.writeLine(matcherLine(containerfile, range, finding.level === 'error' ? 'error' : 'warning', finding.lint, finding.message));
}
