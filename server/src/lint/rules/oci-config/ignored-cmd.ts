import { defineRule, shippedInstructions } from '../../rule';
import { replaceInstruction } from '../../fixes';
import { commandOf, INIT_PATHS } from '../../analysis/init-command';

export default defineRule({
  meta: {
    id: 'ignored-cmd',
    defaultSeverity: 'warning',
    category: 'oci-config',
    description: 'CMD that does not start init is ignored when the image is installed as an operating system.',
    explanation:
      'An installed bootc system boots systemd; the image\'s CMD is thrown away at install time and only applies to `podman run`. Start your application from a systemd unit and keep `CMD ["/sbin/init"]` so the container boots the same way.',
    fixable: true,
  },
  check(context) {
    for (const instruction of shippedInstructions(context.file, 'CMD')) {
      const argv = commandOf(instruction);
      // `CMD []` runs nothing; leave it alone.
      if (argv.length === 0 || INIT_PATHS.has(argv[0])) continue;
      context.report({
        range: instruction.range,
        message:
          'CMD is ignored on the installed system: bootc boots systemd, not the image\'s command. Start the program from a systemd unit (e.g. /usr/lib/systemd/system/app.service) and enable it; keep CMD ["/sbin/init"] so `podman run` boots the same way.',
        fixes: [{ title: 'Replace with CMD ["/sbin/init"]', edits: [replaceInstruction(instruction, 'CMD ["/sbin/init"]')] }],
      });
    }
  },
});
