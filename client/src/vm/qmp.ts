/**
 * A minimal QMP client (qemu's JSON machine protocol over the unix socket of `-qmp
 * unix:PATH,server=on,wait=off`), enough to power a VM off gracefully: read the greeting,
 * `qmp_capabilities`, then commands such as `system_powerdown` (an ACPI power-button press).
 * No `vscode` import.
 */
import * as net from 'node:net';
import type { RunningProcess } from '../process';

export class QmpError extends Error {
  constructor(
    readonly errorClass: string,
    message: string,
  ) {
    super(message);
    this.name = 'QmpError';
  }
}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

export class QmpClient {
  private buffer = '';
  private readonly pending: Pending[] = [];
  private closedError: Error | undefined;
  /** Asynchronous events qemu sent (`SHUTDOWN`, `POWERDOWN`...), in order. */
  readonly events: { event: string; data?: unknown }[] = [];

  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.receive(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('The QMP connection closed.')));
  }

  /** Connects, waits for the greeting and enters command mode; rejects after `timeoutMs`. */
  static async connect(socketPath: string, timeoutMs = 5000): Promise<QmpClient> {
    const socket = net.createConnection(socketPath);
    const client = new QmpClient(socket);
    const timer = setTimeout(() => socket.destroy(new Error(`No QMP greeting on ${socketPath} within ${timeoutMs} ms.`)), timeoutMs);
    try {
      await client.next(); // the greeting: {"QMP": {...}}
      await client.execute('qmp_capabilities');
      return client;
    } catch (error) {
      socket.destroy();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs a command; resolves with its `return` value, rejects with a {@link QmpError}. */
  execute(command: string, args?: Record<string, unknown>): Promise<unknown> {
    const promise = this.next();
    this.socket.write(`${JSON.stringify(args ? { execute: command, arguments: args } : { execute: command })}\n`);
    return promise;
  }

  close(): void {
    this.socket.destroy();
  }

  private next(): Promise<unknown> {
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, newline).trim();
      this.buffer = this.buffer.slice(newline + 1);
      if (line === '') continue;
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      if (typeof message.event === 'string') {
        this.events.push({ event: message.event, data: message.data });
        continue;
      }
      const waiting = this.pending.shift();
      if (!waiting) continue;
      if (message.error) {
        const error = message.error as { class?: string; desc?: string };
        waiting.reject(new QmpError(error.class ?? 'GenericError', error.desc ?? 'QMP command failed'));
      } else {
        waiting.resolve('QMP' in message ? message.QMP : message.return);
      }
    }
  }

  private fail(error: Error): void {
    this.closedError ??= error;
    for (const waiting of this.pending.splice(0)) waiting.reject(error);
  }
}

export interface StopResult {
  /** The guest powered off by itself after the power-button press. */
  graceful: boolean;
  /** Why it was killed instead, when it was. */
  reason?: string;
}

/**
 * Stops a VM: `system_powerdown` over QMP, then waits up to `timeoutMs` for qemu to exit; kills
 * the process (tree) when QMP fails or the guest does not power off in time. Resolves once qemu
 * is gone.
 */
export async function stopVm(vm: Pick<RunningProcess, 'result' | 'kill'>, qmpSocket: string, timeoutMs = 30_000): Promise<StopResult> {
  let exited = false;
  const exit = vm.result.then(
    () => {
      exited = true;
    },
    () => {
      exited = true;
    },
  );
  let reason: string | undefined;
  try {
    const client = await QmpClient.connect(qmpSocket, Math.min(timeoutMs, 5000));
    try {
      await client.execute('system_powerdown');
    } finally {
      client.close();
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exit, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    if (exited) return { graceful: true };
    reason = `the guest did not power off within ${Math.round(timeoutMs / 1000)} s`;
  } catch (error) {
    if (exited) return { graceful: true };
    reason = `QMP failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  vm.kill();
  await exit;
  return { graceful: false, reason };
}
