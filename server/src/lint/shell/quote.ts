/** Quotes a string for a POSIX shell (single quotes unless it is plainly safe). Moved out of analysis/command-text.ts (which re-exports it) so the client can use it without the parser. */
export function shellQuote(text: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
