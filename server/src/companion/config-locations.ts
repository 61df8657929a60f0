/**
 * Where keys and values are written in a TOML or JSON config, so findings point at the exact
 * text (and a rename can edit every place a key is written). Values come from smol-toml (TOML)
 * or the small position-recording JSON parser below; a line scanner finds the TOML positions.
 */
import { parseToml } from '../lint/analysis/toml';

/** A key (string) or array index (number) on the way to a value. */
export type PathSegment = string | number;

/** Start and end offsets in the text. */
export interface Span {
  start: number;
  end: number;
}

/** One place where a key is written (or an array element, whose `key` is its value). */
export interface KeyLocation {
  path: PathSegment[];
  /** The key's text without quotes (for array elements: the element's value). */
  key: Span;
  /** The value, when written after `=`/`:` (not for TOML tables opened by a header). */
  value?: Span;
  /** Set when the key is the last one of a TOML `[table]` or `[[array]]` header. */
  header?: { kind: 'table' | 'array'; span: Span };
}

export interface ConfigSyntaxError {
  message: string;
  offset: number;
}

export type ParsedConfig = { ok: true; value: unknown; locations: ConfigLocations } | { ok: false; error: ConfigSyntaxError };

const pathKey = (path: readonly PathSegment[]) => JSON.stringify(path);

/** The key locations of one config, looked up by path. */
export class ConfigLocations {
  private readonly byPath = new Map<string, KeyLocation[]>();

  constructor(readonly all: readonly KeyLocation[]) {
    for (const location of all) {
      const key = pathKey(location.path);
      const list = this.byPath.get(key);
      if (list) list.push(location);
      else this.byPath.set(key, [location]);
    }
  }

  /** Every place the key at `path` is written (TOML headers can repeat a key). */
  occurrences(path: readonly PathSegment[]): KeyLocation[] {
    return this.byPath.get(pathKey(path)) ?? [];
  }

  /** Where the key at `path` is written first. */
  key(path: readonly PathSegment[]): Span | undefined {
    return this.occurrences(path)[0]?.key;
  }

  /** Where the value at `path` is written, else where its key is. */
  valueOrKey(path: readonly PathSegment[]): Span | undefined {
    const found = this.occurrences(path);
    return found.find((location) => location.value)?.value ?? found[0]?.key;
  }
}

// ---------------------------------------------------------------------------------------------
// TOML

/** Parses TOML text: values by smol-toml, positions by a scanner. */
export function parseTomlConfig(text: string): ParsedConfig {
  let value: unknown;
  try {
    value = parseToml(text);
  } catch (error) {
    const { line, column, message } = error as { line?: number; column?: number; message: string };
    const offset = line ? offsetOfLineColumn(text, line - 1, (column ?? 1) - 1) : 0;
    return { ok: false, error: { message: message.split('\n')[0].replace(/^Invalid TOML document: /, ''), offset } };
  }
  return { ok: true, value, locations: new ConfigLocations(new TomlScanner(text).scan()) };
}

function offsetOfLineColumn(text: string, line: number, column: number): number {
  let offset = 0;
  for (let current = 0; current < line; current++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return Math.min(offset + column, text.length);
}

class TomlScanner {
  private position = 0;
  private readonly locations: KeyLocation[] = [];
  private readonly arrayCounts = new Map<string, number>();

  constructor(private readonly text: string) {}

  scan(): KeyLocation[] {
    let table: PathSegment[] = [];
    while (this.position < this.text.length) {
      this.skipBlankAndComments(true);
      if (this.position >= this.text.length) break;
      const before = this.position;
      if (this.text[this.position] === '[') table = this.header();
      else this.keyValue(table);
      this.skipToLineEnd();
      if (this.position === before) this.position++;
    }
    return this.locations;
  }

  private header(): PathSegment[] {
    const start = this.position;
    const isArray = this.text.startsWith('[[', this.position);
    this.position += isArray ? 2 : 1;
    const keys = this.dottedKey();
    this.skipSpaces();
    this.position += isArray && this.text.startsWith(']]', this.position) ? 2 : this.text[this.position] === ']' ? 1 : 0;
    const span = { start, end: this.position };
    const resolved: PathSegment[] = [];
    keys.forEach((segment, index) => {
      const last = index === keys.length - 1;
      resolved.push(segment.name);
      this.locations.push({ path: [...resolved], key: segment.span, header: last ? { kind: isArray ? 'array' : 'table', span } : undefined });
      const countKey = pathKey(resolved);
      if (last && isArray) {
        const count = this.arrayCounts.get(countKey) ?? 0;
        this.arrayCounts.set(countKey, count + 1);
        resolved.push(count);
      } else if (this.arrayCounts.has(countKey)) {
        resolved.push(this.arrayCounts.get(countKey)! - 1);
      }
    });
    return resolved;
  }

  private keyValue(table: PathSegment[]): void {
    const keys = this.dottedKey();
    if (keys.length === 0) return;
    const path = [...table];
    let location: KeyLocation | undefined;
    for (const segment of keys) {
      path.push(segment.name);
      location = { path: [...path], key: segment.span };
      this.locations.push(location);
    }
    this.skipSpaces();
    if (this.text[this.position] !== '=') return;
    this.position++;
    this.skipSpaces();
    location!.value = this.value(path);
  }

  /** Scans a value, recording keys of inline tables and array elements; returns its span. */
  private value(path: PathSegment[]): Span {
    const start = this.position;
    const text = this.text;
    if (text.startsWith('"""', start) || text.startsWith("'''", start)) {
      const quote = text.slice(start, start + 3);
      let offset = start + 3;
      while (offset < text.length) {
        if (quote === '"""' && text[offset] === '\\') {
          offset += 2;
          continue;
        }
        if (text.startsWith(quote, offset)) {
          offset += 3;
          while (text[offset] === quote[0]) offset++;
          break;
        }
        offset++;
      }
      this.position = Math.min(offset, text.length);
    } else if (text[start] === '"' || text[start] === "'") {
      let offset = start + 1;
      while (offset < text.length && text[offset] !== text[start] && text[offset] !== '\n') {
        offset += text[start] === '"' && text[offset] === '\\' ? 2 : 1;
      }
      this.position = Math.min(offset + 1, text.length);
    } else if (text[start] === '[') {
      this.position++;
      let index = 0;
      for (;;) {
        this.skipBlankAndComments(true);
        if (this.position >= text.length || text[this.position] === ']') break;
        const elementPath = [...path, index++];
        const span = this.value(elementPath);
        this.locations.push({ path: elementPath, key: span, value: span });
        this.skipBlankAndComments(true);
        if (text[this.position] === ',') this.position++;
        else if (text[this.position] !== ']') break;
      }
      if (text[this.position] === ']') this.position++;
    } else if (text[start] === '{') {
      this.position++;
      for (;;) {
        this.skipSpaces();
        if (this.position >= text.length || text[this.position] === '}' || text[this.position] === '\n') break;
        const before = this.position;
        this.keyValue(path);
        this.skipSpaces();
        if (text[this.position] === ',') this.position++;
        else if (text[this.position] !== '}' || this.position === before) break;
      }
      if (text[this.position] === '}') this.position++;
    } else {
      let offset = start;
      while (offset < text.length && !',]}\n#\r'.includes(text[offset])) offset++;
      while (offset > start && (text[offset - 1] === ' ' || text[offset - 1] === '\t')) offset--;
      this.position = offset;
    }
    return { start, end: this.position };
  }

  private dottedKey(): Array<{ name: string; span: Span }> {
    const keys: Array<{ name: string; span: Span }> = [];
    for (;;) {
      this.skipSpaces();
      const char = this.text[this.position];
      if (char === '"' || char === "'") {
        const start = this.position + 1;
        let offset = start;
        let name = '';
        while (offset < this.text.length && this.text[offset] !== char && this.text[offset] !== '\n') {
          if (char === '"' && this.text[offset] === '\\') {
            name += this.text[offset + 1] ?? '';
            offset += 2;
            continue;
          }
          name += this.text[offset++];
        }
        keys.push({ name, span: { start, end: offset } });
        this.position = Math.min(offset + 1, this.text.length);
      } else {
        const match = /^[A-Za-z0-9_-]+/.exec(this.text.slice(this.position, this.position + 256));
        if (!match) break;
        keys.push({ name: match[0], span: { start: this.position, end: this.position + match[0].length } });
        this.position += match[0].length;
      }
      this.skipSpaces();
      if (this.text[this.position] !== '.') break;
      this.position++;
    }
    return keys;
  }

  private skipSpaces(): void {
    while (this.text[this.position] === ' ' || this.text[this.position] === '\t') this.position++;
  }

  private skipBlankAndComments(newlines: boolean): void {
    for (;;) {
      const char = this.text[this.position];
      if (char === ' ' || char === '\t' || (newlines && (char === '\n' || char === '\r'))) this.position++;
      else if (char === '#') this.skipToLineEnd();
      else break;
    }
  }

  private skipToLineEnd(): void {
    const next = this.text.indexOf('\n', this.position);
    this.position = next < 0 ? this.text.length : next;
  }
}

// ---------------------------------------------------------------------------------------------
// JSON

class JsonSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

/** Parses JSON text, recording where every key and value is written. */
export function parseJsonConfig(text: string): ParsedConfig {
  const parser = new JsonParser(text);
  try {
    const value = parser.parseDocument();
    return { ok: true, value, locations: new ConfigLocations(parser.locations) };
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { ok: false, error: { message: error.message, offset: error.offset } };
    throw error;
  }
}

class JsonParser {
  readonly locations: KeyLocation[] = [];
  private position = 0;

  constructor(private readonly text: string) {}

  parseDocument(): unknown {
    this.skipWhitespace();
    const value = this.value([]);
    this.skipWhitespace();
    if (this.position < this.text.length) this.fail('unexpected text after the JSON value');
    return value;
  }

  private fail(message: string): never {
    throw new JsonSyntaxError(message, Math.min(this.position, this.text.length));
  }

  private skipWhitespace(): void {
    while (this.position < this.text.length && ' \t\r\n'.includes(this.text[this.position])) this.position++;
  }

  private value(path: PathSegment[]): unknown {
    const char = this.text[this.position];
    if (char === '{') return this.object(path);
    if (char === '[') return this.array(path);
    if (char === '"') return this.string();
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(this.text.slice(this.position, this.position + 64));
    if (!literal) this.fail(this.position >= this.text.length ? 'unexpected end of the file' : `unexpected '${char}'`);
    this.position += literal[0].length;
    return JSON.parse(literal[0]);
  }

  private object(path: PathSegment[]): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    this.position++;
    this.skipWhitespace();
    if (this.text[this.position] === '}') {
      this.position++;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.position] !== '"') this.fail('expected a "key"');
      const keyStart = this.position;
      const key = this.string();
      const location: KeyLocation = { path: [...path, key], key: { start: keyStart + 1, end: this.position - 1 } };
      this.locations.push(location);
      this.skipWhitespace();
      if (this.text[this.position] !== ':') this.fail("expected ':' after the key");
      this.position++;
      this.skipWhitespace();
      const valueStart = this.position;
      // defineProperty: a "__proto__" key is data here, not the object's prototype.
      Object.defineProperty(result, key, { value: this.value(location.path), enumerable: true, writable: true, configurable: true });
      location.value = { start: valueStart, end: this.position };
      this.skipWhitespace();
      const next = this.text[this.position];
      this.position++;
      if (next === '}') return result;
      if (next !== ',') {
        this.position--;
        this.fail("expected ',' or '}'");
      }
    }
  }

  private array(path: PathSegment[]): unknown[] {
    const result: unknown[] = [];
    this.position++;
    this.skipWhitespace();
    if (this.text[this.position] === ']') {
      this.position++;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      const start = this.position;
      const elementPath = [...path, result.length];
      result.push(this.value(elementPath));
      const span = { start, end: this.position };
      this.locations.push({ path: elementPath, key: span, value: span });
      this.skipWhitespace();
      const next = this.text[this.position];
      this.position++;
      if (next === ']') return result;
      if (next !== ',') {
        this.position--;
        this.fail("expected ',' or ']'");
      }
    }
  }

  private string(): string {
    const start = this.position;
    this.position++;
    while (this.position < this.text.length) {
      const char = this.text[this.position];
      if (char === '\\') this.position += 2;
      else if (char === '"') break;
      else if (char === '\n') this.fail('unterminated string');
      else this.position++;
    }
    if (this.position >= this.text.length) this.fail('unterminated string');
    this.position++;
    try {
      return JSON.parse(this.text.slice(start, this.position)) as string;
    } catch {
      this.position = start;
      return this.fail('invalid escape in string');
    }
  }
}
