import { defineRule, shippedInstructions } from '../../rule';
import { commandSpan } from '../../analysis/command-text';
import { isUnder } from '../../analysis/filesystem';
import type { Mount } from '../../model/containerfile';
import type { ShellCommand } from '../../shell/script';

/** Where root's podman keeps images unless told otherwise. */
const DEFAULT_STORAGE = '/var/lib/containers/storage';

/** podman global options that take a separate value. */
const PODMAN_GLOBAL_WITH_VALUE = new Set(['--root', '--runroot', '--imagestore', '--storage-driver', '--storage-opt', '--connection', '-c', '--url', '--identity', '--cgroup-manager', '--conmon', '--events-backend', '--hooks-dir', '--log-level', '--module', '--network-cmd-path', '--network-config-dir', '--out', '--runtime', '--runtime-flag', '--ssh', '--tmpdir', '--volumepath', '--config', '--cdi-spec-dir']);

/** Subcommands that store an image in container storage: `pull`, `run`, `create`, `load` (also as `image pull`, `container run`...). */
const STORING = new Set(['pull', 'run', 'create', 'load']);

export default defineRule({
  meta: {
    id: 'podman-pull-in-build',
    defaultSeverity: 'warning',
    category: 'build-environment',
    description: 'Images pulled into the default container storage during the build (podman pull/run, skopeo copy to containers-storage:).',
    explanation:
      'Container storage nested inside an image layer breaks (overlay whiteouts) and lands in `/var`, which the installed system copies only once and never updates. Use logically bound images (`/usr/lib/bootc/bound-images.d/`) or pull on first boot; to embed images, pull into an additional read-only store under `/usr` (`podman --root /usr/lib/containers/storage pull ...`).',
    fixable: false,
  },
  check(context) {
    for (const instruction of shippedInstructions(context.file, 'RUN')) {
      const run = instruction.run!;
      for (const command of run.script.commands) {
        const what = storesImage(command, run.mounts);
        if (!what) continue;
        context.report({
          range: commandSpan(command),
          message: `${what} stores the image in the default container storage inside the image layer: nested container storage breaks (overlay whiteouts), and it lands in /var, which the installed system copies once and never updates. Use a logically bound image (a .image/.container link in /usr/lib/bootc/bound-images.d/) or pull on first boot; to embed it, pull into an additional image store under /usr (\`podman --root /usr/lib/containers/storage pull ...\`).`,
        });
      }
    }
  },
});

function storesImage(command: ShellCommand, mounts: Mount[]): string | undefined {
  const onMount = (path: string) => mounts.some((m) => m.target !== undefined && isUnder(path, m.target));
  if (command.name === 'podman') {
    const args = command.args;
    let root: string | undefined;
    let i = 0;
    for (; i < args.length; i++) {
      const text = args[i].text;
      if (!text.startsWith('-')) break;
      const eq = text.indexOf('=');
      const name = eq >= 0 ? text.slice(0, eq) : text;
      const value = eq >= 0 ? text.slice(eq + 1) : PODMAN_GLOBAL_WITH_VALUE.has(name) ? args[++i]?.text : undefined;
      if (name === '--root' || name === '--imagestore') root = value;
    }
    let sub = args[i]?.text;
    if ((sub === 'image' || sub === 'container') && args[i + 1]) sub = args[i + 1].text;
    if (!sub || !STORING.has(sub)) return undefined;
    if (args.slice(i).some((a) => a.text === '--help' || a.text === '-h')) return undefined;
    if (root !== undefined) {
      // An additional image store under /usr (physically bound images), or a dynamic path.
      if (root.includes('$') || isUnder(root, '/usr')) return undefined;
      if (onMount(root)) return undefined;
    } else if (onMount(DEFAULT_STORAGE)) return undefined;
    return `podman ${sub}`;
  }
  if (command.name === 'skopeo') {
    const operands = command.args.filter((a) => !a.text.startsWith('-'));
    if (operands[0]?.text !== 'copy' || operands.length < 3) return undefined;
    const destination = operands[operands.length - 1].text;
    if (!destination.startsWith('containers-storage:')) return undefined;
    // `containers-storage:[overlay@/usr/lib/containers/storage+/run/containers/storage]image`
    const store = /^containers-storage:\[(?:[^@\]]*@)?([^+\]]*)/.exec(destination)?.[1];
    if (store !== undefined && (store.includes('$') || isUnder(store, '/usr') || onMount(store))) return undefined;
    if (store === undefined && onMount(DEFAULT_STORAGE)) return undefined;
    return 'skopeo copy to containers-storage:';
  }
  return undefined;
}
