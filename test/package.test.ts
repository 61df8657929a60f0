/**
 * `npm run package` produces a .vsix that holds what the installed extension needs and
 * nothing else (no sources, no node_modules, no source maps, no tests).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { ROOT, withBuildLock } from './helpers/build';

/** Names of the entries of a zip file, read from its central directory. */
export function zipEntries(zip: Buffer): string[] {
  const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
  const CENTRAL_FILE_HEADER = 0x02014b50;
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== END_OF_CENTRAL_DIRECTORY) end--;
  assert.ok(end >= 0, 'not a zip file');
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(offset), CENTRAL_FILE_HEADER, 'corrupt central directory');
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    names.push(zip.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

let entries: string[] = [];

before(async () => {
  await withBuildLock(() => {
    // npm prints "npm warn" lines on stderr; only a failure matters.
    execFileSync('npm', ['run', 'package'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], timeout: 240_000 });
  });
  entries = zipEntries(readFileSync(path.join(ROOT, 'vscode-bootc.vsix')));
});

test('the .vsix holds the manifest, the bundles, the wasm files and the rule pages', () => {
  for (const required of [
    'extension/package.json',
    'extension/LICENSE.txt',
    'extension/client/out/extension.js',
    'extension/server/out/server.js',
    'extension/server/out/web-tree-sitter.wasm',
    'extension/server/out/tree-sitter-bash.wasm',
  ]) {
    assert.ok(entries.includes(required), `${required} missing from ${entries.join(', ')}`);
  }
  const pages = readdirSync(path.join(ROOT, 'docs', 'rules')).filter((f) => f.endsWith('.md'));
  assert.ok(pages.length > 0);
  for (const page of pages) assert.ok(entries.includes(`extension/docs/rules/${page}`), `docs/rules/${page} missing`);
});

test('the .vsix holds the companion-file docs, grammars, snippets, templates and walkthrough pages', () => {
  const shipped = (folder: string): string[] => {
    const files: string[] = [];
    const visit = (relative: string) => {
      for (const entry of readdirSync(path.join(ROOT, relative), { withFileTypes: true })) {
        const child = `${relative}/${entry.name}`;
        if (entry.isDirectory()) visit(child);
        else files.push(child);
      }
    };
    visit(folder);
    return files;
  };
  const required = ['docs/companion-files.md', ...shipped('syntaxes'), ...shipped('snippets'), ...shipped('templates'), ...shipped('media/walkthrough')];
  assert.ok(required.some((file) => file.endsWith('/.containerignore')), 'the templates have dotfiles');
  for (const file of required) assert.ok(entries.includes(`extension/${file}`), `${file} missing`);
});

test('the .vsix holds no sources, dependencies, source maps or tests', () => {
  const unwanted = entries.filter(
    (e) => /\.(ts|map|mjs)$/.test(e) || e.includes('node_modules/') || e.startsWith('extension/test/') || e.includes('/src/') || e.startsWith('extension/scripts/') || e.endsWith('.gitkeep'),
  );
  assert.deepEqual(unwanted, []);
  const allowed = /^(\[Content_Types\]\.xml|extension\.vsixmanifest|extension\/(package\.json|readme\.md|README\.md|LICENSE\.txt|changelog\.md|CHANGELOG\.md|client\/out\/[^/]+\.js|server\/out\/[^/]+\.(js|wasm)|docs\/.+|syntaxes\/.+|snippets\/.+|templates\/.+|media\/walkthrough\/.+))$/;
  assert.deepEqual(entries.filter((e) => !allowed.test(e)), []);
});
