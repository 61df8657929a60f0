import { parseJsonArray, type Containerfile, type Instruction } from '../model/containerfile';
import { substitute, type Variable } from '../model/variables';
import { basename, SHELLS } from '../shell/script';

/** Programs that start systemd as PID 1. */
export const INIT_PATHS = new Set(['/sbin/init', '/usr/sbin/init', '/usr/lib/systemd/systemd', '/lib/systemd/systemd', 'init', 'systemd']);

/** The argv of a `CMD`: exec form as written, shell form split on blanks (runtime variables from ENV substituted). */
export function commandOf(instruction: Instruction): string[] {
  const content = (instruction.ast.getArgumentsContent() ?? '').trim();
  const argv = content.startsWith('[') ? parseJsonArray(content) : undefined;
  if (argv) {
    // `CMD ["/bin/sh", "-c", "/sbin/init"]`
    if (SHELLS.has(basename(argv[0] ?? '')) && argv[1] === '-c' && argv[2] !== undefined) return argv[2].trim().split(/\s+/);
    return argv;
  }
  // The shell expands only the image's environment at run time, not build arguments.
  const env = new Map<string, Variable>([...instruction.scope].filter(([, v]) => v.kind === 'env'));
  const words = substitute(content, env).value.trim().split(/\s+/).filter((w) => w !== '');
  return words[0] === 'exec' ? words.slice(1) : words;
}

/**
 * The image's command (its last shipped `CMD`) boots systemd: `podman run` of the image then
 * behaves like the installed system, and `ENV container=oci` / `STOPSIGNAL SIGRTMIN+3` are the
 * documented companions of that pattern (they tell systemd it runs in a container and how to stop it).
 */
export function bootsInit(file: Containerfile): boolean {
  const cmds = file.shippedInstructions.filter((i) => i.keyword === 'CMD');
  const last = cmds[cmds.length - 1];
  if (!last) return false;
  const argv = commandOf(last);
  return argv.length > 0 && INIT_PATHS.has(argv[0]);
}
