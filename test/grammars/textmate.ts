/**
 * A tiny TextMate tokenizer on JavaScript RegExps, for testing the extension's grammars
 * without vscode-textmate/oniguruma. It implements the subset our grammars use — `match`,
 * `begin`/`end`, `name`, `contentName`, `captures`/`beginCaptures`/`endCaptures` (with nested
 * `patterns`), `patterns`, `include` (`#name`, `$self`, `$base`, other scope names) — with
 * vscode-textmate's rules: the leftmost match wins, ties go to the earlier pattern, a rule's
 * `end` is tried before its patterns, and a capture with `patterns` is re-tokenized inside
 * the line cut off at the capture's end (so `^` never matches there, look-behinds see the
 * real line). Grammars are expected to be JavaScript-compatible (no `\G`, `\A`, `\z`).
 */

/** One rule of a TextMate grammar (the fields this tokenizer understands). */
export interface GrammarRule {
  readonly name?: string;
  readonly contentName?: string;
  readonly match?: string;
  readonly begin?: string;
  readonly end?: string;
  readonly captures?: Captures;
  readonly beginCaptures?: Captures;
  readonly endCaptures?: Captures;
  readonly patterns?: readonly GrammarRule[];
  readonly include?: string;
  readonly applyEndPatternLast?: boolean | number;
}

/** Capture index (as a string) → scope name and/or patterns for the captured text. */
export type Captures = Readonly<Record<string, GrammarRule>>;

/** A whole `*.tmLanguage.json` grammar. */
export interface Grammar {
  readonly scopeName: string;
  readonly name?: string;
  readonly patterns: readonly GrammarRule[];
  readonly repository?: Readonly<Record<string, GrammarRule>>;
}

/** A piece of a line with the scopes on it, outermost first. */
export interface Token {
  readonly text: string;
  readonly startIndex: number;
  readonly scopes: readonly string[];
}

interface Frame {
  readonly rule: GrammarRule;
  readonly grammar: Grammar;
  /** Scopes of the begin/end matches (the rule's `name` included). */
  readonly outerScopes: readonly string[];
  /** Scopes of the text between begin and end (`contentName` included). */
  readonly innerScopes: readonly string[];
  readonly endRegex?: RegExp;
}

interface Candidate {
  readonly rule: GrammarRule;
  readonly grammar: Grammar;
  readonly regex: RegExp;
  readonly isEnd: boolean;
}

const regexCache = new Map<string, RegExp>();

/** Compiles a grammar regex as JavaScript (throws when it is not JavaScript-compatible). */
export function compileGrammarRegex(source: string): RegExp {
  let regex = regexCache.get(source);
  if (!regex) {
    // `d` gives capture offsets, `g` lets us start the search at any offset.
    regex = new RegExp(source, 'dg');
    regexCache.set(source, regex);
  }
  return regex;
}

/** Tokenizes grammars; `source.*` includes resolve among the registered grammars (others match nothing). */
export class Tokenizer {
  private readonly grammars = new Map<string, Grammar>();

  constructor(grammars: readonly Grammar[]) {
    for (const grammar of grammars) this.grammars.set(grammar.scopeName, grammar);
  }

  /** Tokenizes a whole document (lines without their line breaks). */
  tokenizeDocument(scopeName: string, lines: readonly string[]): Token[][] {
    const grammar = this.grammars.get(scopeName);
    if (!grammar) throw new Error(`unknown grammar ${scopeName}`);
    let stack: Frame[] = [{ rule: { patterns: grammar.patterns }, grammar, outerScopes: [scopeName], innerScopes: [scopeName] }];
    const result: Token[][] = [];
    for (const line of lines) {
      const scopesAt: (readonly string[])[] = new Array<readonly string[]>(line.length);
      stack = this.scan(line, 0, stack, scopesAt);
      result.push(toTokens(line, scopesAt, stack[stack.length - 1]!.innerScopes));
    }
    return result;
  }

  /** Scans `text` from `start`, writing every position's scopes; returns the stack at the end. */
  private scan(text: string, start: number, initialStack: readonly Frame[], scopesAt: (readonly string[])[]): Frame[] {
    const stack = [...initialStack];
    let position = start;
    const zeroWidthStates = new Set<string>();
    for (;;) {
      const frame = stack[stack.length - 1]!;
      const found = this.findMatch(text, position, frame);
      if (!found) {
        fill(scopesAt, position, text.length, frame.innerScopes);
        return stack;
      }
      const { candidate, match } = found;
      const matchStart = match.index;
      const matchEnd = matchStart + match[0].length;
      fill(scopesAt, position, matchStart, frame.innerScopes);
      if (matchEnd === matchStart) {
        // A zero-width match that brings us back to a state already seen here would loop forever.
        const state = `${matchStart}:${stack.length}:${candidate.isEnd ? 'end' : ''}:${candidate.rule.begin ?? candidate.rule.match}`;
        if (zeroWidthStates.has(state)) {
          if (matchStart >= text.length) return stack;
          fill(scopesAt, matchStart, matchStart + 1, frame.innerScopes);
          position = matchStart + 1;
          continue;
        }
        zeroWidthStates.add(state);
      }
      if (candidate.isEnd) {
        fill(scopesAt, matchStart, matchEnd, frame.outerScopes);
        this.applyCaptures(text, match, frame.rule.endCaptures ?? frame.rule.captures, frame.grammar, scopesAt);
        stack.pop();
      } else if (candidate.rule.match !== undefined) {
        const scopes = withScope(frame.innerScopes, candidate.rule.name);
        fill(scopesAt, matchStart, matchEnd, scopes);
        this.applyCaptures(text, match, candidate.rule.captures, candidate.grammar, scopesAt);
      } else {
        const outerScopes = withScope(frame.innerScopes, candidate.rule.name);
        const innerScopes = withScope(outerScopes, candidate.rule.contentName);
        fill(scopesAt, matchStart, matchEnd, outerScopes);
        this.applyCaptures(text, match, candidate.rule.beginCaptures ?? candidate.rule.captures, candidate.grammar, scopesAt);
        stack.push({
          rule: candidate.rule,
          grammar: candidate.grammar,
          outerScopes,
          innerScopes,
          endRegex: compileGrammarRegex(candidate.rule.end ?? '(?!)'),
        });
      }
      position = matchEnd;
      if (position > text.length) return stack;
    }
  }

  private findMatch(text: string, position: number, frame: Frame): { candidate: Candidate; match: RegExpExecArray } | undefined {
    const candidates: Candidate[] = [];
    const endCandidate: Candidate | undefined = frame.endRegex
      ? { rule: frame.rule, grammar: frame.grammar, regex: frame.endRegex, isEnd: true }
      : undefined;
    if (endCandidate && !frame.rule.applyEndPatternLast) candidates.push(endCandidate);
    for (const { rule, grammar } of this.expand(frame.rule.patterns ?? [], frame.grammar, new Set())) {
      const source = rule.match ?? rule.begin;
      if (source === undefined) continue;
      candidates.push({ rule, grammar, regex: compileGrammarRegex(source), isEnd: false });
    }
    if (endCandidate && frame.rule.applyEndPatternLast) candidates.push(endCandidate);

    let best: { candidate: Candidate; match: RegExpExecArray } | undefined;
    for (const candidate of candidates) {
      candidate.regex.lastIndex = position;
      const match = candidate.regex.exec(text);
      if (match && (!best || match.index < best.match.index)) best = { candidate, match };
      if (best && best.match.index === position) break;
    }
    return best;
  }

  /** Flattens `include`s and pattern-only rules into the rules that match. */
  private expand(rules: readonly GrammarRule[], grammar: Grammar, seen: Set<GrammarRule>): { rule: GrammarRule; grammar: Grammar }[] {
    const result: { rule: GrammarRule; grammar: Grammar }[] = [];
    for (const rule of rules) {
      if (rule.include !== undefined) {
        const target = this.resolveInclude(rule.include, grammar);
        if (!target || seen.has(target.rule)) continue;
        seen.add(target.rule);
        result.push(...this.expand([target.rule], target.grammar, seen));
        seen.delete(target.rule);
      } else if (rule.match === undefined && rule.begin === undefined) {
        result.push(...this.expand(rule.patterns ?? [], grammar, seen));
      } else {
        result.push({ rule, grammar });
      }
    }
    return result;
  }

  private resolveInclude(include: string, grammar: Grammar): { rule: GrammarRule; grammar: Grammar } | undefined {
    if (include.startsWith('#')) {
      const rule = grammar.repository?.[include.slice(1)];
      return rule ? { rule, grammar } : undefined;
    }
    if (include === '$self' || include === '$base') return { rule: { patterns: grammar.patterns }, grammar };
    const other = this.grammars.get(include);
    return other ? { rule: { patterns: other.patterns }, grammar: other } : undefined;
  }

  private applyCaptures(
    text: string,
    match: RegExpExecArray,
    captures: Captures | undefined,
    grammar: Grammar,
    scopesAt: (readonly string[])[],
  ): void {
    if (!captures || !match.indices) return;
    const indexes = Object.keys(captures).map(Number).sort((a, b) => a - b);
    for (const index of indexes) {
      const range = match.indices[index];
      const capture = captures[String(index)];
      if (!range || !capture || range[0] === range[1]) continue;
      const [captureStart, captureEnd] = range;
      if (capture.name !== undefined) {
        for (let i = captureStart; i < captureEnd; i++) scopesAt[i] = withScope(scopesAt[i]!, capture.name);
      }
      if (capture.patterns) {
        // Re-tokenize the captured text as vscode-textmate does: inside the line cut at the capture's end.
        const base = scopesAt[captureStart]!;
        const inner: (readonly string[])[] = new Array<readonly string[]>(captureEnd);
        const frame: Frame = { rule: { patterns: capture.patterns }, grammar, outerScopes: base, innerScopes: base };
        this.scan(text.slice(0, captureEnd), captureStart, [frame], inner);
        for (let i = captureStart; i < captureEnd; i++) scopesAt[i] = inner[i] ?? base;
      }
    }
  }
}

function withScope(scopes: readonly string[], name: string | undefined): readonly string[] {
  if (name === undefined) return scopes;
  return [...scopes, ...name.split(/\s+/).filter(Boolean)];
}

function fill(scopesAt: (readonly string[])[], from: number, to: number, scopes: readonly string[]): void {
  for (let i = from; i < to; i++) scopesAt[i] = scopes;
}

function toTokens(line: string, scopesAt: readonly (readonly string[] | undefined)[], fallback: readonly string[]): Token[] {
  const tokens: Token[] = [];
  let start = 0;
  for (let i = 1; i <= line.length; i++) {
    const previous = scopesAt[i - 1] ?? fallback;
    if (i === line.length || !sameScopes(previous, scopesAt[i] ?? fallback)) {
      tokens.push({ text: line.slice(start, i), startIndex: start, scopes: previous });
      start = i;
    }
  }
  return tokens;
}

function sameScopes(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((scope, i) => scope === b[i]);
}
