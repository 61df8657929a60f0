import { defineRule } from '../../rule';
import { insertLinesAfter } from '../../fixes';
import { lastRunOfImage, runsLint } from '../../analysis/final-run';

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
    if (runsLint(lastRunOfImage(file))) return;
    const last = stage.instructions[stage.instructions.length - 1] ?? stage.from;
    context.report({
      range: stage.from.range,
      message:
        'The build does not end with `RUN bootc container lint`: problems in the finished image (several kernels, content in /var, invalid kargs.d files...) then show up only on an installed system. Add `RUN bootc container lint` as the last RUN of the final stage.',
      fixes: [{ title: 'Append RUN bootc container lint', edits: [insertLinesAfter(file, last, 'RUN bootc container lint')] }],
    });
  },
});
