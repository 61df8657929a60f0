import { defineRule, shippedInstructions } from '../../rule';
import { removeInstruction } from '../../fixes';

export default defineRule({
  meta: {
    id: 'ignored-volume',
    defaultSeverity: 'warning',
    category: 'oci-config',
    description: 'VOLUME is ignored when the image is installed as an operating system.',
    explanation:
      'The OCI configuration, VOLUME included, is thrown away when a bootc image is installed: nothing is mounted there. `/var` is already persistent and machine-local; create directories there at boot with tmpfiles.d or StateDirectory=, and add real mounts with a .mount unit or /etc/fstab.',
    fixable: true,
  },
  check(context) {
    for (const instruction of shippedInstructions(context.file, 'VOLUME')) {
      context.report({
        range: instruction.range,
        message:
          'VOLUME is ignored on the installed system: no volume is mounted there. /var is already persistent; create state directories at boot with tmpfiles.d or StateDirectory= in the unit, and add real mounts with a .mount unit or /etc/fstab.',
        fixes: [{ title: 'Remove the VOLUME instruction', edits: [removeInstruction(context.file, instruction)] }],
      });
    }
  },
});
