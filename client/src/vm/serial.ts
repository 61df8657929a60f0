/**
 * A VM's serial console as lines: what the guest printed (terminal escape sequences and
 * carriage returns removed), and waiting for a line, or for a prompt: the unfinished last line,
 * since a getty's `login: ` waits for input without a line break. No `vscode` import.
 */
import * as net from 'node:net';
import type { RunningProcess } from '../process';

/** What a getty prints when it waits for a user name: `<host> login: `. */
export const LOGIN_PROMPT = /(?:^|\s)\S* ?login: ?$/;

/** Serial output kept for the handle (older lines are dropped; the terminal shows everything). */
export const MAX_SERIAL_LINES = 10_000;

// eslint-disable-next-line no-control-regex
const ESCAPES = /\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][0-9A-Za-z]|\x1b[=>78DEHM]|\r/g;

/** A serial line without carriage returns and terminal escape sequences. */
export function cleanSerialText(text: string): string {
  return text.replace(ESCAPES, '');
}

interface Waiter {
  pattern: RegExp;
  prompt: boolean;
  resolve: (line: string) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout | undefined;
}

export class SerialLines {
  /** Complete lines so far (the last {@link MAX_SERIAL_LINES}). */
  readonly lines: string[] = [];
  private partialText = '';
  private readonly waiters = new Set<Waiter>();
  private endedWith: Error | undefined;
  /** Called with each complete line. */
  onLine: ((line: string) => void) | undefined;

  /** The unfinished last line (a prompt), cleaned. */
  get partial(): string {
    return cleanSerialText(this.partialText);
  }

  /** Adds output of the guest. */
  feed(chunk: string): void {
    const parts = (this.partialText + chunk).split('\n');
    this.partialText = parts.pop() ?? '';
    for (const raw of parts) {
      const line = cleanSerialText(raw);
      this.lines.push(line);
      if (this.lines.length > MAX_SERIAL_LINES) this.lines.splice(0, this.lines.length - MAX_SERIAL_LINES);
      this.onLine?.(line);
      this.settle(line, false);
    }
    if (this.partialText !== '') this.settle(this.partial, true);
  }

  /**
   * Resolves with the first complete line matching `pattern`: one already printed, else the
   * next one. With `prompt`, the unfinished last line counts too (a prompt such as `login: `
   * waits for input without a line break); without it a line is never matched half-written.
   * Rejects after `timeoutMs` (a safety net), or when the console ends first.
   */
  waitForLine(pattern: RegExp, timeoutMs = 300_000, prompt = false): Promise<string> {
    const seen = this.lines.find((line) => pattern.test(line)) ?? (prompt && pattern.test(this.partial) ? this.partial : undefined);
    if (seen !== undefined) return Promise.resolve(seen);
    if (this.endedWith) return Promise.reject(this.endedWith);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { pattern, prompt, resolve, reject, timer: undefined };
      waiter.timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no serial ${prompt ? 'prompt' : 'line'} matched ${pattern} within ${timeoutMs} ms; the last lines:\n${this.tail()}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** {@link waitForLine} for a prompt: the unfinished last line counts. */
  waitForPrompt(pattern: RegExp, timeoutMs?: number): Promise<string> {
    return this.waitForLine(pattern, timeoutMs, true);
  }

  /** The console ended (the VM stopped): waiting callers are told why. */
  end(reason: string): void {
    this.endedWith ??= new Error(`${reason}; the last lines:\n${this.tail()}`);
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(this.endedWith);
    }
    this.waiters.clear();
  }

  /** The last lines, for error messages. */
  tail(count = 20): string {
    return [...this.lines.slice(-count), ...(this.partial ? [this.partial] : [])].join('\n');
  }

  private settle(line: string, unfinished: boolean): void {
    for (const waiter of [...this.waiters]) {
      if ((unfinished && !waiter.prompt) || !waiter.pattern.test(line)) continue;
      this.waiters.delete(waiter);
      clearTimeout(waiter.timer);
      waiter.resolve(line);
    }
  }
}

/** Connects to qemu's serial socket, which appears once qemu has parsed its options; fails when qemu exits first or after 30 s. */
export async function connectSerial(socketPath: string, qemu: RunningProcess, signal?: AbortSignal): Promise<net.Socket> {
  let exited = false;
  void qemu.result.then(
    () => (exited = true),
    () => (exited = true),
  );
  const deadline = Date.now() + 30_000;
  for (;;) {
    signal?.throwIfAborted();
    if (exited) {
      const result = await qemu.result;
      throw new Error(`qemu exited before the VM started: ${result.stderr.trim().split('\n').slice(-3).join(' ') || `exit code ${result.exitCode}`}`);
    }
    try {
      return await new Promise<net.Socket>((resolve, reject) => {
        const socket = net.createConnection(socketPath);
        socket.once('connect', () => resolve(socket));
        socket.once('error', reject);
      });
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`qemu's serial console did not open: ${(error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
