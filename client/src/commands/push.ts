/** Bootc: Push Image, to a registry reference that is asked for once and remembered per image. */
import * as vscode from 'vscode';
import { readSettings } from '../configuration';
import { pushImage } from '../podman/operations';
import { validateImageReference } from '../podman/reference';
import { podmanFor } from '../podmanSetup';
import { requireTrust, showCommandError, type Services } from '../services';
import { OutputTerminal, showOutputTerminal } from '../terminal';
import { pickImage } from './images';

export interface PushOutcome {
  state: 'succeeded' | 'failed' | 'cancelled';
  image: string;
  destination: string;
  error?: string;
}

export async function pushImageCommand(services: Services, argument: unknown, destinationArgument?: string): Promise<PushOutcome | undefined> {
  if (!requireTrust('Push Image')) return undefined;
  const containerfile = argument instanceof vscode.Uri ? argument : undefined;
  const image = typeof argument === 'string' ? argument : await pickImage(services, containerfile, 'Push Image: local image');
  if (!image) return undefined;
  let destination = destinationArgument;
  if (destination === undefined) {
    destination = await vscode.window.showInputBox({
      title: `Bootc: Push ${image} to`,
      prompt: 'The registry reference, e.g. quay.io/me/my-os:latest (log in first with podman login <registry>)',
      value: services.state.pushReferenceFor(image) ?? (image.startsWith('localhost/') ? '' : image),
      validateInput: (text) => validateImageReference(text.trim()),
      ignoreFocusOut: true,
    });
    if (destination === undefined) return undefined;
  }
  destination = destination.trim();
  const problem = validateImageReference(destination);
  if (problem) {
    void vscode.window.showErrorMessage(`Cannot push: ${problem}`);
    return undefined;
  }
  await services.state.rememberPushReference(image, destination);
  const target = destination;
  const pty = new OutputTerminal();
  showOutputTerminal(`Bootc Push: ${target}`, pty);
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Pushing ${image} to ${target}`, cancellable: true }, async (_progress, token) => {
    const cancel = new AbortController();
    token.onCancellationRequested(() => cancel.abort());
    pty.signal.addEventListener('abort', () => cancel.abort());
    try {
      const podman = await podmanFor(readSettings(containerfile));
      const result = await pushImage(podman, image, target, { signal: cancel.signal, onCommandLine: (line) => pty.writeLine(`$ ${line}`, 'info'), onLine: (line, stream) => pty.writeLine(line, stream) });
      if (result.cancelled) return { state: 'cancelled', image, destination: target };
      if (result.ok) {
        pty.writeLine(`Pushed ${target}.`, 'success');
        void vscode.window.showInformationMessage(`Pushed ${image} to ${target}.`);
        return { state: 'succeeded', image, destination: target };
      }
      const error = result.error ?? `podman push exited with ${result.exitCode}`;
      pty.writeLine(error, 'error');
      void vscode.window.showErrorMessage(`Push to ${target} failed: ${error}`);
      return { state: 'failed', image, destination: target, error };
    } catch (error) {
      await showCommandError('Push Image', error);
      return undefined;
    }
  });
}
