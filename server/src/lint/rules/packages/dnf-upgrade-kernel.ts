import { defineRule, shippedInstructions, type RuleContext } from '../../rule';
import { insert } from '../../fixes';
import { isNestedCommand, mapsVerbatim, parseRpmCommand, removesAKernel, type RpmCommand } from '../../analysis/package-managers';
import type { Instruction } from '../../model/containerfile';

/** dnf and yum take `--exclude` (microdnf does not). */
const MANAGERS = new Set(['dnf', 'dnf5', 'dnf4', 'dnf-3', 'yum']);

export default defineRule({
  meta: {
    id: 'dnf-upgrade-kernel',
    defaultSeverity: 'info',
    category: 'packages',
    description: 'A whole-system dnf upgrade on a bootc base image also installs a newer kernel beside the old one.',
    explanation:
      'The kernel is an install-only package: `dnf upgrade` adds a newer kernel next to the base image\'s instead of replacing it, leaving two kernel versions in /usr/lib/modules, which `bootc container lint` rejects. Add `--exclude=\'kernel*\'` and get kernel updates from a newer base image.',
    fixable: true,
  },
  check(context) {
    if (!context.knownBootcBase) return;
    // Where the kernel gets locked, worked out once on first need (null: not yet).
    let lock: number | undefined | null = null;
    for (const instruction of shippedInstructions(context.file, 'RUN')) {
      const run = instruction.run!;
      for (const command of run.script.commands) {
        const rpm = parseRpmCommand(command);
        if (!rpm || !MANAGERS.has(rpm.manager) || (rpm.action !== 'upgrade' && rpm.action !== 'distro-sync')) continue;
        if (rpm.packages.length > 0 || rpm.unknownOptions || rpm.installroot !== undefined || rpm.downloadOnly || command.inSubstitution) continue;
        if (excludesKernel(rpm)) continue;
        if (lock === null) lock = kernelLock(context);
        if (lock !== undefined && lock <= instruction.index) continue;
        // The same RUN cleans up the old kernel afterwards (`dnf remove --oldinstallonly`, `rm -rf /usr/lib/modules/<old>`).
        if (run.script.commands.some((c) => c.index > command.index && removesAKernel(c))) continue;
        if (command.range.start.line === command.words[0].range.start.line && /\bxargs\b/.test(context.file.lines.lineText(command.range.start.line).slice(command.range.start.character, command.words[0].range.start.character))) continue;
        const anchor = rpm.subcommand[rpm.subcommand.length - 1];
        const option = isNestedCommand(instruction, command) ? '--exclude=kernel\\*' : "--exclude='kernel*'";
        const fixes = run.execForm || !anchor || !mapsVerbatim(context.file, command) ? [] : [{ title: `Add ${option}`, edits: [insert(anchor.range.end, ` ${option}`)] }];
        context.report({
          range: command.range,
          message: `A whole-system \`${rpm.manager} ${rpm.subcommand.map((w) => w.text).join(' ')}\` also upgrades the kernel: kernels are install-only packages, so a newer one is installed beside the base image's and /usr/lib/modules holds two kernel versions. Add --exclude='kernel*' and take kernel updates from a newer base image.`,
          fixes,
        });
      }
    }
  },
});

function excludesKernel(rpm: RpmCommand): boolean {
  return rpm.excludes.some((e) => e.startsWith('kernel'));
}

/**
 * Where a step excludes or locks the kernel in dnf's configuration (`dnf versionlock add kernel`,
 * `exclude=kernel*` in dnf.conf): an upgrade in an instruction with an index at least this is
 * covered (the highest instruction index up to the first such step, in build order).
 */
function kernelLock(context: RuleContext): number | undefined {
  let highest = -1;
  for (const instruction of shippedInstructions(context.file)) {
    highest = Math.max(highest, instruction.index);
    if (locksKernel(instruction)) return highest;
  }
  return undefined;
}

function locksKernel(instruction: Instruction): boolean {
  for (const heredoc of instruction.copy?.heredocs ?? []) if (/exclude(pkgs)?\s*=.*kernel/i.test(heredoc.content)) return true;
  for (const command of instruction.run?.script.commands ?? []) {
    const words = command.words.map((w) => w.text);
    const text = [...words, command.heredoc?.body ?? ''].join(' ');
    if (words.includes('versionlock') && /kernel/.test(text)) return true;
    if (/exclude(pkgs)?\s*=.*kernel/i.test(text)) return true;
  }
  return false;
}
