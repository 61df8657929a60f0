import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import * as path from 'node:path';

/** The repository root. */
export const ROOT = path.resolve(__dirname, '..', '..');

const LOCK = path.join(ROOT, '.test-output', 'build.lock');
const STALE_MS = 10 * 60 * 1000;

/**
 * Takes a lock shared by the test files that rebuild `server/out` or run the bundle (test
 * files run in parallel processes; one must not rewrite the bundle while another starts
 * it). Resolves with the function that releases it.
 */
export async function acquireBuildLock(): Promise<() => void> {
  mkdirSync(path.dirname(LOCK), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      return () => rmSync(LOCK, { recursive: true, force: true });
    } catch {
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > STALE_MS) rmSync(LOCK, { recursive: true, force: true });
      } catch {
        // released meanwhile
      }
      await sleep(100);
    }
  }
}

/** Runs `fn` while holding the build lock. */
export async function withBuildLock<T>(fn: () => Promise<T> | T): Promise<T> {
  const release = await acquireBuildLock();
  try {
    return await fn();
  } finally {
    release();
  }
}

/** Builds the bundles (`node scripts/build.mjs`); call it inside {@link withBuildLock}. */
export function build(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
}
