import { defineRule, shippedInstructions } from '../../rule';
import { installedKernels, removesAKernel } from '../../analysis/package-managers';
import type { Word } from '../../shell/script';

export default defineRule({
  meta: {
    id: 'kernel-swap',
    defaultSeverity: 'warning',
    category: 'packages',
    description: 'Installing a kernel package on a bootc base image without removing the kernel it already ships.',
    explanation:
      'A bootc base image already contains a kernel; installing another one beside it leaves two directories in /usr/lib/modules, which `bootc container lint` rejects and which makes it unclear which kernel boots. Remove the base kernel packages in the same RUN (`rpm -e --nodeps kernel kernel-core kernel-modules kernel-modules-core`, `dnf -y remove ...`) or use `dnf swap`.',
    fixable: false,
  },
  check(context) {
    // Only a known bootc base is known to ship a kernel.
    if (!context.knownBootcBase) return;
    const instructions = shippedInstructions(context.file, 'RUN');
    const installed: Word[] = [];
    for (const instruction of instructions) {
      for (const command of instruction.run!.script.commands) {
        if (command.inSubstitution) continue;
        const kernel = installedKernels(command)[0];
        if (kernel) installed.push(kernel);
      }
    }
    if (installed.length === 0) return;
    // A removal anywhere in the image counts (the catalog asks for the same RUN; elsewhere works too).
    if (instructions.some((i) => i.run!.script.commands.some((c) => !c.inSubstitution && removesAKernel(c)))) return;
    for (const kernel of installed) {
      context.report({
        range: kernel.range,
        message: `Installing ${kernel.text} adds a second kernel beside the one the bootc base image ships: /usr/lib/modules then holds two kernel versions, which \`bootc container lint\` rejects. Remove the base kernel in the same RUN first (e.g. \`rpm -e --nodeps kernel kernel-core kernel-modules kernel-modules-core\`) or use \`dnf -y swap\`.`,
      });
    }
  },
});
