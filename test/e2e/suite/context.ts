/**
 * Helpers for the end-to-end suites (`*.e2e.ts`), which run inside VS Code's extension host.
 * Every suite file is bundled on its own, so state shared with the runner (metrics, the
 * harness's options) lives on `globalThis` rather than in this module.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';

/** The extension under test: `<publisher>.<name>` from package.json. */
export const EXTENSION_ID = 'vscode-bootc.vscode-bootc';

interface SharedState {
  metrics: Record<string, number>;
  options: Record<string, unknown>;
}

const SHARED = Symbol.for('bootc.e2e.shared');

/** State shared between the runner and the suite bundles. */
export function sharedState(): SharedState {
  const holder = globalThis as { [SHARED]?: SharedState };
  return (holder[SHARED] ??= { metrics: {}, options: {} });
}

/** Records a number in the results file's `metrics` (the harness reports them). */
export function recordMetric(name: string, value: number): void {
  sharedState().metrics[name] = value;
}

/** A value the harness passed in its `suiteOptions` (e.g. the path of a test containers.conf). */
export function suiteOption<T>(name: string): T | undefined {
  return sharedState().options[name] as T | undefined;
}

/** The opened workspace folder (a fresh copy of test/e2e/workspace). */
export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open');
  return folder.uri.fsPath;
}

/** A file of the workspace, by its path relative to the workspace folder. */
export function workspaceUri(relative: string): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceRoot(), relative));
}

/** The extension under test; fails when VS Code did not load it. */
export function extensionUnderTest(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  return extension;
}

/** The diagnostics of the bootc language server for `uri`. */
export function bootcDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'bootc');
}

/** A diagnostic's rule id (its `code`, possibly given with a documentation link). */
export function ruleId(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (typeof code === 'object') return String(code.value);
  return code === undefined ? undefined : String(code);
}

/**
 * Resolves with the bootc diagnostics of `uri` once `accept` accepts them, checking now and
 * on every diagnostics change; rejects after `timeoutMs` showing what was there.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  accept: (diagnostics: vscode.Diagnostic[]) => boolean,
  timeoutMs = 15_000,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const diagnostics = bootcDiagnostics(uri);
      if (!accept(diagnostics)) return false;
      done();
      resolve(diagnostics);
      return true;
    };
    const listener = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changed) => changed.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      done();
      const codes = bootcDiagnostics(uri).map(ruleId);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for the diagnostics of ${uri.fsPath}; it has: [${codes.join(', ')}]`));
    }, timeoutMs);
    const done = () => {
      listener.dispose();
      clearTimeout(timer);
    };
    check();
  });
}

/**
 * Waits until the language server has linted the current version of `document`: its
 * code-action handler lints first and publishes the diagnostics before it answers, so once
 * a code-action request returns, `getDiagnostics` is up to date (also when there are none).
 */
export async function lintSettled(document: vscode.TextDocument): Promise<void> {
  await vscode.commands.executeCommand('vscode.executeCodeActionProvider', document.uri, new vscode.Range(0, 0, 0, 0));
}

/** Closes every editor without saving (suites that edit files leave them unchanged on disk). */
export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
