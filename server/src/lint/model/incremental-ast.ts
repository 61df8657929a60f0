import { DockerfileParser, Instruction, type Argument, type Dockerfile } from 'dockerfile-ast';

/**
 * dockerfile-ast tokenises an instruction's arguments anew for every call that needs them:
 * four times in a row for each `RUN` while it parses (its exec-form check), most of the
 * parse, and again for each `getArguments()`, `getArgumentsContent()` or `getHeredocs()`
 * after it. An instruction's text does not change, so within `reusingArguments` the last
 * instruction's result is reused (copied: callers shift the flags off the array). Only the
 * last one: the calls come in runs per instruction, and keeping every result alive would
 * only give the garbage collector more to copy. Outside, every call computes fresh objects
 * as before (`From` edits the ranges it gets back).
 */
let reusing = false;
let lastInstruction: Instruction | undefined;
let lastArguments: Argument[] = [];
const prototype = Instruction.prototype as unknown as { getRawArguments(this: Instruction): Argument[] };
const tokenise = prototype.getRawArguments;
prototype.getRawArguments = function (this: Instruction): Argument[] {
  if (!reusing) return tokenise.call(this);
  if (lastInstruction !== this) {
    lastArguments = tokenise.call(this);
    lastInstruction = this;
  }
  return lastArguments.slice();
};

/** Runs `work` (parsing, building the model: nothing that edits what dockerfile-ast returns) with arguments tokenised once per instruction. */
export function reusingArguments<T>(work: () => T): T {
  if (reusing) return work();
  reusing = true;
  try {
    return work();
  } finally {
    reusing = false;
    lastInstruction = undefined;
    lastArguments = [];
  }
}

function parseText(text: string): Dockerfile {
  return reusingArguments(() => DockerfileParser.parse(text));
}

interface Snapshot {
  text: string;
  /** The last full parse: comments, directives and the escape character come from it. */
  base: Dockerfile;
  instructions: Instruction[];
}

const MAX_SNAPSHOTS = 4;

/**
 * Re-parses only the instruction an edit touched. Typing in the editor changes one
 * instruction at a time; parsing the whole file again with dockerfile-ast is most of the
 * cost of a re-lint. An edit qualifies when it keeps the number of lines, stays inside the
 * lines of one instruction, and neither the old nor the new lines hold a comment, a heredoc
 * or a continuation into the next line; anything else is parsed in full. The re-parsed
 * instruction is parsed at its own line numbers (preceded by blank lines), so its ranges
 * are exact.
 */
export class IncrementalParser {
  private snapshots: Snapshot[] = [];

  parse(text: string): Dockerfile {
    for (let i = 0; i < this.snapshots.length; i++) {
      const snapshot = this.snapshots[i];
      const instructions = snapshot.text === text ? snapshot.instructions : reparse(snapshot, text);
      if (!instructions) continue;
      this.remember({ text, base: snapshot.base, instructions }, i);
      return withInstructions(snapshot.base, instructions);
    }
    const ast = parseText(text);
    this.remember({ text, base: ast, instructions: ast.getInstructions() });
    return ast;
  }

  private remember(snapshot: Snapshot, replacing?: number): void {
    if (replacing !== undefined) this.snapshots.splice(replacing, 1);
    this.snapshots.unshift(snapshot);
    this.snapshots.length = Math.min(this.snapshots.length, MAX_SNAPSHOTS);
  }
}

/** Parses a whole file; with a parser, reuses what an earlier parse of a similar text found. */
export function parseDockerfile(text: string, parser?: IncrementalParser): Dockerfile {
  return parser ? parser.parse(text) : parseText(text);
}

function withInstructions(base: Dockerfile, instructions: Instruction[]): Dockerfile {
  if (base.getInstructions() === instructions) return base;
  const view = Object.create(base) as Dockerfile;
  view.getInstructions = () => instructions;
  return view;
}

function countLineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

function lineStartOffset(text: string, line: number): number {
  let offset = 0;
  for (let l = 0; l < line; l++) {
    offset = text.indexOf('\n', offset) + 1;
    if (offset === 0) return -1;
  }
  return offset;
}

/** Comment lines (the builder strips them inside instructions), heredocs and CRs need the full parser. */
const UNSAFE = /^[ \t]*#|<<|\r/m;
/** A last line that continues would swallow the next instruction. */
const CONTINUES = /\\[ \t]*$/;

function reparse(snapshot: Snapshot, text: string): Instruction[] | undefined {
  const old = snapshot.text;
  if (snapshot.base.getEscapeCharacter() !== '\\') return undefined;
  const limit = Math.min(old.length, text.length);
  let start = 0;
  while (start < limit && old.charCodeAt(start) === text.charCodeAt(start)) start++;
  let oldEnd = old.length;
  let newEnd = text.length;
  while (oldEnd > start && newEnd > start && old.charCodeAt(oldEnd - 1) === text.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  const changedLines = countLineBreaks(old, start, oldEnd);
  if (changedLines !== countLineBreaks(text, start, newEnd)) return undefined;
  const firstLine = countLineBreaks(old, 0, start);
  const lastLine = firstLine + changedLines;

  // The instruction whose lines hold the whole change (binary search by start line).
  const instructions = snapshot.instructions;
  let low = 0;
  let high = instructions.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (instructions[mid].getRange().start.line <= firstLine) low = mid;
    else high = mid - 1;
  }
  const index = low;
  const target = instructions[index];
  if (!target) return undefined;
  const { start: from, end: to } = target.getRange();
  if (from.line > firstLine || lastLine > to.line) return undefined;

  const oldStart = lineStartOffset(old, from.line);
  const newStart = lineStartOffset(text, from.line);
  if (oldStart < 0 || newStart < 0) return undefined;
  const lineEnd = (source: string, offset: number) => {
    let end = offset;
    for (let l = from.line; l <= to.line; l++) {
      const next = source.indexOf('\n', end);
      if (next < 0) return source.length;
      end = l === to.line ? next : next + 1;
    }
    return end;
  };
  const oldChunk = old.slice(oldStart, lineEnd(old, oldStart));
  const newChunk = text.slice(newStart, lineEnd(text, newStart));
  if (UNSAFE.test(oldChunk) || UNSAFE.test(newChunk) || CONTINUES.test(newChunk) || CONTINUES.test(oldChunk)) return undefined;

  const parsed = parseText('\n'.repeat(from.line) + newChunk);
  const fresh = parsed.getInstructions();
  if (fresh.length !== 1 || parsed.getComments().length > 0 || parsed.getDirectives().length > 0) return undefined;
  const range = fresh[0].getRange();
  if (range.start.line !== from.line || range.end.line !== to.line) return undefined;
  const result = instructions.slice();
  result[index] = fresh[0];
  return result;
}
