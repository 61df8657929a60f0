import type { Containerfile, Instruction, Mount } from '../model/containerfile';
import type { ShellCommand } from '../shell/script';
import { resolvePath } from '../shell/script';
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
}

/** Standard directories whose creation, empty, is not content (catalog: "Shell"). */
export const STANDARD_EMPTY_DIRECTORIES = new Set(['/boot', '/var/tmp', '/var/lib', '/var/cache', '/var/log', '/var/spool', '/var/opt', '/var/mnt', '/var/home', '/var/roothome', '/var', '/tmp', '/run', '/usr/local', '/opt', '/srv', '/mnt', '/media']);

/** Device files that redirects target without writing content. */
const PSEUDO_FILES = /^\/dev\/(null|zero|stdout|stderr|stdin|tty|fd\/\d+|full|random|urandom)$/;

/** `ostree container commit` empties these. */
const OSTREE_COMMIT_CLEANS = ['/tmp/*', '/var/tmp/*', '/var/cache/*', '/run/*'];

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

/** True when removing `pattern` (which may hold globs) removes `path`. */
export function removalCovers(pattern: string, path: string): boolean {
  if (!/[*?[]/.test(pattern)) return isUnder(path, pattern);
  const patternParts = pattern.split('/').filter(Boolean);
  const pathParts = path.split('/').filter(Boolean);
  if (pathParts.length < patternParts.length) return false;
  return patternParts.every((part, i) => componentPattern(part).test(pathParts[i]));
}

/** Writes under a `RUN --mount` target (cache, tmpfs, bind, secret) land on the mount, not in the layer. */
function mountCovers(mounts: Mount[], path: string): boolean {
  return mounts.some((m) => m.target !== undefined && isUnder(path, m.target));
}

/** Computes (once per lint) the filesystem effects of the final image's instructions. */
export function analyzeFilesystem(file: Containerfile): FilesystemAnalysis {
  const writes: FsWrite[] = [];
  const removals: FsRemoval[] = [];
  let live: FsWrite[] = [];

  const remove = (removal: FsRemoval) => {
    removals.push(removal);
    live = live.filter((w) => !removalCovers(removal.pattern, w.path));
  };

  for (const instruction of file.shippedInstructions) {
    if (instruction.copy) {
      const copy = instruction.copy;
      if (copy.destination && copy.destinationWord) {
        const write: FsWrite = {
          path: copy.destination,
          kind: copy.destinationIsDirectory || copy.heredocs.length > 1 ? 'tree' : 'file',
          instruction,
          range: copy.destinationWord.range,
          via: instruction.keyword,
        };
        writes.push(write);
        live.push(write);
      }
      continue;
    }
    const run = instruction.run;
    if (!run) continue;
    for (const command of run.script.commands) {
      for (const effect of commandEffects(command)) {
        if ('pattern' in effect) {
          remove({ ...effect, instruction, command });
          continue;
        }
        if (mountCovers(run.mounts, effect.path)) continue;
        const write: FsWrite = { ...effect, instruction, command };
        writes.push(write);
        if (write.kind === 'attributes' || write.kind === 'modify') continue;
        live.push(write);
      }
    }
  }
  const shipped = live.filter((w) => !(w.kind === 'directory' && STANDARD_EMPTY_DIRECTORIES.has(w.path)));
  return { writes, removals, shipped };
}

type Effect = Omit<FsWrite, 'instruction' | 'command'> | Omit<FsRemoval, 'instruction' | 'command'>;

/** The writes and removals of one simple command. */
export function commandEffects(command: ShellCommand): Effect[] {
  const effects: Effect[] = [];
  const cwd = command.cwd;
  const absolute = (text: string) => resolvePath(text, cwd);
  const write = (word: { text: string; range: Range; quoted?: boolean; dynamic?: boolean }, kind: WriteKind, via: string, extra: Partial<FsWrite> = {}) => {
    if (word.dynamic) return;
    const paths = word.quoted ? [word.text] : wordPaths(word as Parameters<typeof wordPaths>[0]);
    for (const text of paths) {
      const path = absolute(text);
      if (path && !PSEUDO_FILES.test(path)) effects.push({ path, kind, range: word.range, via, ...extra });
    }
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
    case 'touch':
      for (const operand of parseArgs(args, ['-d', '-r', '-t', '--date', '--reference']).operands) write(operand, 'file', 'touch');
      break;
    case 'cp':
    case 'mv':
    case 'rsync':
    case 'install': {
      const parsed = parseArgs(args, ['-m', '--mode', '-o', '--owner', '-g', '--group', '-t', '--target-directory', '-S', '--suffix', '-Z', '--context', '-e', '--exclude', '--include', '--chmod', '--chown']);
      const isDirectoryInstall = command.name === 'install' && parsed.options.has('-d');
      if (isDirectoryInstall) {
        for (const operand of parsed.operands) write(operand, 'directory', 'install');
        break;
      }
      const targetDir = parsed.values.get('-t')?.[0] ?? parsed.values.get('--target-directory')?.[0];
      const recursive = parsed.options.has('-r') || parsed.options.has('-R') || parsed.options.has('-a') || parsed.options.has('--recursive') || command.name === 'rsync' || command.name === 'mv';
      if (targetDir) write(targetDir, 'tree', command.name);
      else if (parsed.operands.length >= 2) write(parsed.operands[parsed.operands.length - 1], recursive || parsed.operands.length > 2 ? 'tree' : 'file', command.name);
      if (command.name === 'mv') for (const source of parsed.operands.slice(0, targetDir ? undefined : -1)) pushRemoval(effects, source, absolute);
      break;
    }
    case 'ln': {
      const parsed = parseArgs(args, ['-t', '--target-directory', '-S', '--suffix']);
      const symbolic = parsed.options.has('-s') || parsed.options.has('--symbolic');
      const targetDir = parsed.values.get('-t')?.[0] ?? parsed.values.get('--target-directory')?.[0];
      const linkTarget = parsed.operands[0]?.text;
      if (targetDir) write(targetDir, 'tree', 'ln');
      else if (parsed.operands.length >= 2) write(parsed.operands[parsed.operands.length - 1], symbolic ? 'symlink' : 'file', 'ln', { linkTarget });
      else if (parsed.operands.length === 1 && cwd) {
        const name = parsed.operands[0].text.split('/').pop() ?? '';
        write({ ...parsed.operands[0], text: name }, symbolic ? 'symlink' : 'file', 'ln', { linkTarget });
      }
      break;
    }
    case 'tee':
      for (const operand of parseArgs(args).operands) write(operand, parseArgs(args).options.has('-a') ? 'modify' : 'file', 'tee');
      break;
    case 'tar':
    case 'bsdtar': {
      const parsed = parseArgs(args, ['-C', '--directory', '-f', '--file']);
      const first = args[0]?.text ?? '';
      const extracting = parsed.options.has('-x') || parsed.options.has('--extract') || parsed.options.has('--get') || (/^[a-zA-Z]+$/.test(first) && first.includes('x'));
      const directory = parsed.values.get('-C')?.[0] ?? parsed.values.get('--directory')?.[0];
      if (extracting && directory) write(directory, 'tree', 'tar');
      break;
    }
    case 'unzip': {
      const parsed = parseArgs(args, ['-d', '-x']);
      const directory = parsed.values.get('-d')?.[0];
      if (directory) write(directory, 'tree', 'unzip');
      break;
    }
    case 'git': {
      const sub = args.findIndex((w) => !w.text.startsWith('-'));
      if (args[sub]?.text === 'clone') {
        const parsed = parseArgs(args.slice(sub + 1), ['-b', '--branch', '--depth', '-o', '--origin', '-c', '--config', '--reference', '--filter', '-j', '--jobs']);
        if (parsed.operands.length >= 2) write(parsed.operands[1], 'tree', 'git clone');
      }
      break;
    }
    case 'curl': {
      const parsed = parseArgs(args, ['-o', '--output', '-H', '--header', '-d', '--data', '-u', '--user', '-X', '--request', '-A', '-e', '-x', '--proxy', '--retry', '-m', '--max-time', '--connect-timeout', '--output-dir']);
      for (const output of [...(parsed.values.get('-o') ?? []), ...(parsed.values.get('--output') ?? [])]) if (output.text !== '-') write(output, 'file', 'curl');
      break;
    }
    case 'wget': {
      const parsed = parseArgs(args, ['-O', '--output-document', '-P', '--directory-prefix', '-o', '--output-file', '-t', '--tries', '-T', '--timeout', '--header', '-U']);
      for (const output of [...(parsed.values.get('-O') ?? []), ...(parsed.values.get('--output-document') ?? [])]) if (output.text !== '-') write(output, 'file', 'wget');
      for (const directory of [...(parsed.values.get('-P') ?? []), ...(parsed.values.get('--directory-prefix') ?? [])]) write(directory, 'tree', 'wget');
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

function pushRemoval(effects: Effect[], word: { text: string; range: Range; quoted?: boolean; dynamic?: boolean }, absolute: (text: string) => string | undefined): void {
  if (word.dynamic) return;
  const paths = word.quoted ? [word.text] : wordPaths(word as Parameters<typeof wordPaths>[0]);
  for (const text of paths) {
    const pattern = absolute(text);
    if (pattern) effects.push({ pattern, range: word.range });
  }
}
