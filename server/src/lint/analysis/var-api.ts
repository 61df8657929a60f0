import type { Instruction } from '../model/containerfile';
import { resolvePath, type ShellCommand } from '../shell/script';
import { wordPaths } from './commands';
import { BASE_IMAGE_DIRECTORIES, isUnder, removalCovers, STANDARD_EMPTY_DIRECTORIES, type FilesystemAnalysis, type FsRemoval, type FsWrite } from './filesystem';

/**
 * Helpers of the `/var` and API-filesystem rules (`var-content`, `api-filesystem-content`,
 * `api-dir-removed`, `var-run-dir`) on top of the shared filesystem analysis.
 */

/** Appends create the file when it does not exist: content, unlike `sed -i`. */
const APPENDS = new Set(['>>', '&>>', 'tee']);

/**
 * Writes whose content is still in the final image: what the analysis ships, plus appends
 * (`>>`, `tee -a`) no later removal undoes. Empty standard directories are not content.
 * Build order.
 */
export function contentWrites(fs: FilesystemAnalysis): FsWrite[] {
  return fs.remaining.filter((w) => {
    if (w.kind === 'attributes') return false;
    if (w.kind === 'modify' && !APPENDS.has(w.via)) return false;
    if (w.kind === 'directory' && (STANDARD_EMPTY_DIRECTORIES.has(w.path) || BASE_IMAGE_DIRECTORIES.has(w.path))) return false;
    return true;
  });
}

/** Build order of a write or removal: instruction, then command within the RUN. */
export function orderOf(item: { instruction: Instruction; command?: ShellCommand }): [number, number] {
  return [item.instruction.index, item.command?.index ?? -1];
}

export function isAfter(a: [number, number], b: [number, number]): boolean {
  return a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);
}

/**
 * The writes to report: one per instruction and path, dropping a write inside a path that
 * the same instruction already reported (`mkdir /var/lib/app && touch /var/lib/app/x`) and
 * writes that share a range (`mkdir -p /var/lib/{a,b}` is one word).
 */
export function reportable(writes: readonly FsWrite[]): FsWrite[] {
  const kept: FsWrite[] = [];
  const seen = new Map<Instruction, { paths: Set<string>; ranges: Set<string> }>();
  for (const write of writes) {
    let entry = seen.get(write.instruction);
    if (!entry) seen.set(write.instruction, (entry = { paths: new Set(), ranges: new Set() }));
    const range = `${write.range.start.line}:${write.range.start.character}:${write.range.end.line}:${write.range.end.character}`;
    if (entry.ranges.has(range) || ancestorsOf(write.path).some((a) => entry!.paths.has(a))) continue;
    entry.paths.add(write.path);
    entry.ranges.add(range);
    kept.push(write);
  }
  return kept;
}

/** `/var/lib/app` → `/var/lib/app`, `/var/lib`, `/var`, `/`. */
function ancestorsOf(path: string): string[] {
  const result = [path];
  for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) result.push(path.slice(0, i));
  if (path !== '/') result.push('/');
  return result;
}

/** True when a removal between the write and `before` (exclusive) undoes the write. */
export function removedBefore(write: FsWrite, before: [number, number], removals: readonly FsRemoval[]): boolean {
  const at = orderOf(write);
  return removals.some((r) => {
    const order = orderOf(r);
    return isAfter(order, at) && isAfter(before, order) && (removalCovers(r.pattern, write.path) || (write.contents === true && isUnder(r.pattern, write.path) && r.pattern !== write.path));
  });
}

/** A short description of what wrote: "`mkdir` creates", "`COPY` puts", "the redirect writes"... */
export function describeWrite(write: FsWrite): string {
  const shown = write.writtenAs ?? write.path;
  if (write.via === 'COPY' || write.via === 'ADD') return `\`${write.via}\` puts ${shown} in the image`;
  if (write.via.includes('>')) return `The \`${write.via}\` redirect writes ${shown}`;
  if (write.kind === 'directory') return `\`${write.via}\` creates the directory ${shown}`;
  if (write.kind === 'symlink') return `\`ln -s\` creates the link ${shown}`;
  return `\`${write.via}\` writes ${shown}`;
}

/**
 * Absolute paths a command mentions (its arguments and redirect targets), resolved against
 * its working directory, brace expansion applied. Dynamic words are skipped.
 */
export function mentionedPaths(command: ShellCommand): string[] {
  const paths: string[] = [];
  const words = [...command.args, ...command.redirects.flatMap((r) => (r.target ? [r.target] : []))];
  for (const word of words) {
    if (word.dynamic) continue;
    const texts = wordPaths(word).flatMap((t) => {
      // `--target=/var/lib/x`, `of=/x`
      const eq = t.indexOf('=');
      return eq > 0 && t.slice(eq + 1).startsWith('/') ? [t, t.slice(eq + 1)] : [t];
    });
    for (const text of texts) {
      if (!text.startsWith('/') && command.cwd === undefined) continue;
      const path = resolvePath(text, command.cwd);
      if (path) paths.push(path);
    }
  }
  if (command.cwd !== undefined && command.cwd !== '/') paths.push(command.cwd);
  return paths;
}

/** Build order as one number: instruction, then command within the RUN. */
function orderKey(instruction: number, command: number): number {
  return instruction * 1e7 + Math.min(command + 1, 1e7 - 1);
}

/** For every path (and each of its ancestors), the latest build order at which a step mentions it. */
const mentionIndexes = new WeakMap<readonly Instruction[], Map<string, number>>();

function mentionIndex(instructions: readonly Instruction[]): Map<string, number> {
  let index = mentionIndexes.get(instructions);
  if (index) return index;
  index = new Map();
  const add = (path: string, order: number) => {
    for (const ancestor of ancestorsOf(path)) {
      const current = index!.get(ancestor);
      if (current === undefined || current < order) index!.set(ancestor, order);
    }
  };
  for (const instruction of instructions) {
    const order = orderKey(instruction.index, -1);
    if (instruction.copy?.destination) add(instruction.copy.destination, order);
    if (instruction.workdir !== '/') add(instruction.workdir, order);
    for (const command of instruction.run?.script.commands ?? []) {
      for (const path of mentionedPaths(command)) add(path, orderKey(instruction.index, command.index));
    }
  }
  mentionIndexes.set(instructions, index);
  return index;
}

/**
 * True when a shipped command after `after` (instruction index, command index; build order)
 * mentions a path inside one of `paths`, or a later instruction's COPY destination or working
 * directory is there.
 */
export function mentionedLater(instructions: readonly Instruction[], after: [number, number], paths: readonly string[]): boolean {
  const index = mentionIndex(instructions);
  const limit = orderKey(after[0], after[1]);
  return paths.some((path) => (index.get(path) ?? -1) > limit);
}
