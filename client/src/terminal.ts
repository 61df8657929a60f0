/**
 * A terminal that shows the output of a process the extension runs (build, push, lint, logs).
 * Used both by commands and by `bootc` tasks; Ctrl+C or closing the terminal cancels.
 */
import * as vscode from 'vscode';

export type LineKind = 'stdout' | 'stderr' | 'info' | 'success' | 'error';

const COLORS: Record<LineKind, [string, string]> = {
  stdout: ['', ''],
  stderr: ['\x1b[33m', '\x1b[0m'],
  info: ['\x1b[36m', '\x1b[0m'],
  success: ['\x1b[32m', '\x1b[0m'],
  error: ['\x1b[31m', '\x1b[0m'],
};

export class OutputTerminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  /** Text written before VS Code opened the terminal; a pseudoterminal drops it otherwise. */
  private pending: string[] | undefined = [];
  private readonly opened: Promise<void>;
  private markOpened!: () => void;
  private readonly cancellation = new AbortController();

  constructor() {
    this.opened = new Promise((resolve) => (this.markOpened = resolve));
  }

  /** Aborted when the user presses Ctrl+C in the terminal or closes it. */
  get signal(): AbortSignal {
    return this.cancellation.signal;
  }

  /** Resolves once VS Code shows the terminal (tasks start their work then). */
  whenOpened(): Promise<void> {
    return this.opened;
  }

  open(): void {
    for (const text of this.pending ?? []) this.writeEmitter.fire(text);
    this.pending = undefined;
    this.markOpened();
  }

  close(): void {
    this.cancellation.abort();
  }

  handleInput(data: string): void {
    if (data === '\x03') {
      this.writeLine('^C', 'error');
      this.cancellation.abort();
    }
  }

  writeLine(line: string, kind: LineKind = 'stdout'): void {
    const [start, end] = COLORS[kind];
    const text = `${start}${line.replace(/\r?\n/g, '\r\n')}${end}\r\n`;
    if (this.pending) this.pending.push(text);
    else this.writeEmitter.fire(text);
  }

  /** Ends the terminal session; for tasks the code is the task's exit code. */
  exit(code: number): void {
    this.closeEmitter.fire(code);
  }
}

/** Opens a terminal for `pty`, or reuses one of the same name that has ended. */
export function showOutputTerminal(name: string, pty: OutputTerminal, preserveFocus = true): vscode.Terminal {
  const terminal = vscode.window.createTerminal({ name, pty, iconPath: new vscode.ThemeIcon('package') });
  terminal.show(preserveFocus);
  return terminal;
}
