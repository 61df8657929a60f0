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
  // What the builder expands, flags included (`--mount=...,id=${X}`, `--chown=${USER}`).
  refs.push(...builderVariables(file, instruction));
  if (instruction.keyword === 'RUN') refs.push(...shellReferences(file, instruction));
  return refs;
}

/** Variables the builder itself expands, outside single quotes and inline (heredoc) file bodies. */
function builderVariables(file: Containerfile, instruction: Instruction): VariableReference[] {
  const lines = file.lines;
  const heredocs = (instruction.ast as unknown as { getHeredocs?(): Array<{ getStartRange(): Range }> }).getHeredocs?.() ?? [];
  const firstBodyLine = heredocs.length > 0 ? heredocs[0].getStartRange().start.line + 1 : Infinity;
  // For a RUN only the flags: the shell, not the builder, expands the command.
  const spans: Range[] = instruction.keyword === 'RUN' ? instruction.flags.map((f) => f.range) : [{ start: instruction.range.start, end: instruction.range.end }];
  const refs: VariableReference[] = [];
  for (const span of spans) {
    const start = lines.offsetAt(span.start);
    const endLine = Math.min(span.end.line, firstBodyLine - 1);
    const end = endLine < span.end.line ? lines.lineEnd(endLine) : lines.offsetAt(span.end);
    for (const found of scanVariables(file.text.slice(start, end))) {
      refs.push({ name: found.name, range: lines.rangeOf(start + found.start, start + found.end) });
    }
  }
  return refs;
}

/** `$NAME` and `${NAME...}` in Dockerfile word syntax: not in single quotes, not escaped with a backslash. */
function scanVariables(text: string): Array<{ name: string; start: number; end: number }> {
  const found: Array<{ name: string; start: number; end: number }> = [];
  let single = false;
  let double = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && !single) {
      i++;
    } else if (ch === "'" && !double) {
      single = !single;
    } else if (ch === '"' && !single) {
      double = !double;
    } else if (ch === '\n') {
      single = double = false;
    } else if (ch === '$' && !single) {
      const braced = text[i + 1] === '{';
      let j = braced ? i + 2 : i + 1;
      const nameStart = j;
      while (j < text.length && /[A-Za-z0-9_]/.test(text[j]) && (j > nameStart || /[A-Za-z_]/.test(text[j]))) j++;
      if (j === nameStart) continue;
      const name = text.slice(nameStart, j);
      if (braced) {
        let depth = 1;
        while (j < text.length && depth > 0) {
          if (text[j] === '{') depth++;
          else if (text[j] === '}') depth--;
          j++;
        }
      }
      found.push({ name, start: i, end: j });
      if (!braced) i = j - 1;
      else i = nameStart + name.length - 1; // nested `${A:-$B}` is scanned too
    }
  }
  return found;
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
    // Iterative pre-order walk: a chain of 10k `&&` commands nests 10k deep.
    const stack: Node[] = [tree.rootNode];
    const pushChildren = (node: Node, except?: Node) => {
      const children = node.namedChildren;
      for (let i = children.length - 1; i >= 0; i--) {
        const child = children[i];
        if (child && child !== except) stack.push(child);
      }
    };
    for (let node = stack.pop(); node; node = stack.pop()) {
      switch (node.type) {
        case 'comment':
          continue;
        case 'variable_name': {
          const parent = node.parent?.type;
          const name = node.text;
          if (parent === 'variable_assignment' || parent === 'for_statement' || parent === 'declaration_command' || parent === 'unset_command') assigned.add(name);
          else refs.push({ name, range: map(node.startIndex, node.endIndex) });
          continue;
        }
        case 'simple_expansion':
        case 'expansion': {
          const name = node.namedChildren.find((c) => c?.type === 'variable_name') ?? undefined;
          if (name) refs.push({ name: name.text, range: map(node.startIndex, node.endIndex) });
          pushChildren(node, name);
          continue;
        }
        case 'command':
          commandEffects(node, map, refs, assigned, depth);
          break;
      }
      pushChildren(node);
    }
  } finally {
    tree.delete();
  }
}

const WRAPPERS = new Set(['sudo', 'env', 'nice', 'time', 'exec', 'command', 'nohup', 'doas']);

/** `read NAME` assigns; `sh -c '...'` (also behind `sudo`/`env`) runs a script whose expansions count. */
function commandEffects(node: Node, map: (start: number, end: number) => Range, refs: VariableReference[], assigned: Set<string>, depth: number): void {
  const words = node.namedChildren.filter((c): c is Node => c !== null && c.type !== 'variable_assignment' && !c.type.endsWith('redirect'));
  let k = 0;
  while (k < words.length - 1 && (WRAPPERS.has(basename(words[k].text)) || words[k].text.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[k].text))) k++;
  const command = basename(words[k]?.text ?? '');
  if (command === 'read' || command === 'mapfile' || command === 'readarray') {
    for (const word of words.slice(k + 1)) if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(word.text)) assigned.add(word.text);
  }
  if (SHELLS.has(command) && depth < 3) {
    const c = words.findIndex((w, i) => i > k && /^-[a-zA-Z]*c[a-zA-Z]*$/.test(w.text));
    const script = c > 0 ? words[c + 1] : undefined;
    if (script?.type === 'raw_string') {
      const base = script.startIndex + 1;
      collect(script.text.slice(1, -1), (s, e) => map(base + s, base + e), refs, assigned, depth + 1);
    }
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
