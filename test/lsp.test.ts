/**
 * Talks JSON-RPC over stdio to the bundled language server (`node server/out/server.js
 * --stdio`), as an editor would.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic, Hover, MarkupContent, TextEdit } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ruleById } from '../server/src/lint';
import { acquireBuildLock, build } from './helpers/build';
import { LspClient } from './helpers/lsp';

const BOOTC = `FROM quay.io/fedora/fedora-bootc:42
# the application
RUN dnf -y install httpd && dnf clean all
ENTRYPOINT ["/usr/sbin/httpd", "-DFOREGROUND"]
RUN bootc container lint
`;

const APP = `FROM node:20
WORKDIR /app
COPY package*.json ./
RUN npm ci --omit=dev
COPY . .
EXPOSE 3000
USER node
ENTRYPOINT ["node", "server.js"]
`;

let client: LspClient;
let release: () => void;
let counter = 0;
const texts = new Map<string, string>();

function uniqueUri(): string {
  return `untitled:Containerfile-${++counter}`;
}

async function open(text: string, uri = uniqueUri()): Promise<{ uri: string; diagnostics: Diagnostic[] }> {
  texts.set(uri, text);
  const published = await client.open(uri, text);
  return { uri, diagnostics: published.diagnostics };
}

async function replaceText(uri: string, text: string): Promise<Diagnostic[]> {
  texts.set(uri, text);
  return (await client.change(uri, text)).diagnostics;
}

function withCode(diagnostics: Diagnostic[], code: string): Diagnostic[] {
  return diagnostics.filter((d) => d.code === code);
}

function codeActions(uri: string, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
  const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return client.request('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics, only } });
}

/** The edits of a code action for `uri` (documentChanges, as the test client advertises). */
function editsOf(action: CodeAction, uri: string): TextEdit[] {
  assert.ok(action.edit?.documentChanges, `action "${action.title}" has no documentChanges`);
  const change = action.edit.documentChanges[0] as { textDocument: { uri: string; version: number }; edits: TextEdit[] };
  assert.equal(change.textDocument.uri, uri);
  assert.equal(change.textDocument.version, client.version(uri));
  return change.edits;
}

/** Applies a code action's edit as the editor would and returns the new diagnostics. */
async function apply(action: CodeAction, uri: string): Promise<{ text: string; diagnostics: Diagnostic[] }> {
  const text = TextDocument.applyEdits(TextDocument.create(uri, 'dockerfile', 1, texts.get(uri)!), editsOf(action, uri));
  return { text, diagnostics: await replaceText(uri, text) };
}

before(async () => {
  release = await acquireBuildLock();
  build();
  client = await LspClient.start();
});

after(async () => {
  await client?.stop();
  release?.();
});

describe('diagnostics', () => {
  test('a bootc Containerfile gets diagnostics with rule id, source, severity and a docs link', async () => {
    const { diagnostics } = await open(BOOTC);
    const [entrypoint] = withCode(diagnostics, 'ignored-entrypoint');
    assert.ok(entrypoint, JSON.stringify(diagnostics));
    assert.equal(entrypoint.source, 'bootc');
    assert.equal(entrypoint.severity, 2);
    assert.deepEqual(entrypoint.range, { start: { line: 3, character: 0 }, end: { line: 3, character: 46 } });
    assert.match(entrypoint.message as string, /ENTRYPOINT/);
    for (const diagnostic of diagnostics) {
      assert.equal(diagnostic.source, 'bootc');
      assert.equal(typeof diagnostic.code, 'string');
      assert.ok(ruleById(diagnostic.code as string), `unknown rule ${diagnostic.code}`);
      if (!diagnostic.codeDescription) continue;
      const file = fileURLToPath(diagnostic.codeDescription.href);
      assert.ok(existsSync(file), `${file} does not exist`);
      assert.equal(path.basename(file), `${diagnostic.code}.md`);
    }
    assert.ok(entrypoint.codeDescription, 'ignored-entrypoint has a docs page');
  });

  test('a plain app Dockerfile gets no diagnostics', async () => {
    const { diagnostics } = await open(APP);
    assert.deepEqual(diagnostics, []);
  });

  test('an edit is linted again, and a burst of edits ends with the newest version', async () => {
    const { uri, diagnostics } = await open(BOOTC);
    assert.equal(withCode(diagnostics, 'ignored-entrypoint').length, 1);
    // 20 incremental edits sent without waiting: the final diagnostics belong to the last one.
    let version = 0;
    for (let i = 0; i < 20; i++) {
      version = await client.sendChange(uri, [{ range: { start: { line: 1, character: 17 }, end: { line: 1, character: 17 } }, text: 'x' }]);
    }
    const published = await client.waitForDiagnostics(uri, version);
    assert.equal(published.version, version);
    assert.equal(withCode(published.diagnostics, 'ignored-entrypoint').length, 1);
    texts.set(uri, BOOTC.replace('# the application', `# the application${'x'.repeat(20)}`));
    const removed = await replaceText(uri, texts.get(uri)!.replace(/^ENTRYPOINT.*\n/m, ''));
    assert.deepEqual(withCode(removed, 'ignored-entrypoint'), []);
  });

  test('closing a document clears its diagnostics', async () => {
    const { uri } = await open(BOOTC);
    const cleared = client.waitForDiagnostics(uri);
    await client.close(uri);
    assert.deepEqual((await cleared).diagnostics, []);
  });

  test('garbage and binary text do not crash the server', async () => {
    const garbage = [
      '\u0000\u0001\u0002\uFFFD\uD800 binary \u0000'.repeat(200),
      'FROM quay.io/fedora/fedora-bootc:42\nRUN $(( ((( "\'`\nRUN <<EOF\nunterminated\nCOPY <<A <<B /x\n\\\n',
      'FROM quay.io/fedora/fedora-bootc:42\nRUN bash -c "sh -c \\"bash -c \'\\\\"\'"\\\nENTRYPOINT',
      `FROM quay.io/fedora/fedora-bootc:42\nRUN ${'echo a && '.repeat(2000)}true\n${'\\\n'.repeat(500)}`,
      'FROM\nFROM AS\nARG\nENV =\nLABEL ="\nCOPY --from= \nRUN --mount=type=\nWORKDIR\n',
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1'),
    ];
    for (const text of garbage) {
      const { diagnostics } = await open(text);
      assert.ok(Array.isArray(diagnostics));
    }
    assert.ok(client.alive);
    const { diagnostics } = await open(BOOTC);
    assert.equal(withCode(diagnostics, 'ignored-entrypoint').length, 1, 'still answering after garbage');
  });
});

describe('code actions', () => {
  test('the quick fix of a finding removes it', async () => {
    const { uri, diagnostics } = await open(BOOTC);
    const target = withCode(diagnostics, 'ignored-entrypoint');
    const actions = await codeActions(uri, target);
    const titles = actions.map((a) => a.title);
    const fix = actions.find((a) => a.isPreferred);
    assert.ok(fix, `no preferred fix among ${titles.join(' | ')}`);
    assert.equal(fix.kind, 'quickfix');
    assert.deepEqual(fix.diagnostics, target);
    assert.ok(titles.includes('Disable ignored-entrypoint for this instruction'));
    assert.ok(titles.includes('Disable ignored-entrypoint for this file'));
    const docs = actions.find((a) => a.title === 'Show documentation for ignored-entrypoint');
    assert.equal(docs?.command?.command, 'bootc.showRuleDocumentation');
    assert.ok(existsSync(fileURLToPath(docs.command!.arguments![0] as string)));

    const { text, diagnostics: after } = await apply(fix, uri);
    assert.doesNotMatch(text, /ENTRYPOINT/);
    assert.deepEqual(withCode(after, 'ignored-entrypoint'), []);
  });

  test('diagnostics of other sources or unknown versions get no actions', async () => {
    const { uri, diagnostics } = await open(BOOTC);
    const [entrypoint] = withCode(diagnostics, 'ignored-entrypoint');
    assert.deepEqual(await codeActions(uri, [{ ...entrypoint, source: 'hadolint' }], ['quickfix']), []);
    const moved = { ...entrypoint, range: { start: { line: 2, character: 0 }, end: { line: 2, character: 5 } } };
    const actions = await codeActions(uri, [moved], ['quickfix']);
    assert.ok(!actions.some((a) => a.isPreferred), 'no fix for a range that was not reported');
  });

  test('"disable for this instruction" inserts an ignore comment with the indentation', async () => {
    const { uri, diagnostics } = await open(BOOTC.replace('ENTRYPOINT', '  ENTRYPOINT'));
    const actions = await codeActions(uri, withCode(diagnostics, 'ignored-entrypoint'));
    const disable = actions.find((a) => a.title === 'Disable ignored-entrypoint for this instruction')!;
    const { text, diagnostics: after } = await apply(disable, uri);
    assert.match(text, /\n {2}# bootc-lint ignore=ignored-entrypoint\n {2}ENTRYPOINT/);
    assert.deepEqual(withCode(after, 'ignored-entrypoint'), []);
  });

  test('"disable for this instruction" extends an ignore comment directly above', async () => {
    const { uri, diagnostics } = await open(BOOTC.replace('ENTRYPOINT', '# bootc-lint ignore=ignored-cmd\nENTRYPOINT'));
    const actions = await codeActions(uri, withCode(diagnostics, 'ignored-entrypoint'));
    const disable = actions.find((a) => a.title === 'Disable ignored-entrypoint for this instruction')!;
    const { text, diagnostics: after } = await apply(disable, uri);
    assert.match(text, /\n# bootc-lint ignore=ignored-cmd,ignored-entrypoint\nENTRYPOINT/);
    assert.deepEqual(withCode(after, 'ignored-entrypoint'), []);
  });

  test('"disable for this file" inserts a global ignore after the parser directives', async () => {
    const { uri, diagnostics } = await open(`# syntax=docker/dockerfile:1\n# escape=\\\n${BOOTC}`);
    const actions = await codeActions(uri, withCode(diagnostics, 'ignored-entrypoint'));
    const disable = actions.find((a) => a.title === 'Disable ignored-entrypoint for this file')!;
    const { text, diagnostics: after } = await apply(disable, uri);
    assert.ok(text.startsWith('# syntax=docker/dockerfile:1\n# escape=\\\n# bootc-lint global ignore=ignored-entrypoint\nFROM '), text);
    assert.deepEqual(withCode(after, 'ignored-entrypoint'), []);
  });

  test('source.fixAll.bootc applies every fix, for editor.codeActionsOnSave', async () => {
    const text = BOOTC.replace('RUN bootc container lint\n', '');
    const { uri, diagnostics } = await open(text);
    assert.equal(withCode(diagnostics, 'ignored-entrypoint').length, 1);
    assert.deepEqual(await codeActions(uri, [], ['quickfix']), [], 'no fix-all action when quick fixes are asked for');
    assert.deepEqual(await codeActions(uri, []), [], 'no fix-all action on a cursor move (no kind asked for)');
    const actions = await codeActions(uri, [], ['source.fixAll']);
    assert.equal(actions.length, 1, JSON.stringify(actions));
    assert.equal(actions[0].kind, 'source.fixAll.bootc');
    const { diagnostics: after } = await apply(actions[0], uri);
    assert.deepEqual(withCode(after, 'ignored-entrypoint'), []);
    assert.ok(after.length < diagnostics.length);
    assert.deepEqual(await codeActions(uri, [], ['source.fixAll.bootc']), [], 'nothing left to fix');
  });
});

describe('hover', () => {
  test('hovering a flagged range shows the rule explanation, severity and docs link', async () => {
    const { uri } = await open(BOOTC);
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 4 } });
    assert.ok(hover);
    const value = (hover.contents as MarkupContent).value;
    assert.equal((hover.contents as MarkupContent).kind, 'markdown');
    assert.ok(value.includes(ruleById('ignored-entrypoint')!.meta.explanation), value);
    assert.match(value, /ignored-entrypoint/);
    assert.match(value, /warning/);
    assert.match(value, /\(file:\/\/[^)]*docs\/rules\/ignored-entrypoint\.md\)/);
  });

  test('hovering an unflagged line shows nothing', async () => {
    const { uri } = await open(BOOTC);
    assert.equal(await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 3 } }), null);
  });
});

describe('settings', () => {
  let dir: string;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'bootc-lsp-'));
  });

  after(async () => {
    client.settings = () => ({});
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    rmSync(dir, { recursive: true, force: true });
  });

  /** Sets the editor settings and returns the document's diagnostics linted with them. */
  async function reconfigure(uri: string, settings: unknown): Promise<Diagnostic[]> {
    client.settings = () => settings;
    const published = client.waitForDiagnostics(uri, client.version(uri));
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    return (await published).diagnostics;
  }

  test('per-rule severities, enable, mode and bootc images apply when settings change', async () => {
    const { uri } = await open(BOOTC);
    assert.deepEqual(withCode(await reconfigure(uri, { lint: { rules: { 'ignored-entrypoint': 'off' } } }), 'ignored-entrypoint'), []);
    assert.equal(withCode(await reconfigure(uri, { lint: { rules: { 'ignored-entrypoint': 'error' } } }), 'ignored-entrypoint')[0]?.severity, 1);
    assert.deepEqual(await reconfigure(uri, { lint: { enable: false } }), []);
    assert.deepEqual(await reconfigure(uri, { lint: { mode: 'never' } }), []);
    assert.equal(withCode(await reconfigure(uri, {}), 'ignored-entrypoint')[0]?.severity, 2);

    const app = (await open(APP)).uri;
    assert.equal(withCode(await reconfigure(app, { lint: { mode: 'always' } }), 'ignored-entrypoint').length, 1);
    const corp = (await open('FROM corp.example.com/soe:latest\nENTRYPOINT ["/x"]\n')).uri;
    assert.equal(withCode(await reconfigure(corp, { lint: { bootcImages: ['corp.example.com/soe*'] } }), 'ignored-entrypoint').length, 1);
  });

  test('invalid settings fall back to the defaults', async () => {
    const { uri } = await open(BOOTC);
    const settings = { lint: { enable: 'yes', mode: 42, rules: { 'ignored-entrypoint': 'loud' }, bootcImages: 'x' }, trace: { server: 1 } };
    assert.equal(withCode(await reconfigure(uri, settings), 'ignored-entrypoint')[0]?.severity, 2);
    assert.equal(withCode(await reconfigure(uri, 'garbage'), 'ignored-entrypoint')[0]?.severity, 2);
    assert.ok(client.logs.some((l) => l.includes('bootc.lint.mode')), 'invalid settings are logged');
  });

  test('the project .bootc-lint.json applies, with the editor settings on top', async () => {
    writeFileSync(path.join(dir, '.bootc-lint.json'), JSON.stringify({ rules: { 'ignored-entrypoint': 'off' } }));
    const uri = pathToFileURL(path.join(dir, 'Containerfile')).href;
    client.settings = () => ({});
    const { diagnostics } = await open(BOOTC, uri);
    assert.deepEqual(withCode(diagnostics, 'ignored-entrypoint'), []);
    assert.equal(withCode(await reconfigure(uri, { lint: { rules: { 'ignored-entrypoint': 'hint' } } }), 'ignored-entrypoint')[0]?.severity, 4);

    // The client reports edits of the config file; the documents are linted again with it.
    client.settings = () => ({});
    writeFileSync(path.join(dir, '.bootc-lint.json'), JSON.stringify({ rules: { 'ignored-entrypoint': 'error' } }));
    const published = client.waitForDiagnostics(uri, client.version(uri));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path.join(dir, '.bootc-lint.json')).href, type: 2 }] });
    assert.equal(withCode((await published).diagnostics, 'ignored-entrypoint')[0]?.severity, 1);
  });
});

describe('requests of the build commands', () => {
  const MULTI = `ARG BASE=localhost/bootc-test-base:latest
ARG VERSION
FROM \${BASE} AS builder
RUN --mount=type=secret,id=rhsm,target=/run/secrets/rhsm make
FROM \${BASE}
ARG TOKEN
COPY --from=builder /out /usr/bin/
RUN --mount=type=secret,target=/run/secrets/api-key \\
    install -d /var/log/app && echo ok > /var/log/app/install.log
RUN false
`;

  test('bootc/buildInputs lists the stages, ARGs without a default and secret ids', async () => {
    const inputs = await client.request<{ stages: Array<{ name?: string; baseImage: string; line: number }>; argsWithoutDefault: string[]; secretIds: string[] }>('bootc/buildInputs', { uri: 'file:///x/Containerfile', text: MULTI });
    assert.deepEqual(inputs.stages.map((stage) => [stage.name, stage.baseImage, stage.line]), [
      ['builder', 'localhost/bootc-test-base:latest', 2],
      [undefined, 'localhost/bootc-test-base:latest', 4],
    ]);
    assert.deepEqual(inputs.argsWithoutDefault.sort(), ['TOKEN', 'VERSION']);
    assert.deepEqual(inputs.secretIds.sort(), ['api-key', 'rhsm']);
  });

  test('bootc/locate puts a failed step on its instruction and an image-lint finding on the RUN that wrote the path', async () => {
    const result = await client.request<{ buildFailure?: { range: { start: { line: number } }; message: string }; imageLint: Array<{ range: { start: { line: number } } }> }>('bootc/locate', {
      uri: 'file:///x/Containerfile',
      text: MULTI,
      buildFailure: { stage: 2, stageCount: 2, step: 5, stepCount: 5, instruction: 'RUN false', message: 'building at STEP "RUN false": exit status 1', error: 'building at STEP "RUN false": exit status 1', output: [] },
      imageLintFindings: [{ lint: 'var-log', level: 'warning', message: 'Found non-empty logfile: /var/log/app/install.log', paths: ['/var/log/app/install.log'], items: [], more: 0 }],
    });
    assert.equal(result.buildFailure?.range.start.line, 9);
    assert.match(result.buildFailure?.message ?? '', /exit status 1/);
    assert.equal(result.imageLint.length, 1);
    assert.equal(result.imageLint[0].range.start.line, 8); // the command that wrote it, on the continuation line
  });
});
