import { defineRule, shippedInstructions } from '../../rule';
import { replace } from '../../fixes';
import { commandQuoting, commandSpan } from '../../analysis/command-text';
import { dracutCall, type DracutCall } from '../../analysis/dracut';
import type { Containerfile } from '../../model/containerfile';
import type { ShellCommand } from '../../shell/script';
import type { Fix } from '../../types';

/** The pattern of the bootc documentation: the image has exactly one kernel in /usr/lib/modules. */
const KVER = 'kver=$(cd /usr/lib/modules && echo *)';

export default defineRule({
  meta: {
    id: 'dracut-kver',
    defaultSeverity: 'error',
    category: 'kernel-boot',
    description: 'dracut run without an explicit kernel version builds an initramfs for the build host\'s kernel.',
    explanation:
      'Without a kernel version dracut uses the running kernel (`uname -r`), which during a build is the build host\'s, not the image\'s: the image keeps a stale or missing initramfs. Pass the image\'s version: `kver=$(cd /usr/lib/modules && echo *); dracut -vf /usr/lib/modules/$kver/initramfs.img "$kver"`.',
    fixable: true,
  },
  check(context) {
    for (const instruction of shippedInstructions(context.file, 'RUN')) {
      for (const command of instruction.run!.script.commands) {
        const call = dracutCall(command);
        if (!call || !call.builds) continue;
        if (call.kver && !call.hostKernel) continue;
        if (!call.kver && call.opaque) continue;
        const message = call.hostKernel
          ? '`uname -r` is the build host\'s kernel, not the image\'s: the initramfs is built for the wrong kernel. Use the version installed in the image: `kver=$(cd /usr/lib/modules && echo *)` and `dracut -f /usr/lib/modules/$kver/initramfs.img "$kver"`.'
          : 'dracut without a kernel version builds for the running kernel, which at build time is the build host\'s: the image\'s initramfs is not rebuilt. Pass the image\'s version: `kver=$(cd /usr/lib/modules && echo *)` and `dracut -f /usr/lib/modules/$kver/initramfs.img "$kver"`.';
        const quoting = commandQuoting(instruction, command);
        const fix = quoting === 'plain' || quoting === 'single' ? rewrite(context.file, command, call) : undefined;
        context.report({ range: commandSpan(command), message, fixes: fix ? [fix] : [] });
      }
    }
  },
});

/** `kver=$(...) && dracut <the user's flags> -f /usr/lib/modules/$kver/initramfs.img "$kver"`. */
function rewrite(file: Containerfile, command: ShellCommand, call: DracutCall): Fix | undefined {
  const flags: string[] = [];
  for (let i = 0; i < call.words.length; i++) {
    const entry = call.words[i];
    if (entry.role === 'operand') continue;
    if (entry.option === '--kver') {
      // Dropped: the rewritten command names the version itself.
      if (!entry.word.text.includes('=') && call.words[i + 1]?.role === 'value') i++;
      continue;
    }
    if (entry.option === '--') continue;
    flags.push(entry.word.raw);
  }
  if (!call.force) flags.push('-f');
  const commandWord = command.words[0];
  const newCommand = [commandWord.raw, ...flags, '/usr/lib/modules/$kver/initramfs.img', '"$kver"'].join(' ');
  const span = commandSpan(command);
  const start = file.lines.offsetAt(command.range.start);
  const wordStart = file.lines.offsetAt(commandWord.range.start);
  if (start > wordStart) return undefined;
  const title = 'Build the initramfs for the image\'s kernel version';
  // A prefix (`sudo`, `env X=1`, `X=1`) stays in front of dracut; the version is computed before it.
  if (start === wordStart) return { title, edits: [replace(span, `${KVER} && ${newCommand}`)] };
  return {
    title,
    edits: [replace({ start: command.range.start, end: command.range.start }, `${KVER} && `), replace({ start: commandWord.range.start, end: span.end }, newCommand)],
  };
}
