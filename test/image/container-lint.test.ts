import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BOOTC_LINTS, parseContainerLintOutput, unquoteShellWord } from '../../server/src/image/container-lint';

/**
 * Output as bootc prints it (bootc-dev/bootc crates/lib/src/lints.rs: `Lint warning: NAME: MSG`,
 * list messages end with a newline that `writeln!` follows with a blank line; errors are
 * `error: {e:#}` with the context `Linting`).
 */
function output(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

describe('bootc container lint output', () => {
  test('a clean run passes with its counts', () => {
    const result = parseContainerLintOutput(output('Checks passed: 13', 'Checks skipped: 1'));
    assert.deepEqual(result, { findings: [], summary: { passed: 13, skipped: 1 }, ok: true });
  });

  test('a fatal lint fails the run: Failed lint + Checks failed on stderr', () => {
    const result = parseContainerLintOutput(output('Failed lint: var-run: Not a symlink: var/run', 'Checks passed: 12', 'Checks skipped: 1') + output('error: Linting: Checks failed: 1'));
    assert.equal(result.ok, false);
    assert.deepEqual(result.findings, [{ lint: 'var-run', level: 'error', message: 'Not a symlink: var/run', paths: ['/var/run'], items: [], more: 0 }]);
    assert.deepEqual(result.summary, { passed: 12, skipped: 1, failed: 1, error: 'Linting: Checks failed: 1' });
  });

  test('a warning with a truncated list: items as printed, ...and N more, paths', () => {
    const result = parseContainerLintOutput(
      output(
        'Lint warning: var-log: Found non-empty logfiles:',
        '  /var/log/dnf.librepo.log',
        '  /var/log/dnf.log',
        '  /var/log/dnf.rpm.log',
        '  /var/log/hawkey.log',
        "  '/var/log/my app.log'",
        '  ...and 3 more',
        '',
        'Checks passed: 12',
        'Checks skipped: 1',
        'Warnings: 1',
      ),
    );
    assert.equal(result.ok, true, 'warnings alone do not fail the lint');
    const [finding] = result.findings;
    assert.equal(finding.lint, 'var-log');
    assert.equal(finding.level, 'warning');
    assert.deepEqual(finding.items, ['/var/log/dnf.librepo.log', '/var/log/dnf.log', '/var/log/dnf.rpm.log', '/var/log/hawkey.log', "'/var/log/my app.log'"]);
    assert.equal(finding.more, 3);
    assert.deepEqual(finding.paths, ['/var/log/dnf.librepo.log', '/var/log/dnf.log', '/var/log/dnf.rpm.log', '/var/log/hawkey.log', '/var/log/my app.log']);
    assert.equal(finding.message.split('\n')[0], 'Found non-empty logfiles:');
    assert.match(finding.message, /\n {2}\.\.\.and 3 more$/);
    assert.deepEqual(result.summary, { passed: 12, skipped: 1, warnings: 1 });
  });

  test('sysusers: two lists in one message; the items are names, the paths are the files named', () => {
    const result = parseContainerLintOutput(
      output(
        'Lint warning: sysusers: Found /etc/passwd entry without corresponding systemd sysusers.d:',
        '  apache',
        'Found /etc/group entry without corresponding systemd sysusers.d:',
        '  apache',
        '  web',
        '',
        'Lint warning: nonempty-boot: Found non-empty /boot:',
        '  config-6.11.0',
        '  vmlinuz-6.11.0',
        '',
        'Checks passed: 11',
        'Checks skipped: 1',
        'Warnings: 2',
      ),
    );
    assert.equal(result.findings.length, 2);
    const [sysusers, boot] = result.findings;
    assert.deepEqual(sysusers.items, ['apache', 'apache', 'web']);
    assert.deepEqual(sysusers.paths, ['/etc/passwd', '/etc/group']);
    assert.equal(sysusers.message.split('\n').length, 5);
    assert.deepEqual(boot.paths, ['/boot/config-6.11.0', '/boot/vmlinuz-6.11.0']);
  });

  test('--fatal-warnings: warnings counted in Checks failed', () => {
    const result = parseContainerLintOutput(output('Lint warning: buildah-injected: /etc/hostname is an empty file; this may have been synthesized by a container runtime.', 'Checks passed: 12', 'Warnings: 1', 'error: Linting: Checks failed: 1'));
    assert.equal(result.ok, false);
    assert.equal(result.summary.fatalWarnings, true);
    assert.equal(result.findings[0].level, 'warning');
    assert.deepEqual(result.findings[0].paths, ['/etc/hostname']);
  });

  test('a runtime error stops the run: the lint is named, runtimeError is set, no counts', () => {
    const result = parseContainerLintOutput(output('error: Linting: Unexpected runtime error running lint kernel: Found multiple subdirectories in usr/lib/modules'));
    assert.equal(result.ok, false);
    assert.deepEqual(result.findings, [{ lint: 'kernel', level: 'error', message: 'Found multiple subdirectories in usr/lib/modules', paths: ['/usr/lib/modules'], items: [], more: 0, runtimeError: true }]);
    assert.equal(result.summary.passed, undefined);
  });

  test('bootc < 1.1.5: only `error: Linting: <message>`, mapped to the lint by message', () => {
    const cases: Array<[string, string, string[]]> = [
      ['Not a symlink: var/run', 'var-run', ['/var/run']],
      ['Found /usr/etc - this is a bootc implementation detail and not supported to use in containers', 'etc-usretc', ['/usr/etc']],
      ['Found multiple subdirectories in usr/lib/modules', 'kernel', ['/usr/lib/modules']],
      ['/subdir/2/: Found non-utf8 filename "bad\\xFFdir"', 'utf8', ['/subdir/2']],
      ['/subdir/good-name: Found non-utf8 symlink target', 'utf8', ['/subdir/good-name']],
      ['Missing API filesystem base directory: /var', 'api-base-directories', ['/var']],
      ['Missing /sysroot', 'baseimage-root', ['/sysroot']],
      ['Expected /ostree -> sysroot/ostree, not "sysroot/x"', 'baseimage-root', ['/ostree']],
      ['usr/lib/ostree/prepare-root.conf does not have composefs enabled', 'baseimage-composefs', ['/usr/lib/ostree/prepare-root.conf']],
      ['usr/lib/ostree/prepare-root.conf: No such file or directory (os error 2)', 'baseimage-composefs', ['/usr/lib/ostree/prepare-root.conf']],
      ['Parsing 10-console.toml: TOML parse error at line 1, column 1', 'bootc-kargs', ['/usr/lib/bootc/kargs.d']],
      ['Permission denied (os error 13)', 'unknown', []],
    ];
    for (const [message, lint, paths] of cases) {
      const result = parseContainerLintOutput(`error: Linting: ${message}\n`);
      assert.equal(result.ok, false, message);
      assert.equal(result.findings.length, 1, message);
      assert.equal(result.findings[0].lint, lint, message);
      assert.equal(result.findings[0].level, 'error', message);
      assert.equal(result.findings[0].message, message);
      assert.deepEqual(result.findings[0].paths, paths, message);
    }
  });

  test('bootc < 1.1.5 that passed prints only Checks passed', () => {
    assert.deepEqual(parseContainerLintOutput('Checks passed: 6\n'), { findings: [], summary: { passed: 6 }, ok: true });
  });

  test('an error that is not a lint (usage, missing --rootfs) is not a finding and not ok', () => {
    const usage = parseContainerLintOutput("error: unexpected argument '--nope' found\n\nUsage: bootc container lint [OPTIONS]\n\nFor more information, try '--help'.\n");
    assert.deepEqual(usage.findings, []);
    assert.equal(usage.ok, false);
    assert.equal(usage.summary.error, "unexpected argument '--nope' found");
    assert.equal(parseContainerLintOutput('').ok, false, 'no output is not a pass');
  });

  test('every kind of list lint: run-tmp, var-tmpfiles (tmpfiles.d lines), etc-uid-drift, baseimage-composefs', () => {
    const result = parseContainerLintOutput(
      output(
        'Lint warning: baseimage-composefs: ostree/prepare-root.conf is not present to enable composefs',
        'Lint warning: nonempty-run-tmp: Found content in runtime-only directories (/run, /tmp):',
        '  /run/dnf',
        '  /tmp/build.sh',
        '',
        'Lint warning: var-tmpfiles: Found content in /var missing systemd tmpfiles.d entries:',
        '  d /var/lib/app 0755 root root - -',
        '  d /var/lib/my\\x20app 0755 root root - -',
        '  L /var/opt/link - - - - /usr/share/x',
        'Found non-directory/non-symlink files in /var:',
        '  /var/lib/app/state.db',
        '',
        'Lint warning: etc-uid-drift: Potential uid/gid drift in /etc (non-root-owned without tmpfiles chown):',
        '  /etc/app',
        '',
        'Checks passed: 10',
        'Warnings: 4',
      ),
    );
    const byLint = Object.fromEntries(result.findings.map((finding) => [finding.lint, finding]));
    assert.deepEqual(byLint['baseimage-composefs'].paths, ['/usr/lib/ostree/prepare-root.conf']);
    assert.deepEqual(byLint['nonempty-run-tmp'].paths, ['/run/dnf', '/tmp/build.sh'], 'the header directories are not paths of their own');
    assert.deepEqual(byLint['var-tmpfiles'].paths, ['/var/lib/app', '/var/lib/my app', '/var/opt/link', '/var/lib/app/state.db']);
    assert.equal(byLint['var-tmpfiles'].items.length, 4);
    assert.deepEqual(byLint['etc-uid-drift'].paths, ['/etc/app']);
    assert.equal(result.ok, true);
  });

  test('ANSI colour on error:, CRLF line ends and the api-base-directories and etc-usretc failures', () => {
    const result = parseContainerLintOutput(
      'Failed lint: api-base-directories: Missing API filesystem base directory: /tmp\r\nFailed lint: etc-usretc: Found /usr/etc - this is a bootc implementation detail and not supported to use in containers\r\nChecks passed: 11\r\n\x1b[31merror: \x1b[0mLinting: Checks failed: 2\r\n',
    );
    assert.deepEqual(
      result.findings.map((finding) => [finding.lint, finding.paths]),
      [
        ['api-base-directories', ['/tmp']],
        ['etc-usretc', ['/usr/etc']],
      ],
    );
    assert.equal(result.summary.failed, 2);
    assert.equal(result.summary.fatalWarnings, undefined);
  });

  test('the lint list covers bootc 1.x lints with their types', () => {
    for (const name of ['var-log', 'var-tmpfiles', 'etc-usretc', 'kernel', 'sysusers', 'nonempty-boot', 'buildah-injected', 'utf8', 'baseimage-root', 'baseimage-composefs', 'api-base-directories', 'var-run', 'bootc-kargs', 'nonempty-run-tmp']) {
      assert.ok(BOOTC_LINTS[name], name);
    }
    assert.equal(BOOTC_LINTS['var-run'], 'fatal');
    assert.equal(BOOTC_LINTS['var-log'], 'warning');
  });
});

describe('unquoteShellWord', () => {
  test("undoes shlex quoting: '…', '\\'' and \"…\"", () => {
    assert.equal(unquoteShellWord('/plain/path'), '/plain/path');
    assert.equal(unquoteShellWord("'/var/log/my app.log'"), '/var/log/my app.log');
    assert.equal(unquoteShellWord("'/var/log/it'\\''s.log'"), "/var/log/it's.log");
    assert.equal(unquoteShellWord('"/var/log/it\'s \\"x\\".log"'), '/var/log/it\'s "x".log');
    assert.equal(unquoteShellWord("'unterminated"), "'unterminated");
  });
});
