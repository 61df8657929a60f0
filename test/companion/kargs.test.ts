import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintCompanion } from '../../server/src/companion/index';
import { applyFixAndExpectClean, onlyFinding, span, textOf } from './helpers';

const lint = (text: string) => lintCompanion('kargs', text);

test('kargs: kargs with or without match-architectures is valid', () => {
  assert.deepEqual(lint('kargs = ["mitigations=auto,nosmt"]\n'), []);
  assert.deepEqual(lint('# console on the serial port\nkargs = ["console=ttyS0,115200n8"]\nmatch-architectures = ["x86_64", "aarch64", "s390x", "ppc64le", "powerpc64", "riscv64"]\n'), []);
  assert.deepEqual(lint('kargs = []\n'), []);
});

test('kargs: every finding uses the Containerfile rule id kargs-toml', () => {
  for (const text of ['kargs = "quiet"', 'karg = ["quiet"]', 'match-architectures = ["x86_64"]', 'kargs = [', 'kargs = [1]']) {
    for (const found of lint(text)) assert.equal(found.ruleId, 'kargs-toml', text);
    assert.ok(lint(text).length > 0, text);
  }
});

test('kargs: a misspelt key is renamed', () => {
  const text = 'kargs = ["quiet"]\nmatch_architectures = ["x86_64"]\n';
  const found = onlyFinding('kargs', text);
  assert.deepEqual(span(found.range), [1, 0, 19]);
  assert.match(found.message, /Did you mean 'match-architectures'/);
  applyFixAndExpectClean('kargs', text, found);
  const karg = onlyFinding('kargs', 'karg = ["quiet"]\n');
  assert.equal(applyFixAndExpectClean('kargs', 'karg = ["quiet"]\n', karg), 'kargs = ["quiet"]\n');
});

test('kargs: an unknown key without a near match, and missing kargs', () => {
  const findings = lint('match-architectures = ["x86_64"]\nrootflags = "x"\n');
  assert.deepEqual(findings.map((found) => found.message.match(/'rootflags'|needs `kargs`/)?.[0]), ['needs `kargs`', "'rootflags'"]);
  assert.deepEqual(span(findings[1].range), [1, 0, 9]);
});

test('kargs: a string becomes a list of arguments', () => {
  const text = 'kargs = "console=ttyS0 quiet"\n';
  const found = onlyFinding('kargs', text);
  assert.equal(textOf(text, found.range), '"console=ttyS0 quiet"');
  assert.equal(applyFixAndExpectClean('kargs', text, found), 'kargs = ["console=ttyS0", "quiet"]\n');
});

test('kargs: container-platform and Debian architecture names are replaced by kernel names', () => {
  const text = 'kargs = ["quiet"]\nmatch-architectures = ["x86_64", "ppc64el"]\n';
  const found = onlyFinding('kargs', text);
  assert.deepEqual(span(found.range), [1, 33, 42]);
  assert.match(found.message, /never matches/);
  assert.equal(applyFixAndExpectClean('kargs', text, found), 'kargs = ["quiet"]\nmatch-architectures = ["x86_64", "ppc64le"]\n');
  const amd = 'kargs = ["quiet"]\nmatch-architectures = ["amd64"]\n';
  assert.match(applyFixAndExpectClean('kargs', amd, onlyFinding('kargs', amd)), /"x86_64"/);
});

test('kargs: a TOML syntax error is placed where smol-toml stops', () => {
  const found = onlyFinding('kargs', 'kargs = ["quiet"\n');
  assert.match(found.message, /not valid TOML/);
  assert.deepEqual(found.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, 'the end of the file, where the list is still open');
  const garbage = onlyFinding('kargs', 'kargs = ["quiet"]\nthis is not toml\n');
  assert.equal(garbage.range.start.line, 1);
  assert.deepEqual(found.fixes, []);
});
