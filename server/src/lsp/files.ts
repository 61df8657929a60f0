import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Folder of a `file:` document (its build context, usually), or undefined for other schemes. */
export function documentDir(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return path.dirname(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

const MAX_CONTEXT_FILE_BYTES = 1024 * 1024;

/** `LintOptions.readContextFile` for a Containerfile in `dir`: small files only, undefined when unreadable. */
export function contextFileReader(dir: string): (relativePath: string) => string | undefined {
  return (relativePath) => {
    try {
      const file = path.resolve(dir, relativePath);
      if (fs.statSync(file).size > MAX_CONTEXT_FILE_BYTES) return undefined;
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  };
}
