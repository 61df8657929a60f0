import { defineRule } from '../../rule';
import { isUnder, removalCovers, type FsRemoval, type FsWrite } from '../../analysis/filesystem';
import { parseArgs } from '../../analysis/commands';
import { resolvePath } from '../../shell/script';

function before(a: FsRemoval | FsWrite, b: FsWrite): boolean {
  const ai = a.instruction.index;
  const bi = b.instruction.index;
  return ai < bi || (ai === bi && (a.command?.index ?? -1) < (b.command?.index ?? -1));
}

/** `ln -T` / `--no-target-directory`: replaces the path instead of linking inside a directory. */
function replacesPath(write: FsWrite): boolean {
  const command = write.command;
  if (!command) return false;
  const parsed = parseArgs(command.args, ['-t', '--target-directory', '-S', '--suffix']);
  return parsed.options.has('-T') || parsed.options.has('--no-target-directory');
}

export default defineRule({
  meta: {
    id: 'opt-symlink-to-var',
    defaultSeverity: 'warning',
    category: 'filesystem',
    description: 'Replacing /opt with a symlink into /var.',
    explanation:
      'With /opt a symlink into /var, anything installed into /opt lands in machine-local /var: it is copied once at first install and never updated by later images. bootc base images keep /opt a plain directory so that derived images can install there; keep only runtime state in /var.',
    fixable: false,
  },
  check(context) {
    const fs = context.filesystem();
    for (const write of fs.writes) {
      if (write.kind !== 'symlink' || write.path !== '/opt' || !write.linkTarget) continue;
      const target = resolvePath(write.linkTarget, '/');
      if (!target || !isUnder(target, '/var')) continue;
      // `ln -s /var/opt /opt` while /opt is still a directory only creates /opt/opt.
      const removal = fs.removals.filter((r) => removalCovers(r.pattern, '/opt') && before(r, write)).pop();
      if (!removal && !replacesPath(write)) continue;
      if (removal && fs.writes.some((w) => w.path === '/opt' && (w.kind === 'directory' || w.kind === 'tree') && before(removal, w) && before(w, write))) continue;
      context.report({
        range: write.range,
        message: `/opt becomes a symlink to ${target}: whatever is installed into /opt then lands in machine-local /var, is copied only at first install, and is never updated by later images. Keep /opt a plain directory (as bootc base images ship it) and put only runtime state in /var (tmpfiles.d or StateDirectory=).`,
      });
    }
  },
});
