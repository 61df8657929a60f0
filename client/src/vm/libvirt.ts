/**
 * Booting a built disk through libvirt instead of plain qemu (`bootc.vm.backend: libvirt`):
 * `virt-install --import` of the disk (an overlay of it, as with qemu) and the `virsh` commands
 * that start, stop and remove the domain: their argument arrays, and {@link startLibvirtDomain}
 * and {@link stopLibvirtDomain}, which run them. No `vscode` import.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { canonicalArch } from '../disk/builder';
import { runProcess, type ProcessResult } from '../process';
import type { Accelerator, DiskFormat } from './qemu';
import type { StopResult } from './qmp';

/** The libvirt connection: the system daemon when running as root, else the user's session. */
export function defaultLibvirtUri(uid: number | undefined = process.getuid?.()): string {
  return uid === 0 ? 'qemu:///system' : 'qemu:///session';
}

export interface VirtInstallOptions {
  /** The domain name; see {@link domainName}. */
  name: string;
  /** The disk to import (an overlay of the built disk). */
  disk: string;
  diskFormat: DiskFormat;
  memoryMiB?: number;
  vcpus?: number;
  arch?: string;
  /** `kvm` or plain emulation (`qemu`, libvirt's name for TCG). */
  accel: Accelerator;
  /** The host port on 127.0.0.1 forwarded to the guest's SSH port, through user networking. */
  sshPort?: number;
  /** Boot with UEFI (`--boot uefi`) instead of the machine's BIOS. */
  uefi?: boolean;
  uri?: string;
}

/** A libvirt domain name for an image: `bootc-<image name>-<suffix>`, letters, digits, "-" and "_". */
export function domainName(image: string, suffix: string): string {
  const base = image.replace(/[:@].*$/, '').split('/').pop() ?? 'vm';
  return `bootc-${base}-${suffix}`.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 60);
}

/**
 * `virt-install --import` arguments: serial console on a pty (`virsh console`), no graphics,
 * returns once the domain is defined and started (`--noautoconsole`). The OS is detected from
 * the disk when libosinfo knows it, without failing when not (`--osinfo detect=on,require=off`).
 * The network is libvirt's user network (`--network user`, a virtio NIC); the SSH port is
 * forwarded once the domain runs, by {@link hostForwardArgs}. (libvirt has no port forwards on
 * the user network before 9 with passt; a `-netdev`/`-device` pair passed through
 * `--qemu-commandline` is created before libvirt's own devices and takes the PCI slot libvirt
 * has given to the disk or USB controller, so qemu refuses to start.)
 */
export function virtInstallArgs(options: VirtInstallOptions): string[] {
  if (!/^[A-Za-z0-9_-]+$/.test(options.name)) throw new Error(`"${options.name}" is not a domain name: letters, digits, "_" and "-".`);
  const args = ['--connect', options.uri ?? defaultLibvirtUri(), '--name', options.name];
  args.push('--memory', String(options.memoryMiB ?? 2048), '--vcpus', String(options.vcpus ?? 2));
  if (options.arch) {
    const arch = canonicalArch(options.arch);
    if (!arch) throw new Error(`Unknown architecture "${options.arch}".`);
    args.push('--arch', arch);
  }
  args.push('--virt-type', options.accel === 'kvm' ? 'kvm' : 'qemu');
  args.push('--import', '--disk', `path=${path.resolve(options.disk).replace(/,/g, ',,')},format=${options.diskFormat},bus=virtio`);
  args.push('--osinfo', 'detect=on,require=off');
  if (options.uefi) args.push('--boot', 'uefi');
  args.push('--graphics', 'none', '--console', 'pty,target_type=serial');
  if (options.sshPort !== undefined) checkPort(options.sshPort);
  args.push('--network', 'user,model=virtio');
  args.push('--noautoconsole');
  return args;
}

function checkPort(port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`The SSH port ${port} is not a port number.`);
}

/** The id libvirt gives the netdev of a domain's first network interface. */
export const LIBVIRT_NETDEV = 'hostnet0';

/**
 * `virsh qemu-monitor-command NAME --hmp 'hostfwd_add …'`: forwards 127.0.0.1:`sshPort` to the
 * guest's port 22 on the running domain's user network (libvirt marks the domain "tainted").
 */
export function hostForwardArgs(name: string, sshPort: number, uri?: string): string[] {
  checkPort(sshPort);
  return [...connect(uri), 'qemu-monitor-command', name, '--hmp', `hostfwd_add ${LIBVIRT_NETDEV} tcp:127.0.0.1:${sshPort}-:22`];
}

const connect = (uri: string | undefined) => ['--connect', uri ?? defaultLibvirtUri()];

/** `virsh start NAME`: boots a defined domain. */
export function virshStartArgs(name: string, uri?: string): string[] {
  return [...connect(uri), 'start', name];
}

/** `virsh shutdown NAME`: the graceful power-off (ACPI). */
export function virshShutdownArgs(name: string, uri?: string): string[] {
  return [...connect(uri), 'shutdown', name];
}

/** `virsh destroy NAME`: pulls the plug (after a shutdown that did not finish). */
export function virshDestroyArgs(name: string, uri?: string): string[] {
  return [...connect(uri), 'destroy', name];
}

/** `virsh undefine NAME --nvram`: removes the domain (and its UEFI variable store); the disk stays. */
export function virshUndefineArgs(name: string, uri?: string): string[] {
  return [...connect(uri), 'undefine', name, '--nvram'];
}

/** `virsh domstate NAME`: prints `running`, `shut off`... */
export function virshStateArgs(name: string, uri?: string): string[] {
  return [...connect(uri), 'domstate', name];
}

/** `virsh console NAME`: the serial console, for a terminal. */
export function virshConsoleArgs(name: string, uri?: string): string[] {
  return [...connect(uri), 'console', name];
}

/** Runs a command to its end; {@link runProcess} unless a test passes another. */
export type CommandRunner = (command: string, args: string[]) => Promise<Pick<ProcessResult, 'exitCode' | 'stdout' | 'stderr'>>;

const runCommand: CommandRunner = (command, args) => runProcess(command, args);

function failure(command: string, result: { exitCode: number | null; stderr: string; stdout: string }): Error {
  const text = result.stderr.trim() || result.stdout.trim();
  return new Error(`${command} failed: ${text.split('\n').slice(-3).join(' ') || `exit code ${result.exitCode}`}`);
}

/**
 * Defines and starts the domain (`virt-install --import`, returning once it runs) and forwards
 * its SSH port. On a failure, whatever was defined is destroyed and undefined before the error
 * is thrown.
 */
export async function startLibvirtDomain(options: VirtInstallOptions & { sshPort: number }, run: CommandRunner = runCommand): Promise<void> {
  const uri = options.uri ?? defaultLibvirtUri();
  try {
    const installed = await run('virt-install', virtInstallArgs({ ...options, uri }));
    if (installed.exitCode !== 0) throw failure('virt-install', installed);
    const forwarded = await run('virsh', hostForwardArgs(options.name, options.sshPort, uri));
    // The HMP command prints its error and still exits 0.
    if (forwarded.exitCode !== 0 || forwarded.stdout.trim() !== '') throw failure('Forwarding the SSH port', forwarded);
  } catch (error) {
    await removeLibvirtDomain(options.name, uri, run);
    throw error;
  }
}

/** `virsh destroy` (when it runs) and `virsh undefine`: no domain is left, whatever its state. */
export async function removeLibvirtDomain(name: string, uri: string | undefined, run: CommandRunner = runCommand): Promise<void> {
  await run('virsh', virshDestroyArgs(name, uri)).catch(() => undefined);
  const undefined_ = await run('virsh', virshUndefineArgs(name, uri));
  if (undefined_.exitCode !== 0 && !/failed to get domain|Domain not found/i.test(undefined_.stderr)) throw failure('virsh undefine', undefined_);
}

/** A file's owner, to put back after libvirt. */
export interface FileOwner {
  path: string;
  uid: number;
  gid: number;
}

/**
 * The owners of `files` (the built disk), read before the domain starts: the system daemon gives
 * every image of the disk chain to its qemu user (dynamic_ownership) and does not give the
 * backing file back when the domain goes (found booting it for real: the built disk was left
 * owned by libvirt-qemu).
 */
export function fileOwners(files: string[]): FileOwner[] {
  return files.map((file) => {
    const stat = fs.statSync(file);
    return { path: file, uid: stat.uid, gid: stat.gid };
  });
}

/** Gives each file back to its owner when libvirt changed it (only root can; others are left as they are). */
export function restoreFileOwners(owners: FileOwner[]): void {
  for (const owner of owners) {
    try {
      const stat = fs.statSync(owner.path);
      if (stat.uid !== owner.uid || stat.gid !== owner.gid) fs.chownSync(owner.path, owner.uid, owner.gid);
    } catch {
      // Gone, or not ours to change.
    }
  }
}

/**
 * Stop VM for libvirt: `virsh shutdown` (ACPI power button), polled with `virsh domstate` until
 * `shut off` or `timeoutMs`, then `virsh destroy` if it still runs, and `virsh undefine` always;
 * then `owners` (see {@link fileOwners}) get their files back.
 */
export async function stopLibvirtDomain(name: string, uri: string | undefined, timeoutMs: number, run: CommandRunner = runCommand, pollMs = 500, owners: FileOwner[] = []): Promise<StopResult> {
  let graceful = false;
  const shutdown = await run('virsh', virshShutdownArgs(name, uri));
  if (shutdown.exitCode === 0) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if ((await run('virsh', virshStateArgs(name, uri))).stdout.trim() === 'shut off') {
        graceful = true;
        break;
      }
      if (Date.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }
  try {
    await removeLibvirtDomain(name, uri, run);
  } finally {
    restoreFileOwners(owners);
  }
  return graceful ? { graceful } : { graceful, reason: shutdown.exitCode === 0 ? `the guest did not power off within ${Math.round(timeoutMs / 1000)} s` : `virsh shutdown failed: ${shutdown.stderr.trim()}` };
}
