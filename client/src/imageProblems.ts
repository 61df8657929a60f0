/**
 * Problems that come from running the image rather than from reading the Containerfile: a
 * failed `podman build` step and the findings of `bootc container lint` inside the built image.
 * Both are attached to the Containerfile so that they show in the Problems view.
 */
import * as vscode from 'vscode';

export const BUILD_SOURCE = 'podman build';
export const IMAGE_LINT_SOURCE = 'bootc container lint';

export class ImageProblems implements vscode.Disposable {
  private readonly build = vscode.languages.createDiagnosticCollection('bootc-build');
  private readonly imageLint = vscode.languages.createDiagnosticCollection('bootc-image-lint');

  /** Shows a failed build step; a new build of the same file clears it first. */
  setBuildFailure(containerfile: vscode.Uri, diagnostic: vscode.Diagnostic | undefined): void {
    this.build.set(containerfile, diagnostic ? [diagnostic] : []);
  }

  setImageLint(containerfile: vscode.Uri, diagnostics: vscode.Diagnostic[]): void {
    this.imageLint.set(containerfile, diagnostics);
  }

  /** A new build starts: the previous build's problems no longer describe the image. */
  clear(containerfile: vscode.Uri): void {
    this.build.delete(containerfile);
    this.imageLint.delete(containerfile);
  }

  dispose(): void {
    this.build.dispose();
    this.imageLint.dispose();
  }
}
