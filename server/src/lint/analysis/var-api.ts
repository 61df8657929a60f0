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
  for (const write of writes) {
    const duplicate = kept.some((k) => k.instruction === write.instruction && (isUnder(write.path, k.path) || sameRange(k, write)));
    if (!duplicate) kept.push(write);
  }
  return kept;
}

function sameRange(a: FsWrite, b: FsWrite): boolean {
  return a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character && a.range.end.line === b.range.end.line && a.range.end.character === b.range.end.character;
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

/**
 * True when a shipped command after `after` (in build order) mentions a path inside one of
 * `paths`, or when a later instruction's WORKDIR or COPY destination is there.
 */
export function mentionedLater(instructions: readonly Instruction[], after: [number, number], paths: readonly string[], skip?: ShellCommand): boolean {
  const inside = (p: string) => paths.some((prefix) => isUnder(p, prefix));
  for (const instruction of instructions) {
    if (instruction.index < after[0]) continue;
    if (instruction.index > after[0]) {
      if (instruction.copy?.destination && inside(instruction.copy.destination)) return true;
      if (instruction.workdir !== '/' && inside(instruction.workdir)) return true;
    }
    for (const command of instruction.run?.script.commands ?? []) {
      if (command === skip || !isAfter([instruction.index, command.index], after)) continue;
      if (mentionedPaths(command).some(inside)) return true;
    }
  }
  return false;
}
