/**
 * One parsed Containerfile model per document version, for hover and completion: they read the
 * model and never re-lint. Parsing again on every request would cost a few milliseconds on a
 * large file; a hover or a completion on the model costs a fraction of one.
 */
import { parseContainerfile, ScriptCache, type Containerfile } from '../lint/model/containerfile';

export class EditorModels {
  private readonly models = new Map<string, { version: number; text: string; file: Containerfile }>();
  /** Its own cache, so that the editor features never evict the linter's parsed scripts. */
  private readonly scripts = new ScriptCache();

  /**
   * The model of this version of the document, parsed once. Needs the shell parser loaded
   * (`loadShellParser`, done by `Linter.create`). The text is compared too: a client may
   * reuse a version number after a close and reopen.
   */
  get(uri: string, version: number, text: string): Containerfile {
    const known = this.models.get(uri);
    if (known && known.version === version && known.text === text) return known.file;
    const file = parseContainerfile(text, undefined, this.scripts);
    this.scripts.sweep();
    this.models.set(uri, { version, text, file });
    return file;
  }

  /** Forgets a closed document. */
  delete(uri: string): void {
    this.models.delete(uri);
  }

  /** How many documents have a model (for tests). */
  get size(): number {
    return this.models.size;
  }
}
