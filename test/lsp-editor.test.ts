/**
 * The editor features of issue 6 over JSON-RPC, against the bundled server: companion files
 * (bootc-image-builder config, kargs.d, sysusers.d, tmpfiles.d) in the diagnostics pipeline with
 * quick fixes and Fix all, hover that teaches bootc combined with the rule hover, and completion.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { CodeAction, CompletionItem, CompletionList, Diagnostic, Hover, MarkupContent, TextEdit } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { companionRuleById } from '../server/src/companion';
import { ruleById } from '../server/src/lint';
import { acquireBuildLock, build } from './helpers/build';
import { LspClient } from './helpers/lsp';

let client: LspClient;
let release: () => void;
let counter = 0;
const texts = new Map<string, string>();

/** A `file:` URI in a folder that does not exist (the server reads no file of its own for these). */
function fileUri(relative: string): string {
  return `file:///nonexistent-bootc-test-${++counter}/${relative}`;
}

async function open(uri: string, text: string, languageId = 'dockerfile'): Promise<Diagnostic[]> {
  texts.set(uri, text);
  return (await client.open(uri, text, languageId)).diagnostics;
}

function codeActions(uri: string, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
  const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return client.request('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics, only } });
}

/** Applies a code action's edit as the editor would and returns the new text and diagnostics. */
async function apply(action: CodeAction, uri: string): Promise<{ text: string; diagnostics: Diagnostic[] }> {
  const change = action.edit?.documentChanges?.[0] as { textDocument: { uri: string; version: number }; edits: TextEdit[] } | undefined;
  assert.ok(change, `action "${action.title}" has no documentChanges`);
  assert.equal(change.textDocument.uri, uri);
  const text = TextDocument.applyEdits(TextDocument.create(uri, 'x', 1, texts.get(uri)!), change.edits);
  texts.set(uri, text);
  return { text, diagnostics: (await client.change(uri, text)).diagnostics };
}

function hover(uri: string, line: number, character: number): Promise<Hover | null> {
  return client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line, character } });
}

function hoverValue(result: Hover | null): string {
  assert.ok(result, 'no hover');
  const contents = result.contents as MarkupContent;
  assert.equal(contents.kind, 'markdown');
  return contents.value;
}

/** The document with `|` removed is opened; completion is asked where the `|` was. */
async function complete(marked: string, triggerCharacter?: string): Promise<CompletionItem[]> {
  const offset = marked.indexOf('|');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  const before = marked.slice(0, offset).split('\n');
  const uri = fileUri('Containerfile');
  await open(uri, text);
  const context = triggerCharacter ? { triggerKind: 2, triggerCharacter } : { triggerKind: 1 };
  const result = await client.request<CompletionItem[] | CompletionList | null>('textDocument/completion', {
    textDocument: { uri },
    position: { line: before.length - 1, character: before[before.length - 1].length },
    context,
  });
  await client.close(uri);
  return Array.isArray(result) ? result : (result?.items ?? []);
}

const FEDORA = 'FROM quay.io/fedora/fedora-bootc:44\n';

before(async () => {
  release = await acquireBuildLock();
  build();
  client = await LspClient.start();
});

after(async () => {
  await client?.stop();
  release?.();
});

describe('companion files', () => {
  test('a bootc-image-builder config.toml gets diagnostics with the check id, source and its docs section', async () => {
    const uri = fileUri('config.toml');
    const diagnostics = await open(uri, '[[customizations.user]]\nname = "admin"\nkey = "ssh-ed25519 AAAA admin@example.com"\n\n[customizations.kernal]\nappend = "console=ttyS0"\n', 'toml');
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    const [diagnostic] = diagnostics;
    assert.equal(diagnostic.code, 'bib-config-unknown-key');
    assert.equal(diagnostic.source, 'bootc');
    assert.equal(diagnostic.severity, 1);
    assert.deepEqual(diagnostic.range, { start: { line: 4, character: 16 }, end: { line: 4, character: 22 } });
    const href = diagnostic.codeDescription?.href ?? '';
    assert.match(href, /^file:\/\/.*\/docs\/companion-files\.md#bib-config-unknown-key$/);
    assert.ok(existsSync(fileURLToPath(href.replace(/#.*$/, ''))), href);
  });

  test('the quick fix of a companion finding removes it; there is no "Disable" action, only the fix and the docs', async () => {
    const uri = fileUri('config.toml');
    const diagnostics = await open(uri, '[customizations.kernal]\nappend = "quiet"\n', 'toml');
    const actions = await codeActions(uri, diagnostics, ['quickfix']);
    assert.deepEqual(actions.map((a) => a.title), ["Rename 'kernal' to 'kernel'", 'Show documentation for bib-config-unknown-key']);
    assert.ok(actions[0].isPreferred);
    assert.equal(actions[1].command?.command, 'bootc.showRuleDocumentation');
    assert.match(String(actions[1].command?.arguments?.[0]), /companion-files\.md#bib-config-unknown-key$/);
    const { text, diagnostics: after } = await apply(actions[0], uri);
    assert.equal(text, '[customizations.kernel]\nappend = "quiet"\n');
    assert.deepEqual(after, []);
  });

  test('a fix that is a guess is offered but not preferred', async () => {
    const uri = fileUri('config.toml');
    const diagnostics = await open(uri, '[[customizations.filesystem]]\nmountpoint = "/data"\n', 'toml');
    const actions = await codeActions(uri, diagnostics, ['quickfix']);
    const fixes = actions.filter((a) => a.edit);
    assert.ok(fixes.length > 0, JSON.stringify(actions.map((a) => a.title)));
    assert.ok(fixes.every((a) => !a.isPreferred));
    assert.deepEqual(await codeActions(uri, [], ['source.fixAll']), [], 'Fix all applies only preferred fixes');
  });

  test('Fix all on a tmpfiles.d file applies every preferred fix', async () => {
    const uri = fileUri('usr/lib/tmpfiles.d/app.conf');
    const diagnostics = await open(uri, 'F /var/lib/a 0644 - - - x\nd /var/run/b\nL /etc/c /usr/share/c\n', 'tmpfiles');
    assert.equal(diagnostics.length, 3, JSON.stringify(diagnostics));
    const actions = await codeActions(uri, [], ['source.fixAll']);
    assert.equal(actions.length, 1);
    assert.equal(actions[0].kind, 'source.fixAll.bootc');
    const { text, diagnostics: after } = await apply(actions[0], uri);
    assert.equal(text, 'f+ /var/lib/a 0644 - - - x\nd /run/b\nL /etc/c - - - - /usr/share/c\n');
    assert.deepEqual(after, []);
  });

  test('sysusers.d and kargs.d files are checked; kargs.d findings use the kargs-toml id', async () => {
    const sysusers = await open(fileUri('sysusers.d/app.conf'), 'U app - "App" /var/lib/app\n', 'sysusers');
    assert.deepEqual(sysusers.map((d) => d.code), ['sysusers-invalid-line']);
    const kargs = await open(fileUri('usr/lib/bootc/kargs.d/10-console.toml'), 'kargs = ["quiet"]\nmatch-architectures = ["amd64"]\n', 'plaintext');
    assert.deepEqual(kargs.map((d) => d.code), ['kargs-toml']);
    assert.match(kargs[0].codeDescription?.href ?? '', /companion-files\.md#kargs-toml$/);
  });

  test('hovering a companion finding shows the check\'s explanation and docs section', async () => {
    const uri = fileUri('sysusers.d/dup.conf');
    await open(uri, 'u app -\nu app -\n', 'sysusers');
    const value = hoverValue(await hover(uri, 1, 2));
    assert.ok(value.includes(companionRuleById('sysusers-duplicate')!.explanation), value);
    assert.match(value, /\(file:\/\/[^)]*companion-files\.md#sysusers-duplicate\)/);
  });

  test('config files of other tools and non-Containerfile languages are left alone', async () => {
    assert.deepEqual(await open(fileUri('config.json'), '{"compilerOptions": {"strict": true}}\n', 'json'), []);
    assert.deepEqual(await open(fileUri('.cargo/config.toml'), '[build]\ntarget = "x86_64-unknown-linux-gnu"\n', 'toml'), []);
    // Even a Containerfile's text is not linted in a document the client sent as JSON.
    assert.deepEqual(await open(fileUri('notes.json'), `${FEDORA}ENTRYPOINT ["/bin/sh"]\n`, 'json'), []);
    const uri = fileUri('config.json');
    await open(uri, '{"compilerOptions": {}}', 'json');
    assert.equal(await hover(uri, 0, 3), null);
  });

  test('check severities come from the same settings as the rules, and a check can be turned off', async () => {
    const text = '[[customizations.user]]\nname = "alice"\npassword = "bob"\n';
    try {
      client.settings = () => ({ lint: { rules: { 'bib-config-plain-password': 'error' } } });
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      const raised = await open(fileUri('config.toml'), text, 'toml');
      assert.deepEqual(raised.map((d) => [d.code, d.severity]), [['bib-config-plain-password', 1]]);
      client.settings = () => ({ lint: { rules: { 'bib-config-plain-password': 'off' } } });
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      assert.deepEqual(await open(fileUri('config.toml'), text, 'toml'), []);
      client.settings = () => ({ lint: { enable: false } });
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      assert.deepEqual(await open(fileUri('config.toml'), '[customizations.kernal]\n', 'toml'), []);
    } finally {
      client.settings = () => ({});
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    }
  });
});

describe('hover that teaches bootc', () => {
  test('on a flagged instruction the rule hover comes first, then what the instruction means on an installed system', async () => {
    const uri = fileUri('Containerfile');
    await open(uri, `${FEDORA}ENV APP_PORT=8080\nRUN bootc container lint\n`);
    const value = hoverValue(await hover(uri, 1, 1));
    const rule = value.indexOf(ruleById('ignored-env')!.meta.explanation);
    const teaching = value.indexOf('Environment=');
    assert.ok(rule >= 0 && teaching > rule, value);
    assert.match(value, /\n---\n/);
  });

  test('on an unflagged keyword and on a path: what it means for the installed system', async () => {
    const uri = fileUri('Containerfile');
    await open(uri, `${FEDORA}LABEL containers.bootc=1\nCOPY app.conf /etc/app/\nRUN bootc container lint\n`);
    assert.match(hoverValue(await hover(uri, 1, 2)), /containers\.bootc=1/);
    const path = await hover(uri, 2, 17);
    assert.match(hoverValue(path), /\/etc/);
    assert.deepEqual(path!.range, { start: { line: 2, character: 14 }, end: { line: 2, character: 23 } });
    assert.match(hoverValue(await hover(uri, 0, 20)), /Fedora bootc/);
  });

  test('an application Dockerfile gets no bootc hover', async () => {
    const uri = fileUri('Dockerfile');
    await open(uri, 'FROM node:20\nENV PORT=3000\nCOPY . /app\n');
    assert.equal(await hover(uri, 1, 1), null);
    assert.equal(await hover(uri, 2, 9), null);
  });
});

describe('completion', () => {
  test('the server offers completion with / and : as trigger characters', () => {
    assert.deepEqual((client.capabilities.completionProvider as { triggerCharacters?: string[] }).triggerCharacters, ['/', ':']);
  });

  test('FROM offers bootc base images after a registry, and tags after the colon', async () => {
    const images = await complete('FROM quay.io/|\n', '/');
    const labels = images.map((i) => i.label);
    assert.ok(labels.includes('quay.io/fedora/fedora-bootc:44'), labels.join(', '));
    assert.ok(labels.includes('quay.io/centos-bootc/centos-bootc:stream10'), labels.join(', '));
    const tags = await complete('FROM registry.redhat.io/rhel10/rhel-bootc:|\n', ':');
    assert.deepEqual(tags.map((i) => i.label), ['10.2', '10.1', '10.0', 'latest']);
    assert.deepEqual(await complete('FROM node|\n'), [], 'FROM node is not a bootc image');
  });

  test('COPY and RUN paths offer the directories bootc projects write to', async () => {
    const copy = (await complete(`${FEDORA}COPY app.conf /usr/lib/|\n`, '/')).map((i) => i.label);
    for (const directory of ['/usr/lib/sysusers.d/', '/usr/lib/tmpfiles.d/', '/usr/lib/bootc/kargs.d/', '/usr/lib/systemd/system/', '/usr/share/containers/systemd/']) {
      assert.ok(copy.includes(directory), `${directory} not in ${copy.join(', ')}`);
    }
    const run = (await complete(`${FEDORA}RUN install -m 0644 app.conf /|\n`, '/')).map((i) => i.label);
    assert.ok(run.includes('/usr/lib/tmpfiles.d/'), run.join(', '));
  });

  test('a new RUN line of the final stage offers `bootc container lint`, once', async () => {
    const items = await complete(`${FEDORA}RUN dnf -y install httpd && dnf clean all\nRUN |\n`);
    const lint = items.find((i) => i.label === 'bootc container lint');
    assert.ok(lint, items.map((i) => i.label).join(', '));
    assert.deepEqual(await complete(`${FEDORA}RUN bootc container lint\nRUN |\n`), []);
  });

  test('an application Dockerfile and a companion file get no bootc completion', async () => {
    assert.deepEqual(await complete('FROM node:20\nCOPY app.conf /usr/lib/|\n', '/'), []);
    const uri = fileUri('tmpfiles.d/x.conf');
    await open(uri, 'd /var/lib/', 'tmpfiles');
    assert.deepEqual(await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 11 } }), []);
  });
});
