/** What the commands, tasks and views of the extension share. */
import * as vscode from 'vscode';
import type { ImageProblems } from './imageProblems';
import type { BootcLanguageClient } from './languageClient';
import type { RememberedState } from './state';

export interface Services {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  languageClient: BootcLanguageClient;
  state: RememberedState;
  problems: ImageProblems;
}

/**
 * Commands that run programs refuse in an untrusted workspace: the settings and the
 * Containerfile there could make podman do anything. (The menus hide them too.)
 */
export function requireTrust(action: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage(`${action} runs podman, which this untrusted workspace may not do. Trust the workspace to use it; linting works either way.`, 'Manage Workspace Trust').then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}

/** Shows an error of a podman command with the actions that help: settings for a missing or misconfigured podman. */
export async function showCommandError(action: string, error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  const choice = await vscode.window.showErrorMessage(`${action} failed: ${message}`, 'Open Podman Settings');
  if (choice) await vscode.commands.executeCommand('workbench.action.openSettings', 'bootc.podman');
}
