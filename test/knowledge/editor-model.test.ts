// The per-version parse cache behind hover and completion, and which documents the server
// treats as Containerfiles, companion files or neither.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { EditorModels } from '../../server/src/lsp/editorModel';
import { classifyDocument, documentPath } from '../../server/src/lsp/documents';
import { loadShellParser } from '../../server/src/lint/shell/parser';

before(async () => {
  await loadShellParser();
});

test('EditorModels parses a document version once, again for a new version or text, and forgets closed documents', () => {
  const models = new EditorModels();
  const text = 'FROM quay.io/fedora/fedora-bootc:44\nRUN dnf -y install httpd && dnf clean all\n';
  const first = models.get('file:///a/Containerfile', 1, text);
  assert.equal(models.get('file:///a/Containerfile', 1, text), first, 'same version: the same model');
  const second = models.get('file:///a/Containerfile', 2, `${text}RUN bootc container lint\n`);
  assert.notEqual(second, first);
  assert.equal(second.instructions.length, 3);
  assert.notEqual(models.get('file:///a/Containerfile', 2, text), second, 'a reused version number with other text is parsed again');
  models.get('file:///b/Containerfile', 1, text);
  assert.equal(models.size, 2);
  models.delete('file:///a/Containerfile');
  assert.equal(models.size, 1);
});

test('classifyDocument: companion files by path and content, Containerfiles otherwise, other tools\' configs left alone', () => {
  assert.deepEqual(classifyDocument('file:///p/Containerfile', 'dockerfile', 'FROM x'), { type: 'containerfile' });
  assert.deepEqual(classifyDocument('untitled:Untitled-1', 'dockerfile', ''), { type: 'containerfile' });
  assert.deepEqual(classifyDocument('file:///p/usr/lib/sysusers.d/app.conf', 'sysusers', ''), { type: 'companion', kind: 'sysusers' });
  assert.deepEqual(classifyDocument('file:///p/tmpfiles.d/app.conf', 'plaintext', ''), { type: 'companion', kind: 'tmpfiles' });
  assert.deepEqual(classifyDocument('file:///p/kargs.d/10-a.toml', 'toml', ''), { type: 'companion', kind: 'kargs' });
  assert.deepEqual(classifyDocument('file:///p/config.toml', 'toml', '[customizations.kernel]\n'), { type: 'companion', kind: 'bib-config-toml' });
  assert.deepEqual(classifyDocument('file:///p/config.json', 'json', '{"customizations": {}}'), { type: 'companion', kind: 'bib-config-json' });
  assert.deepEqual(classifyDocument('file:///p/config.json', 'json', '{"compilerOptions": {}}'), { type: 'other' });
  assert.deepEqual(classifyDocument('file:///p/config.toml', 'dockerfile', 'FROM x'), { type: 'other' }, 'a config.toml is never a Containerfile');
  assert.deepEqual(classifyDocument('file:///p/Containerfile.json', 'json', 'FROM x'), { type: 'other' });
  assert.equal(documentPath('file:///p/my%20project/sysusers.d/a.conf'), '/p/my project/sysusers.d/a.conf');
});
