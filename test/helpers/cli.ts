import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Runs `bootc-lint` as a real process, from the bundle when it can be built, else from the sources. */

export const ROOT = path.resolve(__dirname, '..', '..');
const BUNDLE = path.join(ROOT, 'server', 'out', 'cli.js');
const SOURCES = path.join(ROOT, 'server', 'src', 'cli.ts');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

let command: { file: string; args: string[]; kind: 'bundle' | 'sources' } | undefined;

/**
 * Chooses how to start the CLI, once per test process. `BOOTC_LINT_CLI=bundle|sources` forces
 * a choice. Otherwise, when the whole extension exists (server and client entry points), the
 * bundle is built (once, under a lock, only when older than the sources) and tested, since
 * that is what ships; if the build fails, or before the entry points exist, the sources run
 * through tsx.
 */
export function cliCommand(): { file: string; args: string[]; kind: 'bundle' | 'sources' } {
  if (command) return command;
  const forced = process.env.BOOTC_LINT_CLI;
  const wholeExtension = fs.existsSync(path.join(ROOT, 'server', 'src', 'server.ts')) && fs.existsSync(path.join(ROOT, 'client', 'src', 'extension.ts'));
  if (forced === 'bundle' || (forced !== 'sources' && wholeExtension && ensureBundle())) {
    command = { file: process.execPath, args: [BUNDLE], kind: 'bundle' };
  } else {
    const tsx = pathToFileURL(require.resolve('tsx')).href; // absolute: the CLI runs with other working directories
    command = { file: process.execPath, args: ['--import', tsx, SOURCES], kind: 'sources' };
  }
  return command;
}

function newestSourceTime(): number {
  let newest = 0;
  const visit = (entry: string) => {
    const stat = fs.statSync(entry);
    if (stat.isDirectory()) for (const child of fs.readdirSync(entry)) visit(path.join(entry, child));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  visit(path.join(ROOT, 'server', 'src'));
  for (const file of ['package.json', 'scripts/build.mjs']) visit(path.join(ROOT, file));
  return newest;
}

function bundleIsFresh(): boolean {
  try {
    const out = path.join(ROOT, 'server', 'out');
    if (!fs.existsSync(path.join(out, 'tree-sitter-bash.wasm')) || !fs.existsSync(path.join(out, 'web-tree-sitter.wasm'))) return false;
    return fs.statSync(BUNDLE).mtimeMs >= newestSourceTime();
  } catch {
    return false;
  }
}

/** Builds the bundle when it is missing or stale. Test files run in parallel, so this holds a lock. */
function ensureBundle(): boolean {
  if (bundleIsFresh()) return true;
  const lock = path.join(os.tmpdir(), `bootc-lint-build-${Buffer.from(ROOT).toString('hex').slice(-32)}.lock`);
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      try {
        if (Date.now() - fs.statSync(lock).mtimeMs > 120_000) fs.rmSync(lock, { recursive: true, force: true }); // left by a killed run
      } catch {
        // gone meanwhile
      }
      if (Date.now() > deadline) return false;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  try {
    if (bundleIsFresh()) return true; // another test file built it while we waited
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'pipe', timeout: 120_000 });
    return fs.existsSync(BUNDLE);
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    process.stderr.write(`# bundle build failed, testing the CLI from its sources:\n${stderr.split('\n').slice(0, 10).map((l) => `#   ${l}`).join('\n')}\n`);
    return false;
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** Runs the CLI with `args` in `cwd` and collects its output (stdout can be large). */
export function runCli(args: readonly string[], options: { cwd?: string; timeout?: number } = {}): Promise<CliRun> {
  const { file, args: prefix } = cliCommand();
  return new Promise((resolve, reject) => {
    const child = spawn(file, [...prefix, ...args], {
      cwd: options.cwd ?? ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeout ?? 60_000,
      env: { ...process.env, NO_COLOR: '1' },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const stderr = Buffer.concat(err).toString('utf8');
      resolve({ code: signal ? null : code, stdout: Buffer.concat(out).toString('utf8'), stderr: signal ? `${stderr}\n(killed by ${signal})` : stderr });
    });
  });
}

/** A fresh temporary folder with the given files (paths relative to it; strings or bytes), in `parent` (the system's temporary folder unless given). */
export function tempTree(files: Record<string, string | Uint8Array>, parent = os.tmpdir()): string {
  const dir = fs.mkdtempSync(path.join(parent, 'bootc-lint-test-'));
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return dir;
}

export function removeTree(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
