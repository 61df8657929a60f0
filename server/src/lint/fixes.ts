import type { Containerfile, Instruction } from './model/containerfile';
import type { Finding, Fix, Position, Range, TextEdit } from './types';
import { comparePositions, LineIndex } from './text';

/** Building blocks for the rules' fixes, so that every fix keeps the file's layout the same way. */

export function replace(range: Range, newText: string): TextEdit {
  return { range, newText };
}

export function insert(position: Position, newText: string): TextEdit {
  return { range: { start: position, end: position }, newText };
}

/** Deletes the instruction's whole lines. */
export function removeInstruction(file: Containerfile, instruction: Instruction): TextEdit {
  const start = { line: instruction.range.start.line, character: 0 };
  const nextLine = instruction.range.end.line + 1;
  const end = nextLine < file.lines.lineCount ? { line: nextLine, character: 0 } : { line: instruction.range.end.line, character: file.lines.lineText(instruction.range.end.line).length };
  return { range: { start, end }, newText: '' };
}

/** Replaces the instruction's text (from its keyword to its end). */
export function replaceInstruction(instruction: Instruction, newText: string): TextEdit {
  return { range: instruction.range, newText };
}

/** Inserts whole lines after the instruction. */
export function insertLinesAfter(file: Containerfile, instruction: Instruction, lines: string): TextEdit {
  const line = instruction.range.end.line;
  const end = { line, character: file.lines.lineText(line).length };
  return insert(end, `\n${lines}`);
}

/** Inserts whole lines before the instruction, with its indentation. */
export function insertLinesBefore(file: Containerfile, instruction: Instruction, lines: string): TextEdit {
  const indent = /^\s*/.exec(file.lines.lineText(instruction.range.start.line))?.[0] ?? '';
  return insert({ line: instruction.range.start.line, character: 0 }, lines.split('\n').map((l) => indent + l).join('\n') + '\n');
}

/**
 * Appends a command to the end of a RUN's chain, keeping its layout:
 * `RUN a && b` → `RUN a && b && cmd`; continued lines get a new continued line in the
 * same style (`&& cmd` leading or `&& \` trailing); a `RUN <<EOF` script gets a new line.
 */
export function appendToRun(file: Containerfile, instruction: Instruction, command: string): TextEdit | undefined {
  const run = instruction.run;
  const end = run?.script.end;
  if (!run || !end || run.execForm) return undefined;
  if (run.heredocScript) {
    const indent = /^\s*/.exec(file.lines.lineText(end.line))?.[0] ?? '';
    return insert({ line: end.line, character: file.lines.lineText(end.line).length }, `\n${indent}${command}`);
  }
  const first = instruction.range.start.line;
  if (end.line === first) return insert(end, ` && ${command}`);
  const lastLine = file.lines.lineText(end.line);
  // The previous code line (comment lines inside a continued RUN are dropped by the builder).
  let previous = end.line - 1;
  while (previous > first && /^\s*#/.test(file.lines.lineText(previous))) previous--;
  const previousLine = file.lines.lineText(previous);
  const indent = /^\s*/.exec(lastLine)?.[0] ?? '    ';
  if (/^\s*(&&|\|\||;)/.test(lastLine)) return insert(end, ` \\\n${indent}&& ${command}`);
  if (/(&&|;)\s*\\\s*$/.test(previousLine)) return insert(end, ` && \\\n${indent}${command}`);
  return insert(end, ` \\\n${indent}&& ${command}`);
}

/** Applies non-overlapping edits to text (later edits first). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const sorted = [...edits].sort((a, b) => comparePositions(b.range.start, a.range.start) || comparePositions(b.range.end, a.range.end));
  let result = text;
  for (const edit of sorted) {
    result = result.slice(0, lines.offsetAt(edit.range.start)) + edit.newText + result.slice(lines.offsetAt(edit.range.end));
  }
  return result;
}

/**
 * Picks each finding's first fix, skipping fixes that overlap an already chosen one
 * (they are applied on the next pass, after re-linting).
 */
export function nonOverlappingFixes(findings: readonly Finding[]): Fix[] {
  const chosen: Fix[] = [];
  const taken: Range[] = [];
  const overlaps = (a: Range, b: Range) =>
    comparePositions(a.start, b.end) < 0 && comparePositions(b.start, a.end) < 0 ||
    (comparePositions(a.start, a.end) === 0 || comparePositions(b.start, b.end) === 0) && comparePositions(a.start, b.end) <= 0 && comparePositions(b.start, a.end) <= 0;
  for (const finding of findings) {
    const fix = finding.fixes[0];
    if (!fix || fix.edits.length === 0) continue;
    if (fix.edits.some((e) => taken.some((t) => overlaps(e.range, t)))) continue;
    chosen.push(fix);
    taken.push(...fix.edits.map((e) => e.range));
  }
  return chosen;
}
