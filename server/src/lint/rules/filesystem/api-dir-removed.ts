import { defineRule } from '../../rule';
import { isUnder, type FsRemoval, type FsWrite } from '../../analysis/filesystem';
import { isAfter, orderOf } from '../../analysis/var-api';

/** Directories the installed system mounts on or needs as real directories. */
const API_DIRECTORIES = ['/var', '/tmp', '/run', '/proc', '/sys', '/dev'];

/** What the same RUN puts at `directory` after removing it: a directory again, or something else. */
function recreation(removal: FsRemoval, directory: string, writes: readonly FsWrite[]): FsWrite | 'directory' | undefined {
  const at = orderOf(removal);
  for (const write of writes) {
    if (write.instruction !== removal.instruction || !isAfter(orderOf(write), at) || write.kind === 'attributes') continue;
    const path = write.writtenAs ?? write.path;
    if (path === directory) return write.kind === 'directory' || write.kind === 'tree' ? 'directory' : write;
    // `mkdir -p /var/lib/app` creates /var again.
    if (isUnder(path, directory)) return 'directory';
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: 'api-dir-removed',
    defaultSeverity: 'error',
    category: 'filesystem',
    description: 'Removing /var, /tmp, /run, /proc, /sys or /dev itself, or replacing it with a link or file.',
    explanation:
      'bootc and systemd mount /var, /tmp, /run and the kernel\'s API filesystems on these directories at boot; an image without them (or with a symlink in their place) does not boot cleanly and fails `bootc container lint`. Remove their contents instead (`rm -rf /tmp/*`).',
    fixable: false,
  },
  check(context) {
    const fs = context.filesystem();
    for (const removal of fs.removals) {
      const directory = API_DIRECTORIES.find((d) => removal.pattern === d);
      if (!directory || !removal.command || removal.command.conditional) continue;
      // `rm -rf /tmp` on a tmpfs mounted there only empties the mount.
      if (removal.instruction.run?.mounts.some((m) => m.target === directory)) continue;
      const after = recreation(removal, directory, fs.writes);
      if (after === 'directory') continue;
      const verb = removal.command.name === 'mv' ? 'moves away' : 'removes';
      const replaced = after ? ` and replaces it with ${after.kind === 'symlink' ? `a symlink${after.linkTarget ? ` to ${after.linkTarget}` : ''}` : 'a file'}` : '';
      context.report({
        range: removal.range,
        message: `\`${removal.command.name}\` ${verb} ${directory} itself${replaced}: the installed system mounts ${directory === '/var' ? 'the machine-local /var' : directory === '/tmp' || directory === '/run' ? 'a tmpfs' : 'the kernel\'s API filesystem'} on this directory and needs it to be a real, empty directory. Remove only its contents (\`rm -rf ${directory}/*\`)${after ? '' : `, or recreate it in the same RUN (\`mkdir -p ${directory}\`)`}.`,
      });
    }
  },
});
