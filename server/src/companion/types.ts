/**
 * Types of the companion-file validators. Positions, ranges, edits and severities are the lint
 * core's; a companion fix may say whether an editor can apply it on its own.
 */
import type { Finding as LintFinding, Fix as LintFix, Position, Range, Severity, TextEdit } from '../lint/types';

export type { Position, Range, Severity, TextEdit };

export interface Fix extends LintFix {
  /** The fix an editor may apply on its own (Fix all, `--fix`, preferred quick fix). */
  preferred?: boolean;
}

/** A lint finding whose fixes say whether they are preferred. */
export interface Finding extends LintFinding {
  fixes: Fix[];
}

/** The companion files of a bootc image that have their own checks. */
export type CompanionKind = 'bib-config-toml' | 'bib-config-json' | 'kargs' | 'sysusers' | 'tmpfiles';

/** A check of a companion file, described for settings, hovers and docs. */
export interface CompanionRule {
  id: string;
  /** The companion kinds the check runs on. */
  kinds: readonly CompanionKind[];
  defaultSeverity: Severity;
  /** One line, shown in settings and rule lists. */
  description: string;
  /** A paragraph: the bootc/systemd fact behind the check. */
  explanation: string;
}

/**
 * Which bootc-image-builder image types a config is meant for. `disk` (qcow2, raw, ami, vmdk,
 * vhd, gce) and `iso` (anaconda-iso, bootc-installer) accept different customizations; `any`
 * (the default) reports only what no bootc image type accepts.
 */
export type BibConfigMode = 'any' | 'disk' | 'iso';

export interface CompanionOptions {
  /** Severity overrides by check id; `off` drops the check. */
  rules?: Record<string, Severity | 'off'>;
  mode?: BibConfigMode;
}
