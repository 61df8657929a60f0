import { defineRule, shippedInstructions } from '../../rule';
import { removeInstruction } from '../../fixes';
import type { Instruction } from '../../model/containerfile';
import { substitute } from '../../model/variables';

/** The user part of `USER name[:group]`, or undefined when it depends on an unknown variable. */
function userOf(instruction: Instruction): string | undefined {
  const content = (instruction.ast.getArgumentsContent() ?? '').trim();
  const { value, unresolved } = substitute(content, instruction.scope);
  if (unresolved) return undefined;
  return value.trim().split(':')[0].trim();
}

const isRoot = (user: string | undefined) => user === undefined || user === '' || user === 'root' || /^0+$/.test(user);

export default defineRule({
  meta: {
    id: 'ignored-user',
    defaultSeverity: 'warning',
    category: 'oci-config',
    description: 'USER is ignored when the image is installed as an operating system.',
    explanation:
      'The OCI configuration, USER included, is thrown away when a bootc image is installed: systemd runs as root and starts services as the user their unit names. Set User= (or DynamicUser=yes) in the service\'s unit; meanwhile a non-root USER makes the later RUN steps of the build run unprivileged.',
    fixable: true,
  },
  check(context) {
    const users = shippedInstructions(context.file, 'USER');
    const runs = shippedInstructions(context.file, 'RUN');
    users.forEach((instruction, n) => {
      const user = userOf(instruction);
      if (isRoot(user)) return;
      // `USER app` … `USER root`: a deliberate unprivileged build step, not image configuration
      // (a later USER whose value is unknown may be root too).
      if (users.slice(n + 1).some((later) => isRoot(userOf(later)))) return;
      const laterRun = runs.some((r) => r.index > instruction.index);
      context.report({
        range: instruction.range,
        message:
          `USER is ignored on the installed system: systemd starts services as root unless their unit says otherwise. Set User=${user} (or DynamicUser=yes) in the service's unit instead.` +
          (laterRun ? ` Meanwhile the RUN steps after this line run as ${user}, not root.` : ''),
        fixes: [{ title: 'Remove the USER instruction', edits: [removeInstruction(context.file, instruction)] }],
      });
    });
  },
});
