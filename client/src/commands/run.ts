/**
 * Bootc: Run Image as Container, as an interactive shell in a terminal or booted with
 * systemd (`/sbin/init`, detached) with its logs followed; Bootc: Stop Container.
 */
import * as vscode from 'vscode';
import type { RunMode } from '../../../server/src/settings';
import { readSettings } from '../configuration';
import { runArgs, systemdRunArgs, logsArgs, stopArgs } from '../podman/commands';
import { podmanFor, type Podman } from '../podmanSetup';
import { runPodman, spawnPodman } from '../podman/tool';
import type { RunningProcess } from '../process';
import { requireTrust, showCommandError, type Services } from '../services';
import { OutputTerminal, showOutputTerminal } from '../terminal';
import { pickImage } from './images';

export interface RunOptions {
  mode?: Exclude<RunMode, 'ask'>;
  /** For `shell`: the command to run instead of the `bootc.run.shell` shell. */
  command?: string[];
}

/** A container booted with systemd whose logs are being followed. */
export class BootedContainer {
  readonly lines: string[] = [];
  private readonly lineListeners = new Set<(line: string) => void>();
  private logs: RunningProcess | undefined;
  stopped = false;

  constructor(
    readonly id: string,
    readonly image: string,
    private readonly podman: Podman,
    readonly pty: OutputTerminal,
  ) {}

  followLogs(): void {
    this.logs = spawnPodman(this.podman, logsArgs(this.id), {
      onLine: (line) => {
        this.lines.push(line);
        this.pty.writeLine(line);
        for (const listener of this.lineListeners) listener(line);
      },
    });
    void this.logs.result.then(() => this.pty.writeLine('(log ended)', 'info'), () => undefined);
  }

  /** Resolves with the first log line matching `pattern` (already printed or still to come). */
  waitForLine(pattern: RegExp, timeoutMs = 60_000): Promise<string> {
    const seen = this.lines.find((line) => pattern.test(line));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.lineListeners.delete(listener);
        reject(new Error(`no log line matched ${pattern} within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (line: string) => {
        if (!pattern.test(line)) return;
        clearTimeout(timer);
        this.lineListeners.delete(listener);
        resolve(line);
      };
      this.lineListeners.add(listener);
    });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.pty.writeLine(`Stopping container ${this.id.slice(0, 12)}…`, 'info');
    const result = await runPodman(this.podman, stopArgs(this.id));
    this.logs?.kill();
    if (result.exitCode === 0) this.pty.writeLine('Container stopped and removed.', 'success');
    else this.pty.writeLine(`podman stop failed: ${result.stderr.trim()}`, 'error');
  }
}

export class RunningContainers implements vscode.Disposable {
  private readonly containers = new Map<string, BootedContainer>();

  add(container: BootedContainer): void {
    this.containers.set(container.id, container);
    void this.updateContext();
  }

  remove(container: BootedContainer): void {
    this.containers.delete(container.id);
    void this.updateContext();
  }

  all(): BootedContainer[] {
    return [...this.containers.values()];
  }

  private updateContext(): Thenable<unknown> {
    return vscode.commands.executeCommand('setContext', 'bootc.containerRunning', this.containers.size > 0);
  }

  /** Containers started from VS Code stop with it, so none keeps running unseen. */
  dispose(): void {
    for (const container of this.containers.values()) void container.stop();
  }
}

export async function runImageCommand(services: Services, running: RunningContainers, argument: unknown, options: RunOptions = {}): Promise<BootedContainer | vscode.Terminal | undefined> {
  if (!requireTrust('Run Image as Container')) return undefined;
  const containerfile = argument instanceof vscode.Uri ? argument : undefined;
  const image = typeof argument === 'string' ? argument : await pickImage(services, containerfile, 'Run Image as Container: image');
  if (!image) return undefined;
  const settings = readSettings(containerfile);
  let mode = options.mode ?? (settings.run.mode === 'ask' ? undefined : settings.run.mode);
  if (!mode) {
    const picked = await vscode.window.showQuickPick(
      [
        { label: '$(terminal) Interactive shell', detail: `podman run -it --rm ${image} ${settings.run.shell}: look around the image's filesystem`, mode: 'shell' as const },
        { label: '$(vm) Boot with systemd', detail: `podman run -d ${image} /sbin/init: start its services as the installed system would, and follow the logs`, mode: 'systemd' as const },
      ],
      { title: `Bootc: Run ${image}` },
    );
    if (!picked) return undefined;
    mode = picked.mode;
  }
  try {
    const podman = await podmanFor(settings);
    if (mode === 'shell') {
      const terminal = vscode.window.createTerminal({
        name: `Bootc: ${image}`,
        shellPath: podman.path,
        shellArgs: [...podman.globalArgs, ...runArgs(image, options.command ?? [settings.run.shell], settings.run.extraArgs, { interactive: true })],
        env: podman.env,
        iconPath: new vscode.ThemeIcon('terminal'),
      });
      terminal.show();
      return terminal;
    }
    return await bootContainer(services, running, podman, image, settings.run.extraArgs);
  } catch (error) {
    await showCommandError('Run Image as Container', error);
    return undefined;
  }
}

async function bootContainer(services: Services, running: RunningContainers, podman: Podman, image: string, extraArgs: string[]): Promise<BootedContainer | undefined> {
  const pty = new OutputTerminal();
  showOutputTerminal(`Bootc: ${image} (systemd)`, pty);
  const started = await runPodman(podman, systemdRunArgs(image, extraArgs), { onLine: (line, stream) => stream === 'stderr' && pty.writeLine(line, 'stderr') });
  pty.writeLine(`$ ${started.commandLine}`, 'info');
  const id = started.stdout.trim().split('\n').pop() ?? '';
  if (started.exitCode !== 0 || !/^[0-9a-f]{12,64}$/.test(id)) {
    const reason = started.stderr.trim().split('\n').pop() ?? `exit code ${started.exitCode}`;
    pty.writeLine(`The container did not start: ${reason}`, 'error');
    void vscode.window.showErrorMessage(`${image} did not start with /sbin/init: ${reason}`);
    return undefined;
  }
  const container = new BootedContainer(id, image, podman, pty);
  pty.writeLine(`Container ${id.slice(0, 12)} is booting. Closing this terminal (or Bootc: Stop Container) stops it.`, 'info');
  pty.signal.addEventListener('abort', () => void container.stop().finally(() => running.remove(container)));
  running.add(container);
  container.followLogs();
  void vscode.window.showInformationMessage(`${image} is booting in container ${id.slice(0, 12)}.`, 'Stop', 'Open Shell').then(async (choice) => {
    if (choice === 'Stop') await stopContainer(running, container);
    if (choice === 'Open Shell') {
      const terminal = vscode.window.createTerminal({ name: `Bootc: shell in ${id.slice(0, 12)}`, shellPath: podman.path, shellArgs: [...podman.globalArgs, 'exec', '-it', id, '/bin/sh', '-c', 'exec bash 2>/dev/null || exec sh'], env: podman.env });
      terminal.show();
    }
  });
  void services.log.info(`booted ${image} as container ${id}`);
  return container;
}

async function stopContainer(running: RunningContainers, container: BootedContainer): Promise<void> {
  await container.stop();
  running.remove(container);
}

export async function stopContainerCommand(running: RunningContainers, argument?: unknown): Promise<void> {
  const containers = running.all();
  let container = containers.find((candidate) => candidate.id === argument);
  if (!container && containers.length === 1) container = containers[0];
  if (!container && containers.length > 1) {
    const picked = await vscode.window.showQuickPick(containers.map((candidate) => ({ label: candidate.image, description: candidate.id.slice(0, 12), candidate })), { title: 'Bootc: Stop Container' });
    container = picked?.candidate;
  }
  if (!container) {
    if (containers.length === 0) void vscode.window.showInformationMessage('No container started from VS Code is running.');
    return;
  }
  await stopContainer(running, container);
}
