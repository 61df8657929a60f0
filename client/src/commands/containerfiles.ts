/** Finding the Containerfile a command is about: its argument, the active editor, or a pick. */
import * as path from 'node:path';
import * as vscode from 'vscode';

/** The names VS Code maps to the `dockerfile` language, and the CLI's discovery patterns. */
const CONTAINERFILE_GLOB = '**/{Containerfile,Dockerfile,Containerfile.*,Dockerfile.*,*.containerfile,*.dockerfile}';

/**
 * The Containerfile for a command: the explorer/editor-title argument, else the active
 * editor's Dockerfile-language document, else one the user picks from the workspace.
 * Saves it first when it has unsaved changes, since podman reads the file from disk.
 */
export async function resolveContainerfile(argument: unknown, purpose: string): Promise<vscode.Uri | undefined> {
  let uri = argument instanceof vscode.Uri ? argument : undefined;
  const active = vscode.window.activeTextEditor?.document;
  if (!uri && active?.languageId === 'dockerfile' && active.uri.scheme === 'file') uri = active.uri;
  if (!uri) {
    const found = await vscode.workspace.findFiles(CONTAINERFILE_GLOB, '**/{node_modules,.git}/**', 200);
    if (found.length === 0) {
      void vscode.window.showErrorMessage(`No Containerfile to ${purpose}: open one, or create a Containerfile in the workspace.`);
      return undefined;
    }
    if (found.length === 1) uri = found[0];
    else {
      const picked = await vscode.window.showQuickPick(
        found
          .sort((a, b) => a.fsPath.localeCompare(b.fsPath))
          .map((file) => ({ label: path.basename(file.fsPath), description: vscode.workspace.asRelativePath(path.dirname(file.fsPath)), file })),
        { title: `Bootc: Containerfile to ${purpose}`, placeHolder: 'Pick a Containerfile' },
      );
      uri = picked?.file;
    }
  }
  if (!uri) return undefined;
  if (uri.scheme !== 'file') {
    void vscode.window.showErrorMessage(`podman needs the Containerfile on disk; ${uri.toString()} is not a local file. Save it into a folder first.`);
    return undefined;
  }
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  if (open?.isDirty && !(await open.save())) {
    void vscode.window.showErrorMessage(`${path.basename(uri.fsPath)} has unsaved changes that could not be saved; podman would build the old version.`);
    return undefined;
  }
  return uri;
}

/** The Containerfile's text as it is on disk (what podman builds). */
export async function readContainerfile(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}
