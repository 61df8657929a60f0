import type { Containerfile } from '../model/containerfile';
import type { ShellCommand, Word } from '../shell/script';
import { resolvePath } from '../shell/script';
import type { Range } from '../types';
import { parseArgs } from './commands';

/**
 * File content reconstructed from a Containerfile (heredocs, `echo`/`printf` output), with the
 * file offset each character came from where it is written verbatim, so that findings can
 * underline a value inside the content and fixes can edit it in place.
 */
export interface MappedText {
  text: string;
  /** File offset of each character of `text`, or undefined (escape sequences, substituted variables). */
  offsets: Array<number | undefined>;
}

export function unmapped(text: string): MappedText {
  return { text, offsets: new Array<number | undefined>(text.length).fill(undefined) };
}

export function concat(parts: MappedText[]): MappedText {
  return { text: parts.map((p) => p.text).join(''), offsets: parts.flatMap((p) => p.offsets) };
}

/** Text that appears verbatim in the file from `range.start` on (a heredoc body). */
export function verbatimText(file: Containerfile, text: string, range: Range): MappedText {
  const start = file.lines.offsetAt(range.start);
  if (!file.text.startsWith(text, start)) return unmapped(text);
  const offsets = new Array<number | undefined>(text.length);
  for (let i = 0; i < text.length; i++) offsets[i] = start + i;
  return { text, offsets };
}

/** The file range of `text[start, end)`, when those characters are contiguous in the file. */
export function mappedRange(file: Containerfile, mapped: MappedText, start: number, end: number): Range | undefined {
  if (end <= start) return undefined;
  const first = mapped.offsets[start];
  const last = mapped.offsets[end - 1];
  if (first === undefined || last === undefined || last - first !== end - 1 - start) return undefined;
  for (let i = start; i < end; i++) if (mapped.offsets[i] !== first + (i - start)) return undefined;
  return file.lines.rangeOf(first, last + 1);
}

/** A word's static value with the file offset of each character (quotes and escapes removed). */
export function wordText(word: Word, file: Containerfile): MappedText {
  const offsets = wordOffsets(word, file);
  return offsets ? { text: word.text, offsets } : unmapped(word.text);
}

function wordOffsets(word: Word, file: Containerfile): Array<number | undefined> | undefined {
  const raw = word.raw;
  const base = file.lines.offsetAt(word.range.start);
  if (file.text.slice(base, base + raw.length) !== raw) return undefined;
  let text = '';
  const offsets: number[] = [];
  const push = (ch: string, at: number) => {
    text += ch;
    offsets.push(base + at);
  };
  let state: 'none' | 'single' | 'double' = 'none';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (state === 'single') {
      if (ch === "'") state = 'none';
      else push(ch, i);
    } else if (state === 'double') {
      if (ch === '"') state = 'none';
      else if (ch === '$' || ch === '`') return undefined;
      else if (ch === '\\' && i + 1 < raw.length && '$`"\\\n'.includes(raw[i + 1])) {
        if (raw[i + 1] !== '\n') push(raw[i + 1], i + 1);
        i++;
      } else push(ch, i);
    } else if (ch === "'") state = 'single';
    else if (ch === '"') state = 'double';
    else if (ch === '$' || ch === '`') return undefined;
    else if (ch === '\\' && i + 1 < raw.length) {
      if (raw[i + 1] !== '\n') push(raw[i + 1], i + 1);
      i++;
    } else push(ch, i);
  }
  return text === word.text ? offsets : undefined;
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', e: '\x1b', E: '\x1b', '\\': '\\', '"': '"', "'": "'" };

/**
 * Interprets backslash escapes (`printf` formats, `%b`, `echo -e`).
 * Returns undefined at `\c` handling we do not model.
 */
function unescape(input: MappedText, mode: 'printf' | 'echo'): MappedText | undefined {
  let text = '';
  const offsets: Array<number | undefined> = [];
  const s = input.text;
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '\\' || i + 1 >= s.length) {
      text += s[i];
      offsets.push(input.offsets[i]);
      continue;
    }
    const next = s[i + 1];
    if (next in SIMPLE_ESCAPES && !(mode === 'echo' && (next === '"' || next === "'"))) {
      text += SIMPLE_ESCAPES[next];
      offsets.push(undefined);
      i++;
    } else if (next === 'c') {
      return undefined;
    } else if (/[0-7]/.test(next) || (next === 'x' && /[0-9a-fA-F]/.test(s[i + 2] ?? ''))) {
      const match = next === 'x' ? /^x([0-9a-fA-F]{1,2})/.exec(s.slice(i + 1)) : mode === 'echo' ? /^0([0-7]{0,3})/.exec(s.slice(i + 1)) : /^([0-7]{1,3})/.exec(s.slice(i + 1));
      if (!match) {
        text += s[i];
        offsets.push(input.offsets[i]);
        continue;
      }
      text += String.fromCharCode(parseInt(match[1] || '0', next === 'x' ? 16 : 8));
      offsets.push(undefined);
      i += match[0].length;
    } else {
      text += s[i];
      offsets.push(input.offsets[i]);
    }
  }
  return { text, offsets };
}

/** What `echo ...` prints (bash's builtin: escapes only with `-e`), or undefined when not static. */
export function echoOutput(command: ShellCommand, file: Containerfile): MappedText | undefined {
  let newline = true;
  let escapes = false;
  let i = 0;
  const args = command.args;
  for (; i < args.length && /^-[neE]+$/.test(args[i].text); i++) {
    for (const flag of args[i].text.slice(1)) {
      if (flag === 'n') newline = false;
      else if (flag === 'e') escapes = true;
      else escapes = false;
    }
  }
  const parts: MappedText[] = [];
  for (const [k, word] of args.slice(i).entries()) {
    if (word.dynamic) return undefined;
    if (k > 0) parts.push(unmapped(' '));
    parts.push(wordText(word, file));
  }
  let out: MappedText | undefined = concat(parts);
  if (escapes) out = unescape(out, 'echo');
  if (!out) return undefined;
  return newline ? concat([out, unmapped('\n')]) : out;
}

/** What `printf FORMAT ARGS...` prints, for `%s`, `%b`, `%d`, `%c`, `%%` without width or precision. */
export function printfOutput(command: ShellCommand, file: Containerfile): MappedText | undefined {
  let args = command.args;
  if (args[0]?.text === '--') args = args.slice(1);
  if (args.length === 0 || args.some((a) => a.dynamic) || args[0].text.startsWith('-')) return undefined;
  const format = unescape(wordText(args[0], file), 'printf');
  if (!format) return undefined;
  const values = args.slice(1);
  let next = 0;
  const parts: MappedText[] = [];
  for (let pass = 0; pass < 64; pass++) {
    let consumed = false;
    let literal = { text: '', offsets: [] as Array<number | undefined> };
    const flush = () => {
      if (literal.text) parts.push(literal);
      literal = { text: '', offsets: [] };
    };
    for (let i = 0; i < format.text.length; i++) {
      const ch = format.text[i];
      if (ch !== '%') {
        literal.text += ch;
        literal.offsets.push(format.offsets[i]);
        continue;
      }
      const conversion = format.text[i + 1];
      i++;
      if (conversion === '%') {
        literal.text += '%';
        literal.offsets.push(format.offsets[i]);
        continue;
      }
      flush();
      const value = values[next];
      if (value) {
        next++;
        consumed = true;
      }
      const valueText = value ? wordText(value, file) : unmapped('');
      if (conversion === 's') parts.push(valueText);
      else if (conversion === 'b') {
        const out = unescape(valueText, 'echo');
        if (!out) return undefined;
        parts.push(out);
      } else if (conversion === 'd' || conversion === 'i') {
        if (value && !/^[+-]?\d+$/.test(value.text)) return undefined;
        parts.push(unmapped(value ? String(parseInt(value.text, 10)) : '0'));
      } else if (conversion === 'c') parts.push({ text: valueText.text.slice(0, 1), offsets: valueText.offsets.slice(0, 1) });
      else return undefined;
    }
    flush();
    if (!consumed || next >= values.length) break;
  }
  return concat(parts);
}

/** A file written by a command with content we can reconstruct (or unknown content). */
export interface ContentWrite {
  /** Absolute path written. */
  path: string;
  /** Undefined when the content cannot be known statically. */
  content: MappedText | undefined;
  append: boolean;
  /** The word naming the file (what to underline when the content has no better place). */
  target: Word;
}

/**
 * Writes by `echo`/`printf`/`cat <<EOF` redirected to a file, and by `tee` fed a heredoc or a pipe.
 * @param accept only the writes to paths it accepts are returned (the content of the others is
 *   not reconstructed: most writes of a file are of no interest to a rule looking for one directory)
 */
export function contentWrites(command: ShellCommand, commands: readonly ShellCommand[], file: Containerfile, accept?: (path: string) => boolean): ContentWrite[] {
  if (command.redirects.length === 0 && command.name !== 'tee') return [];
  const result: ContentWrite[] = [];
  const cwd = command.cwd;
  for (const redirect of command.redirects) {
    if (!redirect.target || !OUTPUT_OPERATOR.test(redirect.operator) || (redirect.descriptor !== undefined && redirect.descriptor !== '1')) continue;
    const target = redirect.target.dynamic ? undefined : resolvePath(redirect.target.text, cwd);
    if (!target || (accept && !accept(target))) continue;
    result.push({ path: target, content: produced(command, file), append: redirect.operator.endsWith('>>'), target: redirect.target });
  }
  if (command.name === 'tee') {
    const parsed = parseArgs(command.args);
    const append = parsed.options.has('-a') || parsed.options.has('--append');
    const targets: Array<[string, Word]> = [];
    for (const operand of parsed.operands) {
      const target = operand.dynamic ? undefined : resolvePath(operand.text, cwd);
      if (target && (!accept || accept(target))) targets.push([target, operand]);
    }
    if (targets.length > 0) {
      let content: MappedText | undefined;
      if (command.heredoc) content = heredocContent(command, file);
      else {
        const previous = commands[commands.indexOf(command) - 1];
        if (previous && pipedInto(previous, command, file)) content = previous.name === 'echo' ? echoOutput(previous, file) : previous.name === 'printf' ? printfOutput(previous, file) : undefined;
      }
      for (const [target, operand] of targets) result.push({ path: target, content, append, target: operand });
    }
  }
  return result;
}

const OUTPUT_OPERATOR = /^(>|>\||>>|&>|&>>)$/;

/** What the command writes to standard output, when we can tell. */
function produced(command: ShellCommand, file: Containerfile): MappedText | undefined {
  if (command.name === 'echo') return echoOutput(command, file);
  if (command.name === 'printf') return printfOutput(command, file);
  if (command.name === 'cat' && command.heredoc && command.args.every((a) => a.text === '-')) return heredocContent(command, file);
  return undefined;
}

function heredocContent(command: ShellCommand, file: Containerfile): MappedText | undefined {
  const heredoc = command.heredoc!;
  // An unquoted delimiter lets the shell expand `$`, backquotes and backslashes in the body.
  if (!heredoc.quoted && /[$`\\]/.test(heredoc.body)) return undefined;
  return verbatimText(file, heredoc.body, heredoc.range);
}

/** `a | b`: only a pipe between the two commands' texts. */
function pipedInto(previous: ShellCommand, command: ShellCommand, file: Containerfile): boolean {
  if (previous.inSubstitution !== command.inSubstitution || previous.redirects.length > 0) return false;
  const between = file.text.slice(file.lines.offsetAt(previous.range.end), file.lines.offsetAt(command.range.start));
  return /^[\s\\]*\|[\s\\]*$/.test(between) && !between.includes('||');
}
