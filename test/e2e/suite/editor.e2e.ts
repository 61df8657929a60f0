// The editor features of the language server in the real VS Code: a hover on a flagged range
// explains the rule and links its page, and "Fix all auto-fixable bootc problems"
// (source.fixAll.bootc, usable on save) fixes the whole file.
import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { closeAllEditors, ruleId, waitForDiagnostics, workspaceUri } from './context';

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n');
}

suite('editor experience', () => {
  test('a hover on a flagged ENV explains the rule and links its documentation', async () => {
    const uri = workspaceUri('Containerfile');
    const document = await vscode.workspace.openTextDocument(uri);
    await waitForDiagnostics(uri, (found) => found.some((diagnostic) => ruleId(diagnostic) === 'ignored-env'));
    const envLine = document.getText().split('\n').findIndex((line) => line.startsWith('ENV'));
    assert.ok(envLine >= 0, 'the fixture has an ENV line');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(envLine, 1));
    const text = hoverText(hovers);
    assert.match(text, /bootc: `ignored-env`/);
    assert.match(text, /\[Documentation\]\(.*ignored-env\.md\)/);
  });

  test('Fix all auto-fixable bootc problems fixes every fixable finding of the file', async () => {
    const uri = workspaceUri('quick-fix/Containerfile');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    await waitForDiagnostics(uri, (found) => found.some((diagnostic) => ruleId(diagnostic) === 'dnf-missing-clean'));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      new vscode.Range(0, 0, 0, 0),
      'source.fixAll.bootc',
    );
    const fixAll = actions.find((action) => action.title === 'Fix all auto-fixable bootc problems');
    assert.ok(fixAll?.edit, `no fix-all action among [${actions.map((action) => action.title).join(', ')}]`);
    assert.ok(await vscode.workspace.applyEdit(fixAll.edit));
    assert.match(document.getText(), /dnf -y install httpd.*dnf clean all/s);
    await waitForDiagnostics(uri, (found) => !found.some((diagnostic) => ruleId(diagnostic) === 'dnf-missing-clean'));
    await closeAllEditors();
  });
});
