import { defineRule, shippedInstructions } from '../../rule';
import { removeInstruction } from '../../fixes';

export default defineRule({
  meta: {
    id: 'ignored-stopsignal',
    defaultSeverity: 'info',
    category: 'oci-config',
    description: 'STOPSIGNAL is ignored when the image is installed as an operating system.',
    explanation:
      'The OCI configuration, STOPSIGNAL included, is thrown away when a bootc image is installed: systemd stops each service itself. Set KillSignal= in the service\'s unit if it needs another signal.',
    fixable: true,
  },
  check(context) {
    for (const instruction of shippedInstructions(context.file, 'STOPSIGNAL')) {
      context.report({
        range: instruction.range,
        message:
          'STOPSIGNAL is ignored on the installed system: systemd stops each service itself. Set KillSignal= in the service\'s unit if it needs a signal other than SIGTERM.',
        fixes: [{ title: 'Remove the STOPSIGNAL instruction', edits: [removeInstruction(context.file, instruction)] }],
      });
    }
  },
});
