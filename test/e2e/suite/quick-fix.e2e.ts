// The preferred quick fix of a bootc diagnostic, fetched through
// vscode.executeCodeActionProvider and applied with workspace.applyEdit, edits the line and
// the diagnostic goes away.
import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { closeAllEditors, ruleId, waitForDiagnostics, workspaceUri } from './context';

suite('quick fix', () => {
  test('the preferred fix of dnf-missing-clean appends dnf clean all and clears the diagnostic', async () => {
    const uri = workspaceUri('quick-fix/Containerfile');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const diagnostics = await waitForDiagnostics(uri, (found) => found.some((diagnostic) => ruleId(diagnostic) === 'dnf-missing-clean'));
    const dnf = diagnostics.find((diagnostic) => ruleId(diagnostic) === 'dnf-missing-clean')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, dnf.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((action) => action.isPreferred && action.edit) ?? actions.find((action) => action.edit && /dnf clean all/.test(action.title));
    assert.ok(fix?.edit, `no fix among [${actions.map((action) => action.title).join(', ')}]`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(document.lineAt(dnf.range.start.line).text, /dnf clean all/);
    await waitForDiagnostics(uri, (found) => !found.some((diagnostic) => ruleId(diagnostic) === 'dnf-missing-clean'));
    await closeAllEditors();
  });
});
