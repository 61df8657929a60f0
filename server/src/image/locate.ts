/**
 * Where to show what podman or bootc reported about a built image.
 * - A failed build step: stage N = N-th FROM of the file (buildah numbers stages by position even
 *   when it skips unused ones; ARGs before the first FROM are not steps), step M = M-th
 *   instruction of that stage with FROM as step 1. When the printed instruction text does not
 *   match the instruction at that position (old buildah's global counter, or podman 4.3 reading a
 *   heredoc body as instructions), the instruction whose normalized text matches wins; a heredoc
 *   in the failing stage gets a reason saying this podman does not support heredocs.
 * - An image-lint finding: (1) sysusers → the `useradd`/`groupadd` naming the user;
 *   (2) the last shipped write of (a parent of) a path the finding names; (3) an instruction
 *   typical for that lint (package installs for var-log/var-tmpfiles, kernel installs or dracut
 *   for kernel, /usr/etc writes for etc-usretc, /boot writes for nonempty-boot);
 *   (4) a `COPY … /` of a whole tree that may hold the path; (5) the final stage's FROM, with the
 *   reason "it likely comes from the base image".
 */
import type { BuildFailure } from './build-output';
import { normalizeInstruction } from './build-output';
import type { ContainerLintFinding } from './container-lint';
import { analyzeFilesystem, isUnder, type FilesystemAnalysis, type FsWrite } from '../lint/analysis/filesystem';
import type { Containerfile, Instruction } from '../lint/model/containerfile';
import type { Range } from '../lint/types';

export interface LocatedInstruction {
  instruction?: Instruction;
  range: Range;
  /** Why this place was chosen, shown with the diagnostic. */
  reason: string;
}

const PACKAGE_MANAGERS = new Set(['dnf', 'dnf5', 'yum', 'microdnf', 'rpm-ostree', 'apt-get', 'apt', 'rpm']);
const TYPICAL: Record<string, (instruction: Instruction) => boolean> = {
  'var-log': (i) => runsAny(i, PACKAGE_MANAGERS),
  'var-tmpfiles': (i) => runsAny(i, PACKAGE_MANAGERS),
  kernel: (i) => runsAny(i, new Set(['dracut', 'kernel-install'])) || installsPackageMatching(i, /^kernel(-core|-modules)?$/),
  sysusers: (i) => runsAny(i, new Set(['useradd', 'groupadd', 'adduser', 'addgroup'])),
};

/** The instruction of step `step` in stage `stage` (both 1-based, FROM = step 1), checked against the printed text when given. */
export function locateBuildStep(file: Containerfile, stage: number, step: number, instructionText?: string): LocatedInstruction | undefined {
  const stageModel = file.stages[stage - 1];
  const wanted = instructionText ? normalizeInstruction(instructionText) : undefined;
  const atPosition = stageModel ? [stageModel.from, ...stageModel.instructions.filter((i) => i !== stageModel.from)][step - 1] : undefined;
  if (atPosition && (!wanted || matches(file, atPosition, wanted))) return { instruction: atPosition, range: atPosition.range, reason: `step ${step} of stage ${stage}` };
  if (wanted) {
    const candidates = (stageModel ? [stageModel.from, ...stageModel.instructions] : file.instructions).filter((i) => matches(file, i, wanted));
    const found = candidates[candidates.length - 1];
    if (found) return { instruction: found, range: found.range, reason: `the instruction podman printed: ${instructionText}` };
  }
  return atPosition ? { instruction: atPosition, range: atPosition.range, reason: `step ${step} of stage ${stage}` } : undefined;
}

/** Where a failed build is shown: the failing instruction, else the file line the builder named, else line 1. */
export function locateBuildFailure(file: Containerfile, failure: BuildFailure): LocatedInstruction {
  const located = failure.stage > 0 ? locateBuildStep(file, failure.stage, failure.step, failure.instruction) : undefined;
  if (located) {
    const heredoc = located.instruction?.stage.instructions.some((i) => /<<-?\s*['"]?\w+/.test(file.text.slice(file.lines.offsetAt(i.range.start), file.lines.offsetAt(i.range.end))));
    return heredoc ? { ...located, reason: `${located.reason}; note: this podman reads heredoc bodies as instructions (heredocs need buildah ≥ 1.33 / podman ≥ 4.8)` } : located;
  }
  if (failure.line) {
    const line = failure.line - 1;
    return { range: { start: { line, character: 0 }, end: { line, character: file.text.split('\n')[line]?.length ?? 0 } }, reason: `the builder named line ${failure.line}` };
  }
  return { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, reason: 'podman did not say which step failed' };
}

/** The instruction that most likely caused a `bootc container lint` finding. */
export function locateImageLintFinding(file: Containerfile, finding: ContainerLintFinding, filesystem: FilesystemAnalysis = analyzeFilesystem(file)): LocatedInstruction {
  const shipped = file.shippedInstructions;
  if (finding.lint === 'sysusers') {
    for (const name of finding.items) {
      const creator = [...shipped].reverse().find((i) => i.run?.script.commands.some((c) => ['useradd', 'groupadd', 'adduser', 'addgroup'].includes(c.name) && c.args.some((a) => a.text === name)));
      if (creator) return { instruction: creator, range: creator.range, reason: `it creates ${name} without a sysusers.d entry` };
    }
  }
  // A write of the path itself (or of something under it) wins over one of a parent folder, and a
  // deeper parent over a shallower one; a whole tree copied into `/` comes only after the typical steps.
  const writes = filesystem.shipped.filter((w) => w.path !== '/');
  for (const path of finding.paths) {
    const write = [...writes].reverse().find((w) => isUnder(w.path, path)) ?? deepestParentWrite(writes, path);
    if (write) return { instruction: write.instruction, range: write.range, reason: `it writes ${write.path}` };
  }
  const typical = TYPICAL[finding.lint];
  const likely = typical ? [...shipped].reverse().find(typical) : undefined;
  if (likely) return { instruction: likely, range: likely.range, reason: `${finding.lint} findings usually come from this kind of step` };
  const tree = [...shipped].reverse().find((i) => i.copy?.destination === '/');
  if (tree) return { instruction: tree, range: tree.range, reason: 'it copies a whole tree into /' };
  const from = file.finalStage?.from;
  return { instruction: from, range: from?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, reason: 'nothing in this file writes it: it likely comes from the base image' };
}

/** The latest of the writes of `path`'s deepest written parent folder. */
function deepestParentWrite(writes: readonly FsWrite[], path: string): FsWrite | undefined {
  let best: FsWrite | undefined;
  for (const write of writes) {
    if (isUnder(path, write.path) && (!best || write.path.length >= best.path.length)) best = write;
  }
  return best;
}

function matches(file: Containerfile, instruction: Instruction, normalizedPrinted: string): boolean {
  const text = normalizeInstruction(file.text.slice(file.lines.offsetAt(instruction.range.start), file.lines.offsetAt(instruction.range.end)));
  return text === normalizedPrinted || text.startsWith(normalizedPrinted) || normalizedPrinted.startsWith(text);
}

function runsAny(instruction: Instruction, names: Set<string>): boolean {
  return instruction.run?.script.commands.some((command) => names.has(command.name)) ?? false;
}

function installsPackageMatching(instruction: Instruction, pattern: RegExp): boolean {
  return instruction.run?.script.commands.some((command) => PACKAGE_MANAGERS.has(command.name) && command.args.some((arg) => pattern.test(arg.text))) ?? false;
}
