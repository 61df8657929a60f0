/**
 * Completion that teaches bootc: base images and their tags in `FROM`, the directories bootc
 * projects write to in `COPY`/`ADD` destinations and absolute `RUN` arguments, and
 * `RUN bootc container lint` on a new line of the final stage. Reads the line as typed so it
 * works on incomplete instructions; the model supplies stages, heredocs and what already exists.
 */
import { CompletionItemKind, type CompletionItem, type MarkupContent, type Position, type Range } from 'vscode-languageserver';
import { BASE_IMAGES, COMPLETION_DIRECTORIES, DOCS, findBaseImage, type BaseImage } from '../knowledge';
import type { Containerfile, Instruction, Stage } from '../lint/model/containerfile';
import { instructionAt, isBootcBuild, type BootcEditorOptions } from './bootc-hover';

const LINT_COMMAND = 'bootc container lint';

/** Completion items at a position (empty when there is nothing bootc-specific to offer). */
export function bootcCompletions(file: Containerfile, position: Position, options: BootcEditorOptions = {}): CompletionItem[] {
  const bootc = options.bootcBuild ?? isBootcBuild(file);
  const line = file.lines.lineText(position.line);
  const before = line.slice(0, position.character);
  if (/^\s*#/.test(before)) return [];
  const instruction = instructionAt(file, position);
  if (instruction && inHeredocBody(instruction, position)) return [];

  const startsHere = !instruction || instruction.range.start.line === position.line;
  if (startsHere && /^\s*[A-Za-z]*$/.test(before)) {
    // Typing a keyword on a line of its own (not inside an existing instruction's keyword).
    const typed = before.trim().toUpperCase();
    const range = wordRange(line, position);
    const alone = line.slice(range.end.character).trim() === '';
    return bootc && alone && 'RUN'.startsWith(typed) && lintWanted(file, position) ? [lintItem(`RUN ${LINT_COMMAND}`, range)] : [];
  }

  const keyword = instruction?.keyword ?? before.trim().split(/\s+/)[0].toUpperCase();
  const args = argumentsBefore(file, instruction, position, before);
  if (args === undefined) return [];
  const { words, current } = splitWords(args);
  const range = wordRange(line, position);

  switch (keyword) {
    case 'FROM':
      return fromCompletions(words, current, range, position, bootc);
    case 'COPY':
    case 'ADD':
      if (!bootc || !shipped(instruction) || args.trimStart().startsWith('[')) return [];
      // The destination follows at least one source (`--chown=...` flags are not sources).
      if (words.some((word) => !word.startsWith('--')) && (current === '' || current.startsWith('/'))) return directoryItems(range);
      return [];
    case 'RUN': {
      if (!bootc) return [];
      if (startsHere && LINT_COMMAND.startsWith(args.trimStart()) && lintWanted(file, position)) {
        // `RUN ` or `RUN boo`: the rest of the line is the lint command.
        const start = position.character - args.trimStart().length;
        return [lintItem(LINT_COMMAND, { start: { line: position.line, character: start }, end: range.end })];
      }
      if (!shipped(instruction)) return [];
      const script = args.replace(/^\s*(--\S+\s+)*/, ''); // `--mount=...` flags come before the script
      if (script.startsWith('[') || current.startsWith('--')) return [];
      if (current.startsWith('/') && !commandPosition(script.slice(0, script.length - current.length))) return directoryItems(range);
      return [];
    }
    default:
      return [];
  }
}

// ---- FROM -----------------------------------------------------------------------------------

function fromCompletions(words: string[], current: string, range: Range, position: Position, bootc: boolean): CompletionItem[] {
  // Past the image (`FROM image AS |`), in a flag, or a variable: nothing to offer.
  if (words.some((word) => !word.startsWith('--')) || current.startsWith('--') || current.includes('$')) return [];
  const colon = current.lastIndexOf(':');
  if (colon > current.lastIndexOf('/')) {
    const image = findBaseImage(current.slice(0, colon));
    if (!image) return [];
    const tagRange: Range = { start: { line: position.line, character: range.start.character + colon + 1 }, end: range.end };
    return image.tags.map((tag, index) => ({
      label: tag.tag,
      kind: CompletionItemKind.Value,
      detail: `${image.title}: ${tag.description}`,
      sortText: String(index).padStart(3, '0'),
      textEdit: { range: tagRange, newText: tag.tag },
    }));
  }
  const typed = current.toLowerCase();
  const items: CompletionItem[] = [];
  BASE_IMAGES.forEach((image, imageIndex) => {
    const match = matchImage(image, typed);
    if (match === undefined && !(bootc && typed === '')) return;
    image.tags.forEach((tag, tagIndex) => {
      const reference = `${image.repository}:${tag.tag}`;
      items.push({
        label: reference,
        kind: CompletionItemKind.Module,
        detail: `${image.title}: ${tag.description}`,
        documentation: imageDocumentation(image),
        sortText: `${String(imageIndex).padStart(3, '0')}${String(tagIndex).padStart(3, '0')}`,
        // Matched on a later path segment (`fedora-b`): filter on the text from that segment on.
        filterText: match ? reference.slice(match) : undefined,
        textEdit: { range, newText: reference },
      });
    });
  });
  return items;
}

/**
 * Where in the repository the typed text matches: 0 when the repository starts with it (and the
 * text names a registry or namespace, or the file is bootc), the offset of the image name when
 * the text starts that name (two characters at least), undefined otherwise. `FROM node` matches nothing.
 */
function matchImage(image: BaseImage, typed: string): number | undefined {
  if (typed === '') return undefined;
  if (image.repository.startsWith(typed) && typed.includes('/')) return 0;
  const nameStart = image.repository.lastIndexOf('/') + 1;
  if (typed.length >= 2 && image.repository.slice(nameStart).startsWith(typed)) return nameStart;
  // A registry typed without the slash yet (`quay.io`): offer once it is a whole registry name.
  const registry = image.repository.split('/')[0];
  if (typed === registry) return 0;
  return undefined;
}

function imageDocumentation(image: BaseImage): MarkupContent {
  const login = image.needsLogin ? '\n\nPulling needs `podman login` to the registry.' : '';
  return { kind: 'markdown', value: `${image.description}${login}\n\n[Documentation](${image.docs})` };
}

// ---- directories ----------------------------------------------------------------------------

function directoryItems(range: Range): CompletionItem[] {
  return COMPLETION_DIRECTORIES.map((directory, index) => ({
    label: `${directory.path}/`,
    kind: CompletionItemKind.Folder,
    detail: directory.purpose,
    documentation: { kind: 'markdown', value: `${directory.text}\n\n[Documentation](${directory.docs})` },
    sortText: String(index).padStart(3, '0'),
    textEdit: { range, newText: `${directory.path}/` },
  }));
}

/** Text before `current` ends where a command name goes (start, `&&`, `;`, `|`, `(`, `$(`...). */
function commandPosition(text: string): boolean {
  const trimmed = text.replace(/\s+$/, '');
  if (trimmed === '') return true;
  return /(&&|\|\||[;|&(`{!]|\$\(|\b(then|do|else|elif|if|while|until))$/.test(trimmed);
}

// ---- RUN bootc container lint ---------------------------------------------------------------

function lintItem(text: string, range: Range): CompletionItem {
  return {
    label: text,
    kind: CompletionItemKind.Keyword,
    detail: 'Check the image with bootc\'s own lints at build time',
    documentation: {
      kind: 'markdown',
      value: `\`bootc container lint\` checks the image for problems that break or surprise installed systems (content in \`/var\` without \`tmpfiles.d\` entries, several kernels, files in \`/usr/etc\`, ...) and fails the build on errors. Make it the last step.\n\n[Documentation](${DOCS.containerLint})`,
    },
    sortText: '000',
    preselect: true,
    textEdit: { range, newText: text },
  };
}

/** On a line of the final stage, and the file does not run the lint yet. */
function lintWanted(file: Containerfile, position: Position): boolean {
  const final = file.finalStage;
  if (!final || position.line <= final.from.range.end.line) return false;
  if (stageAt(file, position) !== final) return false;
  return !file.instructions.some((instruction) => instruction.keyword === 'RUN' && /\bbootc\s+container\s+lint\b/.test(textOf(file, instruction.range)));
}

function stageAt(file: Containerfile, position: Position): Stage | undefined {
  let found: Stage | undefined;
  for (const stage of file.stages) if (stage.from.range.start.line < position.line) found = stage;
  return found;
}

// ---- helpers --------------------------------------------------------------------------------

function shipped(instruction: Instruction | undefined): boolean {
  return instruction?.stage.shipped ?? true;
}

function textOf(file: Containerfile, range: Range): string {
  return file.text.slice(file.lines.offsetAt(range.start), file.lines.offsetAt(range.end));
}

/** Heredoc bodies (and their terminators) are file content or script, not arguments. */
function inHeredocBody(instruction: Instruction, position: Position): boolean {
  const heredocs = (instruction.ast as unknown as { getHeredocs?(): Array<{ getStartRange(): Range }> }).getHeredocs?.() ?? [];
  return heredocs.some((heredoc) => position.line > heredoc.getStartRange().start.line);
}

/**
 * The instruction's arguments from after the keyword to the cursor, continuation lines joined,
 * with leading `--flag` words kept (callers skip them). Undefined when the cursor is in the keyword.
 */
function argumentsBefore(file: Containerfile, instruction: Instruction | undefined, position: Position, before: string): string | undefined {
  let text: string;
  if (instruction && instruction.range.start.line < position.line) {
    const start = file.lines.offsetAt(instruction.ast.getInstructionRange().end);
    text = file.text.slice(start, file.lines.offsetAt(position));
  } else {
    const match = /^\s*[A-Za-z]+(?=\s)/.exec(before);
    if (!match) return undefined;
    text = before.slice(match[0].length);
  }
  // Escaped newlines join lines; comment lines inside a continued instruction do not count.
  return text.replace(/\\\r?\n(\s*#[^\n]*\n)*/g, ' ');
}

/** Words before the one being typed, and the one being typed ('' after a space). */
function splitWords(args: string): { words: string[]; current: string } {
  const match = /(\S*)$/.exec(args)!;
  const current = match[1];
  const words = args.slice(0, args.length - current.length).trim().split(/\s+/).filter((word) => word !== '');
  return { words, current };
}

/** The word around the cursor on its line: from the last space before it to the next space after it. */
function wordRange(line: string, position: Position): Range {
  let start = position.character;
  while (start > 0 && !/\s/.test(line[start - 1])) start--;
  let end = position.character;
  while (end < line.length && !/\s/.test(line[end])) end++;
  return { start: { line: position.line, character: start }, end: { line: position.line, character: end } };
}

