import { defineRule, shippedInstructions, type RuleContext } from '../../rule';
import { removeInstruction, replace } from '../../fixes';
import { mapsVerbatim, missingCleanups, textBetween } from '../../analysis/package-managers';
import { rangeStrictlyContains } from '../../text';
import { removalCovers } from '../../analysis/filesystem';
import type { Instruction } from '../../model/containerfile';
import type { ShellCommand } from '../../shell/script';
import type { Fix, TextEdit } from '../../types';

/** What `ostree container commit` empties, and what can be removed instead (`/run` holds the build's mounts). */
const COMMIT_CLEANS = [
  { pattern: '/tmp/*', replacement: '/tmp/*' },
  { pattern: '/var/tmp/*', replacement: '/var/tmp/*' },
  { pattern: '/var/cache/*', replacement: '/var/cache/*' },
];

export default defineRule({
  meta: {
    id: 'ostree-container-commit',
    defaultSeverity: 'warning',
    category: 'packages',
    description: '`ostree container commit` is a legacy step that is no longer needed.',
    explanation:
      '`ostree container commit` dates from rpm-ostree based container builds; bootc installs any OCI image without it, and `bootc container lint` is the check to run at the end of the build. Remove it, and clean caches explicitly (`dnf clean all`).',
    fixable: true,
  },
  check(context) {
    for (const instruction of shippedInstructions(context.file, 'RUN')) {
      for (const command of instruction.run!.script.commands) {
        if (command.name !== 'ostree') continue;
        const operands = command.args.filter((a) => !a.text.startsWith('-')).map((a) => a.text);
        if (operands[0] !== 'container' || operands[1] !== 'commit') continue;
        const fix = removalFix(context, instruction, command);
        context.report({
          range: command.range,
          message: '`ostree container commit` is a legacy step from rpm-ostree container builds and is no longer needed: bootc installs the image as it is. Remove it; clean caches explicitly (`dnf clean all`) and end the build with `RUN bootc container lint`.',
          fixes: fix ? [fix] : [],
        });
      }
    }
  },
});

/** Removes the command from its chain, or replaces it with the cleanup it was doing when something relied on it. */
function removalFix(context: RuleContext, instruction: Instruction, command: ShellCommand): Fix | undefined {
  const file = context.file;
  const run = instruction.run!;
  const cleanup = replacementCleanup(context, instruction, command);
  const others = run.script.commands.filter((c) => c !== command && !rangeStrictlyContains(command.range, c.range) && !rangeStrictlyContains(c.range, command.range));
  if (cleanup.length === 0 && others.length === 0) return { title: 'Remove the RUN instruction', edits: [removeInstruction(file, instruction)] };
  if (!mapsVerbatim(file, command)) return undefined;
  if (cleanup.length > 0) {
    if (run.execForm) return undefined;
    const text = cleanup.join(' && ');
    return { title: `Replace with \`${text}\``, edits: [replace(command.range, text)] };
  }
  if (run.execForm) return undefined;
  let edit: TextEdit | undefined;
  const previous = others.filter((c) => c.index < command.index).pop();
  if (previous && isSeparator(textBetween(file, previous.range.end, command.range.start))) {
    edit = replace({ start: previous.range.end, end: command.range.end }, '');
  } else {
    const next = others.find((c) => c.index > command.index);
    if (next && isSeparator(textBetween(file, command.range.end, next.range.start))) edit = replace({ start: command.range.start, end: next.range.start }, '');
  }
  // Inside a construct we cannot cut cleanly (`then ostree container commit; fi`): a no-op keeps the script valid.
  edit ??= replace(command.range, 'true');
  return { title: 'Remove `ostree container commit`', edits: [edit] };
}

/** Text joining two commands of one chain: `&&`, `;`, `||` or a newline, with spaces and line continuations. */
function isSeparator(text: string): boolean {
  const bare = text.replace(/\\\r?\n/g, ' ').trim();
  return bare === '' || bare === '&&' || bare === ';' || bare === '||';
}

/** The cleanup `ostree container commit` did that the image relies on: package caches of this RUN, and files left in /tmp, /var/tmp, /var/cache. */
function replacementCleanup(context: RuleContext, instruction: Instruction, command: ShellCommand): string[] {
  const before = new Set(missingCleanups(instruction).map((m) => m.family));
  const cleanup = missingCleanups(instruction, command).filter((m) => !before.has(m.family)).flatMap((m) => m.cleanup);

  const fs = context.filesystem();
  const order = (i: Instruction, c?: ShellCommand) => i.index * 100000 + (c ? c.index + 1 : 0);
  const here = order(instruction, command);
  const paths: string[] = [];
  for (const { pattern, replacement } of COMMIT_CLEANS) {
    const resurrected = fs.writes.some((w) => {
      if (w.kind === 'attributes' || w.kind === 'modify' || !removalCovers(pattern, w.path)) return false;
      const written = order(w.instruction, w.command);
      if (written >= here) return false;
      return !fs.removals.some((r) => r.command !== command && order(r.instruction, r.command) > written && removalCovers(r.pattern, w.path));
    });
    if (resurrected) paths.push(replacement);
  }
  if (paths.length > 0) cleanup.push(`rm -rf ${paths.join(' ')}`);
  return cleanup;
}
