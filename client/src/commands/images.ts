/** Choosing an image for Run / Push / Lint: the one built from this Containerfile first. */
import * as vscode from 'vscode';
import { validateImageReference } from '../podman/reference';
import type { Services } from '../services';

export async function pickImage(services: Services, containerfile: vscode.Uri | undefined, title: string): Promise<string | undefined> {
  const built = services.state.builtImages();
  const own = containerfile ? services.state.tagFor(containerfile) : undefined;
  const candidates = [...new Set([...(own ? [own] : []), ...built])];
  const value = await vscode.window.showInputBox({
    title: `Bootc: ${title}`,
    prompt: candidates.length > 1 ? `Recently built: ${candidates.slice(0, 5).join(', ')}` : 'A local image, e.g. localhost/my-os:latest',
    value: candidates[0] ?? '',
    validateInput: (text) => validateImageReference(text.trim()),
    ignoreFocusOut: true,
  });
  return value?.trim() || undefined;
}
