import type { Dockerfile, Instruction as AstInstruction } from 'dockerfile-ast';
import { IncrementalParser, parseDockerfile, reusingArguments } from './incremental-ast';
import type { Range } from '../types';
import { LineIndex } from '../text';
import { basename, parseShellScript, resolvePath, type OffsetMapper, type ShellCommand, type ShellScript, type Word } from '../shell/script';
import { referencedVariables, substitute, type Scope, type Variable } from './variables';

export interface Mount {
  type: string;
  /** Absolute target path (`target=`, `dst=`, `destination=`). */
  target?: string;
  id?: string;
  source?: string;
  from?: string;
}

export interface RunDetails {
  mounts: Mount[];
  script: ShellScript;
  /** `RUN ["cmd", "arg"]` */
  execForm: boolean;
  /** `RUN <<EOF` (the heredoc is the script). */
  heredocScript: boolean;
}

export interface CopyDetails {
  /** Source arguments as written (variables substituted). */
  sources: Array<{ text: string; range: Range }>;
  /** Absolute destination after WORKDIR and variables, or undefined when not static. */
  destination: string | undefined;
  /** The destination as written, with its range (for fixes). */
  destinationWord?: { text: string; range: Range };
  /** True when the destination names a directory (ends with `/`, or several sources). */
  destinationIsDirectory: boolean;
  from?: string;
  /** Inline files: `COPY <<EOF /etc/x`. */
  heredocs: Array<{ name: string; content: string; range: Range }>;
}

export interface InstructionFlag {
  /** Lower-case name without dashes. */
  name: string;
  value: string;
  range: Range;
}

export interface Instruction {
  /** Upper-case keyword: `RUN`, `COPY`... */
  keyword: string;
  ast: AstInstruction;
  range: Range;
  /** Range of the arguments (after flags), or the keyword's range when there are none. */
  argumentsRange: Range;
  /** `--name=value` flags before the arguments (`--mount`, `--from`, `--chmod`...). */
  flags: InstructionFlag[];
  stage: Stage;
  /** Index in the whole file. */
  index: number;
  /** Variables visible when this instruction runs. */
  scope: Scope;
  workdir: string;
  run?: RunDetails;
  copy?: CopyDetails;
}

export interface Stage {
  index: number;
  /** `AS name`, lower-cased as builders compare it. */
  name?: string;
  from: Instruction;
  /** The base image after substituting global ARGs (`FROM ${BASE}`), as written otherwise. */
  baseImage: string;
  /** The stage this one is built `FROM`, if any. */
  parent?: Stage;
  /** Instructions after `FROM`. */
  instructions: Instruction[];
  /** Part of the produced image: the target stage or one of its `FROM` ancestors. */
  shipped: boolean;
}

export interface Comment {
  line: number;
  /** Text after `#`, trimmed. */
  text: string;
  range: Range;
}

export interface Containerfile {
  text: string;
  lines: LineIndex;
  ast: Dockerfile;
  stages: Stage[];
  /** The stage that produces the image (the target, or the last). */
  finalStage: Stage | undefined;
  /** The final stage and the stages it is built `FROM`, base first. */
  shippedStages: Stage[];
  /** Instructions of the shipped stages in build order. */
  shippedInstructions: Instruction[];
  instructions: Instruction[];
  /** `ARG`s before the first `FROM`. */
  globalArgs: Map<string, Variable>;
  comments: Comment[];
}

/** What the editor reuses between lints (it re-lints on every keystroke): the instructions an edit did not touch, and parsed RUN scripts while their text and variables are unchanged. */
export class ScriptCache {
  /** Re-parses only the instruction an edit touched. */
  readonly instructions = new IncrementalParser();
  /** By script text and variables; one entry per WORKDIR for scripts that `cd`, one for all WORKDIRs otherwise. */
  private entries = new Map<string, CacheEntry[]>();
  private generation = 0;

  /** A parse of the same text under the same variables, moved to `line` and to the working directory `cwd`. */
  get(key: string, line: number, cwd: string): ShellScript | undefined {
    const list = this.entries.get(key);
    if (!list) return undefined;
    for (const entry of list) {
      if (entry.cwd !== cwd && !entry.cwdFree) continue;
      entry.generation = this.generation;
      if (entry.line === line && entry.cwd === cwd) return entry.script;
      return relocate(entry.script, line - entry.line, entry.cwd === cwd ? undefined : cwd);
    }
    return undefined;
  }

  set(key: string, line: number, cwd: string, script: ShellScript): void {
    // Without `cd`, the working directory only shows as every command's `cwd`: one parse serves every WORKDIR.
    const entry: CacheEntry = { line, cwd, cwdFree: !script.commands.some(changesDirectory), script, generation: this.generation };
    const list = this.entries.get(key);
    if (!list) this.entries.set(key, [entry]);
    else list.push(entry);
  }

  /** Forgets scripts not used since the previous sweep. */
  sweep(): void {
    for (const [key, list] of this.entries) {
      if (list.every((entry) => entry.generation >= this.generation)) continue;
      const kept = list.filter((entry) => entry.generation >= this.generation);
      if (kept.length === 0) this.entries.delete(key);
      else this.entries.set(key, kept);
    }
    this.generation++;
  }
}

interface CacheEntry {
  line: number;
  /** The WORKDIR it was parsed in. */
  cwd: string;
  /** No command changes directory: every command's `cwd` is the WORKDIR. */
  cwdFree: boolean;
  script: ShellScript;
  generation: number;
}

/** The walker follows `cd` (script.ts, `emit`); any command named so counts, substitutions included. */
function changesDirectory(command: ShellCommand): boolean {
  return basename(command.words[0]?.text ?? '') === 'cd';
}

export function parseContainerfile(text: string, target?: string, cache?: ScriptCache): Containerfile {
  return reusingArguments(() => buildModel(text, target, cache));
}

function buildModel(text: string, target: string | undefined, cache: ScriptCache | undefined): Containerfile {
  const ast = parseDockerfile(text, cache?.instructions);
  const lines = new LineIndex(text);
  const stages: Stage[] = [];
  const instructions: Instruction[] = [];
  const globalArgs = new Map<string, Variable>();
  let current: Stage | undefined;
  let scope: Map<string, Variable> = new Map();
  let workdir = '/';
  // Scope and WORKDIR at the end of each stage, for stages built FROM it.
  const endScopes = new Map<Stage, Map<string, Variable>>();
  const endWorkdirs = new Map<Stage, string>();

  const escapeChar = ast.getEscapeCharacter();
  let declaredArgs: Set<string> | undefined;
  for (const ast_ of ast.getInstructions()) {
    const keyword = ast_.getKeyword().toUpperCase();
    const range = ast_.getRange();
    // Our own scan: dockerfile-ast re-tokenises the whole instruction on every argument call.
    const { argumentsRange, flags } = scanFlags(text, lines, ast_.getInstructionRange().end, range.end, escapeChar);

    if (keyword === 'FROM') {
      const words = ast_.getArguments().map((a) => a.getValue());
      const flagsEnd = words.findIndex((w) => !w.startsWith('--'));
      const image = flagsEnd >= 0 ? words[flagsEnd] : '';
      const baseImage = substitute(image, globalArgs).value;
      const asIndex = words.findIndex((w, i) => i > flagsEnd && w.toUpperCase() === 'AS');
      const name = asIndex >= 0 ? words[asIndex + 1]?.toLowerCase() : undefined;
      const parent = stages.find((s) => s.name !== undefined && s.name === baseImage.toLowerCase());
      const stage: Stage = { index: stages.length, name, from: undefined as unknown as Instruction, baseImage, parent, instructions: [], shipped: false };
      const instruction: Instruction = { keyword, ast: ast_, range, argumentsRange, flags, stage, index: instructions.length, scope: globalArgs, workdir: '/' };
      stage.from = instruction;
      stages.push(stage);
      instructions.push(instruction);
      current = stage;
      // ENV and WORKDIR carry into stages built FROM a stage; ARGs do not.
      scope = new Map();
      for (const [k, v] of (parent && endScopes.get(parent)) ?? []) if (v.kind === 'env') scope.set(k, v);
      workdir = (parent && endWorkdirs.get(parent)) ?? '/';
      continue;
    }

    if (!current) {
      if (keyword === 'ARG') for (const variable of argVariables(ast_, globalArgs, globalArgs, 'global-arg')) globalArgs.set(variable.name, variable);
      continue;
    }

    const instruction: Instruction = { keyword, ast: ast_, range, argumentsRange, flags, stage: current, index: instructions.length, scope, workdir };
    if (keyword === 'RUN') instruction.run = runDetails(instruction, text, lines, cache);
    else if (keyword === 'COPY' || keyword === 'ADD') instruction.copy = copyDetails(instruction, text, lines, (declaredArgs ??= argNames(ast)));
    current.instructions.push(instruction);
    instructions.push(instruction);

    if (keyword === 'ARG') {
      scope = new Map(scope);
      for (const variable of argVariables(ast_, scope, globalArgs, 'arg')) scope.set(variable.name, variable);
    } else if (keyword === 'ENV') {
      scope = new Map(scope);
      for (const property of (ast_ as unknown as { getProperties(): Array<{ getName(): string; getValue(): string | null }> }).getProperties()) {
        const value = property.getValue();
        scope.set(property.getName(), { name: property.getName(), value: value === null ? undefined : substitute(value, scope).value, kind: 'env' });
      }
    } else if (keyword === 'WORKDIR') {
      const dir = substitute(ast_.getArgumentsContent() ?? '', scope).value.trim();
      workdir = resolvePath(dir, workdir) ?? workdir;
    }
    endScopes.set(current, scope);
    endWorkdirs.set(current, workdir);
  }

  const finalStage = (target !== undefined ? stages.find((s) => s.name === target.toLowerCase()) : undefined) ?? stages[stages.length - 1];
  const shippedStages: Stage[] = [];
  for (let stage: Stage | undefined = finalStage; stage && !shippedStages.includes(stage); stage = stage.parent) shippedStages.unshift(stage);
  for (const stage of shippedStages) stage.shipped = true;

  // dockerfile-ast reads any `# words=value` line at the top of the file as a parser directive,
  // `# bootc-lint ignore=x` above the first FROM included; such lines are comments too.
  const directiveComments: Comment[] = ast.getDirectives().map((d) => ({ line: d.getRange().start.line, text: lines.lineText(d.getRange().start.line).replace(/^\s*#/, '').trim(), range: d.getRange() }));
  const comments: Comment[] = [...directiveComments, ...ast.getComments().map((c) => ({ line: c.getRange().start.line, text: (c.getContent() ?? '').trim(), range: c.getRange() }))];
  return {
    text,
    lines,
    ast,
    stages,
    finalStage,
    shippedStages,
    shippedInstructions: shippedStages.flatMap((s) => s.instructions),
    instructions,
    globalArgs,
    comments,
  };
}

function argVariables(instruction: AstInstruction, scope: Scope, globals: Scope, kind: 'global-arg' | 'arg'): Variable[] {
  const properties = (instruction as unknown as { getProperties?(): Array<{ getName(): string; getValue(): string | null }> }).getProperties?.() ?? [];
  return properties.map((property) => {
    const raw = property.getValue();
    const name = property.getName();
    // `ARG X` inside a stage takes the default of a global `ARG X=...`.
    const value = raw !== null ? substitute(raw, scope).value : kind === 'arg' ? globals.get(name)?.value : undefined;
    return { name, value, kind };
  });
}

/** Parses `--mount=type=cache,target=/var/cache/dnf` flags. */
function mounts(flags: InstructionFlag[], scope: Scope): Mount[] {
  const result: Mount[] = [];
  for (const flag of flags) {
    if (flag.name !== 'mount') continue;
    const mount: Mount = { type: 'bind' };
    for (const option of substitute(flag.value, scope).value.split(',')) {
      const eq = option.indexOf('=');
      const key = (eq >= 0 ? option.slice(0, eq) : option).trim().toLowerCase();
      const value = eq >= 0 ? option.slice(eq + 1).trim().replace(/^["']|["']$/g, '') : '';
      if (key === 'type') mount.type = value.toLowerCase();
      else if (key === 'target' || key === 'dst' || key === 'destination') mount.target = resolvePath(value, '/');
      else if (key === 'id') mount.id = value;
      else if (key === 'source' || key === 'src') mount.source = value;
      else if (key === 'from') mount.from = value;
    }
    if (mount.type === 'secret' && !mount.target) mount.target = `/run/secrets/${mount.id ?? basename(mount.source ?? '')}`;
    result.push(mount);
  }
  return result;
}


/**
 * Finds the `--flag[=value]` words after the keyword and where the arguments start,
 * skipping whitespace and escaped newlines.
 */
function scanFlags(text: string, lines: LineIndex, keywordEnd: Range['start'], instructionEnd: Range['end'], escapeChar: string): { argumentsRange: Range; flags: InstructionFlag[] } {
  const end = lines.offsetAt(instructionEnd);
  let i = lines.offsetAt(keywordEnd);
  const flags: InstructionFlag[] = [];
  const skipSpace = () => {
    while (i < end) {
      const ch = text[i];
      if (ch === ' ' || ch === '\t') i++;
      else if (ch === escapeChar && /^[ \t]*\r?\n/.test(text.slice(i + 1, i + 64))) {
        i = text.indexOf('\n', i) + 1;
      } else if ((ch === '\n' || ch === '\r') && i > 0) i++;
      else break;
    }
  };
  skipSpace();
  while (i < end && text.startsWith('--', i)) {
    let j = i;
    while (j < end && !/\s/.test(text[j])) j++;
    const word = text.slice(i + 2, j);
    const eq = word.indexOf('=');
    flags.push({ name: (eq >= 0 ? word.slice(0, eq) : word).toLowerCase(), value: eq >= 0 ? word.slice(eq + 1) : '', range: lines.rangeOf(i, j) });
    i = j;
    skipSpace();
  }
  const start = i < end ? i : lines.offsetAt(keywordEnd);
  return { argumentsRange: lines.rangeOf(start, Math.max(start, end)), flags };
}

interface AstHeredoc {
  getName(): string;
  getContentRange(): Range | null;
  getStartRange(): Range;
}

function heredocsOf(instruction: AstInstruction): AstHeredoc[] {
  return (instruction as unknown as { getHeredocs?(): AstHeredoc[] }).getHeredocs?.() ?? [];
}

function runDetails(instruction: Instruction, text: string, lines: LineIndex, cache?: ScriptCache): RunDetails {
  const ast = instruction.ast;
  const runMounts = mounts(instruction.flags, instruction.scope);
  const argsStart = lines.offsetAt(instruction.argumentsRange.start);
  const end = lines.offsetAt(instruction.range.end);
  const source = text.slice(argsStart, end);
  const heredocs = source.includes('<<') ? heredocsOf(ast) : [];
  const execForm = source.trimStart().startsWith('[') && parseJsonArray(source) !== undefined;
  const heredocScript = !execForm && /^<<-?\s*["']?[A-Za-z_]/.test(source.trimStart());

  // Cache key: everything the parse depends on.
  let key: string | undefined;
  if (cache) {
    const names = referencedVariables(source);
    const vars = names.map((n) => `${n}=${instruction.scope.get(n)?.value ?? '\u0000'}`).join('\u0001');
    key = `${instruction.range.start.character}\u0002${instruction.argumentsRange.start.line - instruction.range.start.line}:${instruction.argumentsRange.start.character}\u0002${vars}\u0002${source}`;
    const cached = cache.get(key, instruction.range.start.line, instruction.workdir);
    if (cached) return { mounts: runMounts, script: cached, execForm, heredocScript };
  }

  let script: ShellScript;
  const context = { scope: instruction.scope, cwd: instruction.workdir };
  if (execForm) {
    script = execFormScript(parseJsonArray(source)!, instruction.argumentsRange, context);
  } else if (heredocScript && heredocs.length > 0) {
    // `RUN <<EOF ... EOF`: the body is the script (several heredocs run in order).
    const commands: ShellCommand[] = [];
    const variables: ShellScript['variables'] = [];
    const assigned: string[] = [];
    let hasErrors = false;
    let scriptEnd: ShellScript['end'];
    for (const heredoc of heredocs) {
      const contentRange = heredoc.getContentRange();
      if (!contentRange) continue;
      const startOffset = lines.offsetAt(contentRange.start);
      const body = text.slice(startOffset, lines.offsetAt(contentRange.end));
      if (/^#!/.test(body) && !/^#!\S*\b(sh|bash|dash)\b/.test(body.split('\n', 1)[0])) continue;
      const parsed = parseShellScript(body, { ...context, map: (s, e) => lines.rangeOf(startOffset + s, startOffset + e) });
      for (const command of parsed.commands) commands.push({ ...command, index: commands.length });
      variables.push(...parsed.variables);
      assigned.push(...parsed.assigned);
      hasErrors ||= parsed.hasErrors;
      scriptEnd = parsed.end ?? scriptEnd;
    }
    script = { commands, variables, assigned, hasErrors, end: scriptEnd };
  } else {
    const { script: shellText, map } = shellText_(source, argsStart, lines, heredocs);
    script = parseShellScript(shellText, { ...context, map });
  }
  if (cache && key !== undefined) cache.set(key, instruction.range.start.line, instruction.workdir, script);
  return { mounts: runMounts, script, execForm, heredocScript };
}

/**
 * The shell text of a shell-form RUN, as the builder hands it to `sh -c`: comment lines
 * inside a continued instruction are dropped (the builder strips them), heredoc bodies kept.
 */
function shellText_(source: string, fileStart: number, lines: LineIndex, heredocs: AstHeredoc[]): { script: string; map: OffsetMapper } {
  const heredocLines = new Set<number>();
  for (const heredoc of heredocs) {
    const range = heredoc.getContentRange();
    if (range) for (let l = range.start.line; l <= range.end.line + 1; l++) heredocLines.add(l);
  }
  // Segments of kept text: [scriptOffset, fileOffset].
  const segments: Array<[number, number]> = [];
  let script = '';
  let lineStart = 0;
  const firstLine = lines.positionAt(fileStart).line;
  let lineNumber = firstLine;
  while (lineStart <= source.length) {
    let lineEnd = source.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = source.length;
    const line = source.slice(lineStart, lineEnd);
    const isComment = lineNumber !== firstLine && !heredocLines.has(lineNumber) && /^\s*#/.test(line);
    if (!isComment) {
      segments.push([script.length, fileStart + lineStart]);
      script += source.slice(lineStart, Math.min(lineEnd + 1, source.length));
    }
    lineStart = lineEnd + 1;
    lineNumber++;
  }
  const toFile = (offset: number) => {
    let low = 0;
    let high = segments.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (segments[mid][0] <= offset) low = mid;
      else high = mid - 1;
    }
    const segment = segments[low] ?? [0, fileStart];
    return segment[1] + offset - segment[0];
  };
  return { script, map: (start, end) => lines.rangeOf(toFile(start), toFile(end)) };
}

/** The JSON (exec) form of an instruction's arguments, or undefined when it is not an array of strings. */
export function parseJsonArray(source: string): string[] | undefined {
  try {
    const value: unknown = JSON.parse(source.replace(/\\\r?\n/g, ''));
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
  } catch {
    return undefined;
  }
}

/** `RUN ["sh", "-c", "..."]` parses the script; other exec forms are one command. */
function execFormScript(argv: string[], range: Range, context: { scope: Scope; cwd: string }): ShellScript {
  const map: OffsetMapper = () => range;
  const name = basename(argv[0] ?? '');
  if (['sh', 'bash', 'dash', 'ash', 'zsh'].includes(name)) {
    const c = argv.findIndex((a, i) => i > 0 && /^-[a-zA-Z]*c[a-zA-Z]*$/.test(a));
    if (c > 0 && argv[c + 1] !== undefined) return parseShellScript(argv[c + 1], { ...context, map });
  }
  // Exec form does no variable expansion.
  const words: Word[] = argv.map((text) => ({ text, raw: JSON.stringify(text), range, dynamic: false, quoted: true }));
  if (words.length === 0) return { commands: [], variables: [], assigned: [], hasErrors: false, end: range.end };
  const command: ShellCommand = { name: name, words, args: words.slice(1), redirects: [], range, conditional: false, inSubstitution: false, cwd: context.cwd, index: 0 };
  return { commands: [command], variables: [], assigned: [], hasErrors: false, end: range.end };
}

/** Every name declared by an `ARG` anywhere in the file. */
function argNames(ast: Dockerfile): Set<string> {
  const names = new Set<string>();
  for (const instruction of ast.getInstructions()) {
    if (instruction.getKeyword().toUpperCase() !== 'ARG') continue;
    for (const property of (instruction as unknown as { getProperties(): Array<{ getName(): string }> }).getProperties()) names.add(property.getName());
  }
  return names;
}

function copyDetails(instruction: Instruction, text: string, lines: LineIndex, declaredArgs: Set<string>): CopyDetails {
  const ast = instruction.ast;
  const scope = instruction.scope;
  // dockerfile-ast re-tokenises the instruction for each call: ask for heredocs only when there can be one.
  const heredocs = text.slice(lines.offsetAt(instruction.argumentsRange.start), lines.offsetAt(instruction.range.end)).includes('<<') ? heredocsOf(ast) : [];
  const from = instruction.flags.find((f) => f.name === 'from')?.value;
  let args = ast.getArguments().map((a) => ({ text: a.getValue(), range: a.getRange() }));
  const inline: CopyDetails['heredocs'] = [];
  if (heredocs.length > 0) {
    // Only the first line carries sources and destination; the rest are heredoc bodies.
    const firstLine = heredocs[0].getStartRange().start.line;
    args = args.filter((a) => a.range.start.line === firstLine);
    for (const heredoc of heredocs) {
      const contentRange = heredoc.getContentRange();
      inline.push({ name: heredoc.getName(), content: contentRange ? text.slice(lines.offsetAt(contentRange.start), lines.offsetAt(contentRange.end)) : '', range: contentRange ?? heredoc.getStartRange() });
    }
  }
  const raw = ast.getArgumentsContent() ?? '';
  if (heredocs.length === 0 && raw.trimStart().startsWith('[')) {
    const parsed = parseJsonArray(raw);
    if (parsed) {
      args = parsed.map((text) => ({ text, range: instruction.argumentsRange }));
    }
  }
  if (args.length === 0) return { sources: [], destination: undefined, destinationIsDirectory: false, from, heredocs: inline };
  const last = args[args.length - 1];
  const sources = args.slice(0, -1).map((a) => ({ text: substitute(a.text, scope).value, range: a.range }));
  // An ARG declared in the file but not in scope here expands to nothing: `COPY x /home/${USER}/`
  // with `USER` declared only before FROM copies to /home//.
  let destinationScope: Scope = scope;
  for (const name of referencedVariables(last.text)) {
    if (scope.has(name) || !declaredArgs.has(name)) continue;
    if (destinationScope === scope) destinationScope = new Map(scope);
    (destinationScope as Map<string, Variable>).set(name, { name, value: '', kind: 'arg' });
  }
  const destinationText = substitute(last.text, destinationScope);
  // The builder removes quotes: `COPY a "/etc/a"` writes /etc/a.
  if (/^(["']).*\1$/s.test(destinationText.value) && destinationText.value.length >= 2) destinationText.value = destinationText.value.slice(1, -1);
  const destination = destinationText.unresolved ? undefined : resolvePath(destinationText.value, instruction.workdir);
  return {
    sources,
    destination,
    destinationWord: { text: last.text, range: last.range },
    destinationIsDirectory: destinationText.value.endsWith('/') || sources.length > 1,
    from,
    heredocs: inline,
  };
}

/** Moves a cached script by whole lines (the instruction moved, its text did not change), and into another working directory. */
function relocate(script: ShellScript, delta: number, cwd?: string): ShellScript {
  if (delta === 0) return { ...script, commands: script.commands.map((c) => ({ ...c, cwd: cwd ?? c.cwd })) };
  const move = (r: Range): Range => ({ start: { line: r.start.line + delta, character: r.start.character }, end: { line: r.end.line + delta, character: r.end.character } });
  const moveWord = (w: Word): Word => ({ ...w, range: move(w.range) });
  return {
    hasErrors: script.hasErrors,
    variables: script.variables.map((v) => ({ ...v, range: move(v.range) })),
    assigned: script.assigned,
    end: script.end && { line: script.end.line + delta, character: script.end.character },
    commands: script.commands.map((c) => {
      const words = c.words.map(moveWord);
      return {
        ...c,
        words,
        args: words.slice(1),
        range: move(c.range),
        redirects: c.redirects.map((r) => ({ ...r, range: move(r.range), target: r.target && moveWord(r.target) })),
        heredoc: c.heredoc && { ...c.heredoc, range: move(c.heredoc.range) },
        cwd: cwd ?? c.cwd,
      };
    }),
  };
}
