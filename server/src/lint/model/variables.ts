/** Build-time variables (ARG/ENV) and their substitution, as podman/buildah expand them. */

export type VariableKind = 'global-arg' | 'arg' | 'env';

export interface Variable {
  name: string;
  /** Known value, or undefined when declared without a default (set only by `--build-arg`). */
  value: string | undefined;
  kind: VariableKind;
}

export type Scope = ReadonlyMap<string, Variable>;

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const BRACED = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([\s\S]*))?$/;

/** Index of the `}` closing the `{` at `open`, counting nested braces (`${A:-${B}-x}`), or -1. */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/**
 * Calls `visit` for each `$NAME` and `${NAME[op word]}` in order, with the raw text of the
 * expansion; other forms (`${#X}`, `${X/a/b}`, `$1`) and unterminated braces are left alone.
 */
function scanExpansions(text: string, visit: (start: number, end: number, name: string, op?: string, word?: string) => void): void {
  for (let i = text.indexOf('$'); i >= 0 && i < text.length; i = text.indexOf('$', i)) {
    if (text[i + 1] === '{') {
      const close = closingBrace(text, i + 1);
      if (close < 0) return;
      const match = BRACED.exec(text.slice(i + 2, close));
      if (match) visit(i, close + 1, match[1], match[2], match[3]);
      i = close + 1;
      continue;
    }
    NAME.lastIndex = i + 1;
    const name = NAME.exec(text)?.[0];
    if (name) visit(i, i + 1 + name.length, name);
    i += 1 + (name?.length ?? 0);
  }
}

export interface Substitution {
  value: string;
  /** True when a variable had no known value and was kept as written. */
  unresolved: boolean;
}

/**
 * Expands `$X`, `${X}`, `${X:-default}`, `${X-default}`, `${X:+alt}`, `${X+alt}`.
 * Unknown variables are kept verbatim so that callers can tell a path is not static.
 */
export function substitute(text: string, scope: Scope): Substitution {
  if (!text.includes('$')) return { value: text, unresolved: false };
  let unresolved = false;
  let value = '';
  let copied = 0;
  const nested = (word: string | undefined) => {
    const result = substitute(word ?? '', scope);
    unresolved ||= result.unresolved;
    return result.value;
  };
  scanExpansions(text, (start, end, name, op, word) => {
    const variable = scope.get(name);
    const current = variable?.value;
    let replacement: string;
    switch (op) {
      case ':-':
        replacement = current !== undefined && current !== '' ? current : nested(word);
        break;
      case '-':
        replacement = variable !== undefined ? current ?? '' : nested(word);
        break;
      case ':+':
        replacement = current !== undefined && current !== '' ? nested(word) : '';
        break;
      case '+':
        replacement = variable !== undefined ? nested(word) : '';
        break;
      default:
        if (current !== undefined) replacement = current;
        else {
          // Unknown, or an ARG without default that the user most likely passes: not static.
          unresolved = true;
          replacement = text.slice(start, end);
        }
    }
    value += text.slice(copied, start) + replacement;
    copied = end;
  });
  return { value: value + text.slice(copied), unresolved };
}

/** Names referenced as `$X` / `${X...}` in the text, nested defaults included. */
export function referencedVariables(text: string): string[] {
  const names: string[] = [];
  const collect = (part: string) =>
    scanExpansions(part, (_start, _end, name, _op, word) => {
      names.push(name);
      if (word) collect(word);
    });
  collect(text);
  return names;
}
