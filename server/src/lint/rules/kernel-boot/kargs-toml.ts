import { parseToml as parse, TomlError } from '../../analysis/toml';
import { defineRule } from '../../rule';
import { replace } from '../../fixes';
import { commandEffects, isUnder, removalCovers } from '../../analysis/filesystem';
import { contentWrites, mappedRange, unmapped, verbatimText, type MappedText } from '../../analysis/file-content';
import type { Containerfile, Instruction } from '../../model/containerfile';
import { substitute } from '../../model/variables';
import { KARGS_ARCHITECTURES, renamedArchitecture } from '../../analysis/architectures';
import type { Fix, Range } from '../../types';

const KARGS_D = '/usr/lib/bootc/kargs.d';


/** Spellings of `match-architectures` seen in the wild (the install config uses `match_architectures`). */
const MISSPELLED_ARCH_KEYS = ['match_architectures', 'matchArchitectures', 'match-architecture', 'match_architecture', 'match-arch', 'architectures'];

/** A kargs.d file of the image whose content we know. */
interface KargsFile {
  path: string;
  content: MappedText;
  /** Written in the Containerfile (fixable), as opposed to read from the build context. */
  inline: boolean;
  /** What to underline when the problem has no place of its own in the content. */
  fallback: Range;
  /** How the message names the file. */
  label: string;
}

function isKargsFile(path: string): boolean {
  const normalized = path.startsWith('/lib/') ? `/usr${path}` : path;
  return normalized.startsWith(KARGS_PREFIX) && !normalized.slice(KARGS_PREFIX.length).includes('/') && normalized.endsWith('.toml');
}

const KARGS_PREFIX = `${KARGS_D}/`;
/** Every path `isKargsFile` accepts starts with one of these. */
const KARGS_PREFIXES = [KARGS_PREFIX, '/lib/bootc/kargs.d/'];

/**
 * False when no kargs.d file can start with `lead` (a cheap test before comparing a removal
 * or a destination with every tracked file: most of a large file's removals are elsewhere).
 */
function reachesKargs(lead: string): boolean {
  return KARGS_PREFIXES.some((k) => k.startsWith(lead) || lead.startsWith(k));
}

/** What every path a removal pattern covers starts with (`/var/log/` for `/var/log/dnf*`). */
function patternLead(pattern: string): string {
  if (!/[*?[]/.test(pattern)) return pattern;
  const literal: string[] = [];
  for (const part of pattern.split('/')) {
    if (!part) continue;
    if (/[*?[]/.test(part)) break;
    literal.push(part);
  }
  return literal.length > 0 ? `/${literal.join('/')}/` : '/';
}

/**
 * The kargs.d files of the image and what we know of them (null: content unknown), in the
 * order they were first mentioned, with the set of those whose content we know.
 */
class KnownFiles {
  readonly entries = new Map<string, KargsFile | null>();
  /** Paths with a non-null entry: only those can change when something covers them. */
  readonly live = new Set<string>();

  set(path: string, value: KargsFile | null): void {
    this.entries.set(path, value);
    if (value) this.live.add(path);
    else this.live.delete(path);
  }

  /** Forgets the content of the tracked files under `prefix` (whole components; `isUnder`). */
  forgetUnder(prefix: string, keep?: (path: string) => boolean): void {
    if (this.live.size === 0 || !reachesKargs(prefix)) return;
    for (const path of this.live) if (isUnder(path, prefix) && !keep?.(path)) this.set(path, null);
  }
}

export default defineRule({
  meta: {
    id: 'kargs-toml',
    defaultSeverity: 'error',
    category: 'kernel-boot',
    description: 'A /usr/lib/bootc/kargs.d/*.toml file that bootc cannot use: invalid TOML, wrong keys or types, or unknown architecture names.',
    explanation:
      'bootc reads `/usr/lib/bootc/kargs.d/*.toml` at install and upgrade: each must be TOML with `kargs` (an array of strings) and optionally `match-architectures` (an array of kernel architecture names such as `x86_64`, `aarch64`). A file it cannot parse makes install and upgrade fail; `amd64`/`arm64` never match, so those arguments are silently dropped.',
    fixable: true,
  },
  check(context) {
    const file = context.file;
    const known = new KnownFiles();
    const forget = (pattern: string) => {
      if (known.live.size === 0 || !reachesKargs(patternLead(pattern))) return;
      for (const path of known.live) if (removalCovers(pattern, path)) known.set(path, null);
    };
    const none = new Set<string>();
    for (const instruction of file.shippedInstructions) {
      if (instruction.copy) {
        copied(file, instruction, known, context.options.readContextFile);
        continue;
      }
      const run = instruction.run;
      if (!run) continue;
      for (const command of run.script.commands) {
        let handled = none;
        for (const write of contentWrites(command, run.script.commands, file, isKargsFile)) {
          if (run.mounts.some((m) => m.target !== undefined && isUnder(write.path, m.target))) continue;
          if (handled === none) handled = new Set<string>();
          handled.add(write.path);
          const previous = known.entries.get(write.path);
          let content = write.content;
          if (content && write.append) content = previous ? { text: previous.content.text + content.text, offsets: [...previous.content.offsets, ...content.offsets] } : previous === undefined ? content : undefined;
          known.set(write.path, content ? { path: write.path, content, inline: true, fallback: previous && write.append ? previous.fallback : write.target.range, label: write.path } : null);
        }
        for (const effect of commandEffects(command)) {
          if ('pattern' in effect) forget(effect.pattern);
          else if (effect.kind !== 'attributes' && !handled.has(effect.path) && (isKargsFile(effect.path) || known.entries.has(effect.path))) known.set(effect.path, null);
          else if (effect.kind === 'tree') known.forgetUnder(effect.path, (path) => handled.has(path));
        }
      }
    }
    for (const kargs of known.entries.values()) if (kargs) validate(file, kargs, context.report);
  },
});

/** COPY/ADD into kargs.d: inline heredocs, or build-context files we can read. */
function copied(file: Containerfile, instruction: Instruction, known: KnownFiles, read?: (path: string) => string | undefined): void {
  const copy = instruction.copy!;
  const destination = copy.destination;
  if (!destination) return;
  const intoDirectory = copy.destinationIsDirectory || destination === KARGS_D || destination === `/lib/bootc/kargs.d`;
  // Whatever this copies over a file we track replaces it with content we may not know:
  // a named file replaces one path, a directory or glob anything below the destination.
  for (const source of copy.sources) {
    const name = source.text.replace(/\/+$/, '').split('/').pop() ?? '';
    if (source.text.startsWith('<<')) continue;
    if (/\.toml$/.test(name) && !/[*?[]/.test(name)) known.set(intoDirectory ? `${destination}/${name}` : destination, null);
    else known.forgetUnder(destination);
  }
  if (copy.from) return;
  // Nothing below can land in kargs.d.
  if (!reachesKargs(destination)) return;
  const heredocNames = new Map(copy.heredocs.map((h) => [h.name, h]));
  for (const source of copy.sources) {
    const heredocName = /^<<-?\s*(["']?)([^"']+)\1$/.exec(source.text);
    if (heredocName) {
      const heredoc = heredocNames.get(heredocName[2]);
      if (!heredoc) continue;
      const path = intoDirectory ? `${destination}/${heredoc.name}` : destination;
      if (!isKargsFile(path)) continue;
      let content = verbatimText(file, heredoc.content, heredoc.range);
      if (!heredocName[1] && heredoc.content.includes('$')) {
        // Unquoted delimiter: build variables are expanded in the content.
        const expanded = substitute(heredoc.content, instruction.scope);
        if (expanded.unresolved) {
          known.set(path, null);
          continue;
        }
        if (expanded.value !== heredoc.content) content = unmapped(expanded.value);
      }
      known.set(path, { path, content, inline: true, fallback: copy.destinationWord?.range ?? instruction.range, label: path });
      continue;
    }
    const name = source.text.replace(/\/+$/, '').split('/').pop() ?? '';
    const path = intoDirectory ? `${destination}/${name}` : destination;
    if (!isKargsFile(path)) continue;
    const relative = source.text.replace(/^(\.\/)+|^\/+/, '');
    const text = /[*?[$]|:\/\//.test(source.text) ? undefined : read?.(relative);
    known.set(path, text === undefined ? null : { path, content: unmapped(text), inline: false, fallback: source.range, label: `${source.text} (copied to ${path})` });
  }
}

type Reporter = (report: { range: Range; message: string; fixes?: Fix[] }) => void;

function validate(file: Containerfile, kargs: KargsFile, report: Reporter): void {
  const text = kargs.content.text;
  const at = (start: number, end: number) => mappedRange(file, kargs.content, start, end) ?? kargs.fallback;
  const fixAt = (start: number, end: number, newText: string, title: string): Fix[] => {
    const range = kargs.inline ? mappedRange(file, kargs.content, start, end) : undefined;
    return range ? [{ title, edits: [replace(range, newText)] }] : [];
  };
  const unusable = 'bootc fails to read it, so installing or upgrading to this image fails';
  let data: Record<string, unknown>;
  try {
    data = parseCached(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0].replace(/^Invalid TOML document:\s*/, '') : String(error);
    let range = kargs.fallback;
    if (error instanceof TomlError) {
      const lineStart = nthLineStart(text, error.line - 1);
      const lineEnd = text.indexOf('\n', lineStart) < 0 ? text.length : text.indexOf('\n', lineStart);
      const lineStop = trimmedEnd(text, lineEnd, lineStart);
      let start = Math.min(lineStart + Math.max(0, error.column - 1), lineEnd);
      // At the end of the line (an unclosed array or string): underline the line.
      if (start >= lineStop) start = lineStart + (/^\s*/.exec(text.slice(lineStart, lineStop))?.[0].length ?? 0);
      range = lineStop > start ? at(start, lineStop) : kargs.fallback;
    }
    report({ range, message: `${kargs.label} is not valid TOML (${detail}): ${unusable}. Write \`kargs = ["console=ttyS0"]\`.` });
    return;
  }

  for (const key of Object.keys(data)) {
    if (key === 'kargs' || key === 'match-architectures') continue;
    const position = keyPosition(text, key);
    const range = position ? at(position.start, position.end) : kargs.fallback;
    if (MISSPELLED_ARCH_KEYS.includes(key)) {
      report({
        range,
        message: `${kargs.label}: unknown key \`${key}\`: the key is \`match-architectures\` (with a dash), and bootc rejects unknown keys, so installing or upgrading to this image fails.`,
        fixes: position ? fixAt(position.start, position.end, 'match-architectures', 'Rename the key to match-architectures') : [],
      });
    } else {
      report({ range, message: `${kargs.label}: unknown key \`${key}\`: bootc accepts only \`kargs\` and \`match-architectures\` and rejects the file, so installing or upgrading to this image fails.` });
    }
  }

  if (!('kargs' in data)) {
    report({ range: kargs.fallback, message: `${kargs.label} has no \`kargs\` array: ${unusable}. Write \`kargs = ["console=ttyS0"]\`.` });
  } else if (!isStringArray(data.kargs)) {
    report({ range: valueRange(text, 'kargs', at, kargs.fallback), message: `${kargs.label}: \`kargs\` must be an array of strings (\`kargs = ["console=ttyS0", "quiet"]\`): ${unusable}.` });
  }

  const archKey = ['match-architectures', ...MISSPELLED_ARCH_KEYS].find((k) => k in data);
  if (archKey) {
    const architectures = data[archKey];
    if (!isStringArray(architectures)) {
      report({ range: valueRange(text, archKey, at, kargs.fallback), message: `${kargs.label}: \`match-architectures\` must be an array of strings (\`match-architectures = ["x86_64"]\`): ${unusable}.` });
      return;
    }
    const keyAt = keyPosition(text, archKey);
    for (const architecture of new Set(architectures)) {
      if (KARGS_ARCHITECTURES.has(architecture)) continue;
      const positions = keyAt ? stringPositions(text, architecture, keyAt.end) : [];
      const ranges = positions.length > 0 ? positions : [undefined];
      const rename = renamedArchitecture(architecture);
      for (const position of ranges) {
        const range = position ? at(position, position + architecture.length) : kargs.fallback;
        if (rename) {
          report({
            range,
            message: `${kargs.label}: \`${architecture}\` is not a kernel architecture name, so it never matches and these kernel arguments are silently not applied. Use \`${rename}\`.`,
            fixes: position !== undefined ? fixAt(position, position + architecture.length, rename, `Replace ${architecture} with ${rename}`) : [],
          });
        } else {
          report({ range, message: `${kargs.label}: \`${architecture}\` is not an architecture name bootc knows, so it never matches and these kernel arguments are not applied. Use kernel names such as \`x86_64\`, \`aarch64\`, \`s390x\`, \`ppc64le\`, \`riscv64\`.` });
        }
      }
    }
  }
}

/** Parsed kargs.d texts (files repeat the same few lines), parse errors included. */
const parsedTexts = new Map<string, { data: Record<string, unknown> } | { error: unknown }>();

function parseCached(text: string): Record<string, unknown> {
  let entry = parsedTexts.get(text);
  if (!entry) {
    try {
      entry = { data: parse(text) as Record<string, unknown> };
    } catch (error) {
      entry = { error };
    }
    if (parsedTexts.size >= 512) parsedTexts.clear();
    parsedTexts.set(text, entry);
  }
  if ('error' in entry) throw entry.error;
  return entry.data;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function nthLineStart(text: string, line: number): number {
  let offset = 0;
  for (let i = 0; i < line; i++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return offset;
}

function trimmedEnd(text: string, end: number, floor: number): number {
  while (end > floor && /\s/.test(text[end - 1])) end--;
  return end;
}

/** Where a top-level key is written (`key =`, `"key" =`). */
function keyPosition(text: string, key: string): { start: number; end: number } | undefined {
  const escaped = key.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  const match = new RegExp(`^[ \\t]*(["']?)(${escaped})\\1[ \\t]*=`, 'm').exec(text);
  if (!match) return undefined;
  const start = match.index + match[0].indexOf(match[2]);
  return { start, end: start + key.length };
}

/** The value after `key =` on its line. */
function valueRange(text: string, key: string, at: (s: number, e: number) => Range, fallback: Range): Range {
  const position = keyPosition(text, key);
  if (!position) return fallback;
  const equals = text.indexOf('=', position.end);
  let start = equals + 1;
  while (start < text.length && (text[start] === ' ' || text[start] === '\t')) start++;
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  const comment = text.slice(start, end).search(/\s#/);
  if (comment >= 0) end = start + comment;
  end = trimmedEnd(text, end, start);
  return end > start ? at(start, end) : fallback;
}

/** Offsets of the quoted string `value` after `from` (inside the array that follows the key). */
function stringPositions(text: string, value: string, from: number): number[] {
  const close = text.indexOf(']', from);
  const limit = close < 0 ? text.length : close;
  const result: number[] = [];
  for (const quote of ['"', "'"]) {
    for (let i = text.indexOf(quote + value + quote, from); i >= 0 && i < limit; i = text.indexOf(quote + value + quote, i + 1)) result.push(i + 1);
  }
  return result.sort((a, b) => a - b);
}
