import { DockerfileParser, type Dockerfile } from 'dockerfile-ast';
import type { TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';

/** Code action kind of "fix all", a sub-kind of `source.fixAll` so `editor.codeActionsOnSave` can ask for it. */
export const FIX_ALL_KIND = 'source.fixAll.bootc';

/** Client command that opens a rule's documentation page (registered by the VS Code client). */
export const SHOW_DOCUMENTATION_COMMAND = 'bootc.showRuleDocumentation';

const INSTRUCTION_IGNORE = /^\s*#\s*bootc-lint\s+ignore\s*=\s*([\w\-, ]*)$/i;
const GLOBAL_IGNORE = /^\s*#\s*bootc-lint\s+global\s+ignore\s*=\s*([\w\-, ]*)$/i;

/** The document's syntax tree, for the functions below (parse once per request). */
export function parse(document: TextDocument): Dockerfile {
  return DockerfileParser.parse(document.getText());
}

function lineText(document: TextDocument, line: number): string {
  return document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$|\r$/, '');
}

/** Adds `id` to the list of an ignore comment line, or undefined when it is already there. */
function extendIgnoreList(line: number, text: string, list: string, id: string): TextEdit | undefined {
  const ids = list.split(',').map((s) => s.trim()).filter(Boolean);
  if (ids.includes(id)) return undefined;
  const end = text.trimEnd().length;
  const separator = ids.length === 0 || text.trimEnd().endsWith(',') ? '' : ',';
  return { range: { start: { line, character: end }, end: { line, character: end } }, newText: `${separator}${id}` };
}

/**
 * "Disable <id> for this instruction": a `# bootc-lint ignore=<id>` comment on the line above
 * the instruction that contains `line`, with its indentation, or `<id>` added to such a
 * comment already there. Undefined when `line` is not inside an instruction.
 */
export function disableForInstructionEdit(document: TextDocument, line: number, ruleId: string, ast: Dockerfile = parse(document)): TextEdit | undefined {
  const instruction = ast
    .getInstructions()
    .find((i) => i.getRange().start.line <= line && line <= i.getRange().end.line);
  if (!instruction) return undefined;
  const start = instruction.getRange().start.line;
  if (start > 0) {
    const above = lineText(document, start - 1);
    const match = INSTRUCTION_IGNORE.exec(above);
    if (match) return extendIgnoreList(start - 1, above, match[1], ruleId);
  }
  const indent = /^\s*/.exec(lineText(document, start))?.[0] ?? '';
  return { range: { start: { line: start, character: 0 }, end: { line: start, character: 0 } }, newText: `${indent}# bootc-lint ignore=${ruleId}\n` };
}

/**
 * "Disable <id> for this file": `<id>` added to an existing `# bootc-lint global ignore=`
 * comment, or a new one at the top of the file, after the parser directives
 * (`# syntax=`, `# escape=`) which must stay first.
 */
export function disableForFileEdit(document: TextDocument, ruleId: string, ast: Dockerfile = parse(document)): TextEdit | undefined {
  // dockerfile-ast takes `# bootc-lint global ignore=x` on the first lines for a parser directive.
  for (const comment of [...ast.getDirectives(), ...ast.getComments()]) {
    const line = comment.getRange().start.line;
    const text = lineText(document, line);
    const match = GLOBAL_IGNORE.exec(text);
    if (match) return extendIgnoreList(line, text, match[1], ruleId);
  }
  const directives = ast.getDirectives();
  const line = directives.length > 0 ? directives[directives.length - 1].getRange().start.line + 1 : 0;
  if (line >= document.lineCount) {
    // The file is only directives, without a final newline.
    const end = document.positionAt(document.getText().length);
    return { range: { start: end, end }, newText: `\n# bootc-lint global ignore=${ruleId}\n` };
  }
  return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `# bootc-lint global ignore=${ruleId}\n` };
}

/** One edit turning `document`'s text into `newText`: the changed middle, common prefix and suffix kept. */
export function minimalEdit(document: TextDocument, newText: string): TextEdit | undefined {
  const oldText = document.getText();
  if (oldText === newText) return undefined;
  let prefix = 0;
  const shorter = Math.min(oldText.length, newText.length);
  while (prefix < shorter && oldText.charCodeAt(prefix) === newText.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && oldText.charCodeAt(oldText.length - 1 - suffix) === newText.charCodeAt(newText.length - 1 - suffix)) suffix++;
  // Never split a \r\n pair or a surrogate pair.
  while (prefix > 0 && isPairTail(oldText, prefix)) prefix--;
  while (suffix > 0 && isPairTail(oldText, oldText.length - suffix)) suffix--;
  return {
    range: { start: document.positionAt(prefix), end: document.positionAt(oldText.length - suffix) },
    newText: newText.slice(prefix, newText.length - suffix),
  };
}

/** True when the character at `offset` is the second half of a `\r\n` or surrogate pair. */
function isPairTail(text: string, offset: number): boolean {
  if (offset <= 0 || offset >= text.length) return false;
  const previous = text.charCodeAt(offset - 1);
  const current = text.charCodeAt(offset);
  return (previous === 13 && current === 10) || (previous >= 0xd800 && previous <= 0xdbff && current >= 0xdc00 && current <= 0xdfff);
}

/** Whether a code action of `kind` is wanted by the request's `only` filter (hierarchical, `a` matches `a.b`). */
export function kindRequested(only: readonly string[] | undefined, kind: string): boolean {
  return !only || only.some((filter) => filter === '' || kind === filter || kind.startsWith(`${filter}.`));
}
