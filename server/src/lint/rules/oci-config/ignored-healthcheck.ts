import { defineRule, shippedInstructions } from '../../rule';
import { removeInstruction } from '../../fixes';

export default defineRule({
  meta: {
    id: 'ignored-healthcheck',
    defaultSeverity: 'info',
    category: 'oci-config',
    description: 'HEALTHCHECK is ignored when the image is installed as an operating system.',
    explanation:
      'The OCI configuration, HEALTHCHECK included, is thrown away when a bootc image is installed: nothing runs the check. Let systemd watch the service instead (Restart=on-failure, WatchdogSec=, or a timer that runs the check).',
    fixable: true,
  },
  check(context) {
    for (const instruction of shippedInstructions(context.file, 'HEALTHCHECK')) {
      context.report({
        range: instruction.range,
        message:
          'HEALTHCHECK is ignored on the installed system: nothing runs it. Let systemd supervise the service instead (Restart=on-failure, WatchdogSec=, or a timer unit that runs the check).',
        fixes: [{ title: 'Remove the HEALTHCHECK instruction', edits: [removeInstruction(context.file, instruction)] }],
      });
    }
  },
});
