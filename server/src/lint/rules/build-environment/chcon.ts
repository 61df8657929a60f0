import { defineRule, shippedInstructions } from '../../rule';
import { commandSpan } from '../../analysis/command-text';

export default defineRule({
  meta: {
    id: 'chcon',
    defaultSeverity: 'warning',
    category: 'build-environment',
    description: 'chcon sets SELinux labels that are recomputed when the image is installed.',
    explanation:
      'SELinux labels of a bootc system are computed from the policy when the image is installed and deployed, so labels set with `chcon` during the build are lost. Declare the label in the policy instead: `semanage fcontext -a -t <type> \'<path>(/.*)?\'` (or a policy module) and `restorecon`.',
    fixable: false,
  },
  check(context) {
    for (const instruction of shippedInstructions(context.file, 'RUN')) {
      for (const command of instruction.run!.script.commands) {
        if (command.name !== 'chcon' || command.args.some((a) => a.text === '--help' || a.text === '--version')) continue;
        context.report({
          range: commandSpan(command),
          message: 'chcon labels are lost: SELinux labels are recomputed from the policy when the image is installed. Add a file context rule instead (`semanage fcontext -a -t <type> \'<path>(/.*)?\'` or a policy module) and run `restorecon -R <path>`.',
        });
      }
    }
  },
});
