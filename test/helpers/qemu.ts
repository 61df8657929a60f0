import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../../client/src/vm/qemu';

/**
 * Boots a disk image in real qemu for the tests: a copy-on-write overlay keeps the disk
 * pristine, the serial console is read line by line, SSH is forwarded from a free port on
 * 127.0.0.1, and {@link BootedVm.stop} leaves no qemu process behind.
 */

/** What a getty prints when it waits for a user name: `<host> login: ` (no line break after it). */
export const LOGIN_PATTERN = /(^|\s)\S* ?login: ?$/;

/** How the guest runs: hardware KVM when it really works here, else TCG (slower). */
export interface Acceleration {
  accel: 'kvm' | 'tcg';
  /** The qemu arguments for it. */
  args: string[];
  /** Why KVM is not used, when it is not. */
  note?: string;
}

let availability: string | undefined | null = null;

/**
 * Undefined when qemu-system-x86_64 and qemu-img can run here, else the reason to skip. With
 * `CI` set this throws instead: CI must run the VM tests.
 */
export function qemuAvailable(): string | undefined {
  if (availability === null) {
    const missing = ['qemu-system-x86_64', 'qemu-img'].filter((program) => spawnSync(program, ['--version']).status !== 0);
    availability = missing.length === 0 ? undefined : `${missing.join(' and ')} not installed (Debian: apt-get install qemu-system-x86 qemu-utils)`;
  }
  if (availability !== undefined && process.env.CI) throw new Error(`CI must run the qemu tests, but ${availability}`);
  return availability;
}

/**
 * KVM only when it can really run a guest: /dev/kvm opens read-write AND the CPU has hardware
 * virtualization (`vmx` or `svm` in /proc/cpuinfo). Some machines (these test machines among
 * them) have a paravirtual /dev/kvm without vmx/svm on which stock kernels hang at boot: those get
 * TCG, with a note. `BOOTC_TEST_ACCEL=tcg|kvm` overrides the check.
 */
export function detectAcceleration(): Acceleration {
  const tcg = (note: string): Acceleration => ({ accel: 'tcg', args: ['-accel', 'tcg,thread=multi'], note });
  const forced = process.env.BOOTC_TEST_ACCEL;
  if (forced === 'tcg') return tcg('TCG forced by BOOTC_TEST_ACCEL');
  if (forced !== 'kvm') {
    if (process.platform !== 'linux') return tcg(`no KVM on ${process.platform}`);
    try {
      fs.closeSync(fs.openSync('/dev/kvm', 'r+'));
    } catch (error) {
      return tcg(`/dev/kvm cannot be opened (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    const flags = fs
      .readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('flags'))
      .join(' ');
    if (!/\b(vmx|svm)\b/.test(flags)) return tcg('/dev/kvm exists but the CPU has no vmx/svm flag (a paravirtual KVM on which stock kernels hang)');
  }
  return { accel: 'kvm', args: ['-accel', 'kvm', '-cpu', 'host'] };
}


export interface BootOptions {
  /** Aborting it stops qemu (and rejects a boot still waiting for its login line). */
  signal?: AbortSignal;
  /** Called with qemu's process id once it is started. */
  onStart?: (pid: number) => void;
  /** Called for each complete serial line (without `\r\n`). */
  onLine?: (line: string) => void;
  /** Guest memory in MiB (default 512). */
  memoryMb?: number;
  /** What counts as booted (default {@link LOGIN_PATTERN}), matched against each line and the unfinished last line. */
  loginPattern?: RegExp;
  /**
   * A safety net, not an assertion: give up after this long without the login line and
   * reject with the serial output so far (default 300 s).
   */
  giveUpMs?: number;
}

export interface BootedVm {
  readonly pid: number;
  /** The SSH port forwarded from 127.0.0.1 to the guest's port 22. */
  readonly sshPort: number;
  readonly acceleration: Acceleration;
  /** The serial console so far, lines without `\r` and terminal escape sequences. */
  readonly serial: string[];
  /** The line that matched the login pattern. */
  readonly loginLine: string;
  /** Milliseconds from starting qemu to its first serial output and to the login line. */
  readonly timings: { firstOutputMs: number; loginMs: number };
  /** Types on the serial console. */
  write(text: string): void;
  /**
   * Resolves with the first serial line from now on that matches. With `prompt`, the
   * unfinished last line counts too (a prompt waits for input without a line break); without
   * it only complete lines do, so a line is never matched half-written.
   */
  waitFor(pattern: RegExp, options?: WaitOptions): Promise<string>;
  /** Stops qemu (SIGTERM, then SIGKILL) and removes the overlay; resolves when the process is gone. */
  stop(): Promise<void>;
}

export interface WaitOptions {
  /** Match the unfinished last line too (for prompts such as `login: ` or `$ `). */
  prompt?: boolean;
  /** A safety net, not an assertion: reject after this long (default: the boot's `giveUpMs`). */
  giveUpMs?: number;
}

interface Waiter {
  pattern: RegExp;
  prompt: boolean;
  resolve: (line: string) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Boots `disk` (qcow2 or raw; an `.iso` boots as a CD-ROM) in qemu-system-x86_64 and resolves
 * when the serial console shows a login line. The disk stays untouched: qemu writes to a qcow2
 * overlay in a temporary folder.
 */
export async function bootDisk(disk: string, options: BootOptions = {}): Promise<BootedVm> {
  const unavailable = qemuAvailable();
  if (unavailable) throw new Error(unavailable);
  if (!fs.existsSync(disk)) throw new Error(`no disk image at ${disk}`);
  options.signal?.throwIfAborted();

  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bootc-test-vm-'));
  let drive: string[];
  if (disk.endsWith('.iso')) {
    // Read-only media: no overlay needed.
    drive = ['-drive', `file=${path.resolve(disk)},media=cdrom,readonly=on,if=ide`, '-boot', 'd'];
  } else {
    const overlay = path.join(folder, 'overlay.qcow2');
    const format = disk.endsWith('.qcow2') ? 'qcow2' : 'raw';
    const created = spawnSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', path.resolve(disk), '-F', format, overlay], { encoding: 'utf8' });
    if (created.status !== 0) {
      fs.rmSync(folder, { recursive: true, force: true });
      throw new Error(`qemu-img create of the overlay failed: ${created.stderr}`);
    }
    drive = ['-drive', `file=${overlay},format=qcow2,if=virtio`];
  }

  const acceleration = detectAcceleration();
  const sshPort = await freePort();
  const args = [
    ...acceleration.args,
    '-machine', 'pc',
    '-smp', String(Math.min(2, os.cpus().length)),
    '-m', String(options.memoryMb ?? 512),
    '-nodefaults',
    '-display', 'none',
    '-chardev', 'stdio,id=serial0,signal=off',
    '-serial', 'chardev:serial0',
    ...drive,
    '-netdev', `user,id=net0,hostfwd=tcp:127.0.0.1:${sshPort}-:22`,
    '-device', 'virtio-net-pci,netdev=net0',
  ];
  const started = Date.now();
  const child: ChildProcess = spawn('qemu-system-x86_64', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  if (child.pid !== undefined) options.onStart?.(child.pid);
  const serial: string[] = [];
  const stderr: string[] = [];
  const waiters: Waiter[] = [];
  let partial = '';
  let firstOutputMs = -1;
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let exitedPromiseResolve: () => void = () => {};
  const exitedPromise = new Promise<void>((resolve) => (exitedPromiseResolve = resolve));

  const settle = (line: string, unfinished: boolean): void => {
    for (const waiter of [...waiters]) {
      if ((waiter.prompt || !unfinished) && waiter.pattern.test(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        clearTimeout(waiter.timer);
        waiter.resolve(line);
      }
    }
  };
  const failAll = (error: Error): void => {
    for (const waiter of waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
  };
  const tail = (): string => [...serial.slice(-40), clean(partial)].join('\n');

  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    if (firstOutputMs < 0) firstOutputMs = Date.now() - started;
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const raw of parts) {
      const line = clean(raw);
      serial.push(line);
      options.onLine?.(line);
      settle(line, false);
    }
    // A getty's prompt has no line break: look at the unfinished line too.
    if (partial) settle(clean(partial), true);
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => stderr.push(chunk));
  child.on('error', (error) => failAll(new Error(`qemu-system-x86_64 could not start: ${error.message}`)));
  child.on('exit', (code, signal) => {
    exited = { code, signal };
    failAll(new Error(`qemu exited (${signal ?? `code ${code}`}) before the expected serial output. stderr: ${stderr.join('').trim()}\nserial:\n${tail()}`));
    fs.rmSync(folder, { recursive: true, force: true });
    exitedPromiseResolve();
  });

  const waitFor = (pattern: RegExp, wait: WaitOptions = {}): Promise<string> =>
    new Promise((resolve, reject) => {
      const giveUpMs = wait.giveUpMs ?? options.giveUpMs ?? 300_000;
      if (exited) return reject(new Error(`qemu has exited (${exited.signal ?? `code ${exited.code}`})`));
      const timer = setTimeout(() => {
        waiters.splice(waiters.findIndex((w) => w.timer === timer), 1);
        reject(new Error(`no serial line matching ${pattern} after ${giveUpMs} ms (acceleration: ${acceleration.accel}). serial:\n${tail()}`));
      }, giveUpMs);
      waiters.push({ pattern, prompt: wait.prompt ?? false, resolve, reject, timer });
    });

  const stop = async (): Promise<void> => {
    if (!exited) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exitedPromise;
      clearTimeout(killer);
    }
    fs.rmSync(folder, { recursive: true, force: true });
  };

  const onAbort = (): void => {
    failAll(new Error('boot cancelled'));
    void stop();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  void exitedPromise.then(() => options.signal?.removeEventListener('abort', onAbort));

  let loginLine: string;
  try {
    loginLine = await waitFor(options.loginPattern ?? LOGIN_PATTERN, { prompt: true });
  } catch (error) {
    await stop();
    throw error;
  }
  const loginMs = Date.now() - started;

  return {
    pid: child.pid!,
    sshPort,
    acceleration,
    serial,
    loginLine,
    timings: { firstOutputMs, loginMs },
    write: (text: string) => {
      child.stdin!.write(text);
    },
    waitFor,
    stop,
  };
}

/** A serial line without carriage returns and terminal escape sequences (a shell's cursor queries, colours). */
function clean(text: string): string {
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]|\r/g, '');
}

/** True while a process with this id exists. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
