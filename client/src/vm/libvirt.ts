/**
 * Booting a built disk through libvirt instead of plain qemu (`bootc.vm.backend: libvirt`):
 * `virt-install --import` of the disk (an overlay of it, as with qemu) and the `virsh` commands
 * that start, stop and remove the domain. Argument arrays only. No `vscode` import.
 */
import * as path from 'node:path';
import { canonicalArch } from '../disk/builder';
import type { Accelerator, DiskFormat } from './qemu';

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
 * SSH forwarding: libvirt's own user networking has no port forwards before libvirt 9 with
 * passt, so the network is qemu's user network with `hostfwd`, passed through
 * `--qemu-commandline` (virt-install splits that value itself; it is one argument here).
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
  if (options.sshPort !== undefined) {
    if (!Number.isInteger(options.sshPort) || options.sshPort < 1 || options.sshPort > 65535) throw new Error(`The SSH port ${options.sshPort} is not a port number.`);
    args.push('--network', 'none');
    args.push('--qemu-commandline', `-netdev user,id=bootcnet,hostfwd=tcp:127.0.0.1:${options.sshPort}-:22 -device virtio-net-pci,netdev=bootcnet`);
  } else {
    args.push('--network', 'user');
  }
  args.push('--noautoconsole');
  return args;
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
