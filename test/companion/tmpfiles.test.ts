import { test } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import { lintCompanion } from '../../server/src/companion/index';
import { isValidAge } from '../../server/src/companion/tmpfiles';
import { applyFixAndExpectClean, onlyFinding, span, textOf } from './helpers';

const lint = (text: string) => lintCompanion('tmpfiles', text);

test('tmpfiles: valid lines give no finding (d /var/… included)', () => {
  const text = [
    '# state of the app',
    'd /var/lib/app 0750 app app -',
    'd /var/cache/app 0755 - - 10d',
    'D /run/app 0755 root root',
    'f+ /etc/app.conf 0644 root root - key=value',
    'w /proc/sys/vm/swappiness - - - - 10',
    'L /etc/localtime - - - - ../usr/share/zoneinfo/UTC',
    'L /etc/issue',
    'C /etc/app/defaults',
    'C+ /var/lib/app/seed - - - - /usr/share/app/seed',
    'z /var/log/app 0750 :app root',
    'Z /var/lib/app ~0750 1000 1000',
    'x /var/tmp/keep-*',
    'e /var/tmp - - - cmA:30d',
    'd /var/tmp/app 1777 root root ~1w 2d',
    'q /var/lib/machines 0700 - - -',
    'L+ /usr/local/bin/tool - - - - /opt/tool/bin/tool',
    'd /usr/local/share/app',
    'a+ /var/lib/app - - - - u:app:rwx',
    'c! /dev/fuse 0666 - - - 10:229',
    'r! /var/lib/app/stale.lock',
    'd- /var/spool/app',
    "f '/var/lib/app/with space' 0600 app app - text",
  ].join('\n');
  assert.deepEqual(lint(text), []);
});

test('tmpfiles: a path in the mode column gets "- - - -" inserted before it', () => {
  const text = 'L /etc/app.conf /usr/share/app/app.conf';
  const found = onlyFinding('tmpfiles', text);
  assert.equal(found.ruleId, 'tmpfiles-invalid-mode');
  assert.deepEqual(span(found.range), [0, 16, 39]);
  assert.equal(applyFixAndExpectClean('tmpfiles', text, found), 'L /etc/app.conf - - - - /usr/share/app/app.conf');
});

test("tmpfiles: deprecated 'F' and 'm' are warnings fixed to 'f+' and 'z'", () => {
  const truncate = 'F /var/lib/app/state 0644 app app - fresh';
  const found = onlyFinding('tmpfiles', truncate);
  assert.equal(found.ruleId, 'tmpfiles-invalid-line');
  assert.equal(found.severity, 'warning');
  assert.deepEqual(span(found.range), [0, 0, 1]);
  assert.equal(applyFixAndExpectClean('tmpfiles', truncate, found), 'f+ /var/lib/app/state 0644 app app - fresh');
  const adjust = 'm! /var/log/app 0750 app app';
  const mode = onlyFinding('tmpfiles', adjust);
  assert.equal(mode.severity, 'warning');
  assert.equal(applyFixAndExpectClean('tmpfiles', adjust, mode), 'z! /var/log/app 0750 app app');
});

test('tmpfiles: lines below read-only /usr are errors; /usr/local and x lines are not', () => {
  const text = 'd /usr/share/app 0755 root root -';
  const found = onlyFinding('tmpfiles', text);
  assert.equal(found.ruleId, 'tmpfiles-read-only-path');
  assert.equal(found.severity, 'error');
  assert.equal(textOf(text, found.range), '/usr/share/app');
  assert.match(found.message, /read-only on a booted bootc system/);
  assert.match(found.message, /\/var\/usrlocal/);
  assert.equal(onlyFinding('tmpfiles', 'f /lib/modules-load.d/x.conf').ruleId, 'tmpfiles-read-only-path', 'merged-/usr symlinks count');
  assert.deepEqual(lint('d /usr/local/lib/app\nx /usr/share/app\nd /usrdata'), []);
});

test('tmpfiles: /var/run is rewritten to /run', () => {
  const text = 'd /var/run/app 0755 app app -';
  const found = onlyFinding('tmpfiles', text);
  assert.equal(found.ruleId, 'tmpfiles-invalid-path');
  assert.equal(found.severity, 'warning');
  assert.equal(applyFixAndExpectClean('tmpfiles', text, found), 'd /run/app 0755 app app -');
  const lock = onlyFinding('tmpfiles', 'd /var/lock/app');
  assert.equal(applyFixAndExpectClean('tmpfiles', 'd /var/lock/app', lock), 'd /run/lock/app');
  assert.deepEqual(lint('L /var/run - - - - ../run\nL /var/lock - - - - ../run/lock\n'), [], 'systemd\'s own lines that create the links');
});

test('tmpfiles and sysusers: files like the ones systemd and distributions ship pass the checks', () => {
  const folders = [
    ['sysusers', path.join(__dirname, 'fixtures/sysusers.d')],
    ['tmpfiles', path.join(__dirname, 'fixtures/tmpfiles.d')],
    // This machine's own files too, when it has systemd.
    ['sysusers', '/usr/lib/sysusers.d'],
    ['tmpfiles', '/usr/lib/tmpfiles.d'],
  ] as const;
  let lines = 0;
  for (const [kind, folder] of folders) {
    if (!fs.existsSync(folder)) continue;
    for (const name of fs.readdirSync(folder).filter((file) => file.endsWith('.conf'))) {
      const text = fs.readFileSync(path.join(folder, name), 'utf8');
      const findings = lintCompanion(kind, text);
      assert.deepEqual(findings.map((found) => `${found.range.start.line + 1}: ${found.message}`), [], `${folder}/${name}`);
      lines += text.split('\n').filter((line) => /^\s*[^\s#]/.test(line)).length;
    }
  }
  assert.ok(lines >= 24, `only ${lines} lines checked`);
});
