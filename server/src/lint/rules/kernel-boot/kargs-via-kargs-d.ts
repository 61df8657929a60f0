import { defineRule, shippedInstructions } from '../../rule';
import { replace } from '../../fixes';
import { parseArgs } from '../../analysis/commands';
import { commandQuoting, commandSpan } from '../../analysis/command-text';
import { shellQuote } from '../../text';
import type { FsWrite } from '../../analysis/filesystem';
import type { ShellCommand, Word } from '../../shell/script';
import type { Fix, Range } from '../../types';

const KARGS_D = '/usr/lib/bootc/kargs.d';
const ADVICE = `put kernel arguments in a TOML file in ${KARGS_D}/ (\`kargs = ["console=ttyS0"]\`), which bootc applies at install and on every upgrade`;

const GRUBBY_WITH_VALUE = ['--args', '--remove-args', '--update-kernel', '--info', '--set-default', '--config-file', '--boot-filesystem', '--bad-image-okay', '--make-default', '--title', '--initrd', '--add-kernel', '--remove-kernel', '--copy-default', '--env', '--set-default-index'];

export default defineRule({
  meta: {
    id: 'kargs-via-kargs-d',
    defaultSeverity: 'warning',
    category: 'kernel-boot',
    description: 'Kernel arguments set with grubby, grub2-mkconfig, /etc/default/grub or rpm-ostree kargs instead of kargs.d.',
    explanation:
      'A bootc image does not own the bootloader configuration: bootc and bootupd write the boot entries at install and upgrade time, so grubby, grub2-mkconfig and /etc/default/grub changes made in the image never reach the installed system. Declare kernel arguments in `/usr/lib/bootc/kargs.d/*.toml` instead.',
    fixable: true,
  },
  check(context) {
    const file = context.file;
    for (const instruction of shippedInstructions(file, 'RUN')) {
      for (const command of instruction.run!.script.commands) {
        const finding = check(command);
        if (!finding) continue;
        const quoting = commandQuoting(instruction, command);
        const fix = finding.fixable && quoting === 'plain' ? grubbyFix(command, finding.args) : undefined;
        context.report({ range: commandSpan(command), message: finding.message, fixes: fix ? [fix] : [] });
      }
    }
    // Edits of /etc/default/grub: by RUN (sed -i, redirects, cp...) or COPY.
    const seen = new Set<string>();
    for (const write of context.filesystem().writes) {
      if (!editsDefaultGrub(write)) continue;
      const range: Range = write.command ? spanTo(commandSpan(write.command), write.range) : write.range;
      const key = `${range.start.line}:${range.start.character}`;
      if (seen.has(key)) continue;
      seen.add(key);
      context.report({
        range,
        message: `/etc/default/grub is only read by grub2-mkconfig, which a bootc system never runs: the change has no effect on the installed system's boot. Instead, ${ADVICE}.`,
      });
    }
  },
});

/** The command's span, stretched to cover a redirect target after it (`echo x >> /etc/default/grub`). */
function spanTo(span: Range, target: Range): Range {
  const after = target.end.line > span.end.line || (target.end.line === span.end.line && target.end.character > span.end.character);
  return after ? { start: span.start, end: target.end } : span;
}

function editsDefaultGrub(write: FsWrite): boolean {
  if (write.kind === 'attributes' || write.kind === 'directory') return false;
  if (write.path === '/etc/default/grub') return true;
  // `COPY grub /etc/default/`
  const copy = write.instruction.copy;
  return write.path === '/etc/default' && !!copy && copy.sources.some((s) => s.text.replace(/\/+$/, '').split('/').pop() === 'grub');
}

interface Finding {
  message: string;
  fixable: boolean;
  args: Word[];
}

function check(command: ShellCommand): Finding | undefined {
  const name = command.name;
  if (name === 'grubby') {
    const parsed = parseArgs(command.args, GRUBBY_WITH_VALUE);
    const args = parsed.values.get('--args') ?? [];
    const removes = parsed.values.get('--remove-args') ?? [];
    if (args.length === 0 && removes.length === 0) return undefined;
    const what = removes.length > 0 && args.length === 0 ? 'grubby --remove-args' : 'grubby --args';
    return {
      message: `${what} edits the boot entries of the build container, not of the installed system: bootc writes its own boot entries, so the change is lost. Instead, ${ADVICE}.`,
      fixable: removes.length === 0 && args.length > 0 && args.every((a) => !a.dynamic && !a.text.includes('"')),
      args,
    };
  }
  if (name === 'grub2-mkconfig' || name === 'grub-mkconfig' || name === 'update-grub' || name === 'update-grub2') {
    if (command.args.some((a) => a.text === '--help' || a.text === '--version' || a.text === '-V')) return undefined;
    return { message: `${name} generates a GRUB configuration inside the image, but bootupd and bootc own the bootloader configuration of the installed system, so it is never used. To change kernel arguments, ${ADVICE}.`, fixable: false, args: [] };
  }
  if (name === 'grub2-editenv' || name === 'grub-editenv') {
    const operands = command.args.filter((a) => !a.text.startsWith('-') || a.text === '-').map((a) => a.text);
    if (!operands.some((o) => o === 'set' || o === 'unset' || o === 'create')) return undefined;
    return { message: `${name} edits a GRUB environment block inside the image; the installed system's bootloader environment is managed by bootc and bootupd, so the change is lost. To change kernel arguments, ${ADVICE}.`, fixable: false, args: [] };
  }
  if (name === 'rpm-ostree') {
    const operands = command.args.filter((a) => !a.text.startsWith('-')).map((a) => a.text);
    if (operands[0] !== 'kargs') return undefined;
    const changes = command.args.some((a) => /^--(append|append-if-missing|delete|delete-if-present|replace|editor|import-proc-cmdline)(=|$)/.test(a.text));
    if (!changes) return undefined;
    return { message: `rpm-ostree kargs changes the kernel arguments of a booted deployment and does not work in an image build. Instead, ${ADVICE}.`, fixable: false, args: [] };
  }
  return undefined;
}

/** `grubby --update-kernel=ALL --args="a=b c"` → a kargs.d file with `kargs = ["a=b", "c"]`. */
function grubbyFix(command: ShellCommand, args: Word[]): Fix | undefined {
  const kargs = args.flatMap((a) => a.text.split(/\s+/)).filter(Boolean);
  if (kargs.length === 0) return undefined;
  const toml = `kargs = [${kargs.map(tomlString).join(', ')}]`;
  const name = (kargs[0].split('=')[0].toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'kargs').slice(0, 40);
  const path = `${KARGS_D}/10-${name}.toml`;
  const text = `mkdir -p ${KARGS_D} && printf '%s\\n' ${shellQuote(toml)} > ${path}`;
  return { title: `Write the kernel arguments to ${path}`, edits: [replace(command.range, text)] };
}

function tomlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
