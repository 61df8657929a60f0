import { defineRule, shippedInstructions } from '../../rule';
import { insert, replace } from '../../fixes';
import { parseArgs } from '../../analysis/commands';
import { mapsVerbatim } from '../../analysis/package-managers';
import type { ShellCommand, Word } from '../../shell/script';
import type { Fix, TextEdit } from '../../types';

/** Subcommands that install, replace or remove content, or change the boot setup. */
const CHANGING = new Set(['install', 'uninstall', 'remove', 'override', 'kargs', 'upgrade', 'update', 'rebase', 'deploy', 'reset', 'rollback', 'initramfs', 'initramfs-etc', 'apply-live', 'usroverlay']);

const OPTIONS_WITH_VALUE = ['--os', '--sysroot', '--enablerepo', '--disablerepo', '--releasever', '--uninstall', '--install', '--remove', '--replace', '--append', '--delete', '--append-if-missing', '--delete-if-present', '--from', '--arg', '--register-driver'];

/** `rpm-ostree install` options that mean nothing to, or are the default for, `dnf -y install`. */
const DROPPED = new Set(['-y', '--assumeyes', '--idempotent', '--allow-inactive', '-A', '--apply-live', '-r', '--reboot', '--unchanged-exit-77', '--force-replacefiles']);
/** Options `dnf install` takes as they are. */
const KEPT = new Set(['--enablerepo', '--disablerepo', '--releasever']);

export default defineRule({
  meta: {
    id: 'rpm-ostree-unsupported',
    defaultSeverity: 'error',
    category: 'packages',
    description: 'rpm-ostree used to install, override or remove packages, or to change kernel arguments, in a container build.',
    explanation:
      'In a bootc image build, packages are managed with dnf like in any container; rpm-ostree\'s client-side layering, overrides and kargs act on a booted deployment and are not supported for changing image content. Use `dnf -y install ... && dnf clean all`, and put kernel arguments in /usr/lib/bootc/kargs.d/*.toml.',
    fixable: true,
  },
  check(context) {
    for (const instruction of shippedInstructions(context.file, 'RUN')) {
      const run = instruction.run!;
      for (const command of run.script.commands) {
        if (command.name !== 'rpm-ostree') continue;
        const operands = parseArgs(command.args, OPTIONS_WITH_VALUE).operands;
        const verb = operands[0];
        if (!verb || verb.dynamic || !CHANGING.has(verb.text)) continue;
        if (command.args.some((a) => a.text === '--help' || a.text === '-h')) continue;
        // `rpm-ostree kargs` / `rpm-ostree initramfs` without arguments only print the current state.
        if ((verb.text === 'kargs' || verb.text === 'initramfs') && command.args.length === 1) continue;
        const fix = verb.text === 'install' && !run.execForm && mapsVerbatim(context.file, command) ? dnfInstallFix(command) : undefined;
        context.report({
          range: command.range,
          message: messageFor(verb.text),
          fixes: fix ? [fix] : [],
        });
      }
    }
  },
});

function messageFor(verb: string): string {
  if (verb === 'kargs') return '`rpm-ostree kargs` changes the arguments of a booted deployment and is not supported in an image build. Put kernel arguments in /usr/lib/bootc/kargs.d/<name>.toml (`kargs = ["console=ttyS0"]`).';
  if (verb === 'install') return '`rpm-ostree install` is not supported for changing a bootc image\'s content: packages in a container build are installed with dnf. Use `dnf -y install ... && dnf clean all`.';
  if (verb === 'override' || verb === 'uninstall' || verb === 'remove' || verb === 'reset') return `\`rpm-ostree ${verb}\` is not supported for changing a bootc image's content: packages in a container build are replaced and removed with dnf (\`dnf -y swap\`, \`dnf -y remove\`, or \`dnf -y install\` of a specific version).`;
  return `\`rpm-ostree ${verb}\` acts on a booted deployment and is not supported in a bootc image build: change the image with dnf (and build a newer image to update), and manage deployments with \`bootc\` on the installed system.`;
}

/**
 * `rpm-ostree install X Y` → `dnf -y install X Y && dnf clean all`, editing in place so that the
 * packages keep their line layout; undefined when an option has no dnf equivalent.
 */
function dnfInstallFix(command: ShellCommand): Fix | undefined {
  const args: Word[] = command.args;
  // Only `rpm-ostree install ...`: options before the verb are not worth a rewrite.
  if (args[0]?.text !== 'install') return undefined;
  const edits: TextEdit[] = [replace({ start: command.words[0].range.start, end: args[0].range.end }, 'dnf -y install')];
  let packages = 0;
  for (let i = 1; i < args.length; i++) {
    const word = args[i];
    const text = word.text;
    if (!text.startsWith('-') || word.dynamic) {
      packages++;
      continue;
    }
    const name = text.includes('=') ? text.slice(0, text.indexOf('=')) : text;
    if (KEPT.has(name)) {
      if (!text.includes('=')) i++;
      continue;
    }
    if (!DROPPED.has(name)) return undefined;
    edits.push(replace({ start: args[i - 1].range.end, end: word.range.end }, ''));
  }
  if (packages === 0) return undefined;
  edits.push(insert(command.range.end, ' && dnf clean all'));
  return { title: 'Install with dnf instead', edits };
}
