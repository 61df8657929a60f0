import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { CONFIG_FILE_NAME, findProjectConfig, loadConfigFile, mergeConfig, parseConfig, ProjectConfigCache, validateConfig } from '../server/src/config';
import { removeTree, tempTree } from './helpers/cli';

/** The project config file (`.bootc-lint.json`) shared by the CLI and the language server. */

const dirs: string[] = [];
function tree(files: Record<string, string>): string {
  const dir = tempTree(files);
  dirs.push(dir);
  return dir;
}
after(() => dirs.forEach(removeTree));

test('findProjectConfig returns the nearest file walking up, or undefined', () => {
  const dir = tree({ [CONFIG_FILE_NAME]: '{}', [`a/b/${CONFIG_FILE_NAME}`]: '{}', 'a/b/c/d/Containerfile': '', 'x/Containerfile': '' });
  assert.equal(findProjectConfig(path.join(dir, 'a/b/c/d')), path.join(dir, 'a/b', CONFIG_FILE_NAME));
  assert.equal(findProjectConfig(path.join(dir, 'a/b')), path.join(dir, 'a/b', CONFIG_FILE_NAME));
  assert.equal(findProjectConfig(path.join(dir, 'a')), path.join(dir, CONFIG_FILE_NAME));
  assert.equal(findProjectConfig(path.join(dir, 'x')), path.join(dir, CONFIG_FILE_NAME));
  const none = tree({ 'sub/Containerfile': '' });
  const found = findProjectConfig(path.join(none, 'sub'));
  assert.ok(found === undefined || !found.startsWith(none), 'nothing inside a tree without a config');
});

test('findProjectConfig ignores a directory of that name', () => {
  const dir = tree({ [`${CONFIG_FILE_NAME}/placeholder`]: '', [`inner/${CONFIG_FILE_NAME}/x`]: '', 'inner/Containerfile': '' });
  const found = findProjectConfig(path.join(dir, 'inner'));
  assert.ok(found === undefined || !found.startsWith(dir));
});

test('loadConfigFile reads a valid file', () => {
  const dir = tree({
    [CONFIG_FILE_NAME]: `\uFEFF${JSON.stringify({
      $schema: 'https://example.com/schema.json',
      mode: 'always',
      rules: { 'ignored-entrypoint': 'error' },
      bootcImages: ['corp.example.com/soe*', ' registry.local/**/os '],
    })}`,
  });
  assert.deepEqual(loadConfigFile(path.join(dir, CONFIG_FILE_NAME)), {
    config: { mode: 'always', rules: { 'ignored-entrypoint': 'error' }, bootcImages: ['corp.example.com/soe*', 'registry.local/**/os'] },
    errors: [],
  });
});

test('every severity and "off" are accepted', () => {
  for (const severity of ['error', 'warning', 'info', 'hint', 'off']) {
    assert.deepEqual(validateConfig({ rules: { 'ignored-entrypoint': severity } }, 'cfg'), { config: { rules: { 'ignored-entrypoint': severity } }, errors: [] });
  }
});

test('problems name the file and the key, and the valid part is kept', () => {
  const { config, errors } = parseConfig(
    JSON.stringify({
      mode: 'sometimes',
      rules: { 'ignored-entrypoint': 'warning', 'no-such-rule': 'error', 'ignored-cmd-typo': 'off' },
      bootcImages: ['ok/*', 3, ''],
      severity: 'error',
    }),
    '/p/.bootc-lint.json',
  );
  assert.deepEqual(config, { rules: { 'ignored-entrypoint': 'warning' }, bootcImages: ['ok/*'] });
  assert.equal(errors.length, 6, errors.join('\n'));
  for (const error of errors) assert.ok(error.startsWith('/p/.bootc-lint.json: "'), error);
  assert.ok(errors.some((e) => /"mode": must be one of "auto", "always", "never", not "sometimes"/.test(e)));
  assert.ok(errors.some((e) => /"rules\.no-such-rule": unknown rule id/.test(e)));
  assert.ok(errors.some((e) => /"bootcImages\[1\]"/.test(e)));
  assert.ok(errors.some((e) => /"bootcImages\[2\]"/.test(e)));
  assert.ok(errors.some((e) => /"severity": unknown key/.test(e)));
});

test('a bad severity is an error', () => {
  const { errors } = validateConfig({ rules: { 'ignored-entrypoint': 'Error' } }, 'f.json');
  assert.match(errors[0], /^f\.json: "rules\.ignored-entrypoint": severity must be one of .*not "Error"$/);
  assert.match(validateConfig({ rules: { 'ignored-entrypoint': 2 } }, 'f.json').errors[0], /not 2$/);
});

test('wrong shapes are errors', () => {
  for (const value of [null, [], 'auto', 3]) assert.match(validateConfig(value, 'f.json').errors[0], /^f\.json: expected a JSON object/);
  assert.match(validateConfig({ rules: [] }, 'f.json').errors[0], /"rules": must be an object/);
  assert.match(validateConfig({ rules: 'off' }, 'f.json').errors[0], /"rules": must be an object/);
  assert.match(validateConfig({ bootcImages: 'corp/*' }, 'f.json').errors[0], /"bootcImages": must be an array/);
  assert.match(validateConfig({ mode: null }, 'f.json').errors[0], /"mode": must be one of/);
});

test('invalid JSON, a missing file and a directory are reported, never thrown', () => {
  const dir = tree({ 'bad.json': '{"rules": {', 'empty.json': '', 'sub/x': '' });
  assert.match(loadConfigFile(path.join(dir, 'bad.json')).errors[0], /bad\.json: invalid JSON: /);
  assert.match(loadConfigFile(path.join(dir, 'empty.json')).errors[0], /empty\.json: invalid JSON: /);
  assert.match(loadConfigFile(path.join(dir, 'nope.json')).errors[0], /nope\.json: cannot read: no such file/);
  assert.match(loadConfigFile(path.join(dir, 'sub')).errors[0], /sub: not a regular file/);
  for (const file of ['bad.json', 'nope.json', 'sub']) assert.deepEqual(loadConfigFile(path.join(dir, file)).config, {});
});

test('mergeConfig: the overlay wins per key, image patterns combine, inputs are not modified', () => {
  const base = { mode: 'never' as const, rules: { 'ignored-entrypoint': 'error' as const, 'ignored-cmd': 'off' as const }, bootcImages: ['a/*', 'b/*'] };
  const overlay = { rules: { 'ignored-cmd': 'info' as const }, bootcImages: ['b/*', 'c/*'] };
  const baseCopy = structuredClone(base);
  const overlayCopy = structuredClone(overlay);
  assert.deepEqual(mergeConfig(base, overlay), { mode: 'never', rules: { 'ignored-entrypoint': 'error', 'ignored-cmd': 'info' }, bootcImages: ['a/*', 'b/*', 'c/*'] });
  assert.deepEqual(mergeConfig(base, { mode: 'always' }).mode, 'always');
  assert.deepEqual(base, baseCopy);
  assert.deepEqual(overlay, overlayCopy);
  assert.deepEqual(mergeConfig(undefined, undefined), {});
  assert.deepEqual(mergeConfig({}, { mode: 'auto' }), { mode: 'auto' });
  assert.deepEqual(mergeConfig(base, undefined), base);
  assert.notEqual(mergeConfig(base, undefined).rules, base.rules, 'a copy, not the same object');
});

test('ProjectConfigCache finds and loads once per folder and file', () => {
  const dir = tree({ [CONFIG_FILE_NAME]: '{"mode": "always"}', 'a/Containerfile': '', 'b/c/Containerfile': '' });
  const cache = new ProjectConfigCache();
  const first = cache.lookup(path.join(dir, 'a'));
  assert.equal(first.file, path.join(dir, CONFIG_FILE_NAME));
  assert.deepEqual(first.loaded, { config: { mode: 'always' }, errors: [] });
  fs.writeFileSync(path.join(dir, CONFIG_FILE_NAME), '{"mode": "never"}');
  assert.equal(cache.lookup(path.join(dir, 'b/c')).loaded, first.loaded, 'the same loaded object: read once per run');
  assert.deepEqual(new ProjectConfigCache().lookup(path.join(dir, 'b/c')).loaded.config, { mode: 'never' }, 'a new cache reads again');
});
