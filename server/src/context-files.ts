import * as fs from 'node:fs';
import * as path from 'node:path';

const MAX_CONTEXT_FILE_BYTES = 1024 * 1024;

/**
 * `LintOptions.readContextFile` for a build context folder, shared by the CLI and the
 * language server: regular files up to 1 MB, undefined when unreadable. COPY sources are
 * relative to the context even when written `/x`, as podman reads them.
 */
export function contextFileReader(folder: string): (relativePath: string) => string | undefined {
  return (relativePath) => {
    try {
      const file = path.join(folder, relativePath);
      const stat = fs.statSync(file);
      if (!stat.isFile() || stat.size > MAX_CONTEXT_FILE_BYTES) return undefined;
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  };
}
