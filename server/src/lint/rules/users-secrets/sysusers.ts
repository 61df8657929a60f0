import { defineRule, shippedInstructions } from '../../rule';
import { replace } from '../../fixes';
import { parseArgs, type ParsedArgs } from '../../analysis/commands';
import type { Instruction } from '../../model/containerfile';
import type { ShellCommand, Word } from '../../shell/script';
import type { Fix } from '../../types';
import { rangeContains } from '../../text';
import { SHELLS } from '../../shell/script';

const USER_TOOLS = new Set(['useradd', 'adduser', 'groupadd', 'addgroup', 'newusers', 'usermod', 'groupmod']);

const USERADD_VALUES = ['-u', '--uid', '-g', '--gid', '-G', '--groups', '-d', '--home-dir', '--home', '-s', '--shell', '-c', '--comment', '--gecos', '-p', '--password', '-e', '--expiredate', '-f', '--inactive', '-k', '--skel', '-K', '--key', '-R', '--root', '-P', '--prefix', '-b', '--base-dir', '-Z', '--selinux-user', '--ingroup', '--btrfs-subvolume-home'];
/** useradd options that do not change what a sysusers.d line declares (or that the fix drops on purpose, like a password). */
const USERADD_IGNORED = new Set(['-m', '--create-home', '-M', '--no-create-home', '-r', '--system', '-U', '--user-group', '-N', '--no-user-group', '-l', '--no-log-init', '-p', '--password', '-k', '--skel', '--group', '--disabled-password', '--disabled-login', '-q', '--quiet']);
const USERADD_TRANSLATED = new Set(['-u', '--uid', '-g', '--gid', '--ingroup', '-G', '--groups', '-d', '--home-dir', '--home', '-s', '--shell', '-c', '--comment', '--gecos']);

const GROUPADD_VALUES = ['-g', '--gid', '-K', '--key', '-p', '--password', '-R', '--root', '-P', '--prefix', '-U', '--users'];
const GROUPADD_IGNORED = new Set(['-r', '--system', '-S', '-f', '--force', '-q', '--quiet']);
const GROUPADD_TRANSLATED = new Set(['-g', '--gid']);

const USERMOD_VALUES = ['-u', '--uid', '-g', '--gid', '-G', '--groups', '-d', '--home', '-s', '--shell', '-c', '--comment', '-l', '--login', '-p', '--password', '-e', '--expiredate', '-f', '--inactive', '-R', '--root', '-P', '--prefix', '-Z', '--selinux-user', '-v', '--add-subuids', '-V', '--del-subuids', '-w', '--add-subgids', '-W', '--del-subgids'];

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const NUMBER = /^\d+$/;
const PATH = /^\/[A-Za-z0-9_./+@-]*$/;

const SYSUSERS_DIR = '/usr/lib/sysusers.d';

export default defineRule({
  meta: {
    id: 'sysusers',
    defaultSeverity: 'warning',
    category: 'users-secrets',
    description: 'Users and groups created with useradd/groupadd at build time drift between builds and machines; declare them in sysusers.d.',
    explanation:
      'Users and groups created with `useradd`/`groupadd` at build time get numbers that can change from build to build, and once a machine\'s /etc/passwd differs from the image\'s, later images\' changes to it are not applied. Declare them in /usr/lib/sysusers.d/*.conf (and run systemd-sysusers so later build steps see them), or use DynamicUser=yes in the unit.',
    fixable: true,
  },
  check(context) {
    for (const instruction of shippedInstructions(context.file, 'RUN')) {
      const run = instruction.run!;
      for (const command of run.script.commands) {
        if (!USER_TOOLS.has(command.name)) continue;
        const finding = describe(command);
        if (!finding) continue;
        const fix = finding.translate ? translate(command, instruction) : undefined;
        context.report({ range: command.range, message: finding.message, fixes: fix ? [fix] : [] });
      }
    }
  },
});

function describe(command: ShellCommand): { message: string; translate: boolean } | undefined {
  const tail =
    'its number can change from build to build, and once a machine\'s /etc/passwd and /etc/group differ from the image\'s, later images\' changes to them are not applied.';
  switch (command.name) {
    case 'useradd':
    case 'adduser':
      // `useradd -D` shows or changes the defaults; `--help` creates nothing.
      if (command.args.some((w) => w.text === '--help' || w.text === '-h' || (command.name === 'useradd' && (w.text === '-D' || w.text === '--defaults')))) return undefined;
      return { message: `\`${command.name}\` creates the user at build time: ${tail} Declare it in /usr/lib/sysusers.d/<name>.conf and run \`systemd-sysusers\` on that file, or use DynamicUser=yes in the service.`, translate: true };
    case 'groupadd':
    case 'addgroup':
      return { message: `\`${command.name}\` creates the group at build time: ${tail} Declare it in /usr/lib/sysusers.d/<name>.conf (\`g name gid\`) and run \`systemd-sysusers\` on that file.`, translate: true };
    case 'newusers':
      return { message: `\`newusers\` creates users at build time: ${tail} Declare system users in /usr/lib/sysusers.d/*.conf; create human users per machine (cloud-init, kickstart, Ignition).`, translate: false };
    case 'usermod': {
      const parsed = parseArgs(command.args, USERMOD_VALUES);
      if (!['-u', '--uid', '-g', '--gid'].some((o) => parsed.options.has(o))) return undefined;
      return {
        message: '`usermod` changes the user\'s UID/GID in the image\'s /etc/passwd: machines whose /etc/passwd already differs from the image never get the change. Declare the user with the wanted IDs in /usr/lib/sysusers.d/<name>.conf instead.',
        translate: false,
      };
    }
    case 'groupmod': {
      const parsed = parseArgs(command.args, ['-g', '--gid', '-n', '--new-name', '-p', '--password', '-R', '--root', '-P', '--prefix', '-U', '--users']);
      if (!parsed.options.has('-g') && !parsed.options.has('--gid')) return undefined;
      return {
        message: '`groupmod -g` changes the group\'s GID in the image\'s /etc/group: machines whose /etc/group already differs from the image never get the change. Declare the group with the wanted GID in /usr/lib/sysusers.d/<name>.conf instead.',
        translate: false,
      };
    }
  }
  return undefined;
}

/** Builds the sysusers.d replacement, or undefined when the command cannot be translated safely. */
function translate(command: ShellCommand, instruction: Instruction): Fix | undefined {
  const run = instruction.run!;
  if (run.execForm || command.inSubstitution || insideShellString(command, run.script.commands)) return undefined;
  if (command.words.some((w) => w.dynamic)) return undefined;
  const isGroup = command.name === 'groupadd' || command.name === 'addgroup';
  // Distribution `adduser`s disagree on short options (busybox `-G` is the primary group): only long ones are translated.
  if (command.name === 'adduser' && command.args.some((w) => /^-[^-]/.test(w.text))) return undefined;
  const parsed = parseArgs(command.args, isGroup ? GROUPADD_VALUES : USERADD_VALUES);
  const known = isGroup ? new Set([...GROUPADD_IGNORED, ...GROUPADD_TRANSLATED]) : new Set([...USERADD_IGNORED, ...USERADD_TRANSLATED]);
  if ([...parsed.options].some((o) => !known.has(o))) return undefined;
  if (parsed.operands.length !== 1) return undefined;
  const name = parsed.operands[0].text;
  if (!NAME.test(name)) return undefined;

  const lines = isGroup ? groupLines(name, parsed) : userLines(name, parsed);
  if (!lines) return undefined;
  const file = `${SYSUSERS_DIR}/${name}.conf`;
  const write = lines.length === 1 ? `echo '${lines[0]}' > ${file}` : `printf '${lines.map((l) => `${l}\\n`).join('')}' > ${file}`;
  let text = `${write} && systemd-sysusers ${file}`;
  // `getent passwd app || useradd app`: keep the replacement one command of the `||`.
  if (command.conditional) text = `{ ${text}; }`;
  return { title: `Declare ${isGroup ? 'the group' : 'the user'} in ${file} and run systemd-sysusers`, edits: [replace(command.range, text)] };
}

function value(parsed: ParsedArgs, ...names: string[]): Word | undefined {
  for (const name of names) {
    const values = parsed.values.get(name);
    if (values && values.length > 0) return values[values.length - 1];
  }
  return undefined;
}

function userLines(name: string, parsed: ParsedArgs): string[] | undefined {
  const uid = value(parsed, '-u', '--uid')?.text;
  const group = value(parsed, '-g', '--gid', '--ingroup')?.text;
  const groups = value(parsed, '-G', '--groups')?.text;
  const home = value(parsed, '-d', '--home-dir', '--home')?.text;
  const shell = value(parsed, '-s', '--shell')?.text;
  const comment = value(parsed, '-c', '--comment', '--gecos')?.text;
  if (uid !== undefined && !NUMBER.test(uid)) return undefined;
  if (group !== undefined && !NUMBER.test(group) && !NAME.test(group)) return undefined;
  if (home !== undefined && !PATH.test(home)) return undefined;
  if (shell !== undefined && !PATH.test(shell)) return undefined;
  if (comment !== undefined && /['"\\%\n\r\t]/.test(comment)) return undefined;
  const members = groups === undefined ? [] : groups.split(',').filter(Boolean);
  if (members.some((g) => !NAME.test(g))) return undefined;

  const id = `${uid ?? '-'}${group !== undefined ? `:${group}` : ''}`;
  const gecos = comment === undefined || comment.trim() === '' ? '-' : /\s/.test(comment) ? `"${comment}"` : comment;
  const fields = ['u', name, id, gecos, home ?? '-', shell ?? '-'];
  while (fields.length > 3 && fields[fields.length - 1] === '-') fields.pop();
  return [fields.join(' '), ...members.map((g) => `m ${name} ${g}`)];
}

function groupLines(name: string, parsed: ParsedArgs): string[] | undefined {
  const gid = value(parsed, '-g', '--gid')?.text;
  if (gid !== undefined && !NUMBER.test(gid)) return undefined;
  return [`g ${name} ${gid ?? '-'}`];
}

/** True when the command is part of a `bash -c '...'` string: replacing text there would break the quoting. */
function insideShellString(command: ShellCommand, commands: readonly ShellCommand[]): boolean {
  return commands.some((other) => other !== command && SHELLS.has(other.name) && other.args.some((word) => rangeContains(word.range, command.range)));
}
