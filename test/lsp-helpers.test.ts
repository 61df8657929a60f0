/** The language server's pure parts: settings sanitising and the edits of its code actions. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { disableForFileEdit, disableForInstructionEdit, kindRequested, minimalEdit } from '../server/src/lsp/codeActions';
import { DEFAULT_SETTINGS, lintConfigOf, sanitizeSettings } from '../server/src/settings';

function doc(text: string): TextDocument {
  return TextDocument.create('untitled:Containerfile', 'dockerfile', 1, text);
}

function applied(text: string, edit: ReturnType<typeof minimalEdit>): string {
  assert.ok(edit, 'an edit');
  return TextDocument.applyEdits(doc(text), [edit]);
}

describe('settings', () => {
  test('missing or garbage settings are the defaults', () => {
    for (const raw of [undefined, null, 'x', 42, [], {}, { lint: 'x' }, { lint: null, trace: [] }]) {
      assert.deepEqual(sanitizeSettings(raw).settings, DEFAULT_SETTINGS);
    }
  });

  test('valid values are kept', () => {
    const raw = { lint: { enable: false, mode: 'always', rules: { 'dnf-missing-clean': 'error', 'ignored-cmd': 'off' }, bootcImages: [' corp/* '] }, trace: { server: 'verbose' } };
    const { settings, problems } = sanitizeSettings(raw);
    assert.deepEqual(settings.lint, { enable: false, mode: 'always', rules: { 'dnf-missing-clean': 'error', 'ignored-cmd': 'off' }, bootcImages: ['corp/*'] });
    assert.deepEqual(settings.trace, { server: 'verbose' });
    assert.deepEqual(problems, []);
  });

  test('disk and vm settings are kept when valid', () => {
    const raw = {
      disk: { outputFolder: ' dist/disks ', builder: 'custom', customBuilderImage: 'registry.example.com/bib:1' },
      vm: { backend: 'libvirt', memory: 4096, cpus: 4, shutdownTimeout: 5 },
    };
    const { settings, problems } = sanitizeSettings(raw);
    assert.deepEqual(problems, []);
    assert.deepEqual(settings.disk, { outputFolder: 'dist/disks', builder: 'custom', customBuilderImage: 'registry.example.com/bib:1' });
    assert.deepEqual(settings.vm, { backend: 'libvirt', memory: 4096, cpus: 4, shutdownTimeout: 5 });
  });

  test('invalid disk and vm settings fall back to defaults, each with a problem', () => {
    const raw = {
      disk: { outputFolder: '', builder: 'fedora', customBuilderImage: ['x'] },
      vm: { backend: 'virtualbox', memory: 64, cpus: 1.5, shutdownTimeout: -1 },
    };
    const { settings, problems } = sanitizeSettings(raw);
    assert.deepEqual(settings.disk, DEFAULT_SETTINGS.disk);
    assert.deepEqual(settings.vm, DEFAULT_SETTINGS.vm);
    assert.equal(problems.length, 7, problems.join('\n'));
  });

  test('invalid values fall back to defaults or are dropped, each with a problem', () => {
    const raw = { lint: { enable: 'no', mode: 'sometimes', rules: { a: 'warn', b: 'hint', c: 3 }, bootcImages: ['ok', 7, ''] }, trace: { server: true } };
    const { settings, problems } = sanitizeSettings(raw);
    assert.deepEqual(settings.lint, { enable: true, mode: 'auto', rules: { b: 'hint' }, bootcImages: ['ok'] });
    assert.deepEqual(settings.trace, { server: 'off' });
    assert.equal(problems.length, 7);
    assert.deepEqual(sanitizeSettings({ lint: { rules: [], bootcImages: {} } }).problems.length, 2);
  });

  test('podman, build and run settings are kept when valid', () => {
    const raw = {
      podman: { path: '/opt/podman/bin/podman', extraArgs: ['--connection', 'builder'], containersConf: ' /etc/ci/containers.conf ' },
      build: { contextFolder: '..', args: { VERSION: '1.2', DEBUG: true }, secrets: ['id=rhsm,src=/run/rhsm'], extraArgs: ['--pull=newer'], lintAfterBuild: false },
      run: { mode: 'systemd', shell: '/bin/sh', extraArgs: ['-p', '127.0.0.1:8080:80'] },
    };
    const { settings, problems } = sanitizeSettings(raw);
    assert.deepEqual(settings.podman, { path: '/opt/podman/bin/podman', extraArgs: ['--connection', 'builder'], containersConf: '/etc/ci/containers.conf' });
    assert.deepEqual(settings.build, { contextFolder: '..', args: { VERSION: '1.2', DEBUG: 'true' }, secrets: ['id=rhsm,src=/run/rhsm'], extraArgs: ['--pull=newer'], lintAfterBuild: false });
    assert.deepEqual(settings.run, { mode: 'systemd', shell: '/bin/sh', extraArgs: ['-p', '127.0.0.1:8080:80'] });
    assert.deepEqual(problems, []);
  });

  test('invalid podman, build and run settings fall back to defaults, each with a problem', () => {
    const raw = {
      podman: { path: '  ', extraArgs: '--root /x', containersConf: 5 },
      build: { args: { A: { nested: 1 } }, secrets: [1], extraArgs: 'x', lintAfterBuild: 'yes' },
      run: { mode: 'vm', shell: '', extraArgs: [true] },
    };
    const { settings, problems } = sanitizeSettings(raw);
    assert.deepEqual(settings.podman, DEFAULT_SETTINGS.podman);
    assert.deepEqual(settings.build, DEFAULT_SETTINGS.build);
    assert.deepEqual(settings.run, DEFAULT_SETTINGS.run);
    assert.equal(problems.length, 10, problems.join('\n'));
    assert.ok(problems.includes('bootc.run.mode must be one of ask, shell, systemd'), problems.join('\n'));
  });

  test('farm settings are kept when valid, and fall back to defaults with a problem each when not', () => {
    const valid = sanitizeSettings({ farm: { defaultFarm: 'prod', cleanup: true, local: false, platforms: ['linux/amd64', 'linux/arm64/v8'] } });
    assert.deepEqual(valid.problems, []);
    assert.deepEqual(valid.settings.farm, { defaultFarm: 'prod', cleanup: true, local: false, platforms: ['linux/amd64', 'linux/arm64/v8'] });
    const invalid = sanitizeSettings({ farm: { defaultFarm: ['x'], cleanup: 1, local: 'no', platforms: ['arm64'] } });
    assert.deepEqual(invalid.settings.farm, DEFAULT_SETTINGS.farm);
    assert.equal(invalid.problems.length, 4, invalid.problems.join('\n'));
  });

  test('only non-default editor values override the project config', () => {
    assert.deepEqual(lintConfigOf(DEFAULT_SETTINGS), {});
    const { settings } = sanitizeSettings({ lint: { mode: 'never', rules: { a: 'off' }, bootcImages: ['x*'] } });
    assert.deepEqual(lintConfigOf(settings), { mode: 'never', rules: { a: 'off' }, bootcImages: ['x*'] });
  });
});

describe('disable for this instruction', () => {
  test('inserts a comment above a multi-line instruction, with its indentation', () => {
    const text = 'FROM x\n    RUN a \\\n      && b\n';
    assert.equal(applied(text, disableForInstructionEdit(doc(text), 2, 'some-rule')), 'FROM x\n    # bootc-lint ignore=some-rule\n    RUN a \\\n      && b\n');
  });

  test('extends the ignore comment directly above', () => {
    const text = 'FROM x\n# bootc-lint ignore=a, b \nRUN a\n';
    assert.equal(applied(text, disableForInstructionEdit(doc(text), 2, 'c')), 'FROM x\n# bootc-lint ignore=a, b,c \nRUN a\n');
    assert.equal(disableForInstructionEdit(doc(text), 2, 'b'), undefined, 'already ignored');
  });

  test('an ignore comment above the first FROM is extended too', () => {
    const text = '# bootc-lint ignore=a\nFROM x\n';
    assert.equal(applied(text, disableForInstructionEdit(doc(text), 1, 'b')), '# bootc-lint ignore=a,b\nFROM x\n');
  });

  test('other comments above are left alone', () => {
    const text = 'FROM x\n# install the web server\nRUN a\n';
    assert.equal(applied(text, disableForInstructionEdit(doc(text), 2, 'c')), 'FROM x\n# install the web server\n# bootc-lint ignore=c\nRUN a\n');
  });

  test('no edit outside instructions', () => {
    assert.equal(disableForInstructionEdit(doc('# only a comment\n'), 0, 'c'), undefined);
  });
});

describe('disable for this file', () => {
  test('inserts a global ignore at the top', () => {
    const text = 'FROM x\nRUN a\n';
    assert.equal(applied(text, disableForFileEdit(doc(text), 'c')), '# bootc-lint global ignore=c\nFROM x\nRUN a\n');
  });

  test('keeps parser directives first', () => {
    const text = '# syntax=docker/dockerfile:1\n#escape=`\nFROM x\n';
    assert.equal(applied(text, disableForFileEdit(doc(text), 'c')), '# syntax=docker/dockerfile:1\n#escape=`\n# bootc-lint global ignore=c\nFROM x\n');
    const only = '# syntax=docker/dockerfile:1';
    assert.equal(applied(only, disableForFileEdit(doc(only), 'c')), '# syntax=docker/dockerfile:1\n# bootc-lint global ignore=c\n');
  });

  test('extends an existing global ignore, anywhere in the file', () => {
    const top = '# bootc-lint global ignore=a\nFROM x\n';
    assert.equal(applied(top, disableForFileEdit(doc(top), 'c')), '# bootc-lint global ignore=a,c\nFROM x\n');
    const below = 'FROM x\n# bootc-lint global ignore=a\nRUN a\n';
    assert.equal(applied(below, disableForFileEdit(doc(below), 'c')), 'FROM x\n# bootc-lint global ignore=a,c\nRUN a\n');
    assert.equal(disableForFileEdit(doc(below), 'a'), undefined);
  });
});

describe('minimal edit', () => {
  test('replaces only the changed middle', () => {
    const edit = minimalEdit(doc('FROM x\nENTRYPOINT ["/a"]\nRUN b\n'), 'FROM x\nRUN b\n');
    assert.deepEqual(edit, { range: { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } }, newText: '' });
    assert.equal(minimalEdit(doc('same'), 'same'), undefined);
  });

  test('never splits a CRLF pair', () => {
    const text = 'FROM x\r\nRUN a\r\n';
    const edit = minimalEdit(doc(text), 'FROM x\r\nRUN a\r\nRUN b\r\n');
    assert.equal(applied(text, edit), 'FROM x\r\nRUN a\r\nRUN b\r\n');
    assert.equal(applied('a\r\nb', minimalEdit(doc('a\r\nb'), 'a\nb')), 'a\nb');
  });
});

test('code action kinds match hierarchically', () => {
  assert.ok(kindRequested(undefined, 'source.fixAll.bootc'));
  assert.ok(kindRequested(['source'], 'source.fixAll.bootc'));
  assert.ok(kindRequested(['source.fixAll'], 'source.fixAll.bootc'));
  assert.ok(kindRequested(['source.fixAll.bootc'], 'source.fixAll.bootc'));
  assert.ok(!kindRequested(['source.fix'], 'source.fixAll.bootc'));
  assert.ok(!kindRequested(['quickfix'], 'source.fixAll.bootc'));
  assert.ok(!kindRequested(['source.organizeImports'], 'source.fixAll.bootc'));
});
