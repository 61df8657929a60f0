/**
 * Parses and expands VS Code snippet bodies (the TextMate snippet syntax VS Code implements:
 * `$1`, `${1}`, `${1:placeholder ${2:nested}}`, `${1|one,two|}`, `$0`, variables, and the
 * escapes `\$`, `\}`, `\\`, plus `\,` and `\|` inside choices), so tests can check what a
 * snippet really inserts.
 */

/** A piece of a parsed snippet body. */
export type SnippetNode =
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'tabstop'; readonly index: number }
  | { readonly kind: 'placeholder'; readonly index: number; readonly children: readonly SnippetNode[] }
  | { readonly kind: 'choice'; readonly index: number; readonly options: readonly string[] }
  | { readonly kind: 'variable'; readonly name: string; readonly children: readonly SnippetNode[] };

/** Thrown for a body VS Code would not read as intended (it would insert the text literally). */
export class SnippetSyntaxError extends Error {}

/** Parses a snippet body (array bodies are joined with `\n`, as VS Code does). */
export function parseSnippet(body: string | readonly string[]): SnippetNode[] {
  const text = typeof body === 'string' ? body : body.join('\n');
  const parser = new Parser(text);
  const nodes = parser.parseSequence(false);
  if (parser.position !== text.length) throw new SnippetSyntaxError(`unexpected '}' at ${parser.position}`);
  return nodes;
}

/** Choices for an expansion: per tabstop, the choice option to pick or the text to type. */
export interface ExpansionInput {
  /** Tabstop index → index of the option picked in its choice (default: the first). */
  readonly choices?: ReadonlyMap<number, number>;
  /** Tabstop index → the text the user types over the placeholder (e.g. '' to delete an optional part). */
  readonly typed?: ReadonlyMap<number, string>;
}

/** Expands a parsed snippet as VS Code inserts it: mirrors repeat their tabstop's value. */
export function expandSnippet(nodes: readonly SnippetNode[], input: ExpansionInput = {}): string {
  const definitions = new Map<number, SnippetNode>();
  collectDefinitions(nodes, definitions);
  const values = new Map<number, string>();
  const valueOf = (index: number): string => {
    if (index === 0) return '';
    const known = values.get(index);
    if (known !== undefined) return known;
    const typed = input.typed?.get(index);
    const definition = definitions.get(index);
    let value = '';
    if (typed !== undefined) value = typed;
    else if (definition?.kind === 'placeholder') value = render(definition.children);
    else if (definition?.kind === 'choice') value = definition.options[input.choices?.get(index) ?? 0] ?? '';
    values.set(index, value);
    return value;
  };
  const render = (list: readonly SnippetNode[]): string =>
    list
      .map((node) => {
        switch (node.kind) {
          case 'text':
            return node.value;
          case 'variable':
            throw new SnippetSyntaxError(`variable $${node.name} would be inserted as its name or left empty`);
          default:
            return valueOf(node.index);
        }
      })
      .join('');
  return render(nodes);
}

/** The tabstops of a body, each with how it is defined (placeholder, choice, or bare tabstop). */
export function tabstops(nodes: readonly SnippetNode[]): Map<number, SnippetNode> {
  const definitions = new Map<number, SnippetNode>();
  collectDefinitions(nodes, definitions);
  return definitions;
}

/** Every node of the tree, depth first (placeholders before their children). */
export function* walkSnippet(nodes: readonly SnippetNode[]): Generator<SnippetNode> {
  for (const node of nodes) {
    yield node;
    if (node.kind === 'placeholder' || node.kind === 'variable') yield* walkSnippet(node.children);
  }
}

function collectDefinitions(nodes: readonly SnippetNode[], definitions: Map<number, SnippetNode>): void {
  for (const node of walkSnippet(nodes)) {
    if (node.kind === 'variable' || node.kind === 'text') continue;
    const existing = definitions.get(node.index);
    // VS Code: a placeholder or choice defines the tabstop even when a bare `$n` comes first.
    if (!existing || (existing.kind === 'tabstop' && node.kind !== 'tabstop')) definitions.set(node.index, node);
  }
}

class Parser {
  position = 0;
  constructor(private readonly text: string) {}

  /** Reads nodes up to the end, or up to an unescaped `}` when inside a placeholder. */
  parseSequence(insidePlaceholder: boolean): SnippetNode[] {
    const nodes: SnippetNode[] = [];
    let literal = '';
    const flush = (): void => {
      if (literal) nodes.push({ kind: 'text', value: literal });
      literal = '';
    };
    while (this.position < this.text.length) {
      const char = this.text[this.position]!;
      if (char === '\\' && /[$}\\]/.test(this.text[this.position + 1] ?? '')) {
        literal += this.text[this.position + 1];
        this.position += 2;
      } else if (char === '}' && insidePlaceholder) {
        break;
      } else if (char === '$') {
        const node = this.parseDollar();
        if (node) {
          flush();
          nodes.push(node);
        } else {
          literal += '$';
          this.position++;
        }
      } else {
        literal += char;
        this.position++;
      }
    }
    flush();
    return nodes;
  }

  /** Reads `$…` at the position; undefined when it is a literal dollar (e.g. `$(`). */
  private parseDollar(): SnippetNode | undefined {
    const rest = this.text.slice(this.position);
    const simple = /^\$(\d+)/.exec(rest) ?? /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
    if (simple) {
      this.position += simple[0].length;
      return /^\d/.test(simple[1]!) ? { kind: 'tabstop', index: Number(simple[1]) } : { kind: 'variable', name: simple[1]!, children: [] };
    }
    const braced = /^\$\{(\d+|[A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
    if (!braced) return undefined;
    const id = braced[1]!;
    const isTabstop = /^\d/.test(id);
    this.position += braced[0].length;
    const next = this.text[this.position];
    if (next === '}') {
      this.position++;
      return isTabstop ? { kind: 'tabstop', index: Number(id) } : { kind: 'variable', name: id, children: [] };
    }
    if (next === ':') {
      this.position++;
      const children = this.parseSequence(true);
      this.expect('}');
      return isTabstop ? { kind: 'placeholder', index: Number(id), children } : { kind: 'variable', name: id, children };
    }
    if (next === '|' && isTabstop) {
      this.position++;
      const options: string[] = [];
      let option = '';
      for (;;) {
        const char = this.text[this.position];
        if (char === undefined) throw new SnippetSyntaxError(`unterminated choice \${${id}|`);
        if (char === '\\' && /[,|\\$}]/.test(this.text[this.position + 1] ?? '')) {
          option += this.text[this.position + 1];
          this.position += 2;
        } else if (char === ',') {
          options.push(option);
          option = '';
          this.position++;
        } else if (char === '|') {
          options.push(option);
          this.position++;
          this.expect('}');
          return { kind: 'choice', index: Number(id), options };
        } else {
          option += char;
          this.position++;
        }
      }
    }
    throw new SnippetSyntaxError(`unsupported \${${id}${next ?? ''}… at ${this.position}`);
  }

  private expect(char: string): void {
    if (this.text[this.position] !== char) throw new SnippetSyntaxError(`expected '${char}' at ${this.position}`);
    this.position++;
  }
}
