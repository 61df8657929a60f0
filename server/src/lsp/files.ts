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
