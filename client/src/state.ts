/**
 * What the extension remembers between commands and sessions (workspace state): the tag last
 * built from each Containerfile, the registry reference last pushed for each image, and the
 * last build for the status bar. Secret values are never stored here.
 */
import * as vscode from 'vscode';

export interface LastBuild {
  containerfile: string;
  image: string;
  state: 'running' | 'succeeded' | 'failed' | 'cancelled';
  finishedAt?: number;
}

const TAGS = 'bootc.tags';
const PUSH_REFERENCES = 'bootc.pushReferences';
const LAST_BUILD = 'bootc.lastBuild';

export class RememberedState {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly memento: vscode.Memento) {}

  tagFor(containerfile: vscode.Uri): string | undefined {
    return this.memento.get<Record<string, string>>(TAGS, {})[containerfile.toString()];
  }

  async rememberTag(containerfile: vscode.Uri, tag: string): Promise<void> {
    const tags = { ...this.memento.get<Record<string, string>>(TAGS, {}), [containerfile.toString()]: tag };
    await this.memento.update(TAGS, tags);
  }

  pushReferenceFor(image: string): string | undefined {
    return this.memento.get<Record<string, string>>(PUSH_REFERENCES, {})[image];
  }

  async rememberPushReference(image: string, reference: string): Promise<void> {
    await this.memento.update(PUSH_REFERENCES, { ...this.memento.get<Record<string, string>>(PUSH_REFERENCES, {}), [image]: reference });
  }

  get lastBuild(): LastBuild | undefined {
    return this.memento.get<LastBuild>(LAST_BUILD);
  }

  async setLastBuild(build: LastBuild): Promise<void> {
    await this.memento.update(LAST_BUILD, build);
    await vscode.commands.executeCommand('setContext', 'bootc.hasBuilt', true);
    this.changed.fire();
  }

  /** Images built from this workspace, most recent first, for pickers. */
  builtImages(): string[] {
    const images = Object.values(this.memento.get<Record<string, string>>(TAGS, {}));
    const last = this.lastBuild?.image;
    return [...new Set([...(last ? [last] : []), ...images.reverse()])];
  }
}
