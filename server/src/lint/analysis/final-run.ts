import type { Containerfile, Instruction } from '../model/containerfile';
import type { TextEdit } from '../types';
import { runsBootcContainerLint } from './commands';
import { insertLinesBefore, removeInstruction, replaceInstruction } from '../fixes';

/**
 * The `RUN` that should run `bootc container lint`: the last `RUN` of the final stage, or,
 * when the final stage has none of its own, the last `RUN` of the stages it is built `FROM`.
 */
export function lastRunOfImage(file: Containerfile): Instruction | undefined {
  if (!lastRuns.has(file)) {
    const own = file.finalStage?.instructions.filter((i) => i.keyword === 'RUN') ?? [];
    const shipped = own.length > 0 ? own : file.shippedInstructions.filter((i) => i.keyword === 'RUN');
    lastRuns.set(file, shipped[shipped.length - 1]);
  }
  return lastRuns.get(file);
}

/** Fixes ask once per finding; the answer is per file. */
const lastRuns = new WeakMap<Containerfile, Instruction | undefined>();

/** The instruction's `RUN` runs `bootc container lint` (any flags, anywhere in its script). */
export function runsLint(instruction: Instruction | undefined): boolean {
  return instruction?.run?.script.commands.some(runsBootcContainerLint) ?? false;
}

/**
 * Edits that replace `instruction` with a new `RUN` line. When that `RUN` would come after
 * the `RUN bootc container lint` that ends the image (and so take its place as the last `RUN`),
 * the new `RUN` goes right before the lint step instead and the instruction is removed.
 */
export function replaceWithRun(file: Containerfile, instruction: Instruction, runText: string): TextEdit[] {
  const lint = lastRunOfImage(file);
  if (lint && runsLint(lint) && wouldFollow(file, instruction, lint)) {
    return [insertLinesBefore(file, lint, runText), removeInstruction(file, instruction)];
  }
  return [replaceInstruction(instruction, runText)];
}

/** A `RUN` put where `instruction` is would become the image's last `RUN` instead of `lint`. */
function wouldFollow(file: Containerfile, instruction: Instruction, lint: Instruction): boolean {
  if (instruction.index < lint.index) return false;
  const final = file.finalStage;
  if (!final) return false;
  // Only RUNs of the final stage count once it has one.
  if (instruction.stage === final) return true;
  return lint.stage !== final;
}
