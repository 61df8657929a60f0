/**
 * Hover that teaches bootc (bootc builds only): on an instruction keyword, what the instruction
 * means on an installed system; on `FROM`'s image, the base image; on a path in a `COPY`/`ADD`
 * destination or a `RUN` argument or redirect, the path's lifecycle. The server combines it with
 * the generic Dockerfile hover (`combineHovers`).
 */
import type { Hover, MarkupContent, Position, Range } from 'vscode-languageserver';
import { describeBaseImage, describeInstruction, describePath, findBaseImage, type ImageDistro } from '../knowledge';
import { detectBootc } from '../lint/detect';
import type { Containerfile, Instruction, Stage } from '../lint/model/containerfile';

export interface BootcEditorOptions {
  /**
   * The server's decision (lint mode, the user's `bootcImages`, enable/disable comments); when
   * absent, `isBootcBuild` decides from the file alone.
   */
  bootcBuild?: boolean;
}

/** Whether the file builds a bootc image, by the linter's own detection without settings (base image, labels, lint step, comments). */
export function isBootcBuild(file: Containerfile): boolean {
  return detectBootc(file).enabled;
}

/** The bootc hover at a position, or undefined (not a bootc build, or nothing to teach there). */
export function bootcHover(file: Containerfile, position: Position, options: BootcEditorOptions = {}): Hover | undefined {
  if (!(options.bootcBuild ?? isBootcBuild(file))) return undefined;
  const instruction = instructionAt(file, position);
  if (!instruction) return globalArgHover(file, position);

  const keywordRange = instruction.ast.getInstructionRange();
  if (contains(keywordRange, position)) {
    if (instruction.keyword === 'FROM') {
      const text = fromKeywordText(file, instruction.stage);
      return text ? markdown(text, keywordRange) : undefined;
    }
    const text = describeInstruction(instruction.keyword);
    if (!text) return undefined;
    return markdown(instruction.stage.shipped ? text : `${text}\n\n${BUILDER_NOTE}`, keywordRange);
  }

  if (instruction.keyword === 'FROM') {
    const image = imageWord(instruction);
    if (image && contains(image.range, position)) {
      const text = describeBaseImage(instruction.stage.baseImage);
      return text ? markdown(text, image.range) : undefined;
    }
    return undefined;
  }

  const found = pathAt(instruction, position);
  if (!found) return undefined;
  const text = describePath(found.path, { distro: distroOf(file), builderStage: !instruction.stage.shipped });
  return text ? markdown(text, found.range) : undefined;
}

/**
 * Merges the generic hover with the bootc one: both texts, generic first, separated by a rule;
 * the bootc range when there is one (it is the more specific).
 */
export function combineHovers(generic: Hover | null | undefined, bootc: Hover | undefined): Hover | null {
  if (!generic) return bootc ?? null;
  if (!bootc) return generic;
  return {
    contents: { kind: 'markdown', value: `${hoverText(generic)}\n\n---\n\n${hoverText(bootc)}` },
    range: bootc.range ?? generic.range,
  };
}

function hoverText(hover: Hover): string {
  const contents = hover.contents;
  const one = (content: string | { language: string; value: string }) => (typeof content === 'string' ? content : '```' + content.language + '\n' + content.value + '\n```');
  if (typeof contents === 'string') return contents;
  if (Array.isArray(contents)) return contents.map(one).join('\n\n');
  if ('kind' in contents) return contents.value;
  return one(contents);
}

function markdown(value: string, range: Range): Hover {
  const contents: MarkupContent = { kind: 'markdown', value };
  return { contents, range };
}

/** The distribution family of the shipped base image, when the catalog knows it. */
export function distroOf(file: Containerfile): ImageDistro | undefined {
  const base = file.shippedStages[0]?.baseImage;
  return base ? findBaseImage(base)?.distro : undefined;
}

const BUILDER_NOTE = 'This instruction is in a builder stage: nothing it does reaches the installed system unless a shipped stage copies it with `COPY --from=`.';

/** `ARG` before the first `FROM`: the model keeps only its variables, so find it in the syntax tree. */
function globalArgHover(file: Containerfile, position: Position): Hover | undefined {
  const firstFrom = file.stages[0]?.from.range.start.line ?? Number.MAX_SAFE_INTEGER;
  if (position.line >= firstFrom) return undefined;
  for (const instruction of file.ast.getInstructions()) {
    const range = instruction.getInstructionRange();
    if (instruction.getKeyword().toUpperCase() !== 'ARG' || !contains(range, position)) continue;
    return markdown(`${describeInstruction('ARG')}\n\nThis \`ARG\` comes before the first \`FROM\`: it is global. \`FROM\` lines can use it; inside a stage it is visible only after \`ARG NAME\` is repeated there.`, range);
  }
  return undefined;
}

function fromKeywordText(file: Containerfile, stage: Stage): string | undefined {
  const general = describeInstruction('FROM');
  if (!stage.shipped) {
    return `${general}\n\nThis stage is a builder: nothing it produces reaches the installed system unless a shipped stage copies it with \`COPY --from=\`.`;
  }
  const image = stage.parent ? undefined : describeBaseImage(stage.baseImage);
  const role = stage === file.finalStage ? 'This stage produces the image.' : 'The image is built on this stage.';
  return [general, role, image].filter(Boolean).join('\n\n');
}

/** The instruction whose lines contain the position. */
export function instructionAt(file: Containerfile, position: Position): Instruction | undefined {
  for (const instruction of file.instructions) {
    if (position.line < instruction.range.start.line) break;
    if (position.line <= instruction.range.end.line) return instruction;
  }
  return undefined;
}

export function contains(range: Range, position: Position): boolean {
  if (position.line < range.start.line || position.line > range.end.line) return false;
  if (position.line === range.start.line && position.character < range.start.character) return false;
  if (position.line === range.end.line && position.character > range.end.character) return false;
  return true;
}

/** The image argument of a `FROM` (after `--platform=...` flags). */
function imageWord(instruction: Instruction): { text: string; range: Range } | undefined {
  const word = instruction.ast.getArguments().find((argument) => !argument.getValue().startsWith('--'));
  return word ? { text: word.getValue(), range: word.getRange() } : undefined;
}

/** The path under the cursor: a `COPY`/`ADD` destination (resolved against WORKDIR), or an absolute `RUN` argument or redirect target. */
function pathAt(instruction: Instruction, position: Position): { path: string; range: Range } | undefined {
  const copy = instruction.copy;
  if (copy) {
    const word = copy.destinationWord;
    if (word && copy.destination && contains(word.range, position)) return { path: copy.destination, range: word.range };
    return undefined;
  }
  const run = instruction.run;
  if (!run) return undefined;
  let best: { path: string; range: Range } | undefined;
  for (const command of run.script.commands) {
    if (!contains(command.range, position)) continue;
    const candidates = [...command.args, ...command.redirects.flatMap((redirect) => (redirect.target ? [redirect.target] : []))];
    for (const word of candidates) {
      if (word.dynamic || !contains(word.range, position)) continue;
      const path = staticPath(word.text, command.redirects.some((redirect) => redirect.target === word) ? command.cwd : undefined);
      if (!path) continue;
      // Exec-form words all span the whole argument list: several candidates there means we cannot tell which one is hovered.
      if (best && sameRange(best.range, word.range)) return undefined;
      if (!best || smaller(word.range, best.range)) best = { path, range: word.range };
    }
  }
  return best;
}

/** A path from a word: absolute (or a redirect target resolved against the command's directory), up to any glob. */
function staticPath(text: string, cwd: string | undefined): string | undefined {
  let path = text;
  if (!path.startsWith('/')) {
    if (cwd === undefined || path === '' || path.startsWith('-') || path.startsWith('&')) return undefined;
    path = `${cwd.replace(/\/$/, '')}/${path}`;
  }
  const glob = path.search(/[*?[{]/);
  if (glob >= 0) path = path.slice(0, path.lastIndexOf('/', glob) + 1) || '/';
  // `> /dev/null`, `/proc/cpuinfo`: reads and sinks, not image content.
  if (/^\/(dev|proc|sys)(\/|$)/.test(path)) return undefined;
  return path;
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

function smaller(a: Range, b: Range): boolean {
  const size = (r: Range) => (r.end.line - r.start.line) * 100000 + (r.end.character - r.start.character);
  return size(a) < size(b);
}
