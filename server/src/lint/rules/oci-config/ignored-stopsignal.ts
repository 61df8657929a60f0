import { defineRule, shippedInstructions } from '../../rule';
import { removeInstruction } from '../../fixes';
import { bootsInit } from '../../analysis/init-command';

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
      // `STOPSIGNAL SIGRTMIN+3` + `CMD ["/sbin/init"]`: the documented way to run systemd as the
      // container's PID 1 (bootc base images are built this way); it changes nothing once installed.
      if (/^SIGRTMIN\+3$/i.test((instruction.ast.getArgumentsContent() ?? '').trim()) && bootsInit(context.file)) continue;
      context.report({
        range: instruction.range,
        message:
          'STOPSIGNAL is ignored on the installed system: systemd stops each service itself. Set KillSignal= in the service\'s unit if it needs a signal other than SIGTERM.',
        fixes: [{ title: 'Remove the STOPSIGNAL instruction', edits: [removeInstruction(context.file, instruction)] }],
      });
    }
  },
});
