/**
 * Bootc: Open in VM, SSH into VM, Stop VM. A built qcow2/raw disk boots in qemu (or through
 * libvirt, setting `bootc.vm.backend`) on a copy-on-write overlay, so the disk stays as built;
 * the serial console is a VS Code terminal that takes input (the login); SSH is forwarded from
 * a free port on 127.0.0.1; Stop VM presses the power button over QMP and kills qemu when the
 * guest does not power off in time.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readSettings } from '../configuration';
import { canonicalArch, hostArch } from '../disk/builder';
import { runProcess, spawnStreaming, type RunningProcess } from '../process';
import { defaultLibvirtUri, domainName, fileOwners, removeLibvirtDomain, restoreFileOwners, startLibvirtDomain, stopLibvirtDomain, virshConsoleArgs } from '../vm/libvirt';
import { QmpClient, stopVm, type StopResult } from '../vm/qmp';
import { detectAcceleration, findUefiFirmware, freePort, overlayCreateArgs, qemuArgs, qemuBinary, type Acceleration, type DiskFormat } from '../vm/qemu';
import { connectSerial, SerialLines } from '../vm/serial';
import { requireTrust, type Services } from '../services';
import { bootableDisk, nextVmId, sshArgs } from './diskPlan';

/** Options of Open in VM; given as the command's second argument they replace the prompts. */
export interface OpenVmOptions {
  /** The disk to boot (qcow2 or raw). */
  disk?: string;
  format?: DiskFormat;
  /** Guest architecture; default this machine's. */
  arch?: string;
  /** MiB; default `bootc.vm.memory`. */
  memory?: number;
  /** Default `bootc.vm.cpus`. */
  cpus?: number;
  /** Default `bootc.vm.backend`. */
  backend?: 'qemu' | 'libvirt';
  /** The user SSH into VM logs in as (e.g. the config.toml user the disk was built with). */
  sshUser?: string;
}

/** The state key of the one-time note that the VM runs under TCG. */
const TCG_NOTED = 'bootc.vm.tcgNoted';
const SSH_USER = 'bootc.vm.sshUser';

/** A running VM: its serial console as lines, and how to stop it. What Open in VM returns. */
export class RunningVm {
  readonly serial = new SerialLines();
  private readonly stopped = new vscode.EventEmitter<void>();
  readonly onDidStop = this.stopped.event;
  private stopping: Promise<StopResult> | undefined;
  private ended = false;

  constructor(
    readonly id: string,
    readonly name: string,
    readonly disk: string,
    readonly sshPort: number,
    readonly acceleration: Acceleration,
    readonly backend: 'qemu' | 'libvirt',
    private readonly stopImpl: () => Promise<StopResult>,
    /** Ends the VM at once (the window is closing: no time to wait for the guest). */
    private readonly killImpl: () => void,
    public sshUser: string | undefined,
    /** qemu's process id (qemu backend). */
    readonly pid?: number,
  ) {}

  /** Complete serial lines so far. */
  get lines(): string[] {
    return this.serial.lines;
  }

  get running(): boolean {
    return !this.ended;
  }

  /** Resolves with the first complete serial line matching `pattern` (see {@link SerialLines.waitForLine}). */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string> {
    return this.serial.waitForLine(pattern, timeoutMs);
  }

  /** Resolves once a prompt matching `pattern` is shown (`login: `, `Password: `), also without a line break. */
  waitForPrompt(pattern: RegExp, timeoutMs?: number): Promise<string> {
    return this.serial.waitForPrompt(pattern, timeoutMs);
  }

  /** Powers the VM off (gracefully, then by force); resolves once it is gone. Safe to call twice. */
  stop(): Promise<StopResult> {
    this.stopping ??= this.stopImpl().finally(() => this.markEnded('the VM was stopped'));
    return this.stopping;
  }

  /** Ends the VM at once, without waiting for the guest. */
  kill(): void {
    if (!this.ended) this.killImpl();
  }

  /** The VM ended (stopped, or qemu exited by itself). */
  markEnded(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.serial.end(reason);
    this.stopped.fire();
  }
}

/** The VMs started from this window; they end with it (killed: the window does not wait for guests). */
export class RunningVms implements vscode.Disposable {
  private readonly vms = new Map<string, RunningVm>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  add(vm: RunningVm): void {
    this.vms.set(vm.id, vm);
    vm.onDidStop(() => this.remove(vm));
    this.update();
  }

  remove(vm: RunningVm): void {
    if (this.vms.delete(vm.id)) this.update();
  }

  all(): RunningVm[] {
    return [...this.vms.values()];
  }

  ids(): string[] {
    return [...this.vms.keys()];
  }

  find(id: unknown): RunningVm | undefined {
    if (id instanceof RunningVm) return id;
    if (typeof id === 'string') return this.vms.get(id);
    return undefined;
  }

  private update(): void {
    void vscode.commands.executeCommand('setContext', 'bootc.vmRunning', this.vms.size > 0);
    this.changed.fire();
  }

  dispose(): void {
    for (const vm of this.vms.values()) vm.kill();
  }
}

/** Writes the serial console into a terminal and the keys typed there into the console. */
class SerialTerminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  readonly onDidWrite = this.writeEmitter.event;
  private pending: string[] | undefined = [];
  input: ((data: string) => void) | undefined;
  onClose: (() => void) | undefined;

  open(): void {
    for (const text of this.pending ?? []) this.writeEmitter.fire(text);
    this.pending = undefined;
  }

  close(): void {
    this.onClose?.();
  }

  handleInput(data: string): void {
    this.input?.(data);
  }

  /** Guest output as is, with lone line feeds made CRLF for the terminal. */
  write(data: string): void {
    const text = data.replace(/(?<!\r)\n/g, '\r\n');
    if (this.pending) this.pending.push(text);
    else this.writeEmitter.fire(text);
  }

  note(line: string): void {
    this.write(`\r\n\x1b[36m${line}\x1b[0m\r\n`);
  }
}

let accelerationCache: Map<string, Promise<Acceleration>> | undefined;

/** Whether hardware acceleration works for `arch`, probed once per window. */
function accelerationFor(arch: string): Promise<Acceleration> {
  accelerationCache ??= new Map();
  let probe = accelerationCache.get(arch);
  if (!probe) {
    probe = detectAcceleration({ arch });
    accelerationCache.set(arch, probe);
  }
  return probe;
}

export async function openInVmCommand(services: Services, vms: RunningVms, argument: unknown, options: OpenVmOptions = {}): Promise<RunningVm | undefined> {
  if (!requireTrust('Open in VM')) return undefined;
  const file = argument instanceof vscode.Uri ? argument.fsPath : typeof argument === 'string' ? argument : (options.disk ?? (await pickDisk()));
  if (!file) return undefined;
  const disk = bootableDisk(file);
  if (!disk) {
    void vscode.window.showErrorMessage(`${path.basename(file)} is not a disk a VM can boot: Open in VM boots .qcow2 and .raw disks.`);
    return undefined;
  }
  if (!fs.existsSync(file)) {
    void vscode.window.showErrorMessage(`${file} does not exist: create the disk image first.`);
    return undefined;
  }
  const settings = readSettings(argument instanceof vscode.Uri ? argument : undefined);
  const arch = canonicalArch(options.arch ?? hostArch()) ?? hostArch();
  const backend = options.backend ?? settings.vm.backend;
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Starting a VM from ${path.basename(file)}`, cancellable: true }, async (progress, token) => {
    const cancel = new AbortController();
    token.onCancellationRequested(() => cancel.abort());
    try {
      progress.report({ message: 'checking hardware acceleration' });
      const acceleration = await accelerationFor(arch);
      if (acceleration.accel === 'tcg') void noteTcgOnce(services, acceleration);
      services.log.info(`VM acceleration for ${arch}: ${acceleration.accel} (${acceleration.reason})`);
      const vmSettings = { memory: options.memory ?? settings.vm.memory, cpus: options.cpus ?? settings.vm.cpus, shutdownTimeout: settings.vm.shutdownTimeout };
      const id = nextVmId(vms.ids());
      const sshUser = options.sshUser ?? services.context.workspaceState.get<string>(SSH_USER);
      progress.report({ message: `booting (${acceleration.accel})` });
      const vm =
        backend === 'libvirt'
          ? await startLibvirtVm(services, id, file, options.format ?? disk.format, arch, acceleration, vmSettings, sshUser)
          : await startQemuVm(services, id, file, options.format ?? disk.format, arch, acceleration, vmSettings, sshUser, cancel.signal);
      if (!vm) return undefined;
      vms.add(vm);
      void vscode.window.showInformationMessage(`${vm.name} is booting (${acceleration.accel === 'tcg' ? 'TCG, slower' : acceleration.accel}); SSH is forwarded from 127.0.0.1:${vm.sshPort}.`, 'SSH into VM', 'Stop VM').then(async (choice) => {
        if (choice === 'SSH into VM') await sshIntoVmCommand(services, vms, vm.id);
        if (choice === 'Stop VM') await stopVmCommand(vms, vm.id);
      });
      return vm;
    } catch (error) {
      if (cancel.signal.aborted) return undefined;
      const message = error instanceof Error ? error.message : String(error);
      services.log.error(`Open in VM failed: ${message}`);
      void vscode.window.showErrorMessage(`Open in VM failed: ${message}`);
      return undefined;
    }
  });
}

async function noteTcgOnce(services: Services, acceleration: Acceleration): Promise<void> {
  if (services.context.globalState.get<boolean>(TCG_NOTED)) return;
  await services.context.globalState.update(TCG_NOTED, true);
  void vscode.window.showInformationMessage(`No hardware acceleration for VMs: ${acceleration.reason} Booting takes longer.`);
}

/** The disks under the workspace (the builder's output folders first), for the picker. */
async function pickDisk(): Promise<string | undefined> {
  const found = await vscode.workspace.findFiles('**/*.{qcow2,raw}', '**/{node_modules,.git}/**', 200);
  const rank = (uri: vscode.Uri) => (/\/(qcow2\/disk\.qcow2|image\/disk\.raw)$/.test(uri.path) ? 0 : 1);
  const items = found
    .sort((a, b) => rank(a) - rank(b) || a.fsPath.localeCompare(b.fsPath))
    .map((uri) => ({ label: path.basename(uri.fsPath), description: vscode.workspace.asRelativePath(path.dirname(uri.fsPath)), file: uri.fsPath }));
  const browse = { label: '$(folder-opened) Browse…', description: 'a disk outside the workspace', file: '' };
  const picked = await vscode.window.showQuickPick([...items, browse], { title: 'Bootc: Open in VM: disk to boot', placeHolder: items.length ? 'Disks built by Create Disk Image come first' : 'No .qcow2 or .raw disk in the workspace' });
  if (!picked) return undefined;
  if (picked.file) return picked.file;
  const chosen = await vscode.window.showOpenDialog({ title: 'Disk to boot', canSelectMany: false, filters: { 'Disk images': ['qcow2', 'raw', 'img'] } });
  return chosen?.[0]?.fsPath;
}

interface VmSettings {
  memory: number;
  cpus: number;
  shutdownTimeout: number;
}

/** A private folder for a VM's overlay, sockets and firmware variables; `mode` 0755 when libvirt's qemu user must read it. */
function vmFolder(mode = 0o700): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bootc-vm-'));
  fs.chmodSync(folder, mode);
  return folder;
}

async function createOverlay(disk: string, format: DiskFormat, overlay: string): Promise<void> {
  const created = await runProcess('qemu-img', overlayCreateArgs(disk, format, overlay));
  if (created.exitCode !== 0) throw new Error(`qemu-img could not create the overlay: ${created.stderr.trim() || `exit code ${created.exitCode}`}`);
}


async function startQemuVm(services: Services, id: string, disk: string, format: DiskFormat, arch: string, acceleration: Acceleration, settings: VmSettings, sshUser: string | undefined, signal: AbortSignal): Promise<RunningVm | undefined> {
  const folder = vmFolder();
  const cleanup = () => fs.rmSync(folder, { recursive: true, force: true });
  let qemu: RunningProcess | undefined;
  try {
    const overlay = path.join(folder, 'overlay.qcow2');
    await createOverlay(disk, format, overlay);
    let firmware: { code: string; vars?: string } | undefined;
    if (arch !== 'x86_64') {
      const found = findUefiFirmware(arch);
      if (!found) throw new Error(`No UEFI firmware for ${arch} is installed (Debian: qemu-efi-aarch64; Fedora: edk2-aarch64).`);
      firmware = { code: found.code };
      if (found.varsTemplate) {
        firmware.vars = path.join(folder, 'vars.fd');
        fs.copyFileSync(found.varsTemplate, firmware.vars);
      }
    }
    const sshPort = await freePort();
    const serialSocket = path.join(folder, 'serial.sock');
    const qmpSocket = path.join(folder, 'qmp.sock');
    const name = `${path.basename(path.dirname(disk))}/${path.basename(disk)} (${id})`;
    const args = qemuArgs({
      arch,
      disk: overlay,
      diskFormat: 'qcow2',
      memoryMiB: settings.memory,
      cpus: settings.cpus,
      sshPort,
      accel: acceleration.accel,
      firmware,
      serial: { kind: 'socket', path: serialSocket },
      qmpSocket,
      name: `bootc-${id}`,
      // Paused until the console is connected, so that no early boot output is lost.
      extraArgs: ['-S'],
    });
    const binary = qemuBinary(arch);
    services.log.info(`VM ${id}: ${binary} ${args.join(' ')}`);
    qemu = spawnStreaming(binary, args, { onLine: (line) => services.log.info(`VM ${id} qemu: ${line}`) });
    const started = qemu;
    const socket = await connectSerial(serialSocket, started, signal);
    const qmp = await QmpClient.connect(qmpSocket);
    try {
      await qmp.execute('cont');
    } finally {
      qmp.close();
    }

    const pty = new SerialTerminal();
    const vm: RunningVm = new RunningVm(
      id,
      name,
      disk,
      sshPort,
      acceleration,
      'qemu',
      async () => {
        pty.note(`Stopping the VM (power button, then kill after ${settings.shutdownTimeout} s)…`);
        return stopVm(started, qmpSocket, settings.shutdownTimeout * 1000);
      },
      () => started.kill(),
      sshUser,
      started.pid,
    );
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      pty.write(chunk);
      vm.serial.feed(chunk);
    });
    socket.on('error', () => undefined);
    pty.input = (data) => socket.writable && socket.write(data);
    // Closing the console stops the VM, so none keeps running unseen.
    pty.onClose = () => void vm.stop();
    void started.result.then(
      (result) => {
        socket.destroy();
        cleanup();
        const how = result.cancelled ? 'was stopped' : `exited (${result.signal ?? `code ${result.exitCode}`})`;
        pty.note(`The VM ${how}.`);
        vm.markEnded(`qemu ${how}`);
      },
      () => cleanup(),
    );
    const terminal = vscode.window.createTerminal({ name: `Bootc VM: ${name}`, pty, iconPath: new vscode.ThemeIcon('vm') });
    terminal.show(true);
    pty.note(`Serial console of ${disk} (an overlay keeps the disk unchanged). SSH: 127.0.0.1:${sshPort}. Closing this terminal stops the VM.`);
    return vm;
  } catch (error) {
    if (qemu) {
      qemu.kill();
      await qemu.result.catch(() => undefined);
    }
    cleanup();
    throw error;
  }
}

async function startLibvirtVm(services: Services, id: string, disk: string, format: DiskFormat, arch: string, acceleration: Acceleration, settings: VmSettings, sshUser: string | undefined): Promise<RunningVm | undefined> {
  // libvirt's qemu runs as its own user: the folder must be readable by it.
  const folder = vmFolder(0o755);
  const uri = defaultLibvirtUri();
  const name = domainName(path.basename(path.dirname(disk)), `${id}-${Date.now().toString(36)}`);
  try {
    const overlay = path.join(folder, 'overlay.qcow2');
    await createOverlay(disk, format, overlay);
    const sshPort = await freePort();
    const owners = fileOwners([disk]);
    await startLibvirtDomain({ name, disk: overlay, diskFormat: 'qcow2', memoryMiB: settings.memory, vcpus: settings.cpus, arch, accel: acceleration.accel, sshPort, uefi: arch !== 'x86_64', uri });
    services.log.info(`VM ${id}: libvirt domain ${name} (${uri})`);
    const terminal = vscode.window.createTerminal({ name: `Bootc VM: ${name}`, shellPath: 'virsh', shellArgs: virshConsoleArgs(name, uri), iconPath: new vscode.ThemeIcon('vm') });
    terminal.show(true);
    const removeFolder = () => fs.rmSync(folder, { recursive: true, force: true });
    return new RunningVm(
      id,
      name,
      disk,
      sshPort,
      acceleration,
      'libvirt',
      async () => {
        try {
          return await stopLibvirtDomain(name, uri, settings.shutdownTimeout * 1000, undefined, undefined, owners);
        } finally {
          terminal.dispose();
          removeFolder();
        }
      },
      () =>
        void removeLibvirtDomain(name, uri)
          .catch(() => undefined)
          .finally(() => {
            restoreFileOwners(owners);
            removeFolder();
          }),
      sshUser,
    );
  } catch (error) {
    fs.rmSync(folder, { recursive: true, force: true });
    throw error;
  }
}

async function pickVm(vms: RunningVms, argument: unknown, title: string): Promise<RunningVm | undefined> {
  const direct = vms.find(argument);
  if (direct) return direct;
  const all = vms.all();
  if (all.length === 0) {
    void vscode.window.showInformationMessage('No VM started from VS Code is running: use Bootc: Open in VM.');
    return undefined;
  }
  if (all.length === 1) return all[0];
  const picked = await vscode.window.showQuickPick(
    all.map((vm) => ({ label: vm.name, description: `SSH 127.0.0.1:${vm.sshPort}`, vm })),
    { title },
  );
  return picked?.vm;
}

/** A VM id, a {@link RunningVm}, or a row of the Bootc VMs view (`{ vm }`). */
function vmArgument(argument: unknown): unknown {
  return argument instanceof Object && 'vm' in argument ? (argument as { vm: unknown }).vm : argument;
}

/** Options of SSH into VM. */
export interface SshOptions {
  user?: string;
}

export async function sshIntoVmCommand(services: Services, vms: RunningVms, argument?: unknown, options: SshOptions = {}): Promise<vscode.Terminal | undefined> {
  if (!requireTrust('SSH into VM')) return undefined;
  const vm = await pickVm(vms, vmArgument(argument), 'Bootc: SSH into VM');
  if (!vm) return undefined;
  let user = options.user ?? vm.sshUser;
  if (!user) {
    user = (
      await vscode.window.showInputBox({
        title: `Bootc: SSH into ${vm.name}`,
        prompt: 'The user to log in as (a user of the disk\'s config.toml, with your SSH key)',
        value: services.context.workspaceState.get<string>(SSH_USER) ?? 'root',
        validateInput: (value) => (/^[a-z_][a-z0-9_.-]*$/i.test(value.trim()) ? undefined : 'A user name: letters, digits, "_", "." and "-".'),
        ignoreFocusOut: true,
      })
    )?.trim();
    if (!user) return undefined;
    await services.context.workspaceState.update(SSH_USER, user);
  }
  vm.sshUser = user;
  const terminal = vscode.window.createTerminal({ name: `Bootc SSH: ${user}@${vm.name}`, shellPath: 'ssh', shellArgs: sshArgs(vm.sshPort, user), iconPath: new vscode.ThemeIcon('remote') });
  terminal.show();
  return terminal;
}

export async function stopVmCommand(vms: RunningVms, argument?: unknown): Promise<StopResult | undefined> {
  const vm = await pickVm(vms, vmArgument(argument), 'Bootc: Stop VM');
  if (!vm) return undefined;
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Stopping ${vm.name}` }, () => vm.stop());
  vms.remove(vm);
  if (!result.graceful) void vscode.window.showInformationMessage(`${vm.name} was killed: ${result.reason ?? 'it did not power off'}.`);
  return result;
}
