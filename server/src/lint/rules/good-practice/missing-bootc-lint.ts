import { defineRule } from '../../rule';
import { insertLinesAfter } from '../../fixes';
import { lastRunOfImage, runsLint } from '../../analysis/final-run';
import { parseArgs, runsBootcContainerLint } from '../../analysis/commands';
import type { Containerfile, Instruction, Stage } from '../../model/containerfile';

/**
 * Another stage lints the image's root filesystem through a bind mount, as sealed builds do:
 * `RUN --mount=type=bind,from=penultimate,target=/target bootc container lint --rootfs /target`,
 * where `penultimate` is the stage holding the image's last RUN.
 */
function lintsRootfsOf(file: Containerfile, stage: Stage): boolean {
  const names = new Set(namesOf(stage));
  for (const other of file.stages) {
    for (const instruction of other.instructions) {
      const run = instruction.run;
      if (!run) continue;
      for (const command of run.script.commands) {
        if (!runsBootcContainerLint(command)) continue;
        const rootfs = parseArgs(command.args, ['--rootfs', '--skip']).values.get('--rootfs')?.[0];
        if (!rootfs || rootfs.dynamic) continue;
        const path = rootfs.text.replace(/\/+$/, '') || '/';
        if (run.mounts.some((m) => m.type === 'bind' && m.from !== undefined && names.has(m.from.toLowerCase()) && m.target === path && (m.source ?? '/').replace(/^\.?\/*$/, '/') === '/')) return true;
      }
    }
  }
  return false;
}

/** Names and indices a stage can be referenced by. */
function namesOf(stage: Stage): string[] {
  return stage.name ? [String(stage.index), stage.name] : [String(stage.index)];
}

/**
 * The image is linted in a stage of its own:
 * - a stage that only lints, built `FROM` the stage holding the image's last RUN
 *   (`FROM rootfs AS lint` + `RUN bootc container lint`, the image being `FROM rootfs`);
 * - when the image has no RUN at all (re-chunked `FROM oci-archive:...`, or `COPY --from` only),
 *   a stage whose last RUN lints and whose content the build uses (`COPY --from`, `--mount=from=`),
 *   directly or through such a lint-only stage.
 */
function lintStageOf(file: Containerfile, stage: Stage | undefined): boolean {
  const runsOf = (s: Stage) => s.instructions.filter((i) => i.keyword === 'RUN');
  const lintOnly = (s: Stage) => {
    const runs = runsOf(s);
    return runs.length > 0 && runs.every(runsLint);
  };
  if (stage) return file.stages.some((s) => !s.shipped && s.parent === stage && lintOnly(s));
  const used = new Set<string>();
  for (const instruction of file.instructions) {
    if (instruction.copy?.from) used.add(instruction.copy.from.toLowerCase());
    for (const mount of instruction.run?.mounts ?? []) if (mount.from) used.add(mount.from.toLowerCase());
  }
  return file.stages.some((s) => {
    if (s.shipped || !runsLint(runsOf(s).at(-1))) return false;
    const linted = lintOnly(s) && s.parent ? s.parent : s;
    return namesOf(linted).some((n) => used.has(n));
  });
}

/** A `RUN` that only runs other linters (`nbc lint --local`, `hadolint`): it changes nothing. */
function onlyChecks(run: Instruction): boolean {
  const commands = run.run?.script.commands ?? [];
  return commands.length > 0 && commands.every((c) => /lint/.test(c.name) || c.args[0]?.text === 'lint');
}

/** `RUN bootc container lint` followed only by other read-only lint steps in the final stage. */
function lintThenOnlyChecks(file: Containerfile): boolean {
  const runs = file.finalStage?.instructions.filter((i) => i.keyword === 'RUN') ?? [];
  for (let i = runs.length - 1; i >= 0; i--) {
    if (runsLint(runs[i])) return true;
    if (!onlyChecks(runs[i])) return false;
  }
  return false;
}

export default defineRule({
  meta: {
    id: 'missing-bootc-lint',
    defaultSeverity: 'info',
    category: 'good-practice',
    description: 'The build does not end with `RUN bootc container lint`.',
    explanation:
      '`bootc container lint`, run as the last RUN of the build, checks the finished image filesystem for problems that break or degrade the installed system (several kernels, content in /var, bad kargs.d files...). Add `RUN bootc container lint` at the end of the final stage.',
    fixable: true,
  },
  check(context) {
    const file = context.file;
    const stage = file.finalStage;
    if (!stage) return;
    const lastRun = lastRunOfImage(file);
    if (runsLint(lastRun)) return;
    if (lastRun && lintsRootfsOf(file, lastRun.stage)) return;
    if (lintStageOf(file, lastRun?.stage)) return;
    if (lintThenOnlyChecks(file)) return;
    const last = stage.instructions[stage.instructions.length - 1] ?? stage.from;
    context.report({
      range: stage.from.range,
      message:
        'The build does not end with `RUN bootc container lint`: problems in the finished image (several kernels, content in /var, invalid kargs.d files...) then show up only on an installed system. Add `RUN bootc container lint` as the last RUN of the final stage.',
      fixes: [{ title: 'Append RUN bootc container lint', edits: [insertLinesAfter(file, last, 'RUN bootc container lint')] }],
    });
  },
});
