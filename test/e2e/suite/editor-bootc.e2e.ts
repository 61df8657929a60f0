// The editor features that teach bootc, in the real VS Code: the companion-file languages and
// their checks with quick fixes and Fix all, hover and completion in a bootc Containerfile, the
// snippets, New bootc Project and the walkthrough.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { suite, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { instructionKnowledge } from '../../../server/src/knowledge';
import { ruleById } from '../../../server/src/lint';
import { bootcDiagnostics, extensionUnderTest, lintSettled, ruleId, waitForDiagnostics, workspaceRoot, workspaceUri } from './context';

const COMPANION = 'companion/files/usr/lib';
/** Written by the tests (kept out of the fixture), removed afterwards: the later suites and the screenshots see the fixture as it is. */
const KARGS_FILE = `${COMPANION}/bootc/kargs.d/10-console.toml`;
const NEW_PROJECT = 'new-project';
const WALKTHROUGH_ID = 'bootc.gettingStarted';

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n');
}

function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

/** The code actions (not bare commands) at `range`, of `kind` when given. */
async function codeActions(uri: vscode.Uri, range: vscode.Range, kind?: string): Promise<vscode.CodeAction[]> {
  const found = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, range, kind);
  return found.filter((action): action is vscode.CodeAction => !('command' in action && typeof action.command === 'string'));
}

function titles(actions: vscode.CodeAction[]): string {
  return `[${actions.map((action) => action.title).join(', ')}]`;
}

/** Applies the one quick fix titled `title` of the diagnostic with `rule` in `uri`; returns the document. */
async function applyQuickFix(uri: vscode.Uri, rule: string, title: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document);
  const diagnostics = await waitForDiagnostics(uri, (found) => found.some((diagnostic) => ruleId(diagnostic) === rule));
  const diagnostic = diagnostics.find((found) => ruleId(found) === rule)!;
  const actions = await codeActions(uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
  const fix = actions.find((action) => action.title === title);
  assert.ok(fix?.edit, `no "${title}" among ${titles(actions)}`);
  assert.equal(fix.isPreferred, true, 'a mechanical fix is the preferred one');
  assert.ok(await vscode.workspace.applyEdit(fix.edit));
  return document;
}

/**
 * Runs Toggle Line Comment on the active editor and returns the line's text once it changed. Run
 * right after the first file of a language opened, it was seen to do nothing (the workbench loads
 * the language's configuration asynchronously), so it is repeated until the line changes (at most 5 s).
 */
async function toggleLineComment(document: vscode.TextDocument, line: number): Promise<string> {
  const before = document.lineAt(line).text;
  for (const deadline = Date.now() + 5_000; Date.now() < deadline; ) {
    await vscode.commands.executeCommand('editor.action.commentLine');
    for (let tries = 0; tries < 5; tries++) {
      if (document.lineAt(line).text !== before) return document.lineAt(line).text;
      await sleep(100);
    }
  }
  return before;
}

/** Reverts the active editor's changes and closes it. */
async function revertAndClose(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}

suite('bootc editor', () => {
  suiteTeardown(async () => {
    fs.rmSync(path.join(workspaceRoot(), NEW_PROJECT), { recursive: true, force: true });
    fs.rmSync(path.join(workspaceRoot(), COMPANION, 'bootc'), { recursive: true, force: true });
    // The Explorer revealed every file opened here; the screenshots after the suites show the Containerfiles.
    await vscode.commands.executeCommand('workbench.files.action.collapseExplorerFolders');
  });

  test('sysusers.d, tmpfiles.d and kickstart files get their languages, with # as line comment', async () => {
    const cases: Array<[string, string]> = [
      [`${COMPANION}/sysusers.d/app.conf`, 'sysusers'],
      [`${COMPANION}/tmpfiles.d/app.conf`, 'tmpfiles'],
      ['companion/install.ks', 'kickstart'],
    ];
    for (const [file, language] of cases) {
      const document = await vscode.workspace.openTextDocument(workspaceUri(file));
      assert.equal(document.languageId, language, file);
      // The language configuration is loaded: Toggle Line Comment uses its `#`.
      const editor = await vscode.window.showTextDocument(document);
      const line = document.lineCount - 1 - (document.lineAt(document.lineCount - 1).isEmptyOrWhitespace ? 1 : 0);
      const before = document.lineAt(line).text;
      editor.selection = new vscode.Selection(line, 0, line, 0);
      assert.equal(await toggleLineComment(document, line), `# ${before}`, `${file}: Toggle Line Comment`);
      await revertAndClose();
    }
  });

  test('a sysusers.d file gets bootc diagnostics', async () => {
    const uri = workspaceUri(`${COMPANION}/sysusers.d/app.conf`);
    await vscode.workspace.openTextDocument(uri);
    const diagnostics = await waitForDiagnostics(uri, (found) => found.length > 0);
    assert.deepEqual(
      diagnostics.map((diagnostic) => [ruleId(diagnostic), diagnostic.range.start.line, diagnostic.severity]),
      [['sysusers-duplicate', 2, vscode.DiagnosticSeverity.Warning]],
    );
    const code = diagnostics[0].code;
    assert.ok(typeof code === 'object' && code.target.toString().endsWith('companion-files.md#sysusers-duplicate'), `no docs link: ${JSON.stringify(code)}`);
  });

  test("a bootc-image-builder config.toml is checked, and the quick fix renames 'kernal' to 'kernel'", async () => {
    const uri = workspaceUri('companion/bootc-image-builder/config.toml');
    const document = await applyQuickFix(uri, 'bib-config-unknown-key', "Rename 'kernal' to 'kernel'");
    assert.equal(document.lineAt(5).text, '[customizations.kernel]');
    assert.equal(document.getText().includes('kernal'), false);
    await waitForDiagnostics(uri, (found) => found.length === 0);
    await revertAndClose();
  });

  test('a kargs.d file is checked, and the quick fix writes the kernel architecture name', async () => {
    // Written now, not shipped in the fixture: a kargs.d file in the workspace would activate the extension at startup.
    const file = path.join(workspaceRoot(), KARGS_FILE);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'kargs = ["console=ttyS0,115200n8"]\nmatch-architectures = ["amd64"]\n');
    const uri = vscode.Uri.file(file);
    const document = await applyQuickFix(uri, 'kargs-toml', 'Write "x86_64"');
    assert.equal(document.getText(), 'kargs = ["console=ttyS0,115200n8"]\nmatch-architectures = ["x86_64"]\n');
    await waitForDiagnostics(uri, (found) => found.length === 0);
    await revertAndClose();
  });

  test('Fix all auto-fixable bootc problems fixes a tmpfiles.d file', async () => {
    const uri = workspaceUri(`${COMPANION}/tmpfiles.d/app.conf`);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const diagnostics = await waitForDiagnostics(uri, (found) => found.length >= 3);
    assert.deepEqual(diagnostics.map(ruleId).sort(), ['tmpfiles-invalid-line', 'tmpfiles-invalid-mode', 'tmpfiles-invalid-path']);
    const actions = await codeActions(uri, new vscode.Range(0, 0, 0, 0), 'source.fixAll.bootc');
    const fixAll = actions.find((action) => action.title === 'Fix all auto-fixable bootc problems');
    assert.ok(fixAll?.edit, `no fix-all action among ${titles(actions)}`);
    assert.ok(await vscode.workspace.applyEdit(fixAll.edit));
    assert.equal(
      document.getText(),
      [
        "# The app's state under /var, created at every boot.",
        'd /var/lib/app 0750 app app -',
        'f+ /var/lib/app/state 0640 app app - ready',
        'd /run/app 0755 app app',
        'L /etc/app.conf - - - - /usr/share/app/app.conf',
        '',
      ].join('\n'),
    );
    await waitForDiagnostics(uri, (found) => found.length === 0);
    await revertAndClose();
  });

  test('a hover on ENV shows the rule, then what ENV means on an installed system', async () => {
    const uri = workspaceUri('Containerfile');
    const document = await vscode.workspace.openTextDocument(uri);
    await waitForDiagnostics(uri, (found) => found.some((diagnostic) => ruleId(diagnostic) === 'ignored-env'));
    const envLine = document.getText().split('\n').findIndex((line) => line.startsWith('ENV'));
    assert.ok(envLine >= 0, 'the fixture has an ENV line');
    const text = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(envLine, 1)));
    const rule = text.indexOf(ruleById('ignored-env')!.meta.explanation);
    const teaching = text.indexOf(instructionKnowledge('ENV')!.text);
    assert.ok(rule >= 0, `no rule explanation in: ${text}`);
    assert.ok(teaching > rule, `no bootc explanation after the rule in: ${text}`);
  });

  test('completion after / in a COPY destination lists the directories bootc projects write to', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'dockerfile', content: 'FROM quay.io/fedora/fedora-bootc:42\nCOPY app.conf /\n' });
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, new vscode.Position(1, 15), '/');
    const labels = list.items.map(labelOf);
    for (const directory of ['/usr/lib/sysusers.d/', '/usr/lib/tmpfiles.d/', '/usr/lib/bootc/kargs.d/', '/usr/lib/systemd/system/', '/usr/share/containers/systemd/']) {
      assert.ok(labels.includes(directory), `${directory} not in [${labels.join(', ')}]`);
    }
    const sysusers = list.items.find((item) => labelOf(item) === '/usr/lib/sysusers.d/')!;
    assert.equal(sysusers.kind, vscode.CompletionItemKind.Folder);
  });

  test('the bootc snippet is offered and expands into a skeleton that lints clean', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'dockerfile', content: 'boot' });
    const editor = await vscode.window.showTextDocument(document);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, new vscode.Position(0, 4));
    const snippet = list.items.find((item) => item.kind === vscode.CompletionItemKind.Snippet && labelOf(item) === 'bootc');
    assert.ok(snippet, `no bootc snippet in [${list.items.map(labelOf).join(', ')}]`);
    assert.ok(snippet.insertText instanceof vscode.SnippetString, 'the snippet item carries no snippet');
    assert.ok(await editor.insertSnippet(snippet.insertText, new vscode.Range(0, 0, 0, 4)));
    const text = document.getText();
    assert.match(text, /^# A bootc image/);
    assert.match(text, /^FROM quay\.io\/fedora\/fedora-bootc:\d+$/m);
    assert.match(text, /^RUN dnf install -y tmux && \\$/m);
    assert.match(text, /RUN bootc container lint\s*$/);
    assert.doesNotMatch(text, /\$\{|\$\d/, 'a placeholder was left');
    await lintSettled(document);
    assert.deepEqual(bootcDiagnostics(document.uri).map(ruleId), []);
    await vscode.commands.executeCommand('leaveSnippet');
    await revertAndClose();
  });

  test('New bootc Project writes the web-server template and opens its Containerfile, which lints clean', async () => {
    const folder = path.join(workspaceRoot(), NEW_PROJECT, 'web');
    const result = await vscode.commands.executeCommand<{ folder: vscode.Uri; containerfile: vscode.Uri; files: string[] } | undefined>('bootc.newProject', {
      template: 'web-server',
      folder,
      image: 'localhost/e2e-web:latest',
    });
    assert.ok(result, 'the command created nothing');
    assert.equal(result.folder.fsPath, folder);
    assert.equal(result.containerfile.fsPath, path.join(folder, 'Containerfile'));
    for (const file of ['Containerfile', 'README.md', 'config.toml', 'tmpfiles.d/httpd-log.conf']) {
      assert.ok(result.files.includes(file), `${file} not in [${result.files.join(', ')}]`);
    }
    for (const file of result.files) {
      const text = fs.readFileSync(path.join(folder, file), 'utf8');
      assert.doesNotMatch(text, /\{\{(name|image)\}\}/, `${file}: a placeholder was left`);
    }
    assert.match(fs.readFileSync(result.containerfile.fsPath, 'utf8'), /^# e2e-web: /);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, result.containerfile.fsPath, 'the Containerfile was not opened');
    // The Containerfile and the companion files the template ships all lint clean.
    for (const file of ['Containerfile', 'config.toml', 'tmpfiles.d/httpd-log.conf']) {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(folder, file)));
      await lintSettled(document);
      assert.deepEqual(bootcDiagnostics(document.uri).map(ruleId), [], file);
    }
    assert.equal((await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(folder, 'tmpfiles.d/httpd-log.conf')))).languageId, 'tmpfiles');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('New bootc Project run again into the same folder writes nothing', async () => {
    const folder = path.join(workspaceRoot(), NEW_PROJECT, 'web');
    const readme = path.join(folder, 'README.md');
    assert.ok(fs.existsSync(readme), 'the previous test made no project');
    fs.writeFileSync(readme, 'edited by the user\n');
    const before = fs.readdirSync(folder).sort();

    // The folder is not empty now, so the command asks for a sub-folder's name; dismissing the prompt cancels.
    const asking = vscode.commands.executeCommand('bootc.newProject', { template: 'web-server', folder, image: 'localhost/e2e-web:latest' });
    let settled = false;
    const answer = asking.then((value) => {
      settled = true;
      return value;
    });
    for (const deadline = Date.now() + 10_000; !settled && Date.now() < deadline; ) {
      await sleep(200);
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    }
    assert.ok(settled, 'the command did not return after its prompt was dismissed');
    assert.equal(await answer, undefined);

    // The same project folder given by name: its files exist, so it refuses.
    const again = await vscode.commands.executeCommand('bootc.newProject', {
      template: 'web-server',
      folder: path.dirname(folder),
      name: path.basename(folder),
      image: 'localhost/e2e-web:latest',
    });
    assert.equal(again, undefined);
    assert.equal(fs.readFileSync(readme, 'utf8'), 'edited by the user\n', 'README.md was overwritten');
    assert.deepEqual(fs.readdirSync(folder).sort(), before);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('the walkthrough opens', async () => {
    const contributed = (extensionUnderTest().packageJSON.contributes?.walkthroughs ?? []) as { id: string }[];
    assert.ok(contributed.some((walkthrough) => walkthrough.id === WALKTHROUGH_ID), `${WALKTHROUGH_ID} is not contributed`);
    // Once the Welcome page shows a walkthrough of an extension, its title is "Walkthrough: <the
    // extension's display name>": "Walkthrough: Bootc" only when VS Code found ours by its id.
    const expected = `Walkthrough: ${String(extensionUnderTest().packageJSON.displayName)}`;
    // The page sets that title after the tab is drawn and tells no one, so the tabs API keeps the
    // old label ("Welcome", or the first built-in walkthrough it showed while looking for ours);
    // moving the editor to another group makes VS Code describe the tab afresh.
    const seen: string[] = [];
    let label: string | undefined;
    for (const deadline = Date.now() + 20_000; label !== expected && Date.now() < deadline; ) {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${extensionUnderTest().id}#${WALKTHROUGH_ID}`, false);
      await sleep(500);
      await vscode.commands.executeCommand('workbench.action.moveEditorToNextGroup');
      label = vscode.window.tabGroups.activeTabGroup.activeTab?.label;
      seen.push(String(label));
    }
    assert.equal(label, expected, `the tab was: ${seen.join(', ')}`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.action.editorLayoutSingle');
  });
});
