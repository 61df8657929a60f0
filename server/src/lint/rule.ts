import type { Containerfile, Instruction } from './model/containerfile';
import type { FilesystemAnalysis } from './analysis/filesystem';
import type { Fix, LintOptions, Range, RuleMeta, Severity } from './types';

export interface Report {
  range: Range;
  message: string;
  fixes?: Fix[];
  /**
   * Severity of this finding when it differs from the rule's default (e.g. `api-filesystem-content`:
   * error for `/proc`, warning for `/tmp`). A user's severity override for the rule still wins.
   */
  severity?: Severity;
}

/** What a rule sees. Rules are pure: they read the model and report. */
export interface RuleContext {
  file: Containerfile;
  /** The final stage's base is a known bootc image (catalog point 1). */
  knownBootcBase: boolean;
  options: LintOptions;
  /** Shared filesystem effects of the final image, computed on first use. */
  filesystem(): FilesystemAnalysis;
  report(report: Report): void;
}

export interface Rule {
  meta: RuleMeta;
  check(context: RuleContext): void;
}

/** Identity function that gives rule files type checking. */
export function defineRule(rule: Rule): Rule {
  return rule;
}

/** The instructions of the image that ships (final stage and its `FROM` ancestors), optionally of one keyword. Shared: do not modify. */
export function shippedInstructions(file: Containerfile, keyword?: string): readonly Instruction[] {
  if (!keyword) return file.shippedInstructions;
  // Most rules ask for one keyword; files have thousands of instructions.
  let byKeyword = shippedByKeyword.get(file);
  if (!byKeyword) {
    byKeyword = new Map();
    for (const instruction of file.shippedInstructions) {
      const list = byKeyword.get(instruction.keyword);
      if (list) list.push(instruction);
      else byKeyword.set(instruction.keyword, [instruction]);
    }
    shippedByKeyword.set(file, byKeyword);
  }
  return byKeyword.get(keyword) ?? [];
}

const shippedByKeyword = new WeakMap<Containerfile, Map<string, Instruction[]>>();
