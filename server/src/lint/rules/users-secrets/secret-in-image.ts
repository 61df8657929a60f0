import { defineRule, shippedInstructions, type RuleContext } from '../../rule';
import { replaceInstruction } from '../../fixes';
import { parseArgs } from '../../analysis/commands';
import { classifyWords, isCredentialPath, isLockedPassword, referencedNames, secretMountPaths, stdinSource } from '../../analysis/secrets';
import { isSecretLikeName } from '../../analysis/secret-names';
import type { Containerfile, Instruction } from '../../model/containerfile';
import { basename, type ShellCommand, type Word } from '../../shell/script';
import type { Fix, Range } from '../../types';

interface AstProperty {
  getName(): string;
  getNameRange(): Range;
  getValue(): string | null;
}

interface AstFlag {
  getName(): string;
}

const PASSWORD_OPTION_TOOLS: Record<string, string[]> = {
  useradd: ['-u', '--uid', '-g', '--gid', '-G', '--groups', '-d', '--home-dir', '-s', '--shell', '-c', '--comment', '-e', '--expiredate', '-f', '--inactive', '-k', '--skel', '-K', '--key', '-R', '--root', '-P', '--prefix', '-b', '--base-dir', '-Z', '--selinux-user', '-p', '--password'],
  usermod: ['-u', '--uid', '-g', '--gid', '-G', '--groups', '-d', '--home', '-s', '--shell', '-c', '--comment', '-l', '--login', '-e', '--expiredate', '-f', '--inactive', '-R', '--root', '-P', '--prefix', '-Z', '--selinux-user', '-p', '--password'],
  groupadd: ['-g', '--gid', '-K', '--key', '-R', '--root', '-P', '--prefix', '-U', '--users', '-p', '--password'],
  groupmod: ['-g', '--gid', '-n', '--new-name', '-R', '--root', '-P', '--prefix', '-U', '--users', '-p', '--password'],
};

const SECRET_ADVICE = 'pass it as a build secret instead (`RUN --mount=type=secret,id=...`, built with `podman build --secret id=...,src=...`)';

export default defineRule({
  meta: {
    id: 'secret-in-image',
    defaultSeverity: 'warning',
    category: 'users-secrets',
    description: 'Credentials baked into image layers or history: copied key/auth files, secret-like ENV/ARG, passwords set from literals.',
    explanation:
      'Everything a build copies, every ENV value and every build argument is stored in the image layers or history, where anyone who can pull the image can read it, even if a later step deletes the file. Pass credentials with `RUN --mount=type=secret` and provision machine secrets at install or first boot.',
    fixable: true,
  },
  check(context) {
    checkCopies(context);
    checkVariables(context);
    checkPasswords(context);
  },
});

function checkCopies(context: RuleContext): void {
  for (const instruction of context.file.shippedInstructions) {
    const copy = instruction.copy;
    if (!copy || copy.heredocs.length > 0) continue;
    for (const source of copy.sources) {
      if (!isCredentialPath(source.text)) continue;
      const name = basename(source.text.replace(/\/+$/, ''));
      const fix = secretMountFix(context.file, instruction, source.text);
      context.report({
        range: source.range,
        message: `\`${name}\` looks like a credential: ${instruction.keyword} bakes it into an image layer that anyone who can pull the image can read (deleting it later does not help). Use it only during the build through a secret mount, or provision it per machine at install or first boot; ${SECRET_ADVICE}.`,
        fixes: fix ? [fix] : [],
      });
    }
  }
}

/** `COPY auth.json /etc/ostree/` → `RUN --mount=type=secret,id=auth.json install -D -m 0600 /run/secrets/auth.json /etc/ostree/auth.json`. */
function secretMountFix(file: Containerfile, instruction: Instruction, source: string): Fix | undefined {
  const copy = instruction.copy!;
  if (copy.sources.length !== 1 || copy.from !== undefined || !copy.destination) return undefined;
  if (/[*?[\]$]/.test(source) || /^[a-z]+:\/\//i.test(source)) return undefined;
  const flags = ((instruction.ast as unknown as { getFlags?(): AstFlag[] }).getFlags?.() ?? []).map((f) => f.getName().toLowerCase());
  if (flags.some((f) => f !== 'link')) return undefined;
  const name = basename(source.replace(/\/+$/, ''));
  const id = name.replace(/^\.+/, '').replace(/[^A-Za-z0-9_.-]/g, '-');
  if (!id) return undefined;
  const destination = copy.destinationIsDirectory ? `${copy.destination.replace(/\/+$/, '')}/${name}` : copy.destination;
  if (!/^\/[A-Za-z0-9_./+@-]+$/.test(destination)) return undefined;
  const indent = /^\s*/.exec(file.lines.lineText(instruction.range.start.line))?.[0] ?? '';
  // The file still lands in the image (that is what the COPY did): say so once, through the info rule's suppression.
  const text = `# bootc-lint ignore=secret-copied-into-image\n${indent}RUN --mount=type=secret,id=${id} install -D -m 0600 /run/secrets/${id} ${destination}`;
  return { title: `Install ${name} from a build secret (podman build --secret id=${id},src=${source})`, edits: [replaceInstruction(instruction, text)] };
}

function checkVariables(context: RuleContext): void {
  for (const instruction of shippedInstructions(context.file)) {
    if (instruction.keyword !== 'ENV' && instruction.keyword !== 'ARG') continue;
    const properties = (instruction.ast as unknown as { getProperties?(): AstProperty[] }).getProperties?.() ?? [];
    for (const property of properties) {
      const name = property.getName();
      if (!isSecretLikeName(name)) continue;
      if (instruction.keyword === 'ARG' && namesSecretMount(context.file, name, property.getValue())) continue;
      const message =
        instruction.keyword === 'ENV'
          ? `ENV ${name} looks like a secret: ENV values are stored in the image configuration and history, readable by anyone who can pull the image. Do not put credentials in the image; ${SECRET_ADVICE}.`
          : `Build argument ${name} looks like a secret: build-argument values are recorded in the image history (\`podman history\`), readable by anyone who can pull the image. ${SECRET_ADVICE[0].toUpperCase()}${SECRET_ADVICE.slice(1)}.`;
      context.report({ range: property.getNameRange(), message });
    }
  }
}

/** An ARG that names a secret mount (`--mount=type=secret,id=${SECRET}`, `/run/secrets/${SECRET}`) holds a name, not the secret. */
function namesSecretMount(file: Containerfile, name: string, value: string | null): boolean {
  for (const instruction of file.instructions) {
    const run = instruction.run;
    if (!run) continue;
    for (const mount of run.mounts) {
      if (mount.type !== 'secret') continue;
      if (referencedNames(mount.id ?? '').includes(name) || referencedNames(mount.target ?? '').includes(name)) return true;
      if (value && (mount.id === value || mount.target === `/run/secrets/${value}`)) return true;
    }
    for (const command of run.script.commands) {
      for (const word of command.words) {
        if (word.text.includes('/run/secrets/') || word.raw.includes('/run/secrets/')) {
          if (referencedNames(word.raw).includes(name)) return true;
        }
      }
    }
  }
  return false;
}

function checkPasswords(context: RuleContext): void {
  for (const instruction of shippedInstructions(context.file, 'RUN')) {
    const commands = instruction.run!.script.commands;
    const secrets = secretMountPaths(instruction);
    for (const command of commands) {
      if (command.name === 'chpasswd' || command.name === 'passwd') {
        if (command.name === 'passwd' && !passwdReadsInput(command)) continue;
        if (stdinSource(command, commands, instruction.scope, secrets) !== 'literal') continue;
        context.report({
          range: command.range,
          message: `\`${command.name}\` is fed a password written in the Containerfile (or a build argument): it stays in the image history and its hash in the image's /etc/shadow, for anyone who can pull the image. Feed it from a build secret (\`RUN --mount=type=secret,id=pw ${command.name === 'passwd' ? 'passwd --stdin user' : 'chpasswd'} < /run/secrets/pw\`), or better set passwords per machine (kickstart, cloud-init, \`bootc install --root-ssh-authorized-keys\` for SSH keys).`,
        });
        continue;
      }
      const withValue = PASSWORD_OPTION_TOOLS[command.name === 'adduser' ? 'useradd' : command.name];
      if (!withValue) continue;
      const parsed = parseArgs(command.args, withValue);
      const password = [...(parsed.values.get('-p') ?? []), ...(parsed.values.get('--password') ?? [])].pop();
      if (!password) continue;
      if (!password.dynamic && isLockedPassword(password.text)) continue;
      if (classifyWords([password], instruction.scope, secrets) !== 'literal' && !hashedLiteralVariable(password, instruction.run!.script.assigned, commands)) continue;
      context.report({
        range: password.range,
        message: `\`${command.name} -p\` sets a password hash written in the Containerfile: it stays in the image history and in the image's /etc/shadow, for anyone who can pull the image to crack. Set it from a build secret (\`--mount=type=secret\`), or better set passwords per machine (kickstart, cloud-init) and use SSH keys.`,
      });
    }
  }
}

/**
 * `pass=$(mkpasswd --method=SHA-512 redhat) && useradd -p $pass user`: the value is a variable the
 * script assigns, and the script hashes a password written in it (all `mkpasswd`/`openssl passwd`
 * arguments static, nothing read from stdin or a file).
 */
function hashedLiteralVariable(password: Word, assigned: readonly string[], commands: readonly ShellCommand[]): boolean {
  const names = referencedNames(password.raw);
  if (names.length === 0 || !names.every((n) => assigned.includes(n))) return false;
  return commands.some((c) => {
    if (!c.inSubstitution || c.redirects.length > 0 || c.heredoc !== undefined || c.pipeline !== undefined) return false;
    if (c.args.some((w) => w.dynamic)) return false;
    // The password operand itself: `mkpasswd [options] PASSWORD [SALT]`, `openssl passwd [options] PASSWORD`.
    if (c.name === 'mkpasswd') {
      const parsed = parseArgs(c.args, ['-m', '--method', '-S', '--salt', '-R', '--rounds', '-P', '--password-fd']);
      return parsed.operands.length > 0 && !['-s', '--stdin', '-P', '--password-fd'].some((o) => parsed.options.has(o));
    }
    if (c.name !== 'openssl' || c.args[0]?.text !== 'passwd') return false;
    const args = c.args.slice(1);
    if (args.some((w) => w.text === '-stdin' || w.text === '-in')) return false;
    return args.some((w, i) => !w.text.startsWith('-') && args[i - 1]?.text !== '-salt');
  });
}

/** `passwd --stdin user`, or `passwd` fed through a pipe or heredoc. */
function passwdReadsInput(command: ShellCommand): boolean {
  if (command.args.some((w) => w.text === '--stdin')) return true;
  return command.pipeline !== undefined || command.heredoc !== undefined || command.redirects.some((r) => r.operator === '<<<' || r.operator === '<');
}
