import { defineRule, shippedInstructions } from '../../rule';
import { replaceInstruction } from '../../fixes';
import type { Instruction } from '../../model/containerfile';
import { substitute, type Variable } from '../../model/variables';
import { SHELLS } from '../../shell/script';

/** Programs that start systemd as PID 1. */
const INIT_PATHS = new Set(['/sbin/init', '/usr/sbin/init', '/usr/lib/systemd/systemd', '/lib/systemd/systemd', 'init', 'systemd']);

/** The argv of a `CMD`: exec form as written, shell form split on blanks (runtime variables from ENV substituted). */
function commandOf(instruction: Instruction): string[] {
  const content = (instruction.ast.getArgumentsContent() ?? '').trim();
  if (content.startsWith('[')) {
    try {
      const value: unknown = JSON.parse(content.replace(/\\\r?\n/g, ''));
      if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
        const argv = value as string[];
        // `CMD ["/bin/sh", "-c", "/sbin/init"]`
        const shell = SHELLS.has(argv[0]?.slice(argv[0].lastIndexOf('/') + 1) ?? '');
        if (shell && argv[1] === '-c' && argv[2] !== undefined) return argv[2].trim().split(/\s+/);
        return argv;
      }
    } catch {
      // Not JSON: the builder runs it with a shell.
    }
  }
  // The shell expands only the image's environment at run time, not build arguments.
  const env = new Map<string, Variable>([...instruction.scope].filter(([, v]) => v.kind === 'env'));
  const words = substitute(content, env).value.trim().split(/\s+/).filter((w) => w !== '');
  return words[0] === 'exec' ? words.slice(1) : words;
}

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
