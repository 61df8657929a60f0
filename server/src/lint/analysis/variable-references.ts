import type { Node } from 'web-tree-sitter';
import type { Containerfile, Instruction } from '../model/containerfile';
import { shellParser } from '../shell/parser';
import type { Range } from '../types';

/** A `$NAME` / `${NAME...}` that the builder or the `RUN` shell expands. */
export interface VariableReference {
  name: string;
  /** The whole expansion (`${NAME}`), or the enclosing word when it cannot be narrowed. */
  range: Range;
}

/** Instructions whose arguments are expanded only when the container runs (from its environment, never from ARGs). */
const RUNTIME_ONLY = new Set(['FROM', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'SHELL', 'ONBUILD', 'MAINTAINER']);
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh']);

/**
 * Build-time variable references of one instruction (not `FROM`): what the builder expands in
 * `COPY`, `ENV`, `WORKDIR`, `LABEL`... (single-quoted text excluded), and what the shell of a `RUN`
 * expands from its environment (where ARGs and ENVs are). Names that a `RUN` script assigns
 * itself (`kver=...`, `for f in`, `read x`) are shell variables and left out.
 */
export function variableReferences(file: Containerfile, instruction: Instruction): VariableReference[] {
  let refs = cache.get(instruction);
  if (!refs) cache.set(instruction, (refs = computeReferences(file, instruction)));
  return refs;
}

/** Several rules ask about the same instructions within one lint; instructions are new objects on every lint. */
const cache = new WeakMap<Instruction, VariableReference[]>();

function computeReferences(file: Containerfile, instruction: Instruction): VariableReference[] {
  if (RUNTIME_ONLY.has(instruction.keyword)) return [];
  const refs: VariableReference[] = [];
  // Flags (`--mount=...,id=${X}`, `--chown=${USER}`) are expanded by the builder.
  for (const variable of builderVariables(file, instruction)) {
    const inFlag = instruction.flags.some((f) => contains(f.range, variable.range));
    if (instruction.keyword !== 'RUN' || inFlag) refs.push(variable);
  }
  if (instruction.keyword === 'RUN') refs.push(...shellReferences(file, instruction));
  return refs;
}

function contains(outer: Range, inner: Range): boolean {
  const before = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

interface AstVariable {
  getName(): string;
  getRange(): Range;
}

/** Variables the builder itself expands, outside single quotes and inline (heredoc) file bodies. */
function builderVariables(file: Containerfile, instruction: Instruction): VariableReference[] {
  const variables = (instruction.ast as unknown as { getVariables(): AstVariable[] }).getVariables();
  const heredocs = (instruction.ast as unknown as { getHeredocs?(): Array<{ getStartRange(): Range }> }).getHeredocs?.() ?? [];
  const firstBodyLine = heredocs.length > 0 ? heredocs[0].getStartRange().start.line + 1 : Infinity;
  const start = file.lines.offsetAt(instruction.range.start);
  return variables
    .filter((v) => v.getRange().start.line < firstBodyLine)
    .filter((v) => !inSingleQuotes(file.text.slice(start, file.lines.offsetAt(v.getRange().start))))
    .map((v) => ({ name: v.getName(), range: v.getRange() }));
}

/** Whether the end of `prefix` is inside a single-quoted string (Dockerfile word rules). */
function inSingleQuotes(prefix: string): boolean {
  let single = false;
  let double = false;
  for (let i = 0; i < prefix.length; i++) {
    const ch = prefix[i];
    if (ch === '\\' && !single) i++;
    else if (ch === "'" && !double) single = !single;
    else if (ch === '"' && !single) double = !double;
    else if (ch === '\n') single = double = false;
  }
  return single;
}

/** `$X` in the shell text of a RUN (shell form, `RUN <<EOF`, `sh -c` exec form). */
function shellReferences(file: Containerfile, instruction: Instruction): VariableReference[] {
  const run = instruction.run;
  if (!run) return [];
  const scripts: Array<{ text: string; map: (start: number, end: number) => Range }> = [];
  const lines = file.lines;
  if (run.execForm) {
    const argv = parseJsonArray(file.text.slice(lines.offsetAt(instruction.argumentsRange.start), lines.offsetAt(instruction.range.end)));
    const shell = argv && SHELLS.has(basename(argv[0] ?? ''));
    const c = argv?.findIndex((a, i) => i > 0 && /^-[a-zA-Z]*c[a-zA-Z]*$/.test(a)) ?? -1;
    if (!argv || !shell || c < 0 || argv[c + 1] === undefined) return [];
    scripts.push({ text: argv[c + 1], map: () => instruction.argumentsRange });
  } else if (run.heredocScript) {
    const heredocs = (instruction.ast as unknown as { getHeredocs(): Array<{ getContentRange(): Range | null }> }).getHeredocs();
    for (const heredoc of heredocs) {
      const range = heredoc.getContentRange();
      if (!range) continue;
      const offset = lines.offsetAt(range.start);
      scripts.push({ text: file.text.slice(offset, lines.offsetAt(range.end)), map: (s, e) => lines.rangeOf(offset + s, offset + e) });
    }
  } else {
    const offset = lines.offsetAt(instruction.argumentsRange.start);
    scripts.push({ text: file.text.slice(offset, lines.offsetAt(instruction.range.end)), map: (s, e) => lines.rangeOf(offset + s, offset + e) });
  }

  const refs: Array<{ name: string; range: Range }> = [];
  const assigned = new Set<string>();
  for (const script of scripts) collect(script.text, script.map, refs, assigned, 0);
  return refs.filter((r) => !assigned.has(r.name));
}

function collect(text: string, map: (start: number, end: number) => Range, refs: VariableReference[], assigned: Set<string>, depth: number): void {
  const tree = shellParser().parse(text);
  if (!tree) return;
  try {
    const visit = (node: Node): void => {
      switch (node.type) {
        case 'comment':
          return;
        case 'variable_name': {
          const parent = node.parent?.type;
          const name = node.text;
          if (parent === 'variable_assignment' || parent === 'for_statement' || parent === 'declaration_command' || parent === 'unset_command') assigned.add(name);
          else refs.push({ name, range: map(node.startIndex, node.endIndex) });
          return;
        }
        case 'simple_expansion':
        case 'expansion': {
          const name = node.namedChildren.find((c) => c?.type === 'variable_name');
          if (name) refs.push({ name: name.text, range: map(node.startIndex, node.endIndex) });
          for (const child of node.namedChildren) if (child && child !== name) visit(child);
          return;
        }
        case 'command': {
          const words = node.namedChildren.filter((c): c is Node => c !== null && c.type !== 'variable_assignment' && !c.type.endsWith('redirect'));
          const command = basename(words[0]?.text ?? '');
          // `read [-r] NAME...` assigns.
          if (command === 'read' || command === 'mapfile' || command === 'readarray') {
            for (const word of words.slice(1)) if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(word.text)) assigned.add(word.text);
          }
          // `sh -c '...'`: the inner shell expands the single-quoted script.
          if (SHELLS.has(command) && depth < 3) {
            const c = words.findIndex((w, i) => i > 0 && /^-[a-zA-Z]*c[a-zA-Z]*$/.test(w.text));
            const script = c > 0 ? words[c + 1] : undefined;
            if (script?.type === 'raw_string') {
              const inner = script.text.slice(1, -1);
              const base = script.startIndex + 1;
              collect(inner, (s, e) => map(base + s, base + e), refs, assigned, depth + 1);
            }
          }
          break;
        }
      }
      for (const child of node.namedChildren) if (child) visit(child);
    };
    visit(tree.rootNode);
  } finally {
    tree.delete();
  }
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function parseJsonArray(source: string): string[] | undefined {
  try {
    const value: unknown = JSON.parse(source.replace(/\\\r?\n/g, ''));
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
  } catch {
    return undefined;
  }
}
