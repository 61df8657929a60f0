import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintCompanion } from '../../server/src/companion/index';
import { applyFixAndExpectClean, onlyFinding, span, textOf } from './helpers';

const lint = (text: string) => lintCompanion('sysusers', text);

test('sysusers: valid lines of every type give no finding', () => {
  const text = [
    '# comment',
    '',
    'u app - "App service" /var/lib/app /usr/sbin/nologin',
    'u! locked 1001:1001 - -',
    'u web 1002:www - /var/lib/web',
    'u svc /var/lib/svc',
    'g www 1050',
    'g data -',
    'm app www',
    'r - 500-900',
    "u quoted - 'Single quoted' /var/lib/quoted",
  ].join('\n');
  assert.deepEqual(lint(text), []);
});

test('sysusers: an upper-case type is flagged and lowered', () => {
  const text = 'U app - "App" /var/lib/app\n';
  const found = onlyFinding('sysusers', text);
  assert.equal(found.ruleId, 'sysusers-invalid-line');
  assert.deepEqual(span(found.range), [0, 0, 1]);
  assert.match(found.message, /lower case/);
  assert.equal(applyFixAndExpectClean('sysusers', text, found), 'u app - "App" /var/lib/app\n');
});

test('sysusers: an unknown type names the valid ones and offers no fix', () => {
  const found = onlyFinding('sysusers', 'x app -\n');
  assert.equal(found.ruleId, 'sysusers-invalid-line');
  assert.match(found.message, /u \(user and its group\).*g \(group\)/);
  assert.deepEqual(found.fixes, []);
});

test('sysusers: an unquoted GECOS with spaces is quoted', () => {
  const text = 'u app - App service /var/lib/app /usr/sbin/nologin';
  const found = onlyFinding('sysusers', text);
  assert.equal(found.ruleId, 'sysusers-invalid-field');
  assert.equal(textOf(text, found.range), 'App service');
  assert.match(found.message, /'service' lands in the home column/);
  assert.equal(applyFixAndExpectClean('sysusers', text, found), 'u app - "App service" /var/lib/app /usr/sbin/nologin');
});

test('sysusers: a GECOS in the ID column gets a "-" inserted before it', () => {
  const text = 'u app "App service" /var/lib/app';
  const found = onlyFinding('sysusers', text);
  assert.equal(found.ruleId, 'sysusers-invalid-id');
  assert.deepEqual(span(found.range), [0, 6, 19]);
  assert.equal(applyFixAndExpectClean('sysusers', text, found), 'u app - "App service" /var/lib/app');
});

test('sysusers: columns a group line does not take become "-"', () => {
  const text = 'g app - /var/lib/app';
  const found = onlyFinding('sysusers', text);
  assert.equal(found.ruleId, 'sysusers-invalid-field');
  assert.deepEqual(span(found.range), [0, 8, 20]);
  assert.match(found.message, /Only 'u' lines take a GECOS/);
  assert.equal(applyFixAndExpectClean('sysusers', text, found), 'g app - -');
});

test('sysusers: invalid names, ids and ranges are reported where they are written', () => {
  const cases: Array<[string, string, [number, number, number]]> = [
    ['u 1app -', 'sysusers-invalid-name', [0, 2, 6]],
    [`u ${'a'.repeat(32)} -`, 'sysusers-invalid-name', [0, 2, 34]],
    ['u app 65535', 'sysusers-invalid-id', [0, 6, 11]],
    ['u app 12:34:56', 'sysusers-invalid-id', [0, 6, 14]],
    ['g grp 1000:1000', 'sysusers-invalid-id', [0, 6, 15]],
    ['r - 900-500', 'sysusers-invalid-id', [0, 4, 11]],
    ['m app 9bad', 'sysusers-invalid-id', [0, 6, 10]],
    ['u app - "a" var/lib/app', 'sysusers-invalid-field', [0, 12, 23]],
  ];
  for (const [text, ruleId, expected] of cases) {
    const found = onlyFinding('sysusers', text);
    assert.equal(found.ruleId, ruleId, text);
    assert.deepEqual(span(found.range), expected, text);
  }
});

test("sysusers: an 'r' line with a name gets '-'", () => {
  const text = 'r app 500-900';
  const found = onlyFinding('sysusers', text);
  assert.equal(found.ruleId, 'sysusers-invalid-name');
  applyFixAndExpectClean('sysusers', text, found);
});

test('sysusers: lines missing a needed column', () => {
  assert.equal(onlyFinding('sysusers', 'u').ruleId, 'sysusers-invalid-line');
  const member = onlyFinding('sysusers', 'm app');
  assert.equal(member.ruleId, 'sysusers-invalid-line');
  assert.match(member.message, /m USER GROUP/);
  assert.equal(onlyFinding('sysusers', 'u app - "never closed').ruleId, 'sysusers-invalid-line');
});

test('sysusers: more than six columns are refused', () => {
  const text = 'u app - "A" /var/lib/app /bin/sh extra';
  const found = onlyFinding('sysusers', text);
  assert.equal(found.ruleId, 'sysusers-invalid-line');
  assert.equal(textOf(text, found.range), 'extra');
});

test('sysusers: a second declaration is a duplicate; removing it leaves nothing', () => {
  const text = 'u app - "App"\ng www -\nu app 1000\n';
  const found = onlyFinding('sysusers', text);
  assert.equal(found.ruleId, 'sysusers-duplicate');
  assert.equal(found.severity, 'warning');
  assert.deepEqual(span(found.range), [2, 2, 5]);
  assert.match(found.message, /line 1/);
  assert.equal(applyFixAndExpectClean('sysusers', text, found), 'u app - "App"\ng www -\n');
  assert.deepEqual(lint('u app -\ng app -\nm app www\nm app wheel'), [], 'a user and a group of the same name, and two memberships, are fine');
});

test('sysusers: CRLF line endings do not leak into the last column', () => {
  assert.deepEqual(lint('u app - "App" /var/lib/app /usr/sbin/nologin\r\ng www -\r\n'), []);
});

test("sysusers: a group line with text as its ID is an invalid ID, without an insert fix", () => {
  const found = onlyFinding('sysusers', 'g app admins');
  assert.equal(found.ruleId, 'sysusers-invalid-id');
  assert.deepEqual(found.fixes, []);
});
