/**
 * Public types of the pure lint core. Positions are 0-based (LSP convention);
 * the CLI converts to 1-based when printing.
 */

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeverityOverride = Severity | 'off';
export type LintMode = 'auto' | 'always' | 'never';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

/** A mechanical fix. The quick fix, "fix all" and the CLI's `--fix` all apply this same object. */
export interface Fix {
  title: string;
  edits: TextEdit[];
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  range: Range;
  /** Alternatives, best first. `fixes[0]` is what "fix all" and `--fix` apply. */
  fixes: Fix[];
}

export type RuleCategory =
  | 'oci-config'
  | 'filesystem'
  | 'packages'
  | 'users-secrets'
  | 'kernel-boot'
  | 'build-environment'
  | 'build-arguments'
  | 'good-practice';

export interface RuleMeta {
  /** Stable public kebab-case id, e.g. `dnf-missing-clean`. */
  id: string;
  defaultSeverity: Severity;
  category: RuleCategory;
  /** One line for the README table and `--help`. */
  description: string;
  /** Two or three sentences shown on hover: what happens on an installed system and what to do. */
  explanation: string;
  /** True when the rule offers at least one mechanical fix. */
  fixable: boolean;
}

/** Project configuration (`.bootc-lint.json`), also the shape of the editor's `bootc.lint.*` settings. */
export interface LintConfig {
  mode?: LintMode;
  /** Severity per rule id. */
  rules?: Record<string, SeverityOverride>;
  /** Glob patterns (`*` matches within a path segment, `**` across) of base images to treat as bootc. */
  bootcImages?: string[];
}

export interface LintOptions {
  config?: LintConfig;
  /** Build target stage (`podman build --target`); default: the last stage. */
  target?: string;
  /**
   * Reads a build-context file relative to the Containerfile's folder (for `COPY` of
   * `kargs.d/*.toml`). Returns undefined when it cannot be read.
   */
  readContextFile?: (relativePath: string) => string | undefined;
}

export interface LintResult {
  /** Whether bootc rules applied to this file, and why. */
  bootc: { enabled: boolean; reason: string };
  findings: Finding[];
}
