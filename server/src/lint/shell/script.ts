import type { Range } from '../types';
import { substitute, type Scope } from '../model/variables';
import { Cursor } from './cursor';
import { shellParser } from './parser';

/** A shell word after quote removal, with build variables substituted where their value is known. */
export interface Word {
  /** Static value: quotes removed, escapes resolved, known variables substituted. */
  text: string;
  /** The word as written. */
  raw: string;
  range: Range;
  /** True when the value depends on something unknown (command substitution, unknown variable). */
  dynamic: boolean;
  /** True when any part was quoted (globs and braces in it are literal). */
  quoted: boolean;
}

export interface Redirect {
  /** `>`, `>>`, `&>`, `>|`, `<`, `<<`, `<<<`, ... */
  operator: string;
  /** File descriptor written before the operator (`2>`), if any. */
  descriptor?: string;
  target?: Word;
  range: Range;
}

export interface Heredoc {
  /** The body as the command reads it (the delimiter lines excluded). */
  body: string;
  range: Range;
  /** `<<'EOF'`: no expansion in the body. */
  quoted: boolean;
}

export interface ShellCommand {
  /** Basename of the static command word (`/usr/bin/dnf` → `dnf`), after wrappers such as `sudo`, `env`, `xargs`. */
  name: string;
  /** argv, from the command word on (wrappers and leading `VAR=value` assignments removed). */
  words: Word[];
  /** `words` without the command word. */
  args: Word[];
  redirects: Redirect[];
  /** Heredoc fed to the command's standard input: file content, not commands. */
  heredoc?: Heredoc;
  /** The whole simple command, redirects included. */
  range: Range;
  /** Runs only on some paths: inside `if`/`case` branches, after `||`, or in a function body. */
  conditional: boolean;
  /** Inside `$(...)` or backticks. */
  inSubstitution: boolean;
  /** Commands of one pipeline (`echo x | chpasswd`) share this id; undefined outside pipelines. */
  pipeline?: number;
  /** Working directory when known (WORKDIR, then `cd` in the script). */
  cwd: string | undefined;
  /** Position in execution order within the RUN (nested `bash -c` scripts included). */
  index: number;
}

/** A `$NAME` / `${NAME...}` that the shell expands from its environment (where ARGs and ENVs are). */
export interface VariableUse {
  name: string;
  /** The whole expansion, e.g. `${NAME:-x}`. */
  range: Range;
}

export interface ShellScript {
  commands: ShellCommand[];
  /** Every variable expansion, heredoc bodies fed to commands included (unless the delimiter is quoted). */
  variables: VariableUse[];
  /** Names the script assigns itself (`x=`, `for x in`, `read x`, `export x`): shell variables, not ARGs. */
  assigned: string[];
  /** The parser found syntax errors (unbalanced quotes, unterminated heredocs...). */
  hasErrors: boolean;
  /** End of the last top-level statement, where a command can be appended to the chain. */
  end: Range['end'] | undefined;
}

/** Maps an offset in the parsed text to a file range. */
export type OffsetMapper = (start: number, end: number) => Range;

export interface ScriptContext {
  scope: Scope;
  cwd: string | undefined;
  map: OffsetMapper;
}

const WRAPPERS = new Set(['sudo', 'env', 'nice', 'time', 'nohup', 'xargs', 'exec', 'command', 'builtin', 'stdbuf', 'ionice', 'timeout', 'doas', 'chronic', 'unbuffer', 'flock']);
/** Shells whose `-c` script and heredoc scripts are parsed as commands. */
export const SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh']);
const MAX_NESTING = 4;
/** Syntax-tree levels walked at most, counted across nested `sh -c` scripts (one walk at a time). */
const MAX_TREE_DEPTH = 400;
let treeDepth = 0;

/** Options of the wrappers that take a separate value argument. */
const WRAPPER_OPTIONS_WITH_VALUE: Record<string, Set<string>> = {
  sudo: new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '--user', '--group', '--chdir']),
  env: new Set(['-u', '-C', '-S', '--unset', '--chdir', '--split-string']),
  nice: new Set(['-n', '--adjustment']),
  xargs: new Set(['-a', '-d', '-E', '-I', '-L', '-n', '-P', '-s', '--arg-file', '--delimiter', '--max-args', '--max-procs', '--max-chars', '--max-lines', '--replace']),
  stdbuf: new Set(['-i', '-o', '-e']),
  ionice: new Set(['-c', '-n', '-p', '-P', '-u']),
  timeout: new Set(['-k', '-s', '--kill-after', '--signal']),
  flock: new Set(['-w', '-E', '--timeout', '--conflict-exit-code']),
};

interface WalkState {
  conditional: boolean;
  inSubstitution: boolean;
  cwd: string | undefined;
  /** Shell variables assigned earlier in the script (undefined value: assigned something dynamic). */
  locals: Map<string, string | undefined>;
  pipeline?: number;
}

let pipelineIds = 0;

/** What one walk collects, nested `sh -c` scripts included. */
interface ScriptSink {
  commands: ShellCommand[];
  variables: VariableUse[];
  assigned: Set<string>;
}

const VARIABLE_NAMES = /\$\{?#?([A-Za-z_][A-Za-z0-9_]*)/g;
/** Inside `$(( ))` variables need no `$`. */
const ARITHMETIC_NAMES = /\$?\{?([A-Za-z_][A-Za-z0-9_]*)/g;

/** Parses shell text and lists its simple commands in execution order. */
export function parseShellScript(text: string, context: ScriptContext): ShellScript {
  const sink: ScriptSink = { commands: [], variables: [], assigned: new Set() };
  const result = walkScript(text, context, sink, { conditional: false, inSubstitution: false, cwd: context.cwd, locals: new Map() }, 0);
  sink.commands.forEach((command, index) => (command.index = index));
  return { commands: sink.commands, variables: sink.variables, assigned: [...sink.assigned], hasErrors: result.hasErrors, end: result.end };
}

function walkScript(text: string, context: ScriptContext, sink: ScriptSink, state: WalkState, depth: number, recordVariables = true): { hasErrors: boolean; end: Range['end'] | undefined } {
  const tree = shellParser().parse(text);
  if (!tree) return { hasErrors: true, end: undefined };
  try {
    const walker = new Walker(text, context, sink, depth, recordVariables);
    const cursor = new Cursor(tree.walk(), tree.language);
    const hasErrors = tree.rootNode.hasError;
    let endIndex = -1;
    if (cursor.gotoFirstChild()) {
      do {
        if (cursor.nodeIsNamed && cursor.nodeType !== 'comment') endIndex = cursor.endIndex;
        walker.statement(cursor, state);
      } while (cursor.gotoNextSibling());
    }
    cursor.delete();
    return { hasErrors: hasErrors || walker.truncated, end: endIndex >= 0 ? context.map(endIndex, endIndex).end : undefined };
  } finally {
    tree.delete();
  }
}

interface PendingCommand {
  words: Word[];
  redirects: Redirect[];
  heredoc?: Heredoc;
  assignments: Array<{ name: string; value: Word | undefined }>;
  start: number;
  end: number;
}

class Walker {
  constructor(
    private readonly text: string,
    private readonly context: ScriptContext,
    private readonly sink: ScriptSink,
    private readonly depth: number,
    /** False for a double-quoted `sh -c "..."`: the outer word already recorded its expansions. */
    private readonly recordsVariables = true,
  ) {}

  /** Records the variables an expansion (or arithmetic) between the offsets reads. */
  private recordVariables(start: number, end: number, pattern: RegExp = VARIABLE_NAMES): void {
    if (!this.recordsVariables) return;
    const raw = this.text.slice(start, end);
    let range: Range | undefined;
    for (const match of raw.matchAll(pattern)) this.sink.variables.push({ name: match[1], range: (range ??= this.context.map(start, end)) });
  }

  /** Expansions inside a heredoc body the shell expands (`<<EOF`, not `<<'EOF'`). */
  private recordHeredocVariables(cursor: Cursor): void {
    if (!cursor.gotoFirstChild()) return;
    do {
      if (cursor.nodeType === 'simple_expansion' || cursor.nodeType === 'expansion') this.recordVariables(cursor.startIndex, cursor.endIndex);
      else if (cursor.nodeType === 'command_substitution' || cursor.nodeType === 'arithmetic_expansion') this.recordVariables(cursor.startIndex, cursor.endIndex, cursor.nodeType === 'arithmetic_expansion' ? ARITHMETIC_NAMES : VARIABLE_NAMES);
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
  }

  /** Set when the tree was too deep to walk completely. */
  truncated = false;

  /** Walks the node under the cursor; leaves the cursor where it found it. */
  statement(cursor: Cursor, state: WalkState): void {
    // Pathologically deep trees (thousands of nested groups, substitutions or redirected
    // lists) would overflow the stack: what lies deeper is not looked at.
    if (treeDepth >= MAX_TREE_DEPTH) {
      this.truncated = true;
      return;
    }
    treeDepth++;
    try {
      this.node(cursor, state);
    } finally {
      treeDepth--;
    }
  }

  private node(cursor: Cursor, state: WalkState): void {
    switch (cursor.nodeType) {
      case 'command':
        this.command(cursor, state, []);
        return;
      case 'redirected_statement':
        this.redirected(cursor, state);
        return;
      case 'variable_assignment':
        this.assignment(cursor, state);
        return;
      case 'declaration_command':
        this.declaration(cursor, state);
        return;
      case 'list':
        this.list(cursor, state);
        return;
      case 'if_statement':
      case 'elif_clause':
      case 'else_clause':
        this.ifStatement(cursor, state);
        return;
      case 'case_item':
      case 'function_definition':
        this.children(cursor, { ...state, conditional: true });
        return;
      case 'subshell':
      case 'command_substitution':
        this.children(cursor, {
          ...state,
          locals: new Map(state.locals),
          inSubstitution: state.inSubstitution || cursor.nodeType === 'command_substitution',
          pipeline: cursor.nodeType === 'command_substitution' ? undefined : state.pipeline,
        });
        return;
      case 'pipeline':
        this.children(cursor, { ...state, pipeline: ++pipelineIds });
        return;
      case 'simple_expansion':
      case 'expansion':
        // Outside command words: `[ -n "$X" ]`, `case $X in`, `for x in $LIST`.
        this.recordVariables(cursor.startIndex, cursor.endIndex);
        return;
      case 'arithmetic_expansion':
        this.recordVariables(cursor.startIndex, cursor.endIndex, ARITHMETIC_NAMES);
        return;
      case 'for_statement':
        this.forStatement(cursor, state);
        return;
      case 'unset_command':
        this.declaration(cursor, state);
        return;
      case 'comment':
      case 'heredoc_body':
      case 'heredoc_start':
      case 'heredoc_end':
        return;
      default:
        if (cursor.nodeIsNamed || cursor.nodeType === 'ERROR') this.children(cursor, state);
    }
  }

  private children(cursor: Cursor, state: WalkState): void {
    if (!cursor.gotoFirstChild()) return;
    do this.statement(cursor, state);
    while (cursor.gotoNextSibling());
    cursor.gotoParent();
  }

  private list(cursor: Cursor, state: WalkState): void {
    // `a && b && c` nests to the left: list(list(a, b), c). Walk down that spine without
    // recursion (10,000 chained commands must not overflow the stack), then back up,
    // each level continuing after the inner list it has just finished.
    let levels = 0;
    while (cursor.nodeType === 'list' && cursor.gotoFirstChild()) levels++;
    for (let level = 0; level < levels; level++) {
      let conditional = state.conditional;
      let skip = level > 0; // the inner list, already walked
      do {
        if (skip) skip = false;
        else if (cursor.nodeType === '||') conditional = true;
        else if (cursor.nodeIsNamed) this.statement(cursor, conditional === state.conditional ? state : { ...state, conditional });
      } while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
  }

  private ifStatement(cursor: Cursor, state: WalkState): void {
    if (!cursor.gotoFirstChild()) return;
    const branch = { ...state, conditional: true };
    do {
      if (cursor.currentFieldName === 'condition') this.statement(cursor, state);
      else if (cursor.nodeIsNamed) this.statement(cursor, branch);
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
  }

  private assignment(cursor: Cursor, state: WalkState): void {
    const { name, value } = this.readAssignment(cursor, state);
    if (name) state.locals.set(name, value && !value.dynamic ? value.text : undefined);
  }

  private forStatement(cursor: Cursor, state: WalkState): void {
    if (!cursor.gotoFirstChild()) return;
    do {
      if (cursor.currentFieldName === 'variable') this.sink.assigned.add(this.text.slice(cursor.startIndex, cursor.endIndex));
      else if (cursor.nodeIsNamed) this.statement(cursor, state);
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
  }

  /** `export X=1`, `local x`, `readonly Y`, `unset Z`: the names become shell variables. */
  private declaration(cursor: Cursor, state: WalkState): void {
    if (!cursor.gotoFirstChild()) return;
    do {
      if (cursor.nodeType === 'variable_assignment') this.assignment(cursor, state);
      else if (cursor.nodeType === 'variable_name' || cursor.nodeType === 'word') this.sink.assigned.add(this.text.slice(cursor.startIndex, cursor.endIndex));
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
  }

  private readAssignment(cursor: Cursor, state: WalkState): { name: string; value: Word | undefined } {
    let name = '';
    let value: Word | undefined;
    if (cursor.gotoFirstChild()) {
      do {
        if (cursor.currentFieldName === 'name') name = this.text.slice(cursor.startIndex, cursor.endIndex);
        else if (cursor.currentFieldName === 'value') value = this.word(cursor, state);
      } while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
    if (name) this.sink.assigned.add(name.replace(/\[.*$/, ''));
    return { name, value };
  }

  private redirected(cursor: Cursor, state: WalkState): void {
    const redirects: Redirect[] = [];
    let heredoc: Heredoc | undefined;
    const afterHeredoc: Array<() => void> = [];
    const pipe: { id?: number } = {};
    let bodyStart = -1;
    const start = cursor.startIndex;
    const end = cursor.endIndex;
    if (!cursor.gotoFirstChild()) return;
    do {
      if (cursor.currentFieldName === 'body') {
        bodyStart = cursor.startIndex;
      } else if (cursor.nodeType === 'heredoc_redirect') {
        heredoc = this.heredocRedirect(cursor, state, redirects, afterHeredoc, pipe);
      } else if (cursor.nodeType === 'file_redirect' || cursor.nodeType === 'herestring_redirect') {
        redirects.push(this.redirect(cursor, state));
      }
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();

    // Walk the body with the redirects attached to its (last) simple command.
    // `cat <<EOF | chpasswd`: the body's command starts the pipeline that follows the heredoc start.
    if (pipe.id !== undefined) state = { ...state, pipeline: pipe.id };
    if (bodyStart >= 0 && cursor.gotoFirstChild()) {
      do {
        if (cursor.currentFieldName !== 'body') continue;
        if (cursor.nodeType === 'command') this.command(cursor, state, redirects, heredoc, start, end);
        else {
          const before = this.sink.commands.length;
          this.statement(cursor, state);
          const last = this.sink.commands[this.sink.commands.length - 1];
          if (last && this.sink.commands.length > before) {
            last.redirects.push(...redirects);
            last.heredoc ??= heredoc;
          }
        }
      } while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
    for (const walk of afterHeredoc) walk();
  }

  private heredocRedirect(cursor: Cursor, state: WalkState, redirects: Redirect[], afterHeredoc: Array<() => void>, pipe: { id?: number }): Heredoc | undefined {
    let heredoc: Heredoc | undefined;
    let quoted = false;
    if (!cursor.gotoFirstChild()) return undefined;
    do {
      switch (cursor.nodeType) {
        case 'heredoc_start': {
          const delimiter = this.text.slice(cursor.startIndex, cursor.endIndex);
          quoted = /['"\\]/.test(delimiter);
          break;
        }
        case 'heredoc_body': {
          if (!quoted) this.recordHeredocVariables(cursor);
          const body = this.text.slice(cursor.startIndex, cursor.endIndex);
          heredoc = { body, range: this.context.map(cursor.startIndex, cursor.endIndex), quoted };
          break;
        }
        case 'file_redirect':
        case 'herestring_redirect':
          redirects.push(this.redirect(cursor, state));
          break;
        default:
          if (cursor.nodeIsNamed) {
            // Commands after the heredoc start on the same line (`cat <<EOF | tee /x`, `<<EOF && next`)
            // run after the heredoc's own command.
            const copy = cursor.copy();
            const piped = cursor.nodeType === 'pipeline';
            if (piped) pipe.id = ++pipelineIds;
            afterHeredoc.push(() => {
              if (piped) this.children(copy, { ...state, pipeline: pipe.id });
              else this.statement(copy, state);
              copy.delete();
            });
          }
      }
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
    return heredoc;
  }

  private redirect(cursor: Cursor, state: WalkState): Redirect {
    const start = cursor.startIndex;
    const end = cursor.endIndex;
    let operator = '';
    let descriptor: string | undefined;
    let target: Word | undefined;
    if (cursor.gotoFirstChild()) {
      do {
        const field = cursor.currentFieldName;
        if (field === 'descriptor') descriptor = this.text.slice(cursor.startIndex, cursor.endIndex);
        else if (field === 'destination' || (cursor.nodeIsNamed && cursor.nodeType !== 'file_descriptor' && !target)) target = this.word(cursor, state);
        else if (!cursor.nodeIsNamed) operator = this.text.slice(cursor.startIndex, cursor.endIndex);
      } while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
    return { operator, descriptor, target, range: this.context.map(start, end) };
  }

  private command(cursor: Cursor, state: WalkState, redirects: Redirect[], heredoc?: Heredoc, outerStart?: number, outerEnd?: number): void {
    const pending: PendingCommand = { words: [], redirects: [...redirects], heredoc, assignments: [], start: outerStart ?? cursor.startIndex, end: outerEnd ?? cursor.endIndex };
    if (!cursor.gotoFirstChild()) return;
    do {
      const type = cursor.nodeType;
      if (type === 'variable_assignment') {
        pending.assignments.push(this.readAssignment(cursor, state));
      } else if (type === 'file_redirect' || type === 'herestring_redirect') {
        pending.redirects.push(this.redirect(cursor, state));
      } else if (type === 'command_name') {
        if (cursor.gotoFirstChild()) {
          pending.words.push(this.word(cursor, state));
          cursor.gotoParent();
        }
      } else if ((cursor.nodeIsNamed && type !== 'comment') || cursor.currentFieldName === 'argument') {
        pending.words.push(this.word(cursor, state));
      }
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();

    if (pending.words.length === 0) {
      // `X=1` alone sets a shell variable for the rest of the script.
      for (const { name, value } of pending.assignments) state.locals.set(name, value && !value.dynamic ? value.text : undefined);
      return;
    }
    this.emit(pending, state);
  }

  /** Records a simple command, unwrapping `sudo`/`env`/`xargs`... and descending into `sh -c '...'`. */
  private emit(pending: PendingCommand, state: WalkState): void {
    const words = unwrap(pending.words);
    if (words.length === 0) return;
    const name = basename(words[0].text);
    const command: ShellCommand = {
      name: words[0].dynamic ? '' : name,
      words,
      args: words.slice(1),
      redirects: pending.redirects,
      heredoc: pending.heredoc,
      range: this.context.map(pending.start, pending.end),
      conditional: state.conditional,
      inSubstitution: state.inSubstitution,
      pipeline: state.pipeline,
      cwd: state.cwd,
      index: 0,
    };
    this.sink.commands.push(command);

    if (name === 'read' || name === 'mapfile' || name === 'readarray' || name === 'getopts') {
      for (const word of command.args) if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(word.text)) this.sink.assigned.add(word.text);
    }
    if (name === 'cd' && !state.inSubstitution) {
      const target = command.args.find((w) => !w.text.startsWith('-'));
      state.cwd = target && !target.dynamic ? resolvePath(target.text, state.cwd) : undefined;
    } else if (SHELLS.has(name) && this.depth < MAX_NESTING) {
      this.nestedShell(command, state);
    }
  }

  private nestedShell(command: ShellCommand, state: WalkState): void {
    let body: string | undefined;
    let map: OffsetMapper | undefined;
    // Expansions the outer shell already performed were recorded there.
    let recordsVariables = false;
    const scriptIndex = shellScriptArgument(command.args);
    if (scriptIndex >= 0) {
      const word = command.args[scriptIndex];
      body = word.text;
      const quote = word.raw.startsWith("'") || word.raw.startsWith('"') ? 1 : 0;
      map = verbatimMapper(word.range, quote, body);
      recordsVariables = word.raw.startsWith("'");
    } else if (command.heredoc && !command.args.some((a) => !a.text.startsWith('-') || a.text === '-')) {
      // `bash <<EOF` / `sh -s <<EOF`: the heredoc is the script.
      body = command.heredoc.body;
      map = verbatimMapper(command.heredoc.range, 0, body);
      recordsVariables = command.heredoc.quoted;
    }
    if (body === undefined || map === undefined) return;
    walkScript(body, { scope: this.context.scope, cwd: state.cwd, map }, this.sink, { ...state, locals: new Map(state.locals) }, this.depth + 1, this.recordsVariables && recordsVariables);
  }

  /** Evaluates the word-like node under the cursor. */
  word(cursor: Cursor, state: WalkState): Word {
    const start = cursor.startIndex;
    const end = cursor.endIndex;
    const raw = this.text.slice(start, end);
    const value = { text: '', dynamic: false, quoted: false };
    this.evaluate(cursor, state, value);
    return { text: value.text, raw, range: this.context.map(start, end), dynamic: value.dynamic, quoted: value.quoted };
  }

  private evaluate(cursor: Cursor, state: WalkState, out: { text: string; dynamic: boolean; quoted: boolean }): void {
    const raw = this.text.slice(cursor.startIndex, cursor.endIndex);
    switch (cursor.nodeType) {
      case 'word':
      case 'number':
        out.text += unescapeWord(raw);
        return;
      case 'raw_string':
        out.quoted = true;
        out.text += raw.slice(1, -1);
        return;
      case 'ansi_c_string':
        out.quoted = true;
        out.text += raw.slice(2, -1);
        return;
      case 'string_content':
        out.text += raw.replace(/\\([$`"\\\n])/g, (_m, c: string) => (c === '\n' ? '' : c));
        return;
      case 'simple_expansion':
      case 'expansion':
        this.recordVariables(cursor.startIndex, cursor.endIndex);
        this.expansion(raw, state, out);
        return;
      case 'command_substitution':
      case 'process_substitution':
        out.dynamic = true;
        out.text += raw;
        this.statement(cursor, state);
        return;
      case 'arithmetic_expansion':
        this.recordVariables(cursor.startIndex, cursor.endIndex, ARITHMETIC_NAMES);
        out.dynamic = true;
        out.text += raw;
        return;
      case 'string':
      case 'translated_string':
        out.quoted = true;
        if (cursor.gotoFirstChild()) {
          do if (cursor.nodeIsNamed) this.evaluate(cursor, state, out);
          while (cursor.gotoNextSibling());
          cursor.gotoParent();
        }
        return;
      case 'concatenation':
        if (cursor.gotoFirstChild()) {
          let previousEnd = -1;
          do {
            // Keep punctuation tokens such as `{`, `}` and `,` of brace expansions.
            if (previousEnd >= 0 && cursor.startIndex > previousEnd) out.text += this.text.slice(previousEnd, cursor.startIndex);
            if (cursor.nodeIsNamed) this.evaluate(cursor, state, out);
            else out.text += this.text.slice(cursor.startIndex, cursor.endIndex);
            previousEnd = cursor.endIndex;
          } while (cursor.gotoNextSibling());
          cursor.gotoParent();
        }
        return;
      default:
        out.text += raw;
    }
  }

  private expansion(raw: string, state: WalkState, out: { text: string; dynamic: boolean }): void {
    let scope = this.context.scope;
    if (state.locals.size > 0) {
      const merged = new Map(scope);
      for (const [name, value] of state.locals) merged.set(name, { name, value, kind: 'env' });
      scope = merged;
    }
    const result = substitute(raw, scope);
    // Forms we do not evaluate (`${X#y}`, `${#X}`, `$1`, `$@`) stay as written.
    if (result.unresolved || result.value.includes('$')) out.dynamic = true;
    out.text += result.value;
  }
}

/** Strips wrappers (`sudo -u x`, `env A=1`, `xargs -r`, `nice -n 5`, `time`) in front of the real command. */
function unwrap(words: Word[]): Word[] {
  let index = 0;
  for (let guard = 0; guard < 8 && index < words.length; guard++) {
    const name = basename(words[index].text);
    if (!WRAPPERS.has(name) || words[index].dynamic) break;
    const withValue = WRAPPER_OPTIONS_WITH_VALUE[name] ?? new Set<string>();
    index++;
    while (index < words.length) {
      const text = words[index].text;
      if (text === '--') {
        index++;
        break;
      }
      if (name === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(text)) index++;
      else if (text.startsWith('-') && text.length > 1) index += withValue.has(text) ? 2 : 1;
      else break;
    }
    if (name === 'timeout' && index < words.length) index++; // the duration
  }
  return words.slice(index);
}

/** Index of the script argument of `sh -c SCRIPT` (also `-ec`, `-xc`, `-lc`...), or -1. */
function shellScriptArgument(args: Word[]): number {
  for (let i = 0; i < args.length; i++) {
    const text = args[i].text;
    if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(text)) return i + 1 < args.length ? i + 1 : -1;
    // `-o pipefail`, also clustered: `-euo pipefail`.
    if (/^[-+][a-zA-Z]*o$/.test(text)) {
      i++;
      continue;
    }
    if (!text.startsWith('-') && !text.startsWith('+')) return -1;
  }
  return -1;
}

/**
 * Maps offsets of text that appears verbatim in the file from `range.start` + `skip`
 * characters on (a single-quoted `sh -c` script, a heredoc body). Escaped text inside
 * double quotes is mapped approximately, clamped to the range.
 */
function verbatimMapper(range: Range, skip: number, text: string): OffsetMapper {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const position = (offset: number) => {
    let line = 0;
    while (line + 1 < lineStarts.length && lineStarts[line + 1] <= offset) line++;
    const character = (line === 0 ? range.start.character + skip : 0) + offset - lineStarts[line];
    const result = { line: range.start.line + line, character };
    if (result.line > range.end.line || (result.line === range.end.line && result.character > range.end.character)) return range.end;
    return result;
  };
  return (start, end) => ({ start: position(start), end: position(end) });
}

function unescapeWord(raw: string): string {
  if (!raw.includes('\\')) return raw;
  return raw.replace(/\\(\r?\n|.)/g, (_m, c: string) => (c === '\n' || c === '\r\n' ? '' : c));
}

export function basename(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash >= 0 ? path.slice(slash + 1) : path;
}

/** Resolves a path against a working directory and normalises `.`, `..` and repeated slashes. */
export function resolvePath(path: string, cwd: string | undefined): string | undefined {
  let absolute = path;
  if (!path.startsWith('/')) {
    if (cwd === undefined) return undefined;
    absolute = `${cwd}/${path}`;
  }
  const parts: string[] = [];
  for (const part of absolute.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}
