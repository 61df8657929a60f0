import { defineRule } from '../../rule';
import { insert } from '../../fixes';
import { isUnder, type FilesystemAnalysis, type FsWrite } from '../../analysis/filesystem';
import { contentWrites, describeWrite, mentionedLater, removedBefore, reportable } from '../../analysis/var-api';
import type { Containerfile } from '../../model/containerfile';
import type { Fix, Severity } from '../../types';

interface ApiDirectory {
  path: string;
  severity: Severity;
  /** What the directory is on the installed system and what to use instead. */
  advice: string;
}

const API_DIRECTORIES: ApiDirectory[] = [
  { path: '/run', severity: 'warning', advice: '/run is a fresh tmpfs on every boot, so what the image ships there is hidden and only bloats the image. Remove it at the end of the same RUN (or use `RUN --mount=type=tmpfs,target=/run`); runtime directories come from `RuntimeDirectory=` or a tmpfiles.d entry.' },
  { path: '/tmp', severity: 'warning', advice: '/tmp is a tmpfs (or cleaned at boot) on the installed system, so what the image ships there is hidden and only bloats the image. Remove it at the end of the same RUN, or use `RUN --mount=type=tmpfs,target=/tmp` for build scratch files.' },
  { path: '/proc', severity: 'error', advice: '/proc is the kernel\'s API filesystem: during the build it belongs to the build container and on the installed system it is mounted over whatever the image has. Set kernel parameters with a sysctl.d file (/usr/lib/sysctl.d/*.conf) or kernel arguments in /usr/lib/bootc/kargs.d/.' },
  { path: '/sys', severity: 'error', advice: '/sys is the kernel\'s API filesystem: during the build it belongs to the build container and on the installed system it is mounted over whatever the image has. Configure devices with udev rules (/usr/lib/udev/rules.d/) or a tmpfiles.d `w` entry applied at boot.' },
  { path: '/dev', severity: 'error', advice: '/dev is a devtmpfs populated by the kernel and udev at boot, mounted over whatever the image ships there. Create device links and permissions with udev rules (/usr/lib/udev/rules.d/) instead.' },
];

function apiDirectoryOf(path: string): ApiDirectory | undefined {
  return API_DIRECTORIES.find((d) => isUnder(path, d.path) && path !== d.path);
}

/**
 * `RUN --mount=type=tmpfs,target=/tmp ...`: offered when the RUN has no mount of its own there,
 * no earlier step left something there that it could read, and no later step uses what it writes.
 */
function tmpfsFix(file: Containerfile, fs: FilesystemAnalysis, write: FsWrite, directory: string): Fix | undefined {
  const instruction = write.instruction;
  const run = instruction.run;
  if (!run || !write.command) return undefined;
  if (run.mounts.some((m) => m.target !== undefined && (isUnder(m.target, directory) || isUnder(directory, m.target)))) return undefined;
  const start: [number, number] = [instruction.index, -1];
  const inside = fs.writes.filter((w) => w.kind !== 'attributes' && isUnder(w.path, directory) && w.path !== directory);
  // Scanning thousands of earlier writes is not worth a quick fix.
  if (inside.length > 500) return undefined;
  const earlier = inside.some((w) => w.instruction.index < instruction.index && !removedBefore(w, start, fs.removals));
  if (earlier) return undefined;
  const written = inside.filter((w) => w.instruction === instruction).map((w) => w.path);
  if (mentionedLater(file.shippedInstructions, [instruction.index, Number.MAX_SAFE_INTEGER], written.length > 0 ? written : [directory])) return undefined;
  const flag = `--mount=type=tmpfs,target=${directory}`;
  return { title: `Mount a tmpfs on ${directory} for this RUN (${flag})`, edits: [insert(instruction.argumentsRange.start, `${flag} `)] };
}

export default defineRule({
  meta: {
    id: 'api-filesystem-content',
    defaultSeverity: 'warning',
    category: 'filesystem',
    description: 'Content shipped under /run, /tmp (warning) or /proc, /sys, /dev (error), which the installed system mounts over.',
    explanation:
      '/run and /tmp are temporary filesystems and /proc, /sys and /dev are the kernel\'s API filesystems: on the installed system they are mounted over the image, so what it ships there is never seen. Remove build scratch files in the same RUN or use `RUN --mount=type=tmpfs,target=/tmp`; configure the kernel and devices with sysctl.d, udev rules or tmpfiles.d.',
    fixable: true,
  },
  check(context) {
    const fs = context.filesystem();
    const writes = reportable(contentWrites(fs).filter((w) => apiDirectoryOf(w.path)));
    const fixes = new Map<string, Fix | undefined>();
    for (const write of writes) {
      const directory = apiDirectoryOf(write.path)!;
      const viaLink = write.writtenAs !== undefined ? ` (/var/run is a symlink to /run)` : '';
      const key = `${write.instruction.index}:${directory.path}`;
      if (directory.severity === 'warning' && write.command && !fixes.has(key)) fixes.set(key, tmpfsFix(context.file, fs, write, directory.path));
      const fix = write.command ? fixes.get(key) : undefined;
      context.report({
        range: write.range,
        severity: directory.severity,
        message: `${describeWrite(write)}${viaLink}: ${directory.advice}`,
        fixes: fix ? [fix] : [],
      });
    }
  },
});
