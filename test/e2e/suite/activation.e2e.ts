// The extension loads from the development path, stays inactive until a Containerfile
// opens (activation is lazy by design: see the performance goals), and activates cleanly.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { extensionUnderTest, recordMetric, workspaceUri } from './context';

suite('activation', () => {
  test('the extension under development is loaded but not yet active', () => {
    const extension = extensionUnderTest();
    assert.equal(extension.packageJSON.name, 'vscode-bootc');
    assert.ok(fs.existsSync(path.join(extension.extensionPath, 'client', 'out', 'extension.js')), 'the extension is not built');
    assert.equal(extension.isActive, false, 'activated before any Containerfile was opened');
  });

  test('opening a Containerfile activates it', async () => {
    const extension = extensionUnderTest();
    const started = performance.now();
    const activated = new Promise<void>((resolve) => {
      // activate() resolves once the extension's activate() has finished (or at once when active).
      void extension.activate().then(() => resolve());
    });
    const document = await vscode.workspace.openTextDocument(workspaceUri('Containerfile'));
    assert.equal(document.languageId, 'dockerfile');
    await activated;
    recordMetric('activateMs', performance.now() - started);
    assert.equal(extension.isActive, true);
    // The extension may report its own activation timing through its exports.
    const exported = extension.exports as { activationMs?: unknown } | undefined;
    if (typeof exported?.activationMs === 'number') recordMetric('extensionActivationMs', exported.activationMs);
  });

  test('every command in the manifest is registered', async () => {
    const contributed = (extensionUnderTest().packageJSON.contributes?.commands ?? []) as { command: string }[];
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.map((entry) => entry.command).filter((command) => !registered.has(command));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
    assert.ok(registered.has('bootc.showRuleDocumentation'), 'bootc.showRuleDocumentation is missing');
  });
});
