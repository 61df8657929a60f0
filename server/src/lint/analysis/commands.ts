import type { ShellCommand, Word } from '../shell/script';

/** A command line split getopt-style into options and operands. */
export interface ParsedArgs {
  /** Every option seen, short clusters exploded (`-rf` → `-r`, `-f`), long options without `=value`. */
  options: Set<string>;
  /** Values of options that take one (`-m 0755`, `--mode=0755`, `-m0755`). */
  values: Map<string, Word[]>;
  operands: Word[];
}

/**
 * Splits arguments into options and operands.
 * @param withValue options that take a value, e.g. `['-m', '--mode', '-t']`
 */
export function parseArgs(args: readonly Word[], withValue: readonly string[] = []): ParsedArgs {
  const options = new Set<string>();
  const values = new Map<string, Word[]>();
  const operands: Word[] = [];
  let onlyOperands = false;
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    const text = word.text;
    if (onlyOperands || word.dynamic || text === '-' || !text.startsWith('-')) {
      operands.push(word);
      continue;
    }
    if (text === '--') {
      onlyOperands = true;
      continue;
    }
    if (text.startsWith('--')) {
      const eq = text.indexOf('=');
      const name = eq >= 0 ? text.slice(0, eq) : text;
      options.add(name);
      if (eq >= 0) addValue(values, name, { ...word, text: text.slice(eq + 1) });
      else if (withValue.includes(name) && i + 1 < args.length) addValue(values, name, args[++i]);
      continue;
    }
    // Short options, possibly clustered: -rf, -m0755, -pm 0755
    // (a command has few options: looking them up in `withValue` is cheaper than building a set)
    for (let j = 1; j < text.length; j++) {
      const name = `-${text[j]}`;
      options.add(name);
      if (withValue.includes(name)) {
        if (j + 1 < text.length) addValue(values, name, { ...word, text: text.slice(j + 1) });
        else if (i + 1 < args.length) addValue(values, name, args[++i]);
        break;
      }
    }
  }
  return { options, values, operands };
}

function addValue(values: Map<string, Word[]>, option: string, word: Word): void {
  const list = values.get(option);
  if (list) list.push(word);
  else values.set(option, [word]);
}

/** `bootc container lint` with any flags. */
export function runsBootcContainerLint(command: ShellCommand): boolean {
  if (command.name !== 'bootc') return false;
  const operands = command.args.filter((w) => !w.text.startsWith('-')).map((w) => w.text);
  return operands[0] === 'container' && operands[1] === 'lint';
}

/** Expands brace alternatives: `/var/{cache,log}` → `/var/cache`, `/var/log`. Quoted words are literal. */
export function expandBraces(text: string, limit = 64): string[] {
  const open = findBraceGroup(text);
  if (!open) return [text];
  const { start, end, parts } = open;
  const results: string[] = [];
  for (const part of parts) {
    for (const expanded of expandBraces(text.slice(0, start) + part + text.slice(end + 1), limit)) {
      results.push(expanded);
      if (results.length >= limit) return results;
    }
  }
  return results;
}

function findBraceGroup(text: string): { start: number; end: number; parts: string[] } | undefined {
  for (let start = text.indexOf('{'); start >= 0; start = text.indexOf('{', start + 1)) {
    if (text[start - 1] === '$') continue;
    let depth = 0;
    const commas: number[] = [];
    for (let i = start; i < text.length; i++) {
      const ch = text[i];
      if (ch === '{') depth++;
      else if (ch === '}') {
        depth--;
        if (depth === 0) {
          if (commas.length === 0) break;
          const bounds = [start, ...commas, i];
          const parts = bounds.slice(0, -1).map((b, k) => text.slice(b + 1, bounds[k + 1]));
          return { start, end: i, parts };
        }
      } else if (ch === ',' && depth === 1) commas.push(i);
    }
  }
  return undefined;
}

/** The paths a word names: brace expansion applied unless quoted. */
export function wordPaths(word: Word): string[] {
  return word.quoted ? [word.text] : expandBraces(word.text);
}
