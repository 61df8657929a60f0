/**
 * client/src/process.ts with real processes: small node scripts written to a temp folder
 * (under TMPDIR) print their arguments, write both streams, or start grandchildren that
 * ignore SIGTERM, one of them in a session of its own.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  formatCommandLine,
  Redactor,
  runProcess,
  spawnStreaming,
  ToolMissingError,
  WorkingFolderMissingError,
  type OutputStream,
} from '../../client/src/process';

const linux = process.platform === 'linux';
let folder = '';
const script = (name: string) => path.join(folder, name);

const SCRIPTS: Record<string, string> = {
  'args.js': `process.stdout.write(JSON.stringify(process.argv.slice(2)));`,
  'streams.js': `
    for (let i = 0; i < 300; i++) { process.stdout.write('out ' + i + '\\n'); process.stderr.write('err ' + i + '\\n'); }
    process.stdout.write('crlf line\\r\\n');
    // An "é" split over two writes: the decoder must not garble it.
    process.stdout.write(Buffer.from([0x63, 0x61, 0x66, 0xc3]));
    setTimeout(() => {
      process.stdout.write(Buffer.from([0xa9, 0x0a]));
      process.stdout.write('out last');
      process.stderr.write('err last');
    }, 50);`,
  'secrets.js': `
    const secret = process.argv[2];
    process.stdout.write('token is ' + secret + '\\n');
    process.stderr.write('error: ' + secret.slice(0, 3));
    // The rest of the secret arrives in a later chunk: redaction works on whole lines.
    setTimeout(() => process.stderr.write(secret.slice(3) + ' refused\\n'), 50);`,
  'stdin.js': `let text = ''; process.stdin.on('data', (d) => (text += d)); process.stdin.on('end', () => process.stdout.write('got ' + text));`,
  'exit.js': `process.stderr.write('failing\\n'); process.exit(Number(process.argv[2]));`,
  'stubborn.js': `
    // A grandchild that ignores SIGTERM and says when it is ready.
    process.on('SIGTERM', () => undefined);
    setInterval(() => undefined, 1000);
    process.stdout.write('ready\\n');`,
  'respawn.js': `
    // Ignores SIGTERM and, when it comes, starts one more stubborn process in a session of its own.
    const { spawn } = require('node:child_process');
    process.on('SIGTERM', () => {
      const late = spawn(process.execPath, [__dirname + '/stubborn.js'], { detached: true, stdio: 'ignore' });
      require('node:fs').writeFileSync(__dirname + '/late.pid', String(late.pid));
    });
    process.stdout.write('ready\\n');
    setInterval(() => undefined, 1000);`,
  'tree.js': `
    const { spawn } = require('node:child_process');
    const fs = require('node:fs');
    const start = (detached) => new Promise((resolve) => {
      // stderr is inherited: the group member keeps the runner's pipe open until it dies.
      const child = spawn(process.execPath, [__dirname + '/stubborn.js'], { detached, stdio: ['ignore', 'pipe', detached ? 'ignore' : 'inherit'] });
      child.stdout.once('data', () => resolve(child.pid));
    });
    const alive = (pid) => {
      try { const state = fs.readFileSync('/proc/' + pid + '/stat', 'utf8').split(') ')[1][0]; return state !== 'Z' && state !== 'X'; } catch { return false; }
    };
    (async () => {
      const inGroup = await start(false);
      const ownSession = await start(true);
      process.on('SIGTERM', () => {
        // Was the process in its own session already dead when SIGTERM came (killInnerSessionsFirst)?
        const until = Date.now() + 300;
        const check = () => {
          if (!alive(ownSession)) { process.stdout.write('inner gone at SIGTERM\\n'); process.exit(0); }
          if (Date.now() > until) { process.stdout.write('inner alive at SIGTERM\\n'); process.exit(0); }
          setTimeout(check, 10);
        };
        check();
      });
      process.stdout.write('pids ' + inGroup + ' ' + ownSession + '\\n');
      setInterval(() => undefined, 1000);
    })();`,
};

before(() => {
  fs.mkdirSync(os.tmpdir(), { recursive: true });
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bootc-process-test-'));
  for (const [name, text] of Object.entries(SCRIPTS)) fs.writeFileSync(path.join(folder, name), text);
});

/** Grandchildren the tests started: killed at the end in case a failing test left them running. */
const started: number[] = [];

after(() => {
  for (const pid of started) {
    try {
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  }
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
});

function alive(pid: number): boolean {
  if (linux) {
    try {
      const state = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1][0];
      // A zombie waits only for its parent (or init) to reap it: it runs no more.
      return state !== 'Z' && state !== 'X';
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const TRICKY_ARGS = ['x; rm -rf ~', '$(id)', '`id`', 'it\'s "quoted"', 'two\nlines', ' lead and trail ', '*', '', '--flag=$HOME', 'ünïcödé'];

test('passes every argument verbatim, shell metacharacters included, and spells the command line as sh would read it', async () => {
  const result = await runProcess(process.execPath, [script('args.js'), ...TRICKY_ARGS]);
  assert.equal(result.exitCode, 0);
  assert.deepEqual(JSON.parse(result.stdout), TRICKY_ARGS);
  assert.ok(result.commandLine.startsWith(`${process.execPath} ${script('args.js')} `), result.commandLine);
  assert.ok(result.commandLine.includes(`'x; rm -rf ~'`), result.commandLine);
  assert.ok(result.commandLine.includes(`'$(id)'`), result.commandLine);
});

test('formatCommandLine round-trips through a POSIX shell', { skip: process.platform === 'win32' }, () => {
  // Harmless stand-ins for destructive arguments: if quoting failed, a marker file would appear.
  const marker = path.join(folder, 'pwned');
  const args = [`x; touch ${marker}`, `$(touch ${marker})`, `\`touch ${marker}\``, `it's "quoted"`, 'two\nlines', '', 'a\\b'];
  const line = formatCommandLine(process.execPath, [script('args.js'), ...args]);
  const shell = spawnSync('/bin/sh', ['-c', line], { encoding: 'utf8' });
  assert.equal(shell.status, 0, shell.stderr);
  assert.deepEqual(JSON.parse(shell.stdout), args);
  assert.equal(fs.existsSync(marker), false);
});

test('formatCommandLine redacts each argument before quoting it', () => {
  const redactor = new Redactor();
  redactor.add(`it's-secret`);
  redactor.add('two words');
  assert.equal(formatCommandLine('podman', ['build', '--build-arg', `TOKEN=it's-secret`], redactor), `podman build --build-arg 'TOKEN=***'`);
  // A secret spread over two arguments is caught on the joined line.
  assert.equal(formatCommandLine('login', ['two', 'words', 'ok'], redactor), 'login *** ok');
  assert.equal(formatCommandLine('podman', ['images']), 'podman images');
});

test('streams lines in order on both streams, including a final line without a line break', async () => {
  const lines: Record<OutputStream, string[]> = { stdout: [], stderr: [] };
  const result = await runProcess(process.execPath, [script('streams.js')], { onLine: (line, stream) => lines[stream].push(line) });
  const numbered = (prefix: string) => Array.from({ length: 300 }, (_, i) => `${prefix} ${i}`);
  assert.deepEqual(lines.stdout, [...numbered('out'), 'crlf line', 'café', 'out last']);
  assert.deepEqual(lines.stderr, [...numbered('err'), 'err last']);
  assert.ok(result.stdout.endsWith('café\nout last'));
  assert.ok(result.stderr.endsWith('err 299\nerr last'));
});

test('redacts secrets in lines, collected output and the command line', async () => {
  const secret = 'hunter22-secret';
  const redactor = new Redactor();
  redactor.add(secret);
  const lines: string[] = [];
  const result = await runProcess(process.execPath, [script('secrets.js'), secret], { redactor, onLine: (line) => lines.push(line) });
  assert.deepEqual(lines.sort(), ['error: *** refused', 'token is ***']);
  assert.equal(result.stdout, 'token is ***\n');
  assert.equal(result.stderr, 'error: *** refused\n');
  assert.ok(!result.commandLine.includes(secret), result.commandLine);
  assert.ok(result.commandLine.endsWith(` '***'`), result.commandLine);
});

test('short secrets are not redacted (they would garble everything), multi-line ones line by line', () => {
  const redactor = new Redactor();
  redactor.add('ab');
  redactor.add('first-line\nsecond-line');
  assert.equal(redactor.redact('ab cab'), 'ab cab');
  assert.equal(redactor.redact('x second-line y'), 'x *** y');
  assert.equal(redactor.redact('first-line\nsecond-line'), '***');
});

test('writes stdin and reports the exit code', async () => {
  assert.equal((await runProcess(process.execPath, [script('stdin.js')], { stdin: 'hello' })).stdout, 'got hello');
  const failed = await runProcess(process.execPath, [script('exit.js'), '3']);
  assert.equal(failed.exitCode, 3);
  assert.equal(failed.cancelled, false);
  assert.equal(failed.stderr, 'failing\n');
});

test('a missing executable is a ToolMissingError', async () => {
  await assert.rejects(runProcess(path.join(folder, 'no-such-tool'), []), (error: unknown) => {
    assert.ok(error instanceof ToolMissingError);
    assert.equal(error.tool, 'no-such-tool');
    assert.match(error.message, /no-such-tool was not found/);
    return true;
  });
  await assert.rejects(runProcess('bootc-no-such-program-on-path', ['x']), ToolMissingError);
});

test('a missing working folder is its own error, not a missing tool', async () => {
  const missing = path.join(folder, 'gone');
  await assert.rejects(runProcess(process.execPath, [script('args.js')], { cwd: missing }), (error: unknown) => {
    assert.ok(error instanceof WorkingFolderMissingError);
    assert.ok(!(error instanceof ToolMissingError));
    assert.equal(error.folder, missing);
    assert.match(error.message, /does not exist/);
    return true;
  });
});

test('an already aborted signal starts nothing', async () => {
  const controller = new AbortController();
  controller.abort();
  const running = spawnStreaming(process.execPath, [script('args.js'), 'x'], { signal: controller.signal });
  const result = await running.result;
  assert.equal(running.pid, undefined);
  assert.equal(result.cancelled, true);
  assert.equal(result.exitCode, null);
  assert.equal(result.stdout, '');
});

/** Starts tree.js and resolves with the running process and its grandchildren's pids once they all run. */
async function startTree(options: { killInnerSessionsFirst?: boolean; signal?: AbortSignal; killGraceMs?: number }) {
  let announce: (pids: number[]) => void = () => undefined;
  const pids = new Promise<number[]>((resolve) => (announce = resolve));
  const lines: string[] = [];
  const running = spawnStreaming(process.execPath, [script('tree.js')], {
    ...options,
    onLine: (line) => {
      lines.push(line);
      const match = /^pids (\d+) (\d+)$/.exec(line);
      if (!match) return;
      started.push(Number(match[1]), Number(match[2]));
      announce([Number(match[1]), Number(match[2])]);
    },
  });
  const [inGroup, ownSession] = await Promise.race([
    pids,
    running.result.then((result) => Promise.reject(new Error(`tree.js ended early: ${result.stderr}`))),
  ]);
  return { running, inGroup, ownSession, lines };
}

test('cancel kills the child, a grandchild that ignores SIGTERM and one in its own session; the result waits for all', { skip: !linux && 'needs /proc', timeout: 20_000 }, async () => {
  const controller = new AbortController();
  const { running, inGroup, ownSession, lines } = await startTree({ signal: controller.signal, killGraceMs: 1500 });
  assert.ok(running.pid !== undefined && alive(running.pid) && alive(inGroup) && alive(ownSession));
  const started = Date.now();
  controller.abort();
  const result = await running.result;
  const took = Date.now() - started;
  assert.equal(result.cancelled, true);
  assert.equal(alive(running.pid), false, 'the child still runs');
  assert.equal(alive(inGroup), false, 'the grandchild in the group still runs');
  assert.equal(alive(ownSession), false, 'the grandchild in its own session still runs');
  // Without killInnerSessionsFirst the inner session gets SIGTERM (ignored) and SIGKILL only after the grace period.
  assert.ok(lines.includes('inner alive at SIGTERM'), lines.join('\n'));
  assert.ok(took >= 1400 && took < 6000, `cancel took ${took} ms`);
});

test('killInnerSessionsFirst kills the process in its own session before the tree gets SIGTERM', { skip: !linux && 'needs /proc', timeout: 20_000 }, async () => {
  const { running, inGroup, ownSession, lines } = await startTree({ killInnerSessionsFirst: true, killGraceMs: 400 });
  running.kill();
  running.kill(); // a second cancel changes nothing
  const result = await running.result;
  assert.equal(result.cancelled, true);
  assert.ok(lines.includes('inner gone at SIGTERM'), lines.join('\n'));
  for (const pid of [running.pid!, inGroup, ownSession]) assert.equal(alive(pid), false, `${pid} still runs`);
});

test('kill after the end changes nothing', async () => {
  const running = spawnStreaming(process.execPath, [script('args.js'), 'done']);
  const result = await running.result;
  running.kill();
  assert.equal(result.cancelled, false);
  assert.equal(result.exitCode, 0);
});

test('cancel also kills processes started while the tree is being stopped', { skip: !linux && 'needs /proc', timeout: 20_000 }, async () => {
  const pidFile = path.join(folder, 'late.pid');
  fs.rmSync(pidFile, { force: true });
  let ready: () => void = () => undefined;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  const running = spawnStreaming(process.execPath, [script('respawn.js')], { killGraceMs: 1000, onLine: (line) => line === 'ready' && ready() });
  await isReady;
  running.kill();
  const result = await running.result;
  assert.equal(result.cancelled, true);
  assert.ok(fs.existsSync(pidFile), 'respawn.js started no process on SIGTERM');
  const late = Number(fs.readFileSync(pidFile, 'utf8'));
  started.push(late);
  assert.equal(alive(late), false, 'the process started during the cancel still runs');
  assert.equal(alive(running.pid!), false);
});
