/** Building findings: offsets to positions, ranges on a line, and findings with their default severity. */
import { companionRuleById } from './rules';
import type { Finding, Fix, Position, Range, Severity, TextEdit } from './types';

/** Converts between string offsets and zero-based line/character positions of one text. */
export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    for (let offset = 0; offset < text.length; offset++) {
      if (text.charCodeAt(offset) === 10) this.lineStarts.push(offset + 1);
    }
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.lineStarts[middle] <= clamped) low = middle;
      else high = middle - 1;
    }
    return { line: low, character: clamped - this.lineStarts[low] };
  }

  rangeAt(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  /** From an offset to the end of its line (trailing spaces excluded): where a parse error is shown. */
  restOfLine(offset: number): Range {
    let end = this.text.indexOf('\n', offset);
    if (end < 0) end = this.text.length;
    while (end > offset && /\s/.test(this.text[end - 1])) end--;
    return this.rangeAt(offset, end);
  }

  /** The offset where a line starts (the text length past the last line). */
  lineStart(line: number): number {
    return line < this.lineStarts.length ? this.lineStarts[line] : this.text.length;
  }
}

/** The lines of a text without their line ending (`\r\n` or `\n`). */
export function textLines(text: string): string[] {
  return text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

/** A range inside one line. */
export function lineRange(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

export function replace(range: Range, newText: string): TextEdit {
  return { range, newText };
}

export function insertAt(position: Position, newText: string): TextEdit {
  return { range: { start: position, end: position }, newText };
}

/** A fix made of edits; the only fix of a finding is preferred unless said otherwise. */
export function fix(title: string, edits: TextEdit[], preferred = true): Fix {
  return { title, edits, preferred };
}

/**
 * A finding with the check's default severity (or `severity` when this finding differs from the
 * default, e.g. a deprecated tmpfiles type that still works). Options apply later, in index.ts.
 */
export function finding(ruleId: string, message: string, range: Range, fixes: Fix[] = [], severity?: Severity): Finding {
  const rule = companionRuleById(ruleId);
  if (!rule) throw new Error(`unknown companion check ${ruleId}`);
  return { ruleId, severity: severity ?? rule.defaultSeverity, message, range, fixes };
}

/** Edit distance (insertions, deletions, substitutions, adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, row) => [row, ...Array<number>(b.length).fill(0)]);
  for (let column = 1; column <= b.length; column++) rows[0][column] = column;
  for (let row = 1; row <= a.length; row++) {
    for (let column = 1; column <= b.length; column++) {
      const cost = a[row - 1] === b[column - 1] ? 0 : 1;
      rows[row][column] = Math.min(rows[row - 1][column] + 1, rows[row][column - 1] + 1, rows[row - 1][column - 1] + cost);
      if (row > 1 && column > 1 && a[row - 1] === b[column - 2] && a[row - 2] === b[column - 1]) {
        rows[row][column] = Math.min(rows[row][column], rows[row - 2][column - 2] + 1);
      }
    }
  }
  return rows[a.length][b.length];
}

/** The known key a misspelt one most likely meant: an alias, or the closest key within a small distance. */
export function didYouMean(key: string, known: readonly string[], aliases: Readonly<Record<string, string>> = {}): string | undefined {
  const lower = key.toLowerCase();
  const alias = Object.hasOwn(aliases, lower) ? aliases[lower] : undefined;
  if (alias && known.includes(alias)) return alias;
  const normalized = lower.replace(/[-_]/g, '');
  const sameLetters = known.find((candidate) => candidate.replace(/[-_]/g, '') === normalized);
  if (sameLetters) return sameLetters;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(lower, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = key.length <= 4 ? 1 : key.length <= 8 ? 2 : 3;
  return bestDistance <= allowed ? best : undefined;
}
