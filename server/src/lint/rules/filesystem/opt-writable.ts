import { defineRule } from '../../rule';
import { insert, replace } from '../../fixes';
import { isUnder, type FsWrite } from '../../analysis/filesystem';
import { parseArgs, wordPaths } from '../../analysis/commands';
import { presentWrites } from '../../analysis/layout';
import { rangeContains } from '../../text';
import type { Containerfile } from '../../model/containerfile';
import { resolvePath, type ShellCommand, type Word } from '../../shell/script';
import type { Fix, Range } from '../../types';

/** Names of directories an application writes at runtime, and where that state belongs. */
const STATE_DIRECTORIES: Record<string, string> = {
  log: '/var/log',
  logs: '/var/log',
  data: '/var/lib',
  state: '/var/lib',
  var: '/var/lib',
  cache: '/var/cache',
  tmp: '/var/tmp',
  run: '/run',
};

/** The systemd unit setting that creates each kind of state directory. */
const UNIT_DIRECTIVES: Record<string, string | undefined> = {
  log: 'LogsDirectory=',
  logs: 'LogsDirectory=',
  data: 'StateDirectory=',
  state: 'StateDirectory=',
  var: 'StateDirectory=',
  cache: 'CacheDirectory=',
  run: 'RuntimeDirectory=',
};

const MKDIR_VALUES = ['-m', '--mode', '-Z', '--context'];
const INSTALL_VALUES = ['-m', '--mode', '-o', '--owner', '-g', '--group', '-t', '--target-directory', '-S', '--suffix', '-Z', '--context'];

/** `/opt/<app>/.../<state>`: the first state directory below the application's own directory. */
function stateDirectory(path: string): { directory: string; name: string; last: boolean } | undefined {
  const parts = path.split('/').filter(Boolean);
  if (parts[0] !== 'opt') return undefined;
  for (let i = 2; i < parts.length; i++) {
    if (Object.hasOwn(STATE_DIRECTORIES, parts[i])) return { directory: `/${parts.slice(0, i + 1).join('/')}`, name: parts[i], last: i === parts.length - 1 };
  }
  return undefined;
}

/** Octal modes whose "other" digit has the write bit, or symbolic modes adding `o`/`a` write. */
export function givesOthersWrite(mode: string): boolean {
  if (/^[0-7]{1,4}$/.test(mode)) return (Number(mode[mode.length - 1]) & 2) !== 0;
  return mode.split(',').some((clause) => {
    const match = /^([ugoa]*)([+=])([rwxXst]*)$/.exec(clause);
    return !!match && /[oa]/.test(match[1]) && match[3].includes('w');
  });
}

/** `chown user[:group]`: true when the owning user is not root. */
export function nonRootOwner(spec: string): boolean {
  if (spec.includes('$')) return false;
  const owner = spec.split(/[:.]/, 1)[0];
  return owner !== '' && owner !== 'root' && owner !== '0';
}

interface Problem {
  range: Range;
  message: string;
  fixes?: Fix[];
}

const READ_ONLY = '/opt is read-only on the installed system (composefs), so the application cannot write there at runtime';

function where(name: string, app: string): string {
  return `${STATE_DIRECTORIES[name]}/${app}`;
}

/** The application's name for `/opt/<app>[/sub]/<state>`: the components between `/opt` and the state directory. */
function appName(directory: string): string {
  const parts = directory.split('/').filter(Boolean);
  return parts.slice(1, -1).join('-').replace(/[^A-Za-z0-9._-]/g, '_') || 'app';
}

/** True when the command sits inside another command's text (`sh -c '...'`), where edits could break quoting. */
function nested(command: ShellCommand, commands: readonly ShellCommand[]): boolean {
  return commands.some((other) => other !== command && rangeContains(other.range, command.range) && !rangeContains(command.range, other.range));
}

/**
 * `mkdir [-p] /opt/app/logs` → `mkdir -p /opt/app && ln -sr /var/log/app /opt/app/logs && echo 'd /var/log/app 0755 root root -' >> /usr/lib/tmpfiles.d/app.conf`.
 */
function symlinkFix(file: Containerfile, write: FsWrite, operand: Word, writes: readonly FsWrite[]): Fix | undefined {
  const command = write.command;
  const run = write.instruction.run;
  if (!command || !run || run.execForm || command.name !== 'mkdir' || command.inSubstitution || nested(command, run.script.commands)) return undefined;
  const state = stateDirectory(write.path);
  if (!state || !state.last || state.directory !== write.path) return undefined;
  if (operand.dynamic || /[{}*?[]/.test(operand.text)) return undefined;
  // Anything else touching the directory (chown, files copied in) would follow the link into a /var path that does not exist at build time.
  if (writes.some((w) => w !== write && isUnder(w.path, write.path))) return undefined;
  const app = appName(write.path);
  const target = where(state.name, app);
  const parent = write.path.slice(0, write.path.lastIndexOf('/'));
  const tmpfiles = `echo 'd ${target} 0755 root root -' >> /usr/lib/tmpfiles.d/${app}.conf`;
  const link = `ln -sr ${target} ${write.path} && ${tmpfiles}`;
  const parsed = parseArgs(command.args, MKDIR_VALUES);
  const edits = [];
  if (parsed.operands.length === 1) {
    edits.push(replace(command.range, `mkdir -p ${parent} && ${link}`));
  } else {
    const parents = parsed.options.has('-p') || parsed.options.has('--parents');
    // Another operand that creates the parent (or a plain mkdir, where it exists): just drop this one.
    const createsParent = (o: Word) => !o.dynamic && wordPaths(o).some((t) => isUnder(resolvePath(t, command.cwd) ?? '', parent));
    const parentCreated = !parents || parsed.operands.some((o) => o !== operand && createsParent(o));
    if (!parentCreated) edits.push(replace(operand.range, parent));
    else {
      // Remove the operand and the blank before it.
      const line = file.lines.lineText(operand.range.start.line);
      let start = operand.range.start.character;
      while (start > 0 && /[ \t]/.test(line[start - 1])) start--;
      edits.push(replace({ start: { line: operand.range.start.line, character: start }, end: operand.range.end }, ''));
    }
    edits.push(insert(command.range.end, ` && ${link}`));
  }
  return { title: `Symlink ${write.path} to ${target} and create it with tmpfiles.d`, edits };
}

export default defineRule({
  meta: {
    id: 'opt-writable',
    defaultSeverity: 'warning',
    category: 'filesystem',
    description: 'Writable state (logs, data, cache...) prepared under /opt, which is read-only on the installed system.',
    explanation:
      '/opt is part of the read-only image on an installed bootc system (with composefs), so an application cannot write logs, data or caches there, whatever its permissions. Keep runtime state in /var (e.g. /var/lib/<app> via StateDirectory= or tmpfiles.d) and, if the application insists on its own path, symlink it: `ln -sr /var/log/app /opt/app/logs`.',
    fixable: true,
  },
  check(context) {
    const fs = context.filesystem();
    const present = presentWrites(fs);
    const problems = new Map<string, Problem>();
    const add = (problem: Problem) => {
      const key = `${problem.range.start.line}:${problem.range.start.character}`;
      if (!problems.has(key)) problems.set(key, problem);
    };

    // Directories named for runtime state, created empty under /opt/<app>.
    for (const write of present) {
      if (write.kind !== 'directory' || !isUnder(write.path, '/opt')) continue;
      const state = stateDirectory(write.path);
      if (!state) continue;
      // Content shipped into it makes it a read-only data directory of the application.
      if (present.some((w) => isUnder(w.path, state.directory) && (w.kind === 'tree' || (w.path !== state.directory && w.kind !== 'directory' && w.via !== 'touch')))) continue;
      const app = appName(state.directory);
      const operand = write.command?.args.find((a) => rangeContains(a.range, write.range) && rangeContains(write.range, a.range));
      add({
        range: write.range,
        message: `${state.directory} is created for runtime state, but ${READ_ONLY}. Keep it in ${where(state.name, app)} (created by ${UNIT_DIRECTIVES[state.name] ? `tmpfiles.d or ${UNIT_DIRECTIVES[state.name]} in the unit` : 'tmpfiles.d'}) and symlink it: \`ln -sr ${where(state.name, app)} ${state.directory}\`.`,
        fixes: operand ? [symlinkFix(context.file, write, operand, fs.writes)].filter((f): f is Fix => !!f) : [],
      });
    }

    // chmod/chown giving the application write access to /opt paths.
    for (const write of fs.remaining) {
      if (write.kind !== 'attributes' || !isUnder(write.path, '/opt') || !write.attribute) continue;
      if (write.via === 'chmod' && givesOthersWrite(write.attribute)) {
        add({ range: write.range, message: `\`chmod ${write.attribute}\` makes ${write.path} world-writable, but ${READ_ONLY}. Keep runtime state in /var (e.g. /var/lib/<app> via StateDirectory= or tmpfiles.d) and symlink it from /opt if needed.` });
      } else if (write.via === 'chown' && nonRootOwner(write.attribute) && !write.command?.args.some((a) => a.text.startsWith('--reference'))) {
        add({ range: write.range, message: `\`chown ${write.attribute}\` gives ${write.path} to a non-root user so the application can write there, but ${READ_ONLY}. Keep runtime state in /var (e.g. StateDirectory= with User= in the unit, or a tmpfiles.d \`d\` line with that owner) and symlink it from /opt if needed.` });
      }
    }

    // `mkdir -m 777` / `install -d -m 777 -o app` on /opt paths.
    for (const write of fs.remaining) {
      if (write.kind !== 'directory' || !isUnder(write.path, '/opt') || !write.command) continue;
      const name = write.command.name;
      const parsed = parseArgs(write.command.args, name === 'install' ? INSTALL_VALUES : MKDIR_VALUES);
      const mode = parsed.values.get('-m')?.[0] ?? parsed.values.get('--mode')?.[0];
      const owner = name === 'install' ? (parsed.values.get('-o')?.[0] ?? parsed.values.get('--owner')?.[0]) : undefined;
      if (mode && !mode.dynamic && givesOthersWrite(mode.text)) {
        add({ range: write.range, message: `\`${name} -m ${mode.text}\` makes ${write.path} world-writable, but ${READ_ONLY}. Keep runtime state in /var (e.g. /var/lib/<app> via StateDirectory= or tmpfiles.d) and symlink it from /opt if needed.` });
      } else if (owner && !owner.dynamic && nonRootOwner(owner.text)) {
        add({ range: write.range, message: `\`install -o ${owner.text}\` gives ${write.path} to a non-root user so the application can write there, but ${READ_ONLY}. Keep runtime state in /var (StateDirectory= or a tmpfiles.d \`d\` line with that owner) and symlink it from /opt if needed.` });
      }
    }

    for (const problem of problems.values()) context.report(problem);
  },
});
