/**
 * Booting a built disk with plain qemu: the command line (architecture → qemu-system-<arch>,
 * machine, acceleration, firmware, a copy-on-write overlay so the built disk stays pristine,
 * user networking with SSH forwarded from 127.0.0.1, the serial console for a terminal, a QMP
 * socket to power off), a free port, and whether hardware acceleration really works here.
 * No `vscode` import.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { canonicalArch, hostArch } from '../disk/builder';

export type Accelerator = 'kvm' | 'hvf' | 'tcg';

export interface Acceleration {
  accel: Accelerator;
  /** Why this one: shown to the user, e.g. why TCG (and that it is slower). */
  reason: string;
}

export type DiskFormat = 'qcow2' | 'raw';

/** UEFI firmware: the code (read-only) and a template of the variable store, copied per VM. */
export interface UefiFirmware {
  code: string;
  varsTemplate?: string;
}

export interface QemuVmOptions {
  /** Guest architecture (`x86_64`/`amd64`, `aarch64`/`arm64`, `s390x`, `ppc64le`, `riscv64`). */
  arch: string;
  /** The disk qemu writes to: the overlay from {@link overlayCreateArgs}. */
  disk: string;
  diskFormat: DiskFormat;
  memoryMiB?: number;
  cpus?: number;
  /** The host port on 127.0.0.1 forwarded to the guest's port 22. */
  sshPort: number;
  accel: Accelerator;
  /** UEFI firmware (`-drive if=pflash`); without it the machine's BIOS boots (x86 only). */
  firmware?: { code: string; vars?: string };
  /** The serial console: qemu's stdin/stdout (for a pseudoterminal) or a unix socket qemu listens on. */
  serial: { kind: 'stdio' } | { kind: 'socket'; path: string };
  /** The unix socket qemu listens on for QMP (graceful power-off). */
  qmpSocket: string;
  /** `-name`, shown in process lists. */
  name?: string;
  /** More qemu options, appended. */
  extraArgs?: readonly string[];
}

/** `qemu-system-<arch>` for a guest architecture; throws on an unknown one. */
export function qemuBinary(arch: string): string {
  const canonical = canonicalArch(arch);
  if (!canonical) throw new Error(`Unknown architecture "${arch}".`);
  return `qemu-system-${canonical === 'ppc64le' ? 'ppc64' : canonical}`;
}

/** The machine type for an architecture (q35 on x86, virt on ARM and RISC-V). */
export function machineType(arch: string): string {
  switch (canonicalArch(arch)) {
    case 'x86_64':
      return 'q35';
    case 'aarch64':
    case 'riscv64':
      return 'virt';
    case 's390x':
      return 's390-ccw-virtio';
    case 'ppc64le':
      return 'pseries';
    default:
      throw new Error(`Unknown architecture "${arch}".`);
  }
}

/** The virtio network device of the machine (s390x has no PCI by default). */
function netDevice(arch: string): string {
  return canonicalArch(arch) === 's390x' ? 'virtio-net-ccw' : 'virtio-net-pci';
}

/**
 * The qemu arguments (without the binary, see {@link qemuBinary}). Hardware acceleration uses
 * the host CPU; TCG uses `max`, which emulates the x86-64-v2/v3 features current RHEL and
 * CentOS kernels require (qemu's default model lacks them).
 */
export function qemuArgs(options: QemuVmOptions): string[] {
  const memory = options.memoryMiB ?? 2048;
  const cpus = options.cpus ?? 2;
  if (!Number.isInteger(options.sshPort) || options.sshPort < 1 || options.sshPort > 65535) throw new Error(`The SSH port ${options.sshPort} is not a port number.`);
  if (!Number.isInteger(memory) || memory < 128) throw new Error(`${memory} MiB of memory is too little for a VM (at least 128).`);
  if (!Number.isInteger(cpus) || cpus < 1) throw new Error(`${cpus} is not a number of CPUs.`);
  const args: string[] = [];
  if (options.name) args.push('-name', options.name);
  args.push('-machine', machineType(options.arch));
  args.push('-accel', options.accel === 'tcg' ? 'tcg,thread=multi' : options.accel);
  args.push('-cpu', options.accel === 'tcg' ? 'max' : 'host');
  args.push('-m', String(memory), '-smp', String(cpus));
  args.push('-nodefaults', '-display', 'none');
  if (options.firmware) {
    args.push('-drive', `if=pflash,format=raw,unit=0,readonly=on,file=${driveValue(options.firmware.code)}`);
    if (options.firmware.vars) args.push('-drive', `if=pflash,format=raw,unit=1,file=${driveValue(options.firmware.vars)}`);
  }
  args.push('-drive', `file=${driveValue(options.disk)},format=${options.diskFormat},if=virtio`);
  args.push('-netdev', `user,id=net0,hostfwd=tcp:127.0.0.1:${options.sshPort}-:22`, '-device', `${netDevice(options.arch)},netdev=net0`);
  if (options.serial.kind === 'stdio') {
    args.push('-chardev', 'stdio,id=serial0,signal=off', '-serial', 'chardev:serial0');
  } else {
    args.push('-chardev', `socket,id=serial0,path=${optionValue(options.serial.path)},server=on,wait=off`, '-serial', 'chardev:serial0');
  }
  args.push('-qmp', `unix:${optionValue(options.qmpSocket)},server=on,wait=off`);
  args.push(...(options.extraArgs ?? []));
  return args;
}

/** A path inside a qemu option list, where "," is doubled to stay part of the value. */
function optionValue(value: string): string {
  return value.replace(/,/g, ',,');
}

function driveValue(file: string): string {
  return optionValue(file);
}

/**
 * `qemu-img create -f qcow2 -F FORMAT -b DISK OVERLAY`: a copy-on-write overlay on the built
 * disk (absolute, as qemu-img resolves a relative backing file against the overlay's folder).
 */
export function overlayCreateArgs(disk: string, format: DiskFormat, overlay: string): string[] {
  return ['create', '-f', 'qcow2', '-F', format, '-b', path.resolve(disk), overlay];
}

/** The disk format from its name (`disk.qcow2`, `disk.raw`, `*.img`); undefined when the name does not say. */
export function diskFormatFromName(file: string): DiskFormat | undefined {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.qcow2') return 'qcow2';
  if (extension === '.raw' || extension === '.img') return 'raw';
  return undefined;
}

/** `qemu-img info --output=json DISK` and its `format` field (what qemu thinks the file is). */
export function diskInfoArgs(disk: string): string[] {
  return ['info', '--output=json', disk];
}

export function parseDiskInfo(output: string): { format: string; virtualSize?: number; backingFile?: string } {
  const info = JSON.parse(output) as Record<string, unknown>;
  if (typeof info.format !== 'string') throw new Error('qemu-img info printed no format.');
  const result: { format: string; virtualSize?: number; backingFile?: string } = { format: info.format };
  if (typeof info['virtual-size'] === 'number') result.virtualSize = info['virtual-size'];
  if (typeof info['backing-filename'] === 'string') result.backingFile = info['backing-filename'];
  return result;
}

/** A TCP port on 127.0.0.1 free right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('No free port.'))));
    });
  });
}

/**
 * UEFI firmware for an architecture from the usual places (Debian/Ubuntu `ovmf`/`qemu-efi-aarch64`,
 * Fedora `edk2-ovmf`/`edk2-aarch64`, Arch, Homebrew and qemu's own share folder); undefined when
 * none is installed. `exists` is for the tests.
 */
export function findUefiFirmware(arch: string, exists: (file: string) => boolean = fs.existsSync): UefiFirmware | undefined {
  const shares = ['/usr/share/qemu', '/opt/homebrew/share/qemu', '/usr/local/share/qemu'];
  const candidates: [string, string | undefined][] =
    canonicalArch(arch) === 'aarch64'
      ? [
          ['/usr/share/AAVMF/AAVMF_CODE.fd', '/usr/share/AAVMF/AAVMF_VARS.fd'],
          ['/usr/share/edk2/aarch64/QEMU_EFI-pflash.raw', '/usr/share/edk2/aarch64/vars-template-pflash.raw'],
          ['/usr/share/edk2/aarch64/QEMU_EFI-silent-pflash.raw', '/usr/share/edk2/aarch64/vars-template-pflash.raw'],
          ...shares.map((share): [string, string] => [`${share}/edk2-aarch64-code.fd`, `${share}/edk2-arm-vars.fd`]),
        ]
      : canonicalArch(arch) === 'x86_64'
        ? [
            ['/usr/share/OVMF/OVMF_CODE_4M.fd', '/usr/share/OVMF/OVMF_VARS_4M.fd'],
            ['/usr/share/OVMF/OVMF_CODE.fd', '/usr/share/OVMF/OVMF_VARS.fd'],
            ['/usr/share/edk2/ovmf/OVMF_CODE.fd', '/usr/share/edk2/ovmf/OVMF_VARS.fd'],
            ['/usr/share/edk2/x64/OVMF_CODE.4m.fd', '/usr/share/edk2/x64/OVMF_VARS.4m.fd'],
            ['/usr/share/edk2-ovmf/x64/OVMF_CODE.fd', '/usr/share/edk2-ovmf/x64/OVMF_VARS.fd'],
            ...shares.map((share): [string, string] => [`${share}/edk2-x86_64-code.fd`, `${share}/edk2-i386-vars.fd`]),
          ]
        : [];
  for (const [code, vars] of candidates) {
    if (!exists(code)) continue;
    const firmware: UefiFirmware = { code };
    if (vars && exists(vars)) firmware.varsTemplate = vars;
    return firmware;
  }
  return undefined;
}

/**
 * A boot sector that writes {@link PROBE_MARKER} to the first serial port and halts: 16-bit
 * code the BIOS runs at 0x7c00 (`xor ax,ax; mov ds,ax; cld; mov dx,0x3f8; mov si,msg;
 * lodsb; test al,al; jz +3; out dx,al; jmp lodsb; cli; hlt; jmp hlt`).
 */
const PROBE_CODE = [0x31, 0xc0, 0x8e, 0xd8, 0xfc, 0xba, 0xf8, 0x03, 0xbe, 0x17, 0x7c, 0xac, 0x84, 0xc0, 0x74, 0x03, 0xee, 0xeb, 0xf8, 0xfa, 0xf4, 0xeb, 0xfd];
export const PROBE_MARKER = 'bootc-kvm-probe-ok';

/** The 512-byte probe disk (see {@link PROBE_CODE}). */
export function probeBootSector(): Buffer {
  const sector = Buffer.alloc(512);
  Buffer.from(PROBE_CODE).copy(sector, 0);
  Buffer.from(`${PROBE_MARKER}\n\0`, 'latin1').copy(sector, PROBE_CODE.length);
  sector[510] = 0x55;
  sector[511] = 0xaa;
  return sector;
}

export interface AccelerationProbeOptions {
  /** The guest architecture; acceleration needs it to be the host's. */
  arch?: string;
  platform?: NodeJS.Platform;
  hostArch?: string;
  /** The qemu binary to probe with (default from {@link qemuBinary}). */
  qemuPath?: string;
  /** How long the probe guest may take to print its line (default 3000 ms; a real KVM needs well under 100). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Whether hardware acceleration really works for a guest of `arch`, with the reason:
 * - Linux: `/dev/kvm` must open read-write, an x86 CPU must report vmx/svm, and a probe guest
 *   (a boot sector printing to the serial port) must run under `-accel kvm -cpu host` and
 *   print within the timeout. A `/dev/kvm` that exists but is not hardware KVM fails one of
 *   these (here: no vmx flag; `-cpu host` aborts; the boot sector takes 7 s instead of 0.1).
 * - macOS: `sysctl kern.hv_support` must be 1 (Hypervisor.framework) for HVF.
 * Otherwise TCG, with a note that it is slower.
 */
export async function detectAcceleration(options: AccelerationProbeOptions = {}): Promise<Acceleration> {
  const platform = options.platform ?? process.platform;
  const host = canonicalArch(options.hostArch ?? hostArch()) ?? options.hostArch ?? hostArch();
  const guest = canonicalArch(options.arch ?? host) ?? options.arch ?? host;
  const tcg = (why: string): Acceleration => ({ accel: 'tcg', reason: `${why}; using TCG software emulation, which is much slower.` });
  if (guest !== host) return tcg(`the guest is ${guest} but this machine is ${host}`);

  if (platform === 'darwin') {
    const supported = await runQuietly('sysctl', ['-n', 'kern.hv_support'], 5000, options.signal);
    if (supported.output.trim() === '1') return { accel: 'hvf', reason: 'Hypervisor.framework is available (kern.hv_support = 1).' };
    return tcg('Hypervisor.framework is not available (kern.hv_support is not 1)');
  }
  if (platform !== 'linux') return tcg(`hardware acceleration is not supported on ${platform} by this extension`);

  try {
    fs.closeSync(fs.openSync('/dev/kvm', 'r+'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return tcg('/dev/kvm does not exist (no KVM: enable virtualization in the firmware, or load the kvm module)');
    if (code === 'EACCES' || code === 'EPERM') return tcg('/dev/kvm is not accessible to this user (add it to the kvm group)');
    return tcg(`/dev/kvm cannot be opened (${code ?? String(error)})`);
  }
  if (host !== 'x86_64') return { accel: 'kvm', reason: '/dev/kvm is usable.' };

  const flags = cpuFlags();
  if (flags && !flags.has('vmx') && !flags.has('svm')) {
    return tcg('/dev/kvm exists but the CPU reports no virtualization extensions (no vmx or svm flag), so it is not hardware KVM and ordinary kernels hang under it');
  }
  return probeGuest(options.qemuPath ?? qemuBinary(host), 'kvm', options.timeoutMs ?? 3000, options.signal).then((failure) =>
    failure === undefined ? { accel: 'kvm', reason: 'KVM ran a test guest.' } : tcg(`KVM could not run a test guest (${failure})`),
  );
}

/** The flags of the first CPU in /proc/cpuinfo, undefined when it cannot be read. */
function cpuFlags(): Set<string> | undefined {
  try {
    const line = fs.readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => /^flags\s*:/.test(l));
    return line ? new Set(line.replace(/^flags\s*:/, '').trim().split(/\s+/)) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Boots the probe boot sector (x86) under `accel` (KVM with the host CPU); undefined when it
 * printed its line in time, else what went wrong (qemu's error, or that it was too slow).
 */
export async function probeGuest(qemuPath: string, accel: 'kvm' | 'tcg', timeoutMs: number, signal?: AbortSignal): Promise<string | undefined> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bootc-kvm-probe-'));
  try {
    const disk = path.join(folder, 'probe.img');
    fs.writeFileSync(disk, probeBootSector());
    const cpu = accel === 'kvm' ? ['-cpu', 'host'] : [];
    const args = ['-accel', accel, ...cpu, '-machine', 'pc', '-nodefaults', '-display', 'none', '-no-reboot', '-m', '16', '-serial', 'stdio', '-drive', `file=${driveValue(disk)},format=raw,if=ide`];
    const run = await runQuietly(qemuPath, args, timeoutMs, signal, PROBE_MARKER);
    if (run.sawMarker) return undefined;
    if (run.spawnError) return run.spawnError;
    const said = run.output.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.includes('terminating on signal')).pop();
    if (run.timedOut) return `no output within ${timeoutMs} ms${said ? `; qemu said: ${said}` : ''}`;
    return said ?? `qemu exited with ${run.exitCode}`;
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

interface QuietRun {
  output: string;
  exitCode: number | null;
  timedOut: boolean;
  sawMarker: boolean;
  spawnError?: string;
}

/** Runs a short probe program, stopping it at `marker` in its output or after `timeoutMs`. */
function runQuietly(command: string, args: string[], timeoutMs: number, signal?: AbortSignal, marker?: string): Promise<QuietRun> {
  return new Promise((resolve) => {
    let output = '';
    let timedOut = false;
    let sawMarker = false;
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const stop = () => child.kill('SIGKILL');
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, timeoutMs);
    signal?.addEventListener('abort', stop, { once: true });
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (marker && !sawMarker && output.includes(marker)) {
        sawMarker = true;
        stop();
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ output, exitCode: null, timedOut, sawMarker, spawnError: `${command} cannot run: ${(error as NodeJS.ErrnoException).code ?? error.message}` });
    });
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', stop);
      resolve({ output, exitCode, timedOut, sawMarker });
    });
  });
}
