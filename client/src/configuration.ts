/**
 * Reads the `bootc.*` settings for a resource through the one typed settings module
 * (server/src/settings.ts), so the client and the server sanitise them the same way.
 */
import * as vscode from 'vscode';
import { sanitizeSettings, SETTINGS_SECTION, type BootcSettings } from '../../server/src/settings';

/** The settings that apply to `scope` (a Containerfile or its folder), invalid values replaced by defaults. */
export function readSettings(scope?: vscode.Uri): BootcSettings {
  const section = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  const raw: Record<string, unknown> = {};
  for (const group of ['lint', 'trace', 'podman', 'build', 'run', 'farm', 'disk', 'vm']) raw[group] = section.get(group);
  return sanitizeSettings(raw).settings;
}
