/** Build-time variables (ARG/ENV) and their substitution, as podman/buildah expand them. */

export type VariableKind = 'global-arg' | 'arg' | 'env';

export interface Variable {
  name: string;
  /** Known value, or undefined when declared without a default (set only by `--build-arg`). */
  value: string | undefined;
  kind: VariableKind;
}

export type Scope = ReadonlyMap<string, Variable>;

const VARIABLE_PATTERN = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

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
  const value = text.replace(VARIABLE_PATTERN, (match, braced: string | undefined, op: string | undefined, word: string | undefined, plain: string | undefined) => {
    const name = braced ?? plain ?? '';
    const variable = scope.get(name);
    const known = variable !== undefined && variable.value !== undefined;
    const current = known ? variable!.value! : undefined;
    switch (op) {
      case ':-':
        return current !== undefined && current !== '' ? current : substitute(word ?? '', scope).value;
      case '-':
        return variable !== undefined ? current ?? '' : substitute(word ?? '', scope).value;
      case ':+':
        return current !== undefined && current !== '' ? substitute(word ?? '', scope).value : '';
      case '+':
        return variable !== undefined ? substitute(word ?? '', scope).value : '';
      default:
        if (current !== undefined) return current;
        // Unknown, or an ARG without default that the user most likely passes: not static.
        unresolved = true;
        return match;
    }
  });
  return { value, unresolved };
}

/** Names referenced as `$X` / `${X...}` in the text. */
export function referencedVariables(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(VARIABLE_PATTERN)) names.push(m[1] ?? m[4]);
  return names;
}
