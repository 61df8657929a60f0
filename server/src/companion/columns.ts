/**
 * Whitespace column splitting as systemd does it for sysusers.d and tmpfiles.d lines: columns
 * are separated by spaces/tabs, and a column may be quoted ("…" or '…') to hold spaces.
 */

export interface Column {
  /** The column as written, quotes included. */
  raw: string;
  /** The column with quotes removed and backslash escapes resolved. */
  value: string;
  /** Character offsets of `raw` within the line. */
  start: number;
  end: number;
  quoted: boolean;
  /** A quote was opened and never closed. */
  unterminated: boolean;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", ' ': ' ' };

/** Splits one line (without its line ending) into columns. */
export function splitColumns(line: string): Column[] {
  const columns: Column[] = [];
  let offset = 0;
  while (offset < line.length) {
    while (offset < line.length && (line[offset] === ' ' || line[offset] === '\t')) offset++;
    if (offset >= line.length) break;
    const start = offset;
    let value = '';
    let quote: string | undefined;
    let quoted = false;
    while (offset < line.length) {
      const char = line[offset];
      if (quote) {
        if (char === '\\' && offset + 1 < line.length) {
          value += ESCAPES[line[offset + 1]] ?? line[offset + 1];
          offset += 2;
          continue;
        }
        if (char === quote) quote = undefined;
        else value += char;
        offset++;
        continue;
      }
      if (char === ' ' || char === '\t') break;
      if (char === '"' || char === "'") {
        quote = char;
        quoted = true;
        offset++;
        continue;
      }
      if (char === '\\' && offset + 1 < line.length) {
        value += ESCAPES[line[offset + 1]] ?? line[offset + 1];
        offset += 2;
        continue;
      }
      value += char;
      offset++;
    }
    columns.push({ raw: line.slice(start, offset), value, start, end: offset, quoted, unterminated: quote !== undefined });
  }
  return columns;
}

/** True for blank lines and `#` comments, which both file types ignore. */
export function isIgnoredLine(line: string): boolean {
  const trimmed = line.trim();
  return trimmed === '' || trimmed.startsWith('#');
}

/** Quotes a value for a column (double quotes, escaping backslashes and double quotes). */
export function quoteColumn(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
