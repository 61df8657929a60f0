import type { Containerfile, Instruction, Mount } from '../model/containerfile';
import type { ShellCommand, Word } from '../shell/script';
import { basename, resolvePath } from '../shell/script';
import type { Range } from '../types';
import { parseArgs, wordPaths } from './commands';

/**
 * What the final image's instructions do to the filesystem, in build order: the
 * shared model behind the layout rules (`var-content`, `usr-etc`, `home-content`...).
 */
export type WriteKind =
  /** A directory created empty (`mkdir`, `install -d`). */
  | 'directory'
  /** A file written (`touch`, `>`, `cp`, `COPY` of a file). */
  | 'file'
  /** A symbolic link created at `path` pointing to `linkTarget`. */
  | 'symlink'
  /** A tree of unknown content (`COPY dir/`, `tar -x -C`, `git clone`). */
  | 'tree'
  /** An existing file edited in place (`sed -i`, `>>`). */
  | 'modify'
  /** Permissions or ownership changed (`chmod`, `chown`). */
  | 'attributes';

export interface FsWrite {
  /** Absolute path written, after following the base image's `/var/run` → `/run` symlinks. */
  path: string;
  kind: WriteKind;
  instruction: Instruction;
  /** The shell command, for writes by `RUN`. */
  command?: ShellCommand;
  /** What to underline: the path word, or the destination of COPY/ADD. */
  range: Range;
  /** The tool that wrote: `mkdir`, `COPY`, `>`, ... */
  via: string;
  linkTarget?: string;
  /** For `chmod`/`chown`: the mode or owner argument. */
  attribute?: string;
  /**
   * The entries of a tree land directly in `path` (`COPY dir/ /x/`, `tar -x -C /x`): its
   * names are unknown, so removing `path/*` removes it.
   */
  contents?: boolean;
  /** The path as written, when a symlink of the base image redirected it (`/var/run/x` → `/run/x`). */
  writtenAs?: string;
}

export interface FsRemoval {
  /** Absolute path, possibly with glob characters (`/var/cache/*`). */
  pattern: string;
  instruction: Instruction;
  command?: ShellCommand;
  range: Range;
}

export interface FilesystemAnalysis {
  /** Every write in the shipped stages, in build order, removed later or not. */
  writes: FsWrite[];
  /** Every removal in the shipped stages, in build order. */
  removals: FsRemoval[];
  /** Writes whose result is still in the final image (not removed later, not on a mount). */
  shipped: FsWrite[];
  /**
   * Every write (edits, appends and `chmod`/`chown` included) that no later removal undoes,
   * in build order; standard directories included.
   */
  remaining: FsWrite[];
  /**
   * When `/var/run` ends the build as a real directory instead of the base image's symlink
   * to `/run`: the write that made it one.
   */
  varRunDirectory?: FsWrite;
}

/** Standard directories whose creation, empty, is not content (catalog: "Shell"). */
export const STANDARD_EMPTY_DIRECTORIES = new Set(['/boot', '/var/tmp', '/var/lib', '/var/cache', '/var/log', '/var/spool', '/var/opt', '/var/mnt', '/var/home', '/var/roothome', '/var', '/tmp', '/run', '/usr/local', '/opt', '/srv', '/mnt', '/media']);

/**
 * Directories that bootc base images (Fedora, CentOS, RHEL) already ship or that their
 * packages own: `mkdir -p` of one of them changes nothing.
 */
export const BASE_IMAGE_DIRECTORIES = new Set([
  '/var/lib/alternatives',
  '/var/lib/containers',
  '/var/lib/dnf',
  '/var/lib/rpm',
  '/var/lib/rpm-state',
  '/var/lib/systemd',
  '/var/lib/private',
  '/var/lib/selinux',
  '/var/lib/polkit-1',
  '/var/lib/flatpak',
  '/var/cache/private',
  '/var/log/private',
  '/var/log/journal',
  '/var/spool/mail',
  '/var/mail',
  '/var/local',
  '/var/usrlocal',
  '/var/lib/tpm2-tss',
]);

/** Symlinks of the base image that redirect writes until they are removed (`/var/run` → `/run`). */
const BASE_SYMLINKS: ReadonlyArray<readonly [string, string]> = [
  ['/var/run', '/run'],
  ['/var/lock', '/run/lock'],
];

/**
 * Device files that commands write to without writing content, and the build container's
 * own scratch mounts under /dev (`/dev/shm`): nothing written there reaches the layer.
 */
const PSEUDO_FILES = /^\/dev\/(null|zero|stdout|stderr|stdin|tty|console|kmsg|full|random|urandom|ptmx|fd\/\d+|(tcp|udp|shm|pts|mqueue)\/.*)$/;

/** `ostree container commit` empties these. */
const OSTREE_COMMIT_CLEANS = ['/tmp/*', '/var/tmp/*', '/var/cache/*', '/run/*'];

/** Archives that `ADD` extracts into its destination. */
const LOCAL_ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst|tzst)$/i;

/** True when `path` is `prefix` or inside it, comparing whole components. */
export function isUnder(path: string, prefix: string): boolean {
  if (prefix === '/') return path.startsWith('/');
  return path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);
}

const globCache = new Map<string, RegExp>();
function componentPattern(component: string): RegExp {
  let re = globCache.get(component);
  if (!re) {
    let source = '';
    for (let i = 0; i < component.length; i++) {
      const ch = component[i];
      if (ch === '*') source += '[^/]*';
      else if (ch === '?') source += '[^/]';
      else if (ch === '[') {
        const close = component.indexOf(']', i + 1);
        if (close > i) {
          source += `[${component.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
          i = close;
        } else source += '\\[';
      } else source += ch.replace(/[.+^${}()|\\]/g, '\\$&');
    }
    re = new RegExp(`^${source}$`);
    globCache.set(component, re);
  }
  return re;
}

const hasGlob = (text: string) => /[*?[]/.test(text);

/** True when removing `pattern` (which may hold globs) removes `path`. */
export function removalCovers(pattern: string, path: string): boolean {
  if (!hasGlob(pattern)) return isUnder(path, pattern);
  const patternParts = pattern.split('/').filter(Boolean);
  const pathParts = path.split('/').filter(Boolean);
  if (pathParts.length < patternParts.length) return false;
  return patternParts.every((part, i) => componentPattern(part).test(pathParts[i]));
}

/**
 * True when the removal undoes the write: it covers the write's path, or, for a tree whose
 * entries landed directly in `path`, it empties `path` (`rm -rf /tmp/*`) or (later in the
 * same `RUN`, in a scratch directory) removes what was unpacked there
 * (`tar -x -C /tmp && rm -rf /tmp/app-1.0`).
 */
function removes(removal: FsRemoval, write: FsWrite): boolean {
  if (removalCovers(removal.pattern, write.path)) return true;
  if (!write.contents || write.path === '/') return false;
  const parent = write.path;
  if (!isUnder(removal.pattern, parent) || removal.pattern === parent) return false;
  const rest = removal.pattern.slice(parent.length + 1);
  if (rest.replace(/\*+/g, '*') === '*') return true;
  return removal.instruction === write.instruction && SCRATCH_DIRECTORIES.some((d) => isUnder(parent, d));
}

/** Where builds unpack archives to pick files from them and clean up what they unpacked. */
const SCRATCH_DIRECTORIES = ['/tmp', '/var/tmp', '/run', '/root', '/usr/src', '/var/cache'];

/** Writes under a `RUN --mount` target (cache, tmpfs, bind, secret) land on the mount, not in the layer. */
function mountCovers(mounts: Mount[], path: string): boolean {
  return mounts.some((m) => m.target !== undefined && isUnder(path, m.target));
}

/** Follows the base image's symlinks that are still links: `/var/run/x` → `/run/x`. */
function followLinks(path: string, links: Map<string, LinkState>): string {
  for (const [link, target] of BASE_SYMLINKS) {
    if (links.get(link) === 'link' && path !== link && isUnder(path, link)) return target + path.slice(link.length);
  }
  return path;
}

type LinkState = 'link' | 'absent' | 'directory';

/** Computes (once per lint) the filesystem effects of the final image's instructions. */
export function analyzeFilesystem(file: Containerfile): FilesystemAnalysis {
  const writes: FsWrite[] = [];
  const removals: FsRemoval[] = [];
  const live = new LiveWrites();
  const links = new Map<string, LinkState>(BASE_SYMLINKS.map(([link]) => [link, 'link']));
  let varRunDirectory: FsWrite | undefined;

  const remove = (removal: FsRemoval) => {
    for (const [link, target] of BASE_SYMLINKS) {
      const state = links.get(link);
      if (removalCovers(removal.pattern, link)) {
        links.set(link, 'absent');
        if (link === '/var/run') varRunDirectory = undefined;
      } else if (state === 'link' && isUnder(removal.pattern, link)) {
        removal = { ...removal, pattern: target + removal.pattern.slice(link.length) };
      }
    }
    removals.push(removal);
    live.removeWhere(removal.pattern, (w) => removes(removal, w));
  };

  const add = (effect: WriteEffect, instruction: Instruction, mounts: Mount[], command?: ShellCommand) => {
    const resolved = followLinks(effect.path, links);
    if (mountCovers(mounts, resolved) || mountCovers(mounts, effect.path)) return;
    const write: FsWrite = { ...effect, path: resolved, instruction, command };
    if (resolved !== effect.path) write.writtenAs = effect.path;
    for (const [link] of BASE_SYMLINKS) {
      const state = links.get(link);
      if (resolved === link) {
        if (write.kind === 'symlink') {
          links.set(link, 'link');
          if (link === '/var/run') varRunDirectory = undefined;
        } else if (state === 'link') {
          // `mkdir -p /var/run` while it is the symlink changes nothing.
          if (write.kind === 'directory' || write.kind === 'attributes' || write.kind === 'modify') return;
        } else if (state === 'absent') {
          links.set(link, 'directory');
          if (link === '/var/run') varRunDirectory = write;
        }
      } else if (state === 'absent' && isUnder(resolved, link) && write.kind !== 'attributes' && write.kind !== 'modify') {
        // `mkdir -p /var/run/x` (or a COPY there) after the link was removed makes a directory.
        links.set(link, 'directory');
        if (link === '/var/run') varRunDirectory = write;
      }
    }
    writes.push(write);
    live.add(write);
  };

  for (const instruction of file.shippedInstructions) {
    if (instruction.copy) {
      for (const effect of copyEffects(instruction)) add(effect, instruction, []);
      continue;
    }
    const run = instruction.run;
    if (!run) continue;
    for (const command of run.script.commands) {
      for (const effect of commandEffects(command)) {
        if ('pattern' in effect) remove({ ...effect, instruction, command });
        else add(effect, instruction, run.mounts, command);
      }
    }
  }
  const remaining = writes.filter((w) => !live.removed.has(w));
  const content = remaining.filter((w) => w.kind !== 'attributes' && w.kind !== 'modify');
  const shipped = content.filter((w) => !(w.kind === 'directory' && (STANDARD_EMPTY_DIRECTORIES.has(w.path) || BASE_IMAGE_DIRECTORIES.has(w.path))));
  return { writes, removals, shipped, remaining, varRunDirectory };
}

interface PathNode {
  children: Map<string, PathNode>;
  writes: FsWrite[];
}

/**
 * The writes not yet undone, indexed by path components, so that a removal only looks at
 * the writes it can affect: those under its literal prefix (`/var/cache` for
 * `/var/cache/*`) and those at the prefix or above it (a tree unpacked into `/tmp` is
 * emptied by `rm -rf /tmp/*`). Keeps the analysis linear in the size of the file.
 */
class LiveWrites {
  private readonly root: PathNode = { children: new Map(), writes: [] };
  readonly removed = new Set<FsWrite>();

  add(write: FsWrite): void {
    let node = this.root;
    for (const part of write.path.split('/')) {
      if (!part) continue;
      let child = node.children.get(part);
      if (!child) node.children.set(part, (child = { children: new Map(), writes: [] }));
      node = child;
    }
    node.writes.push(write);
  }

  removeWhere(pattern: string, undone: (write: FsWrite) => boolean): void {
    const drop = (node: PathNode) => {
      if (node.writes.length === 0) return;
      node.writes = node.writes.filter((w) => {
        if (!undone(w)) return true;
        this.removed.add(w);
        return false;
      });
    };
    let node: PathNode | undefined = this.root;
    drop(node);
    for (const part of pattern.split('/')) {
      if (!part) continue;
      if (hasGlob(part)) break;
      node = node.children.get(part);
      if (!node) return;
      drop(node);
    }
    const stack = [...node.children.values()];
    for (let next = stack.pop(); next; next = stack.pop()) {
      drop(next);
      for (const child of next.children.values()) stack.push(child);
    }
  }
}

type WriteEffect = Omit<FsWrite, 'instruction' | 'command'>;
type RemovalEffect = Omit<FsRemoval, 'instruction' | 'command'>;
type Effect = WriteEffect | RemovalEffect;

function joinPath(directory: string, name: string): string {
  return directory === '/' ? `/${name}` : `${directory}/${name}`;
}

/**
 * What a `COPY`/`ADD` writes. A file copied into a directory is named after its source
 * (`COPY app.rpm /tmp/` writes `/tmp/app.rpm`), so that `rm /tmp/app.rpm` later undoes it;
 * the contents of a directory source (`COPY rootfs/ /`) or of an archive `ADD` extracts land
 * directly in the destination.
 */
function copyEffects(instruction: Instruction): WriteEffect[] {
  const copy = instruction.copy;
  if (!copy?.destination || !copy.destinationWord) return [];
  const destination = copy.destination;
  const base = { range: copy.destinationWord.range, via: instruction.keyword };
  const inlineNames = new Set(copy.heredocs.map((h) => h.name));
  const sources = copy.sources.map((s) => s.text.replace(/^<<-?["']?|["']$/g, '')).filter(Boolean);
  const isAdd = instruction.keyword === 'ADD';
  const isUrl = (s: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(s) || /^git@/.test(s);
  const extracted = (s: string) => isAdd && !isUrl(s) && LOCAL_ARCHIVE.test(s);
  const contentsOf = (s: string) => s === '.' || s.endsWith('/') || s.endsWith('/.') || extracted(s);

  if (!copy.destinationIsDirectory && sources.length <= 1) {
    const source = sources[0] ?? '';
    if (contentsOf(source)) return [{ ...base, path: destination, kind: 'tree', contents: destination !== '/' }];
    return [{ ...base, path: destination, kind: copy.heredocs.length > 1 ? 'tree' : 'file' }];
  }
  if (sources.length === 0) return [{ ...base, path: destination, kind: 'tree' }];
  const effects: WriteEffect[] = [];
  for (const source of sources) {
    if (contentsOf(source)) {
      effects.push({ ...base, path: destination, kind: 'tree', contents: true });
      continue;
    }
    let name = basename(isUrl(source) ? source.replace(/[?#].*$/, '').replace(/\/+$/, '') : source.replace(/\/+$/, ''));
    if (isUrl(source) && source.startsWith('git@')) name = name.replace(/\.git$/, '');
    if (!name || name === '..' || (!inlineNames.has(name) && name.includes('$'))) {
      effects.push({ ...base, path: destination, kind: 'tree', contents: true });
      continue;
    }
    effects.push({ ...base, path: joinPath(destination, name), kind: inlineNames.has(name) || /.\.[A-Za-z0-9]+$/.test(name) ? 'file' : 'tree' });
  }
  return effects;
}

/** The last path component of a URL (`https://x/y/app.tar.gz?dl=1` → `app.tar.gz`), or undefined. */
function urlBasename(url: string): string | undefined {
  if (!/^(https?|ftp):\/\//i.test(url)) return undefined;
  const path = url.replace(/^[a-z]+:\/\/[^/]*/i, '').replace(/[?#].*$/, '');
  const name = path.slice(path.lastIndexOf('/') + 1);
  return /^[A-Za-z0-9._+-]+$/.test(name) ? name : undefined;
}

type WordLike = Pick<Word, 'text' | 'range'> & Partial<Pick<Word, 'quoted' | 'dynamic'>>;

/** The writes and removals of one simple command. */
export function commandEffects(command: ShellCommand): readonly Effect[] {
  let effects = effectsCache.get(command);
  if (!effects) effectsCache.set(command, (effects = commandEffectsUncached(command)));
  return effects;
}

/** Commands are reused across lints while their RUN is unchanged (the script cache). */
const effectsCache = new WeakMap<ShellCommand, Effect[]>();

function commandEffectsUncached(command: ShellCommand): Effect[] {
  const effects: Effect[] = [];
  const cwd = command.cwd;
  const absolute = (text: string) => resolvePath(text, cwd);
  const write = (word: WordLike, kind: WriteKind, via: string, extra: Partial<FsWrite> = {}) => {
    if (word.dynamic) return;
    const paths = word.quoted ? [word.text] : wordPaths(word as Word);
    for (const text of paths) {
      // `~/x` is in the build user's home, not relative to the cwd (home-content reads it as /root/x).
      if (!word.quoted && text.startsWith('~')) continue;
      const path = absolute(text);
      if (path && !PSEUDO_FILES.test(path)) effects.push({ path, kind, range: word.range, via, ...extra });
    }
  };
  /** Writes `name` inside the directory `word` names (`cp a b /dir/`, `ln -s /x /dir/`). */
  const writeInside = (word: WordLike, name: string, kind: WriteKind, via: string, extra: Partial<FsWrite> = {}) => {
    if (word.dynamic) return;
    const directories = word.quoted ? [word.text] : wordPaths(word as Word);
    for (const text of directories) {
      const directory = absolute(text);
      if (directory) effects.push({ path: joinPath(directory, name), kind, range: word.range, via, ...extra });
    }
  };
  /** The name a source operand gets inside a target directory, or undefined when unknown. */
  const nameOf = (source: WordLike): string | undefined => {
    if (source.dynamic) return undefined;
    const text = source.text.replace(/\/+$/, '');
    const name = basename(text);
    if (!name || name === '.' || name === '..' || (!source.quoted && /[{}]/.test(name))) return undefined;
    return name;
  };

  for (const redirect of command.redirects) {
    // Only output redirects to files: not `2>&1`.
    if (!redirect.target || !redirect.operator.includes('>') || /^\d+$|^-$/.test(redirect.target.text)) continue;
    write(redirect.target, redirect.operator.includes('>>') ? 'modify' : 'file', redirect.operator);
  }

  const args = command.args;
  switch (command.name) {
    case 'mkdir': {
      for (const operand of parseArgs(args, ['-m', '--mode', '-Z', '--context']).operands) write(operand, 'directory', 'mkdir');
      break;
    }
    case 'touch': {
      const parsed = parseArgs(args, ['-d', '-r', '-t', '--date', '--reference']);
      if (parsed.options.has('-c') || parsed.options.has('--no-create')) break;
      for (const operand of parsed.operands) write(operand, 'file', 'touch');
      break;
    }
    case 'cp':
    case 'mv':
    case 'rsync':
    case 'install': {
      const parsed = parseArgs(args, ['-m', '--mode', '-o', '--owner', '-g', '--group', '-t', '--target-directory', '-S', '--suffix', '-Z', '--context', '-e', '--exclude', '--include', '--chmod', '--chown', '--exclude-from', '--include-from', '--files-from', '--rsh', '--backup-dir', '--log-file', '-f', '--filter', '-T']);
      const isDirectoryInstall = command.name === 'install' && parsed.options.has('-d');
      if (isDirectoryInstall) {
        for (const operand of parsed.operands) write(operand, 'directory', 'install');
        break;
      }
      const rsyncRemote = command.name === 'rsync' && parsed.operands.some((o) => /^[^/]*:/.test(o.text));
      if (rsyncRemote) break;
      const targetDir = parsed.values.get('-t')?.[0] ?? parsed.values.get('--target-directory')?.[0];
      const recursive = parsed.options.has('-r') || parsed.options.has('-R') || parsed.options.has('-a') || parsed.options.has('--recursive') || parsed.options.has('--archive') || command.name === 'rsync' || command.name === 'mv';
      const sources = targetDir ? parsed.operands : parsed.operands.slice(0, -1);
      const destination = targetDir ?? (parsed.operands.length >= 2 ? parsed.operands[parsed.operands.length - 1] : undefined);
      if (destination) {
        const intoDirectory = targetDir !== undefined || sources.length > 1 || /(^|\/)\.{0,2}$/.test(destination.text);
        // `rsync -a src/ /dest/` and `cp -a src/. /dest/` copy a directory's contents.
        const contentsCopy = (s: WordLike) => /\/\.$/.test(s.text) || (command.name === 'rsync' && s.text.endsWith('/'));
        if (!intoDirectory) {
          write(destination, recursive ? 'tree' : 'file', command.name, sources.length === 1 && contentsCopy(sources[0]) ? { contents: true } : {});
        } else {
          for (const source of sources) {
            const name = contentsCopy(source) ? undefined : nameOf(source);
            if (name) writeInside(destination, name, recursive ? 'tree' : 'file', command.name);
            else write(destination, 'tree', command.name, { contents: true });
          }
        }
      }
      if (command.name === 'mv') for (const source of sources) pushRemoval(effects, source, absolute);
      break;
    }
    case 'ln': {
      const parsed = parseArgs(args, ['-t', '--target-directory', '-S', '--suffix']);
      const symbolic = parsed.options.has('-s') || parsed.options.has('--symbolic');
      const kind: WriteKind = symbolic ? 'symlink' : 'file';
      const targetDir = parsed.values.get('-t')?.[0] ?? parsed.values.get('--target-directory')?.[0];
      const linkTarget = parsed.operands[0]?.text;
      if (targetDir) {
        for (const source of parsed.operands) {
          const name = nameOf(source);
          if (name) writeInside(targetDir, name, kind, 'ln', { linkTarget: source.text });
          else write(targetDir, 'tree', 'ln');
        }
      } else if (parsed.operands.length >= 2) {
        const destination = parsed.operands[parsed.operands.length - 1];
        const sources = parsed.operands.slice(0, -1);
        if (sources.length > 1 || destination.text.endsWith('/')) {
          for (const source of sources) {
            const name = nameOf(source);
            if (name) writeInside(destination, name, kind, 'ln', { linkTarget: source.text });
          }
        } else write(destination, kind, 'ln', { linkTarget });
      } else if (parsed.operands.length === 1 && cwd) {
        const name = nameOf(parsed.operands[0]);
        if (name) write({ ...parsed.operands[0], text: name, quoted: true }, kind, 'ln', { linkTarget });
      }
      break;
    }
    case 'tee': {
      const parsed = parseArgs(args);
      const append = parsed.options.has('-a') || parsed.options.has('--append');
      for (const operand of parsed.operands) write(operand, append ? 'modify' : 'file', 'tee');
      break;
    }
    case 'tar':
    case 'bsdtar': {
      const parsed = parseArgs(args, ['-C', '--directory', '-f', '--file', '-T', '--files-from', '-X', '--exclude-from', '--exclude', '--transform', '--strip-components', '-I', '--use-compress-program', '--owner', '--group', '--mode', '-b', '--blocking-factor', '-H', '--format']);
      const first = args[0]?.text ?? '';
      if (parsed.options.has('-O') || parsed.options.has('--to-stdout')) break;
      const extracting = parsed.options.has('-x') || parsed.options.has('--extract') || parsed.options.has('--get') || (/^[a-zA-Z]+$/.test(first) && first.includes('x'));
      const directory = parsed.values.get('-C')?.[0] ?? parsed.values.get('--directory')?.[0];
      if (extracting && directory) write(directory, 'tree', 'tar', { contents: true });
      else if (extracting && cwd && cwd !== '/') write({ text: cwd, range: command.range, quoted: true }, 'tree', 'tar', { contents: true });
      break;
    }
    case 'unzip': {
      const parsed = parseArgs(args, ['-d', '-x', '-P']);
      const directory = parsed.values.get('-d')?.[0];
      if (directory) write(directory, 'tree', 'unzip', { contents: true });
      else if (cwd && cwd !== '/' && !parsed.options.has('-l') && !parsed.options.has('-p') && !parsed.options.has('-t')) write({ text: cwd, range: command.range, quoted: true }, 'tree', 'unzip', { contents: true });
      break;
    }
    case 'git': {
      const sub = args.findIndex((w) => !w.text.startsWith('-'));
      if (args[sub]?.text === 'clone') {
        const parsed = parseArgs(args.slice(sub + 1), ['-b', '--branch', '--depth', '-o', '--origin', '-c', '--config', '--reference', '--filter', '-j', '--jobs', '--separate-git-dir', '--template', '-u', '--upload-pack', '--shallow-since', '--shallow-exclude']);
        if (parsed.operands.length >= 2) write(parsed.operands[1], 'tree', 'git clone');
        else if (parsed.operands.length === 1 && !parsed.operands[0].dynamic && cwd) {
          const name = basename(parsed.operands[0].text.replace(/\/+$/, '').replace(/\.git$/, '')).replace(/^.*:/, '');
          if (/^[A-Za-z0-9._+-]+$/.test(name)) write({ ...parsed.operands[0], text: name, quoted: true }, 'tree', 'git clone');
        }
      }
      break;
    }
    case 'curl': {
      const parsed = parseArgs(args, ['-o', '--output', '-H', '--header', '-d', '--data', '--data-raw', '--data-binary', '-u', '--user', '-X', '--request', '-A', '--user-agent', '-e', '--referer', '-x', '--proxy', '--retry', '--retry-delay', '--retry-max-time', '-m', '--max-time', '--connect-timeout', '--output-dir', '-w', '--write-out', '-T', '--upload-file', '-F', '--form', '-b', '--cookie', '-c', '--cookie-jar', '--cacert', '--cert', '--key', '-K', '--config', '-r', '--range', '-z', '--time-cond', '--resolve', '--limit-rate', '-C', '--continue-at']);
      const outputs = [...(parsed.values.get('-o') ?? []), ...(parsed.values.get('--output') ?? [])];
      for (const output of outputs) if (output.text !== '-') write(output, 'file', 'curl');
      const remoteName = parsed.options.has('-O') || parsed.options.has('--remote-name') || parsed.options.has('--remote-name-all');
      if (outputs.length === 0 && remoteName) {
        const directory = parsed.values.get('--output-dir')?.[0];
        const dir = directory ? (directory.dynamic ? undefined : absolute(directory.text)) : cwd;
        for (const url of parsed.operands) {
          const name = url.dynamic ? undefined : urlBasename(url.text);
          if (name && dir) write({ ...url, text: joinPath(dir, name), quoted: true }, 'file', 'curl');
        }
      }
      break;
    }
    case 'wget': {
      const parsed = parseArgs(args, ['-O', '--output-document', '-P', '--directory-prefix', '-o', '--output-file', '-a', '--append-output', '-t', '--tries', '-T', '--timeout', '--header', '-U', '--user-agent', '-i', '--input-file', '-e', '--execute', '--user', '--password', '-w', '--wait', '--limit-rate', '-l', '--level', '-A', '--accept', '-R', '--reject']);
      const outputs = [...(parsed.values.get('-O') ?? []), ...(parsed.values.get('--output-document') ?? [])];
      for (const output of outputs) if (output.text !== '-') write(output, 'file', 'wget');
      if (outputs.length === 0 && !parsed.options.has('-r') && !parsed.options.has('--recursive') && !parsed.options.has('--spider')) {
        const prefix = parsed.values.get('-P')?.[0] ?? parsed.values.get('--directory-prefix')?.[0];
        const dir = prefix ? (prefix.dynamic ? undefined : absolute(prefix.text)) : cwd;
        for (const url of parsed.operands) {
          const name = url.dynamic ? undefined : urlBasename(url.text);
          if (name && dir) write({ ...url, text: joinPath(dir, name), quoted: true }, 'file', 'wget');
          else if (prefix && dir) write(prefix, 'tree', 'wget', { contents: true });
        }
      }
      break;
    }
    case 'dd':
      for (const arg of args) if (arg.text.startsWith('of=')) write({ ...arg, text: arg.text.slice(3) }, 'file', 'dd');
      break;
    case 'sed':
    case 'perl': {
      const parsed = parseArgs(args, ['-e', '--expression', '-f', '--file']);
      const inPlace = [...parsed.options].some((o) => o === '-i' || o.startsWith('--in-place')) || args.some((a) => /^-[a-zA-Z]*i/.test(a.text) && !a.text.startsWith('--'));
      if (inPlace) {
        const scriptGiven = parsed.values.has('-e') || parsed.values.has('--expression') || parsed.values.has('-f');
        const files = scriptGiven || command.name === 'perl' ? parsed.operands : parsed.operands.slice(1);
        for (const file of files) write(file, 'modify', command.name);
      }
      break;
    }
    case 'chmod':
    case 'chown':
    case 'chgrp':
    case 'setfacl': {
      const parsed = parseArgs(args, ['--reference', '-m', '-x']);
      const [attribute, ...paths] = command.name === 'setfacl' ? [parsed.values.get('-m')?.[0], ...parsed.operands] : parsed.operands;
      for (const path of paths) if (path) write(path, 'attributes', command.name, { attribute: attribute?.text });
      break;
    }
    case 'mknod':
    case 'mkfifo': {
      const operand = parseArgs(args, ['-m', '--mode', '-Z', '--context']).operands[0];
      if (operand) write(operand, 'file', command.name);
      break;
    }
    case 'rm':
    case 'rmdir':
    case 'unlink':
      for (const operand of parseArgs(args).operands) pushRemoval(effects, operand, absolute);
      break;
    case 'find': {
      // `find /var/log -type f -delete` / `-exec rm` empties the searched directories.
      if (args.some((a) => a.text === '-delete') || (args.some((a) => a.text === '-exec' || a.text === '-execdir') && args.some((a) => a.text === 'rm'))) {
        for (const start of args) {
          if (start.text.startsWith('-') || start.text === '!' || start.text === '(') break;
          pushRemoval(effects, { ...start, text: `${start.text.replace(/\/$/, '')}/*` }, absolute);
        }
      }
      break;
    }
    case 'ostree': {
      const operands = args.filter((a) => !a.text.startsWith('-')).map((a) => a.text);
      if (operands[0] === 'container' && operands[1] === 'commit') {
        for (const pattern of OSTREE_COMMIT_CLEANS) effects.push({ pattern, range: command.range });
      }
      break;
    }
  }
  return effects;
}

function pushRemoval(effects: Effect[], word: WordLike, absolute: (text: string) => string | undefined): void {
  if (word.dynamic) return;
  const paths = word.quoted ? [word.text] : wordPaths(word as Word);
  for (const text of paths) {
    const pattern = absolute(text);
    if (pattern) effects.push({ pattern, range: word.range });
  }
}
