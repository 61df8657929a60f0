// Opening files in the editor yields bootc diagnostics from the language server, and only
// for bootc builds.
import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { bootcDiagnostics, lintSettled, ruleId, waitForDiagnostics, workspaceUri } from './context';

suite('diagnostics', () => {
  test('a bootc Containerfile gets bootc diagnostics with rule ids', async () => {
    const uri = workspaceUri('Containerfile');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const diagnostics = await waitForDiagnostics(uri, (found) => found.length > 0);
    const codes = diagnostics.map(ruleId);
    for (const expected of ['ignored-env', 'dnf-missing-clean', 'ignored-expose', 'ignored-cmd']) {
      assert.ok(codes.includes(expected), `${expected} missing from [${codes.join(', ')}]`);
    }
    const dnf = diagnostics.find((diagnostic) => ruleId(diagnostic) === 'dnf-missing-clean');
    assert.equal(dnf?.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(dnf?.range.start.line, 3);
    assert.match(document.lineAt(3).text, /^RUN dnf/);
    // The rule id links to its documentation page.
    const code = dnf?.code;
    assert.ok(typeof code === 'object' && code.target.path.endsWith('dnf-missing-clean.md'), `no docs link: ${JSON.stringify(code)}`);
  });

  test('an application Dockerfile gets none', async () => {
    const uri = workspaceUri('app/Dockerfile');
    const document = await vscode.workspace.openTextDocument(uri);
    assert.equal(document.languageId, 'dockerfile');
    await lintSettled(document);
    assert.deepEqual(bootcDiagnostics(uri).map(ruleId), []);
  });
});
