import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { withTable } from '../scripts/rules-table';

const root = path.resolve(__dirname, '..');

test('the README rules table matches the registry (regenerate: node --import tsx scripts/rules-table.ts --write)', () => {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  assert.equal(readme, withTable(readme));
});

test('the README opens with the two commands and .ci/run runs exactly the test command', () => {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```(?:sh|bash)\n([\s\S]*?)```/g)].map((m) => m[1].trim());
  assert.ok(blocks.length >= 2, 'two command blocks');
  const ci = readFileSync(path.join(root, '.ci/run'), 'utf8');
  assert.ok(ci.includes(blocks[1]), `.ci/run runs the README's test command: ${blocks[1]}`);
  assert.ok(readme.indexOf(blocks[0]) < readme.indexOf('## '), 'the commands come before the first section');
});
