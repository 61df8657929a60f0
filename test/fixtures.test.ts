import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { linter } from './helpers/lint';

/**
 * Fixture Containerfiles with expectations written inline: `# expect: <id>[, <id>]` on the
 * comment lines above an instruction lists exactly the findings that instruction must have;
 * `# expect-none` anywhere means the file must be clean. Any finding not expected fails.
 */
const dir = path.join(__dirname, 'fixtures');

for (const name of readdirSync(dir).filter((f) => /\.(Containerfile|Dockerfile)$/.test(f))) {
  test(`fixture ${name}`, async () => {
    const text = readFileSync(path.join(dir, name), 'utf8');
    const lines = text.split('\n');
    const expected: string[] = [];
    let pending: string[] = [];
    lines.forEach((line, index) => {
      const match = /^\s*#\s*expect:\s*(.+)$/.exec(line);
      if (match) pending.push(...match[1].split(',').map((s) => s.trim()));
      else if (/^\s*[A-Za-z]/.test(line) && pending.length > 0) {
        for (const id of pending) expected.push(`${index + 1} ${id}`);
        pending = [];
      }
    });
    const result = (await linter()).lint(text, { readContextFile: () => undefined });
    // A finding belongs to the instruction whose first line is at or above it.
    const starts = lines.map((l, i) => (/^[A-Za-z]/.test(l) && !/^\s*#/.test(l) ? i + 1 : 0)).filter(Boolean);
    const actual = result.findings.map((f) => {
      const line = f.range.start.line + 1;
      const owner = [...starts].reverse().find((s) => s <= line) ?? line;
      return `${owner} ${f.ruleId}`;
    });
    if (text.includes('# expect-none')) assert.deepEqual(actual, [], `${name} should be clean`);
    assert.deepEqual(actual.sort(), expected.sort(), `${name}: findings (line rule)`);
  });
}
