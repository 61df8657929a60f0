import { defineRule } from '../../rule';
import { replace } from '../../fixes';
import { parseArgs, wordPaths } from '../../analysis/commands';
import { commandQuoting, commandSpan } from '../../analysis/command-text';
import { BASE_IMAGE_DIRECTORIES, isUnder, STANDARD_EMPTY_DIRECTORIES, type FilesystemAnalysis, type FsWrite } from '../../analysis/filesystem';
import { contentWrites, describeWrite, mentionedLater, reportable } from '../../analysis/var-api';
import type { Containerfile, Instruction } from '../../model/containerfile';
import { SHELLS, basename, resolvePath } from '../../shell/script';
import type { Fix } from '../../types';

/** Machine-local paths under /var that other rules judge (`/var/run` is `/run`; homes are `home-content`). */
const EXCLUDED = ['/var/run', '/var/home', '/var/roothome'];

/** Directories whose content is a cache or log: removing it in the same RUN is the usual answer. */
const SCRATCH = ['/var/cache', '/var/log', '/var/tmp'];

function inVar(path: string): boolean {
  return isUnder(path, '/var') && path !== '/var' && !EXCLUDED.some((e) => isUnder(path, e));
}

/** A path systemd-tmpfiles accepts unquoted. */
const PLAIN_PATH = /^\/[A-Za-z0-9._+@:/-]+$/;
const PLAIN_NAME = /^[A-Za-z0-9_.@-]+$/;

function octalMode(text: string | undefined): string | undefined {
  if (text === undefined) return '0755';
  if (!/^[0-7]{3,4}$/.test(text)) return undefined;
  return text.padStart(4, '0');
}

/**
 * `mkdir [-p] [-m MODE] /var/lib/app ...` (or `install -d [-m MODE] [-o U] [-g G] ...`) →
 * `echo 'd /var/lib/app 0755 root root -' > /usr/lib/tmpfiles.d/app.conf`, keeping the
 * command for paths outside /var. Offered only where nothing later in the build uses the
 * directory (the fix stops creating it at build time).
 */
function tmpfilesFix(file: Containerfile, fs: FilesystemAnalysis, write: FsWrite): Fix | undefined {
  const { instruction, command } = write;
  if (!command || write.kind !== 'directory' || (command.name !== 'mkdir' && command.name !== 'install')) return undefined;
  if ((hasNestedShell(instruction) && commandQuoting(instruction, command) !== 'plain') || instruction.run?.execForm || command.inSubstitution || command.pipeline !== undefined || command.redirects.length > 0 || command.heredoc) return undefined;
  const parsed = parseArgs(command.args, ['-m', '--mode', '-Z', '--context', '-o', '--owner', '-g', '--group', '-t', '--target-directory', '-S', '--suffix']);
  if (command.name === 'install' && !parsed.options.has('-d') && !parsed.options.has('--directory')) return undefined;
  if ([...parsed.options].some((o) => !['-p', '--parents', '-m', '--mode', '-v', '--verbose', '-d', '--directory', '-o', '--owner', '-g', '--group'].includes(o))) return undefined;
  const mode = octalMode(parsed.values.get('-m')?.[0]?.text ?? parsed.values.get('--mode')?.[0]?.text);
  const user = parsed.values.get('-o')?.[0] ?? parsed.values.get('--owner')?.[0];
  const group = parsed.values.get('-g')?.[0] ?? parsed.values.get('--group')?.[0];
  if (!mode || [user, group].some((w) => w && (w.dynamic || !PLAIN_NAME.test(w.text)))) return undefined;

  const varPaths: string[] = [];
  const kept: string[] = [];
  for (const operand of parsed.operands) {
    if (operand.dynamic) return undefined;
    const paths = (operand.quoted ? [operand.text] : wordPaths(operand)).map((t) => resolvePath(t, command.cwd));
    if (paths.some((p) => p === undefined)) return undefined;
    const converted = paths.filter((p) => inVar(p!) && !STANDARD_EMPTY_DIRECTORIES.has(p!) && !BASE_IMAGE_DIRECTORIES.has(p!)) as string[];
    if (converted.length === 0) kept.push(operand.raw);
    else if (converted.length === paths.length) varPaths.push(...converted);
    else return undefined; // `/{var/lib,etc}/app`: leave it to the user
  }
  if (varPaths.length === 0 || varPaths.some((p) => !PLAIN_PATH.test(p))) return undefined;
  if (mentionedLater(file.shippedInstructions, [instruction.index, command.index], varPaths)) return undefined;

  const name = confName(fs, varPaths[0]);
  if (!name) return undefined;
  const owner = user?.text ?? 'root';
  const lines = varPaths.map((p) => `d ${p} ${mode} ${owner} ${group?.text ?? 'root'} -`);
  const target = `/usr/lib/tmpfiles.d/${name}.conf`;
  const writeText = lines.length === 1 ? `echo '${lines[0]}' > ${target}` : `printf '%s\\n' ${lines.map((l) => `'${l}'`).join(' ')} > ${target}`;
  let newText = writeText;
  if (kept.length > 0) {
    const options = command.args.filter((a) => !parsed.operands.includes(a)).map((a) => a.raw);
    newText = `${[command.words[0].raw, ...options, ...kept].join(' ')} && ${writeText}`;
  }
  return {
    title: `Create ${varPaths.join(', ')} at boot with ${target}`,
    edits: [replace(commandSpan(command), newText)],
  };
}

const nestedShells = new WeakMap<Instruction, boolean>();

/** The RUN runs a shell with a script argument: commands may sit inside its quotes. */
function hasNestedShell(instruction: Instruction): boolean {
  let result = nestedShells.get(instruction);
  if (result === undefined) nestedShells.set(instruction, (result = instruction.run?.script.commands.some((c) => SHELLS.has(c.name)) ?? false));
  return result;
}

const takenNames = new WeakMap<FilesystemAnalysis, Set<string>>();

/** `<last component>.conf`, not clashing with a tmpfiles.d file the build already writes. */
function confName(fs: FilesystemAnalysis, path: string): string | undefined {
  const base = basename(path).replace(/^\.+/, '').replace(/[^A-Za-z0-9_.@-]/g, '-');
  if (!base) return undefined;
  let taken = takenNames.get(fs);
  if (!taken) takenNames.set(fs, (taken = new Set(fs.writes.filter((w) => isUnder(w.path, '/usr/lib/tmpfiles.d')).map((w) => basename(w.path)))));
  for (let n = 1; n < 100; n++) {
    const name = n === 1 ? base : `${base}-${n}`;
    if (!taken.has(`${name}.conf`)) return name;
  }
  return undefined;
}

function advice(write: FsWrite): string {
  const path = write.path;
  if (SCRATCH.some((s) => isUnder(path, s))) {
    return `remove it at the end of the same RUN, or keep it out of the image with \`RUN --mount=type=cache,target=${SCRATCH.find((s) => isUnder(path, s))}\`; if a service needs it at runtime, create it at boot with a tmpfiles.d entry.`;
  }
  if (write.kind === 'directory') {
    return `create it at boot with a tmpfiles.d entry (\`d ${path} 0755 root root -\` in /usr/lib/tmpfiles.d/) or \`StateDirectory=\` in the service unit.`;
  }
  return 'ship it under /usr (e.g. /usr/share/<app>) and create what the machine needs in /var at boot, with tmpfiles.d (`d`, `C` copy or `L` link entries) or from the service (`StateDirectory=`).';
}

export default defineRule({
  meta: {
    id: 'var-content',
    defaultSeverity: 'warning',
    category: 'filesystem',
    description: 'Content shipped under /var, which is copied only at first install and never updated.',
    explanation:
      '/var is machine-local state: what the image ships there is copied once, when the system is installed, and later images never update it. Create directories at boot with systemd-tmpfiles (/usr/lib/tmpfiles.d/*.conf) or StateDirectory=, and ship files under /usr.',
    fixable: true,
  },
  check(context) {
    const fs = context.filesystem();
    const writes = reportable(contentWrites(fs).filter((w) => inVar(w.path)));
    for (const write of writes) {
      const fix = tmpfilesFix(context.file, fs, write);
      context.report({
        range: write.range,
        message: `${describeWrite(write)}: /var is machine-local, so it is copied only at first install and later images never update it. Instead, ${advice(write)}`,
        fixes: fix ? [fix] : [],
      });
    }
  },
});
