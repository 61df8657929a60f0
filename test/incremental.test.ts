import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { Linter } from '../server/src/lint/lint';
import { generateContainerfile } from '../scripts/bench-workload';

/**
 * The editor's linter reuses work between edits (re-parses only the instruction an edit
 * touched, keeps parsed RUN scripts). Whatever it reuses, its findings must equal a fresh
 * linter's on the same text, edit after edit.
 */
test('incremental re-lints give the same findings as a fresh lint, over hundreds of random edits', async () => {
  const editor = await Linter.create();
  const fresh = await Linter.create({ cacheScripts: false });
  let seed = 7;
  const random = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 4294967296;
  };
  const fixtures = readdirSync(path.join(__dirname, 'fixtures'), { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(path.join(__dirname, 'fixtures', entry.name), 'utf8'));
  const snippets = ['x', ' ', 'a b', '\\', '\n', '#', '<<EOF', '$X', '"', "'", '&&', 'mkdir -p /var/lib/y ', 'dnf install z ', 'ENV A=1\n', 'RUN useradd u\n', '\t'];
  let checked = 0;
  for (const original of [...fixtures, generateContainerfile(150)]) {
    let text = original;
    editor.lint(text);
    for (let edit = 0; edit < 60; edit++) {
      const at = Math.floor(random() * (text.length + 1));
      // Mostly typing inside a line, sometimes deleting or breaking lines.
      const choice = random();
      if (choice < 0.6) text = text.slice(0, at) + snippets[Math.floor(random() * snippets.length)] + text.slice(at);
      else text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 4));
      const incremental = editor.lint(text);
      const expected = fresh.lint(text);
      assert.deepEqual(incremental, expected, `edit ${edit} at ${at} gives different findings:\n${text}`);
      checked++;
    }
  }
  assert.ok(checked >= 300);
});
