import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runProcess, spawnStreaming, type RunningProcess } from '../../client/src/process';
import { detectAcceleration, freePort, overlayCreateArgs, qemuArgs, qemuBinary, type Acceleration, type DiskFormat } from '../../client/src/vm/qemu';
import { stopVm, QmpClient, type StopResult } from '../../client/src/vm/qmp';
import { connectSerial, SerialLines } from '../../client/src/vm/serial';

/**
 * Boots a disk the way Open in VM does, with the extension's own modules only (no `vscode`):
 * acceleration detected by client/src/vm/qemu.ts, a copy-on-write overlay, qemuArgs() with the
 * serial console on a unix socket and QMP, qemu started paused (`-S`) and resumed over QMP once
 * the console is connected, so that no early output is lost; the console read by SerialLines;
 * stopVm() to power off. For the tests and scripts/bench-disk.ts.
 */

export interface ModuleVm {
  readonly qemu: RunningProcess;
  readonly serial: SerialLines;
  readonly acceleration: Acceleration;
  readonly sshPort: number;
  /** The private folder holding the overlay and sockets (removed when qemu ends). */
  readonly folder: string;
  /** Milliseconds from the call of {@link bootWithModules} to the first serial output (undefined before it). */
  firstOutputMs(): number | undefined;
  /** Types on the serial console. */
  write(text: string): void;
  /** Power button over QMP, then kill after `timeoutMs`; resolves once qemu is gone. */
  stop(timeoutMs?: number): Promise<StopResult>;
}

export interface ModuleVmOptions {
  format?: DiskFormat;
  memoryMiB?: number;
  cpus?: number;
  /** Cancels the start: qemu is killed and the call rejects. */
  signal?: AbortSignal;
}


/** Boots `disk` (x86_64) and resolves once the guest runs with its console connected. */
export async function bootWithModules(disk: string, options: ModuleVmOptions = {}): Promise<ModuleVm> {
  const started = Date.now();
  const acceleration = await detectAcceleration({ arch: 'x86_64', signal: options.signal });
  const folder = fs.mkdtempSync(path.join(process.env.BOOTC_TEST_TMPDIR ?? os.tmpdir(), 'bootc-test-module-vm-'));
  const cleanup = () => fs.rmSync(folder, { recursive: true, force: true });
  let qemu: RunningProcess | undefined;
  try {
    const overlay = path.join(folder, 'overlay.qcow2');
    const created = await runProcess('qemu-img', overlayCreateArgs(disk, options.format ?? 'qcow2', overlay), { signal: options.signal });
    if (created.exitCode !== 0) throw new Error(`qemu-img could not create the overlay: ${created.stderr}`);
    const sshPort = await freePort();
    const serialSocket = path.join(folder, 'serial.sock');
    const qmpSocket = path.join(folder, 'qmp.sock');
    const args = qemuArgs({
      arch: 'x86_64',
      disk: overlay,
      diskFormat: 'qcow2',
      memoryMiB: options.memoryMiB ?? 512,
      cpus: options.cpus ?? Math.min(2, os.cpus().length),
      sshPort,
      accel: acceleration.accel,
      serial: { kind: 'socket', path: serialSocket },
      qmpSocket,
      name: 'bootc-test-module-vm',
      extraArgs: ['-S'],
    });
    const running = spawnStreaming(qemuBinary('x86_64'), args, { signal: options.signal });
    qemu = running;
    const socket = await connectSerial(serialSocket, running, options.signal);
    const serial = new SerialLines();
    let firstOutput: number | undefined;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      firstOutput ??= Date.now() - started;
      serial.feed(chunk);
    });
    socket.on('error', () => undefined);
    const qmp = await QmpClient.connect(qmpSocket);
    try {
      await qmp.execute('cont');
    } finally {
      qmp.close();
    }
    void running.result.then(
      (result) => {
        socket.destroy();
        serial.end(`qemu ${result.cancelled ? 'was stopped' : `exited (${result.signal ?? `code ${result.exitCode}`})`}`);
        cleanup();
      },
      () => cleanup(),
    );
    return {
      qemu: running,
      serial,
      acceleration,
      sshPort,
      folder,
      firstOutputMs: () => firstOutput,
      write: (text) => void socket.write(text),
      stop: (timeoutMs = 5000) => stopVm(running, qmpSocket, timeoutMs),
    };
  } catch (error) {
    if (qemu) {
      qemu.kill();
      await qemu.result.catch(() => undefined);
    }
    cleanup();
    throw error;
  }
}
