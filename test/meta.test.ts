import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { rules } from '../server/src/lint/rules';

const root = path.resolve(__dirname, '..');
const shared = path.resolve(root, '../shared/bootc-rules.md');
const catalogPath = path.join(root, 'docs/catalog/bootc-rules.md');

interface CatalogRow {
  id: string;
  severity: string;
  fixable: boolean;
}

function catalogRows(): CatalogRow[] {
  const rows: CatalogRow[] = [];
  for (const line of readFileSync(catalogPath, 'utf8').split('\n')) {
    const match = /^\|\s*`([a-z0-9-]+)`\s*\|\s*([a-z]+)[^|]*\|(.*)\|([^|]*)\|\s*$/.exec(line);
    if (match) rows.push({ id: match[1], severity: match[2], fixable: match[4].includes('**fix**') });
  }
  return rows;
}

test('the catalog copy in docs/ matches the team catalog when it is beside the checkout', { skip: !existsSync(shared) && 'no ../shared/bootc-rules.md here' }, () => {
  assert.equal(readFileSync(catalogPath, 'utf8'), readFileSync(shared, 'utf8'), 'docs/catalog/bootc-rules.md is out of date: copy ../shared/bootc-rules.md');
});

test('every catalog rule is registered with its severity and fixability, and nothing else is', () => {
  const rows = catalogRows();
  assert.ok(rows.length >= 30, `parsed ${rows.length} catalog rows`);
  assert.deepEqual(rules.map((r) => r.meta.id).sort(), rows.map((r) => r.id).sort());
  for (const row of rows) {
    const rule = rules.find((r) => r.meta.id === row.id)!;
    assert.equal(rule.meta.defaultSeverity, row.severity, `${row.id}: default severity`);
    assert.equal(rule.meta.fixable, row.fixable, `${row.id}: fixable`);
  }
});

test('every rule has a documentation page, a test table and complete metadata', () => {
  const ids = new Set<string>();
  for (const { meta } of rules) {
    assert.match(meta.id, /^[a-z0-9]+(-[a-z0-9]+)*$/, 'kebab-case id');
    assert.ok(!ids.has(meta.id), `duplicate id ${meta.id}`);
    ids.add(meta.id);
    const doc = path.join(root, 'docs/rules', `${meta.id}.md`);
    assert.ok(existsSync(doc), `${meta.id}: docs/rules/${meta.id}.md exists`);
    assert.match(readFileSync(doc, 'utf8'), new RegExp(`^# ${meta.id}\\b`), `${meta.id}: doc page title`);
    const tests = path.join(root, 'test/rules', `${meta.id}.test.ts`);
    assert.ok(existsSync(tests), `${meta.id}: test/rules/${meta.id}.test.ts exists`);
    const source = readFileSync(tests, 'utf8');
    assert.match(source, /valid:\s*\[[^\]]/, `${meta.id}: has must-not-trigger cases`);
    assert.match(source, /invalid:\s*\[[^\]]/, `${meta.id}: has must-trigger cases`);
    assert.ok(meta.description.length > 10 && meta.explanation.length > 40, `${meta.id}: description and explanation`);
  }
});
