import type { Containerfile, Instruction } from '../model/containerfile';
import type { Range } from '../types';

/** A `$NAME` / `${NAME...}` that the builder or the `RUN` shell expands. */
export interface VariableReference {
  name: string;
  /** The whole expansion (`${NAME}`), or the enclosing word when it cannot be narrowed. */
  range: Range;
}

/** Instructions whose arguments are expanded only when the container runs (from its environment, never from ARGs). */
const RUNTIME_ONLY = new Set(['FROM', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'SHELL', 'ONBUILD', 'MAINTAINER']);

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
  if (instruction.keyword === 'RUN') refs.push(...shellReferences(instruction));
  return refs;
}

/** Variables the builder itself expands, outside single quotes and inline (heredoc) file bodies. */
function builderVariables(file: Containerfile, instruction: Instruction): VariableReference[] {
  const lines = file.lines;
  // dockerfile-ast re-tokenises the instruction for getHeredocs(): ask only when there can be one.
  const mayHaveHeredoc = instruction.range.end.line > instruction.range.start.line && lines.lineText(instruction.range.start.line).includes('<<');
  const heredocs = mayHaveHeredoc ? ((instruction.ast as unknown as { getHeredocs?(): Array<{ getStartRange(): Range }> }).getHeredocs?.() ?? []) : [];
  const firstBodyLine = heredocs.length > 0 ? heredocs[0].getStartRange().start.line + 1 : Infinity;
  // For a RUN only the flags: the shell, not the builder, expands the command.
  const spans: Range[] = instruction.keyword === 'RUN' ? instruction.flags.map((f) => f.range) : [{ start: instruction.range.start, end: instruction.range.end }];
  const refs: VariableReference[] = [];
  for (const span of spans) {
    const start = lines.offsetAt(span.start);
    const endLine = Math.min(span.end.line, firstBodyLine - 1);
    const end = endLine < span.end.line ? lines.lineEnd(endLine) : lines.offsetAt(span.end);
    const text = file.text.slice(start, end);
    if (!text.includes('$')) continue;
    for (const found of scanVariables(text)) {
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

/** `$X` in the shell text of a RUN, as the shell model recorded it (names the script assigns itself left out). */
function shellReferences(instruction: Instruction): VariableReference[] {
  const script = instruction.run?.script;
  if (!script) return [];
  const assigned = new Set(script.assigned);
  return script.variables.filter((v) => !assigned.has(v.name));
}
