/**
 * The README's rules table, generated from the registry so it cannot drift:
 * `node --import tsx scripts/rules-table.ts --write` rewrites the block between the markers;
 * test/readme.test.ts fails when it is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { rules } from '../server/src/lint/rules';

export const START = '<!-- rules:start -->';
export const END = '<!-- rules:end -->';

export function rulesTable(): string {
  const rows = rules.map(({ meta }) => `| [\`${meta.id}\`](docs/rules/${meta.id}.md) | ${meta.defaultSeverity} | ${meta.fixable ? 'yes' : ''} | ${meta.description.replace(/\|/g, '\\|')} |`);
  return ['| rule | default severity | quick fix | what it catches |', '|---|---|---|---|', ...rows].join('\n');
}

export function withTable(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md lacks the ${START} ... ${END} markers`);
  return `${readme.slice(0, start + START.length)}\n${rulesTable()}\n${readme.slice(end)}`;
}

if (require.main === module && process.argv.includes('--write')) {
  const file = path.join(__dirname, '..', 'README.md');
  writeFileSync(file, withTable(readFileSync(file, 'utf8')));
}
