/**
 * The bootc language server's client. It starts lazily, when the first Containerfile or companion
 * file is open (or a build command needs the server's model), so activating the extension stays cheap.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SETTINGS_SECTION } from '../../server/src/settings';

const LANGUAGE_ID = 'dockerfile';

/** Containerfiles, and the companion files the server checks (a config.toml/config.json only when it is a bootc-image-builder config). */
const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: LANGUAGE_ID },
  { scheme: 'untitled', language: LANGUAGE_ID },
  { scheme: 'file', language: 'sysusers' },
  { scheme: 'file', language: 'tmpfiles' },
  { scheme: 'file', pattern: '**/{config.toml,config.json,kargs.d/*.toml}' },
] satisfies vscode.DocumentFilter[];

function isLinted(document: vscode.TextDocument): boolean {
  return vscode.languages.match(DOCUMENT_SELECTOR, document) > 0;
}

export class BootcLanguageClient implements vscode.Disposable {
  private starting: Promise<LanguageClient> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly outputChannel: vscode.LogOutputChannel,
  ) {
    if (vscode.workspace.textDocuments.some(isLinted)) void this.start();
    else {
      const listener = vscode.workspace.onDidOpenTextDocument((document) => {
        if (!isLinted(document)) return;
        listener.dispose();
        void this.start();
      });
      this.subscriptions.push(listener);
    }
  }

  /** The running client, started now if no Containerfile was open yet. */
  start(): Promise<LanguageClient> {
    this.starting ??= this.create();
    return this.starting;
  }

  private async create(): Promise<LanguageClient> {
    const module = this.context.asAbsolutePath('server/out/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
    };
    const watcher = vscode.workspace.createFileSystemWatcher('**/.bootc-lint.json');
    this.subscriptions.push(watcher);
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      synchronize: { configurationSection: SETTINGS_SECTION, fileEvents: watcher },
      outputChannel: this.outputChannel,
      // Not `bootc`: that is the owner of the `$bootc` problem matcher, whose markers VS Code clears when a task ends.
      diagnosticCollectionName: 'bootc-lint',
    };
    const client = new LanguageClient('bootc', 'Bootc', serverOptions, clientOptions);
    await client.start();
    return client;
  }

  /** Sends a bootc request; undefined when the server cannot answer (e.g. it failed to start). */
  async request<P, R>(method: string, params: P): Promise<R | undefined> {
    try {
      const client = await this.start();
      return (await client.sendRequest<R | null>(method, params)) ?? undefined;
    } catch (error) {
      this.outputChannel.warn(`bootc: ${method} failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  async stop(): Promise<void> {
    const starting = this.starting;
    this.starting = undefined;
    if (starting) await (await starting.catch(() => undefined))?.stop();
  }

  dispose(): void {
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
  }
}
