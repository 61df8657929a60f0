import type { Language, TreeCursor } from 'web-tree-sitter';

/** What a node's type id says, looked up once per language instead of asked per node. */
interface TypeTable {
  types: string[];
  fields: Array<string | null>;
  /** By type id; filled on first sight. */
  named: Array<boolean | undefined>;
  language: Language;
}

const tables = new WeakMap<Language, TypeTable>();

function tableOf(language: Language): TypeTable {
  let table = tables.get(language);
  if (!table) tables.set(language, (table = { types: language.types, fields: language.fields, named: [], language }));
  return table;
}

/**
 * A tree cursor that reads each property of the current node across the wasm boundary at
 * most once (every read marshals the cursor into wasm memory), and derives whether a node
 * is named from its type id instead of asking for every node.
 */
export class Cursor {
  private typeId = -1;
  private start = -1;
  private end = -1;
  private fieldId = -1;
  private readonly table: TypeTable;

  constructor(
    private readonly raw: TreeCursor,
    language: Language,
  ) {
    this.table = tableOf(language);
  }

  private get type(): number {
    if (this.typeId < 0) this.typeId = this.raw.nodeTypeId;
    return this.typeId;
  }

  /** As `TreeCursor.nodeType`: the grammar's name, `ERROR` for error nodes. */
  get nodeType(): string {
    return this.table.types[this.type] || 'ERROR';
  }

  get nodeIsNamed(): boolean {
    const id = this.type;
    let named = this.table.named[id];
    if (named === undefined) this.table.named[id] = named = this.table.language.nodeTypeIsNamed(id);
    return named;
  }

  get startIndex(): number {
    if (this.start < 0) this.start = this.raw.startIndex;
    return this.start;
  }

  get endIndex(): number {
    if (this.end < 0) this.end = this.raw.endIndex;
    return this.end;
  }

  get currentFieldName(): string | null {
    if (this.fieldId < 0) this.fieldId = this.raw.currentFieldId;
    return this.table.fields[this.fieldId] ?? null;
  }

  gotoFirstChild(): boolean {
    return this.moved(this.raw.gotoFirstChild());
  }

  gotoNextSibling(): boolean {
    return this.moved(this.raw.gotoNextSibling());
  }

  gotoParent(): boolean {
    return this.moved(this.raw.gotoParent());
  }

  /** An independent cursor at the same node; `delete` it when done. */
  copy(): Cursor {
    const copy = new Cursor(this.raw.copy(), this.table.language);
    copy.typeId = this.typeId;
    copy.start = this.start;
    copy.end = this.end;
    copy.fieldId = this.fieldId;
    return copy;
  }

  delete(): void {
    this.raw.delete();
  }

  private moved(moved: boolean): boolean {
    if (moved) this.typeId = this.start = this.end = this.fieldId = -1;
    return moved;
  }
}
