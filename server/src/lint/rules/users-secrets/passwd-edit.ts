import { defineRule } from '../../rule';
import { parseArgs } from '../../analysis/commands';
import type { FsWrite } from '../../analysis/filesystem';
import { basename } from '../../shell/script';

const ACCOUNT_FILES = new Set(['/etc/passwd', '/etc/group', '/etc/shadow', '/etc/gshadow']);
const COPIERS = new Set(['cp', 'mv', 'install', 'rsync', 'COPY', 'ADD']);

export default defineRule({
  meta: {
    id: 'passwd-edit',
    defaultSeverity: 'warning',
    category: 'users-secrets',
    description: 'Writing /etc/passwd, /etc/group, /etc/shadow or /etc/gshadow directly.',
    explanation:
      'On an installed system /etc is machine-local: once a machine\'s /etc/passwd or /etc/group differs from the image\'s (any local user or group change does that), the 3-way merge keeps the machine\'s copy and later images\' edits are not applied. Declare users and groups in /usr/lib/sysusers.d/*.conf instead.',
    fixable: false,
  },
  check(context) {
    const seen = new Set<string>();
    for (const write of context.filesystem().writes) {
      if (write.kind !== 'file' && write.kind !== 'modify' && write.kind !== 'tree') continue;
      const path = accountFile(write);
      if (!path) continue;
      const key = `${write.range.start.line}:${write.range.start.character}:${path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      context.report({
        range: write.range,
        message: `${path} is written directly: on an installed system /etc is machine-local, so once a machine's ${path} differs from the image's (any local user or password change does that) later images' edits to it are never applied. Declare users and groups in /usr/lib/sysusers.d/<name>.conf and run systemd-sysusers.`,
      });
    }
  },
});

/** The account database a write replaces or edits: the path itself, or `<dir>/<source basename>` when copying into /etc/. */
function accountFile(write: FsWrite): string | undefined {
  if (ACCOUNT_FILES.has(write.path)) return write.path;
  if (write.path !== '/etc' || !COPIERS.has(write.via)) return undefined;
  const sources = copySources(write);
  const hit = sources.map((s) => `/etc/${basename(s.replace(/\/+$/, ''))}`).find((p) => ACCOUNT_FILES.has(p));
  return hit;
}

function copySources(write: FsWrite): string[] {
  const copy = write.instruction.copy;
  if (copy) return copy.sources.map((s) => s.text);
  const command = write.command;
  if (!command) return [];
  const parsed = parseArgs(command.args, ['-m', '--mode', '-o', '--owner', '-g', '--group', '-t', '--target-directory', '-S', '--suffix', '-Z', '--context', '-e', '--exclude', '--include', '--chmod', '--chown']);
  const targetDirectory = parsed.values.has('-t') || parsed.values.has('--target-directory');
  return (targetDirectory ? parsed.operands : parsed.operands.slice(0, -1)).filter((w) => !w.dynamic).map((w) => w.text);
}
