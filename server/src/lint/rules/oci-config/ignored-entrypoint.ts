import { defineRule, shippedInstructions } from '../../rule';
import { removeInstruction } from '../../fixes';

export default defineRule({
  meta: {
    id: 'ignored-entrypoint',
    defaultSeverity: 'warning',
    category: 'oci-config',
    description: 'ENTRYPOINT is ignored when the image is installed as an operating system.',
    explanation:
      'An installed bootc system boots systemd; the image\'s ENTRYPOINT is thrown away at install time and only applies to `podman run`. Start your application from a systemd unit instead.',
    fixable: true,
  },
  check(context) {
    for (const instruction of shippedInstructions(context.file, 'ENTRYPOINT')) {
      context.report({
        range: instruction.range,
        message: 'ENTRYPOINT is ignored on the installed system: bootc boots systemd, not the entrypoint. Start the program from a systemd unit (e.g. /usr/lib/systemd/system/app.service) and enable it.',
        fixes: [{ title: 'Remove the ENTRYPOINT instruction', edits: [removeInstruction(context.file, instruction)] }],
      });
    }
  },
});
