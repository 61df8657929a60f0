/**
 * The VS Code side: starts the bootc language server (bundled as server/out/server.js)
 * for Dockerfile/Containerfile documents.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SETTINGS_SECTION } from '../../server/src/settings';
import { newProjectCommand, newProjectOptions } from './commands/newProject';

/** Must match SHOW_DOCUMENTATION_COMMAND in server/src/lsp/codeActions.ts (kept apart so the client does not bundle server code). */
const SHOW_DOCUMENTATION_COMMAND = 'bootc.showRuleDocumentation';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath('server/out/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const outputChannel = vscode.window.createOutputChannel('Bootc', { log: true });
  context.subscriptions.push(outputChannel);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'dockerfile' },
      { scheme: 'untitled', language: 'dockerfile' },
      // Companion files; the server checks a config.toml/config.json only when it is a bootc-image-builder config.
      { scheme: 'file', language: 'sysusers' },
      { scheme: 'file', language: 'tmpfiles' },
      { scheme: 'file', pattern: '**/{config.toml,config.json,kargs.d/*.toml}' },
    ],
    synchronize: {
      configurationSection: SETTINGS_SECTION,
      fileEvents: vscode.workspace.createFileSystemWatcher('**/.bootc-lint.json'),
    },
    outputChannel,
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(SHOW_DOCUMENTATION_COMMAND, async (href: unknown) => {
      if (typeof href !== 'string') return;
      const uri = vscode.Uri.parse(href);
      // The rule pages are Markdown files inside the extension: show them rendered.
      if (uri.scheme === 'file' && uri.path.endsWith('.md')) await vscode.commands.executeCommand('markdown.showPreview', uri);
      else await vscode.env.openExternal(uri);
    }),
    vscode.commands.registerCommand('bootc.newProject', (options?: unknown) => newProjectCommand({ context, log: outputChannel }, newProjectOptions(options))),
  );

  client = new LanguageClient('bootc', 'Bootc', serverOptions, clientOptions);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
