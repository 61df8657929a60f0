import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { parseContainerLintOutput, type ContainerLintResult } from '../../server/src/image/container-lint';

/**
 * The bootc stand-in (test/fixtures/stand-ins/bootc, baked into the test base image as
 * /usr/bin/bootc) prints what real bootc prints: the parser must read it. Each test lints a
 * root made in a temporary folder with `--rootfs`, under /bin/sh and busybox sh when present.
 */

const STAND_IN = path.resolve(__dirname, '..', 'fixtures', 'stand-ins', 'bootc');
const TMP_BASE = process.env.BOOTC_TEST_TMPDIR ?? os.tmpdir();
const SHELLS: string[][] = [['/bin/sh'], ...(fs.existsSync('/bin/busybox') ? [['/bin/busybox', 'sh']] : [])];
const made: string[] = [];

after(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

/** A root that passes every lint the stand-in checks: what a clean bootc base image holds. */
function cleanRoot(): string {
  fs.mkdirSync(TMP_BASE, { recursive: true });
  const root = fs.mkdtempSync(path.join(TMP_BASE, 'bootc-root-'));
  made.push(root);
  for (const dir of ['dev', 'proc', 'sys', 'run', 'tmp', 'var', 'boot', 'sysroot', 'etc', 'usr/lib/ostree', 'usr/lib/sysusers.d', 'usr/lib/modules/6.1.0']) fs.mkdirSync(path.join(root, dir), { recursive: true });
  fs.symlinkSync('sysroot/ostree', path.join(root, 'ostree'));
  fs.symlinkSync('../run', path.join(root, 'var/run'));
  fs.writeFileSync(path.join(root, 'usr/lib/ostree/prepare-root.conf'), '[composefs]\nenabled = yes\n');
  fs.writeFileSync(path.join(root, 'usr/lib/modules/6.1.0/vmlinuz'), 'kernel');
  fs.writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  fs.writeFileSync(path.join(root, 'etc/group'), 'root:x:0:\n');
  fs.writeFileSync(path.join(root, 'usr/lib/sysusers.d/basic.conf'), 'u root 0:0 "Super User" /root\n');
  fs.writeFileSync(path.join(root, 'etc/hostname'), 'bootc\n');
  return root;
}

function write(root: string, file: string, content: string): void {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), content);
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  parsed: ContainerLintResult;
}

/** Runs `bootc container lint ARGS` as the extension does (stdout, then stderr) and parses it. */
function lint(shell: string[], args: string[]): Run {
  const result = spawnSync(shell[0], [...shell.slice(1), STAND_IN, 'container', 'lint', ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' } });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, parsed: parseContainerLintOutput(`${result.stdout}\n${result.stderr}`) };
}

for (const shell of SHELLS) {
  describe(`bootc stand-in under ${shell.join(' ')}`, () => {
    test('a clean root passes: every lint counted, var-tmpfiles skipped as bootc skips it for --rootfs', () => {
      const run = lint(shell, ['--rootfs', cleanRoot()]);
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(run.parsed, { findings: [], summary: { passed: 13, skipped: 1 }, ok: true });
    });

    test('a /var/run directory fails the fatal var-run lint and the run', () => {
      const root = cleanRoot();
      fs.unlinkSync(path.join(root, 'var/run'));
      fs.mkdirSync(path.join(root, 'var/run'));
      const run = lint(shell, ['--rootfs', root]);
      assert.equal(run.status, 1);
      assert.equal(run.parsed.ok, false);
      assert.deepEqual(run.parsed.findings, [{ lint: 'var-run', level: 'error', message: 'Not a symlink: var/run', paths: ['/var/run'], items: [], more: 0 }]);
      assert.deepEqual(run.parsed.summary, { passed: 12, skipped: 1, failed: 1, error: 'Linting: Checks failed: 1' });
    });

    test('log files: five shown, the rest counted; --no-truncate lists them all; odd names quoted', () => {
      const root = cleanRoot();
      for (const name of ['a.log', 'b.log', 'c.log', 'd.log', 'e.log', 'f.log', 'my app.log']) write(root, `var/log/${name}`, 'logged\n');
      write(root, 'var/log/empty.log', '');
      const truncated = lint(shell, ['--rootfs', root]);
      assert.equal(truncated.status, 0, 'a warning does not fail the lint');
      assert.equal(truncated.parsed.ok, true);
      const [finding] = truncated.parsed.findings;
      assert.equal(finding.lint, 'var-log');
      assert.equal(finding.level, 'warning');
      assert.equal(finding.items.length, 5);
      assert.equal(finding.more, 2);
      assert.equal(truncated.parsed.summary.warnings, 1);
      const full = lint(shell, ['--rootfs', root, '--no-truncate']).parsed.findings[0];
      assert.equal(full.more, 0);
      assert.equal(full.items.length, 7);
      assert.ok(full.items.includes("'/var/log/my app.log'"), full.items.join(','));
      assert.ok(full.paths.includes('/var/log/my app.log'));
      assert.ok(!full.paths.includes('/var/log/empty.log'), 'empty log files are fine');
    });

    test('--fatal-warnings fails on a warning (an empty /etc/hostname left by the builder)', () => {
      const root = cleanRoot();
      write(root, 'etc/hostname', '');
      const run = lint(shell, ['--rootfs', root, '--fatal-warnings']);
      assert.equal(run.status, 1);
      assert.equal(run.parsed.ok, false);
      assert.equal(run.parsed.summary.fatalWarnings, true);
      assert.deepEqual(
        run.parsed.findings.map((finding) => [finding.lint, finding.level, finding.paths]),
        [['buildah-injected', 'warning', ['/etc/hostname']]],
      );
    });

    test('two kernels stop the run with a runtime error naming the kernel lint', () => {
      const root = cleanRoot();
      write(root, 'usr/lib/modules/6.2.0/vmlinuz', 'kernel');
      const run = lint(shell, ['--rootfs', root]);
      assert.equal(run.status, 1);
      assert.equal(run.parsed.summary.passed, undefined);
      assert.deepEqual(run.parsed.findings, [{ lint: 'kernel', level: 'error', message: 'Found multiple subdirectories in usr/lib/modules', paths: ['/usr/lib/modules'], items: [], more: 0, runtimeError: true }]);
    });

    test('users and groups without sysusers.d entries: the sysusers warning lists the names', () => {
      const root = cleanRoot();
      write(root, 'etc/passwd', 'root:x:0:0:root:/root:/bin/sh\napache:x:48:48::/usr/share/httpd:/sbin/nologin\n');
      write(root, 'etc/group', 'root:x:0:\napache:x:48:\nweb:x:1000:\n');
      const [finding] = lint(shell, ['--rootfs', root]).parsed.findings;
      assert.equal(finding.lint, 'sysusers');
      assert.deepEqual(finding.items, ['apache', 'apache', 'web']);
      assert.deepEqual(finding.paths, ['/etc/passwd', '/etc/group']);
    });

    test('content in /boot, /run and /tmp, and no composefs: three warnings with their paths', () => {
      const root = cleanRoot();
      write(root, 'boot/vmlinuz-6.1.0', 'kernel');
      write(root, 'tmp/build.sh', 'echo\n');
      fs.rmSync(path.join(root, 'usr/lib/ostree/prepare-root.conf'));
      const run = lint(shell, ['--rootfs', root]);
      assert.equal(run.parsed.ok, true);
      const byLint = Object.fromEntries(run.parsed.findings.map((finding) => [finding.lint, finding]));
      assert.deepEqual(Object.keys(byLint).sort(), ['baseimage-composefs', 'nonempty-boot', 'nonempty-run-tmp']);
      assert.deepEqual(byLint['nonempty-boot'].paths, ['/boot/vmlinuz-6.1.0']);
      assert.deepEqual(byLint['nonempty-run-tmp'].paths, ['/tmp/build.sh']);
      assert.deepEqual(byLint['baseimage-composefs'].paths, ['/usr/lib/ostree/prepare-root.conf']);
      assert.equal(run.parsed.summary.warnings, 3);
    });

    test('baseimage-root, api-base-directories and etc-usretc failures', () => {
      const root = cleanRoot();
      fs.rmSync(path.join(root, 'sysroot'), { recursive: true });
      fs.rmSync(path.join(root, 'proc'), { recursive: true });
      fs.mkdirSync(path.join(root, 'usr/etc'));
      const run = lint(shell, ['--rootfs', root]);
      assert.equal(run.status, 1);
      assert.deepEqual(
        run.parsed.findings.map((finding) => [finding.lint, finding.level, finding.paths]),
        [
          ['api-base-directories', 'error', ['/proc']],
          ['baseimage-root', 'error', ['/sysroot']],
          ['etc-usretc', 'error', ['/usr/etc']],
        ],
      );
      assert.equal(run.parsed.summary.failed, 3);
    });

    test('--skip counts the skipped lint', () => {
      const root = cleanRoot();
      write(root, 'var/log/a.log', 'x');
      const run = lint(shell, ['--rootfs', root, '--skip', 'var-log']);
      assert.deepEqual(run.parsed, { findings: [], summary: { passed: 12, skipped: 2 }, ok: true });
    });

    test('bad usage and a missing root are errors, not findings', () => {
      const usage = lint(shell, ['--nope']);
      assert.equal(usage.status, 2);
      assert.deepEqual(usage.parsed.findings, []);
      assert.equal(usage.parsed.ok, false);
      assert.equal(usage.parsed.summary.error, "unexpected argument '--nope' found");
      const missing = lint(shell, ['--rootfs', path.join(TMP_BASE, 'no-such-root')]);
      assert.equal(missing.status, 1);
      assert.equal(missing.parsed.ok, false);
      assert.equal(missing.parsed.summary.error, 'No such file or directory (os error 2)');
    });
  });
}
