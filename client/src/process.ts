/**
 * The one module that runs external programs (podman and friends). Programs get an
 * argument array, never a shell string, so an image name like `x; rm -rf ~` reaches the
 * program as one argument. Output is streamed line by line with every registered secret
 * redacted, and cancelling kills the whole process tree (podman starts helpers of its own).
 * No `vscode` import: the tests and the benchmark use it directly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { shellQuote } from '../../server/src/lint/shell/quote';

export type OutputStream = 'stdout' | 'stderr';

export interface RunOptions {
  cwd?: string;
  /** The whole environment of the process (as in `child_process.spawn`); defaults to this process's. */
  env?: NodeJS.ProcessEnv;
  /** Aborting it kills the process tree; the result then has `cancelled: true`. */
  signal?: AbortSignal;
  /** Called for each output line (without its line break, already redacted), in order per stream. */
  onLine?: (line: string, stream: OutputStream) => void;
  /** Secrets to hide from the lines, the collected output and the command line. */
  redactor?: Redactor;
  /** Written to the process's standard input, which is then closed. Without it stdin is empty. */
  stdin?: string;
  /** How long a cancelled process tree gets between SIGTERM and SIGKILL (default 3000 ms). */
  killGraceMs?: number;
  /**
   * On cancel, first SIGKILL the processes of the tree that run in sessions of their own, and
   * give the program `killGraceMs` to end by itself before it is stopped too. For
   * `podman build`: its RUN container then ends, podman fails the step and removes its build
   * container, which it does not do when it is killed itself (and the container, its
   * namespace's init, ignores SIGTERM).
   */
  killInnerSessionsFirst?: boolean;
}

export interface ProcessResult {
  /** The exit code, or null when the process ended by a signal (or never started, when cancelled first). */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Collected output, redacted (the last {@link MAX_COLLECTED_CHARS} characters of each stream). */
  stdout: string;
  stderr: string;
  /** True when the run was cancelled through `signal` or `kill()`. */
  cancelled: boolean;
  /** The command as a shell would spell it, redacted: for display and logs only, never to run. */
  commandLine: string;
}

/** A started process: its result, and a way to stop it (with its children). */
export interface RunningProcess {
  /** Resolves when the process has ended and, after a cancel, its whole process tree is gone. */
  readonly result: Promise<ProcessResult>;
  /** Process id, undefined when the program could not be started. */
  readonly pid: number | undefined;
  /** Cancels: SIGTERM to the process tree, SIGKILL after the grace period. */
  kill(): void;
}

/** Output kept per stream for {@link ProcessResult}; longer output keeps its end (lines still all go to `onLine`). */
export const MAX_COLLECTED_CHARS = 4 * 1024 * 1024;

/** Secrets shorter than this are not redacted: hiding every `1` or `ab` would garble the output and hide nothing. */
const MIN_SECRET_LENGTH = 4;

/** Replaces registered secrets with `***` in any text shown or logged. */
export class Redactor {
  private readonly secrets = new Set<string>();

  /** Registers a secret; each line of a multi-line secret is also hidden on its own, since output is shown line by line. */
  add(secret: string): void {
    for (const part of [secret, ...secret.split(/\r?\n/)]) {
      if (part.trim().length >= MIN_SECRET_LENGTH) this.secrets.add(part);
    }
  }

  redact(text: string): string {
    if (this.secrets.size === 0) return text;
    // Longest first, so that a secret containing another is hidden whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      if (text.includes(secret)) text = text.split(secret).join('***');
    }
    return text;
  }
}

/** The program could not be found (ENOENT); `hint` says how to install it or where to configure it. */
export class ToolMissingError extends Error {
  constructor(
    readonly tool: string,
    readonly hint: string,
  ) {
    super(`${tool} was not found. ${hint}`);
    this.name = 'ToolMissingError';
  }
}

/** The command as a shell would spell it, redacted: for display and logs only, never to run. */
export function formatCommandLine(command: string, args: readonly string[], redactor?: Redactor): string {
  // Redacted before quoting: quoting a secret that holds a quote would hide it from the redactor.
  return [command, ...args].map((arg) => shellQuote(redactor ? redactor.redact(arg) : arg)).join(' ');
}

/** Runs a program to its end (or until `options.signal` aborts). Rejects with {@link ToolMissingError} when it does not exist. */
export function runProcess(command: string, args: readonly string[], options: RunOptions = {}): Promise<ProcessResult> {
  return spawnStreaming(command, args, options).result;
}

/**
 * Starts a program and returns at once, for long-running ones (`podman logs -f`) that the
 * caller stops with `kill()`; `options.signal` works as well.
 */
export function spawnStreaming(command: string, args: readonly string[], options: RunOptions = {}): RunningProcess {
  const redactor = options.redactor ?? new Redactor();
  const commandLine = () => formatCommandLine(command, args, redactor);
  const stdout = new OutputCollector('stdout', redactor, options.onLine);
  const stderr = new OutputCollector('stderr', redactor, options.onLine);
  const resultOf = (exitCode: number | null, signal: NodeJS.Signals | null, cancelled: boolean): ProcessResult => ({
    exitCode,
    signal,
    stdout: stdout.text(),
    stderr: stderr.text(),
    cancelled,
    commandLine: commandLine(),
  });

  if (options.signal?.aborted) {
    return { result: Promise.resolve(resultOf(null, null, true)), pid: undefined, kill: () => undefined };
  }

  let child: ChildProcess;
  try {
    child = spawn(command, [...args], {
      cwd: options.cwd,
      env: options.env,
      shell: false,
      // Its own process group, so that a cancel reaches the helpers it starts too.
      detached: process.platform !== 'win32',
      windowsHide: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (error) {
    return { result: Promise.reject(spawnError(error, command, options.cwd)), pid: undefined, kill: () => undefined };
  }

  let cancelled = false;
  const pid = child.pid;
  const tree = pid === undefined ? undefined : new ProcessTree(pid);
  const graceMs = options.killGraceMs ?? 3000;
  let phase: 'running' | 'terminating' | 'killing' = 'running';
  const timers: NodeJS.Timeout[] = [];
  const later = (ms: number, action: () => void) => timers.push(setTimeout(action, ms).unref());
  const terminate = () => {
    if (!tree || phase !== 'running') return;
    phase = 'terminating';
    tree.signal('SIGTERM');
    later(graceMs, () => {
      phase = 'killing';
      tree.signal('SIGKILL');
    });
  };
  const kill = () => {
    if (cancelled || !tree) return;
    cancelled = true;
    // Give the program the chance to clean up after its inner processes ended; it is stopped itself if it does not end.
    if (options.killInnerSessionsFirst && tree.killInnerSessions() > 0) later(graceMs, terminate);
    else terminate();
  };
  const onAbort = () => kill();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const result = new Promise<ProcessResult>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => stdout.write(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.write(chunk));
    // A program that exits without reading its input makes the write fail with EPIPE: not an error of ours.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.stdin ?? '');

    const settle = () => {
      options.signal?.removeEventListener('abort', onAbort);
      timers.forEach(clearTimeout);
    };
    child.on('error', (error) => {
      settle();
      reject(spawnError(error, command, options.cwd));
    });
    child.on('close', async (exitCode, signal) => {
      stdout.end();
      stderr.end();
      if (cancelled && tree) {
        // Callers rely on nothing of a cancelled run being left: stop and wait for the rest of the tree.
        terminate();
        const deadline = Date.now() + graceMs + 10_000;
        while (Date.now() < deadline && tree.refresh(phase === 'killing' ? 'SIGKILL' : 'SIGTERM') > 0) await delay(25);
      }
      settle();
      resolve(resultOf(exitCode, signal, cancelled));
    });
  });
  return { result, pid, kill };
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Splits one output stream into lines (the last one flushed even without a line break) and collects it. */
class OutputCollector {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  private collected = '';

  constructor(
    private readonly stream: OutputStream,
    private readonly redactor: Redactor,
    private readonly onLine: RunOptions['onLine'],
  ) {}

  write(chunk: Buffer): void {
    this.add(this.decoder.write(chunk));
  }

  end(): void {
    this.add(this.decoder.end());
    if (this.partial !== '') this.emit(this.partial);
    this.partial = '';
  }

  text(): string {
    return this.redactor.redact(this.collected);
  }

  private add(text: string): void {
    if (text === '') return;
    this.collected += text;
    if (this.collected.length > MAX_COLLECTED_CHARS) this.collected = this.collected.slice(-MAX_COLLECTED_CHARS);
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.emit(line);
  }

  private emit(line: string): void {
    this.onLine?.(this.redactor.redact(line.endsWith('\r') ? line.slice(0, -1) : line), this.stream);
  }
}

function spawnError(error: unknown, command: string, cwd: string | undefined): Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  // Node reports a missing working folder as ENOENT too; tell them apart.
  if (code === 'ENOENT' && cwd !== undefined && !existsSync(cwd)) return new Error(`Cannot run ${command}: the folder ${cwd} does not exist.`);
  if (code === 'ENOENT') {
    const tool = path.basename(command);
    return new ToolMissingError(tool, `Install ${tool}, or make sure it is on the PATH.`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * The processes started under a child: its process group (it leads one) and, on Linux, every
 * descendant found in /proc, also those in sessions of their own (podman's container
 * processes). Descendants are remembered when first seen, since they move to another parent
 * once theirs exits.
 */
class ProcessTree {
  /** pid → start time, so that a reused pid is not taken for a member. */
  private readonly members = new Map<number, string>();
  private readonly signalled = new Set<number>();

  constructor(private readonly root: number) {}

  /** Sends `signal` to the group and to every member found. */
  signal(signal: NodeJS.Signals): void {
    if (process.platform === 'win32') {
      // No process groups: taskkill /T ends the tree at once.
      spawn('taskkill', ['/pid', String(this.root), '/T', '/F'], { windowsHide: true, stdio: 'ignore' }).on('error', () => undefined);
      return;
    }
    this.discover();
    sendSignal(-this.root, signal);
    for (const pid of this.members.keys()) if (this.isMember(pid)) sendSignal(pid, signal);
  }

  /** SIGKILLs the members that run in a session other than the root's (which is the root's own: it was spawned detached). */
  killInnerSessions(): number {
    const inner = this.discover().filter((info) => info.sid !== this.root && info.pid !== this.root);
    for (const info of inner) sendSignal(info.pid, 'SIGKILL');
    return inner.length;
  }

  /** Finds members started since the last look, sends them `signal`, and returns how many members still run. */
  refresh(signal: NodeJS.Signals): number {
    if (process.platform === 'win32') return 0;
    const live = this.discover();
    for (const info of live) {
      if (signal === 'SIGKILL' || !this.signalled.has(info.pid)) sendSignal(info.pid, signal);
      this.signalled.add(info.pid);
    }
    if (process.platform !== 'linux') return groupExists(this.root) ? 1 : 0;
    return live.length;
  }

  /** Adds new members and returns the live ones (zombies, which only wait to be reaped, are not). */
  private discover(): ProcessInfo[] {
    const table = processTable();
    const byPid = new Map(table.map((info) => [info.pid, info]));
    const inGroup = (info: ProcessInfo) => info.pid === this.root || info.pgid === this.root;
    // Descendants first join through their parent: repeat until no new one appears.
    for (let grown = true; grown; ) {
      grown = false;
      for (const info of table) {
        if (this.members.has(info.pid) && this.members.get(info.pid) === info.startTime) continue;
        const parent = byPid.get(info.ppid);
        if (inGroup(info) || (parent && this.isMember(parent.pid, byPid))) {
          this.members.set(info.pid, info.startTime);
          grown = true;
        }
      }
    }
    return table.filter((info) => info.state !== 'Z' && this.isMember(info.pid, byPid));
  }

  private isMember(pid: number, table?: Map<number, ProcessInfo>): boolean {
    const startTime = this.members.get(pid);
    if (startTime === undefined) return false;
    const current = table ? table.get(pid)?.startTime : processInfo(pid)?.startTime;
    return current === startTime;
  }
}

interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  state: string;
  startTime: string;
}

function sendSignal(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Every process on a Linux machine (empty elsewhere: there the group signal has to do). */
function processTable(): ProcessInfo[] {
  if (process.platform !== 'linux') return [];
  const table: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const info = processInfo(Number(entry));
    if (info) table.push(info);
  }
  return table;
}

/** A process's fields from `/proc/<pid>/stat`, undefined when it is gone. */
function processInfo(pid: number): ProcessInfo | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name in parentheses may hold spaces: fields go on after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { pid, state: fields[0], ppid: Number(fields[1]), pgid: Number(fields[2]), sid: Number(fields[3]), startTime: fields[19] };
}
