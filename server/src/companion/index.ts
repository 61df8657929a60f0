/**
 * Companion files of a bootc image: which files get checked (`companionKind`), the checks
 * (`lintCompanion`), and the fixes an editor may apply at once (`fixAllCompanion`).
 * Pure: no `vscode`, no file system; callers pass the path and the text.
 */
import { validateBibConfig } from './bib-config';
import { editDistance } from './findings';
import { validateKargs } from './kargs';
import { COMPANION_RULES, companionRuleById } from './rules';
import { validateSysusers } from './sysusers';
import { validateTmpfiles } from './tmpfiles';
import type { CompanionKind, CompanionOptions, Finding, Fix, TextEdit } from './types';

export { COMPANION_RULES, companionRuleById };
export type { BibConfigMode, CompanionKind, CompanionOptions, CompanionRule, Finding, Fix, Position, Range, Severity, TextEdit } from './types';

/** The page that documents the checks, relative to the extension's root (one `<a id>` per check). */
export const COMPANION_DOCS_PAGE = 'docs/companion-files.md';

/** The documentation link of a check: `<page URI>#<id>`. */
export function companionDocsUri(id: string, page: string): string {
  return `${page}#${id}`;
}

/**
 * The kind of companion file at `path`, or undefined for files without companion checks.
 * A config.toml/config.json counts as a bootc-image-builder config only when it has a
 * `customizations` table (or a misspelling of it) or sits in a `bootc-image-builder/` folder —
 * other tools use those names too.
 */
export function companionKind(path: string, text: string): CompanionKind | undefined {
  const parts = path.replace(/\\/g, '/').split('/');
  const name = parts[parts.length - 1];
  const folder = parts[parts.length - 2] ?? '';
  if (folder === 'kargs.d' && name.endsWith('.toml')) return 'kargs';
  if (folder === 'sysusers.d' && name.endsWith('.conf')) return 'sysusers';
  if ((folder === 'tmpfiles.d' || folder === 'user-tmpfiles.d') && name.endsWith('.conf')) return 'tmpfiles';
  if (name !== 'config.toml' && name !== 'config.json') return undefined;
  const format = name === 'config.toml' ? 'bib-config-toml' : 'bib-config-json';
  if (parts.includes('bootc-image-builder')) return format;
  return mentionsCustomizations(text, format === 'bib-config-toml') ? format : undefined;
}

function mentionsCustomizations(text: string, toml: boolean): boolean {
  const keys = toml
    ? [...text.matchAll(/^[ \t]*\[{1,2}[ \t]*["']?([A-Za-z_-]+)|^[ \t]*["']?([A-Za-z_-]+)["']?[ \t]*[.=]/gm)].map((match) => match[1] ?? match[2])
    : [...text.matchAll(/"([A-Za-z_-]+)"[ \t\r\n]*:/g)].map((match) => match[1]);
  return keys.some((key) => {
    const lower = key.toLowerCase();
    return lower === 'blueprint' && !toml ? true : lower.startsWith('custom') || editDistance(lower, 'customizations') <= 3;
  });
}

/** Runs the checks of one companion file, with severities overridden (or turned off) by `options.rules`. */
export function lintCompanion(kind: CompanionKind, text: string, options: CompanionOptions = {}): Finding[] {
  let findings: Finding[];
  switch (kind) {
    case 'bib-config-toml':
      findings = validateBibConfig(text, 'toml', options.mode);
      break;
    case 'bib-config-json':
      findings = validateBibConfig(text, 'json', options.mode);
      break;
    case 'kargs':
      findings = validateKargs(text);
      break;
    case 'sysusers':
      findings = validateSysusers(text);
      break;
    case 'tmpfiles':
      findings = validateTmpfiles(text);
      break;
  }
  const overrides = options.rules ?? {};
  const result: Finding[] = [];
  for (const found of findings) {
    const override = overrides[found.ruleId];
    if (override === 'off') continue;
    result.push(override ? { ...found, severity: override } : found);
  }
  return result.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/**
 * The preferred fix of each finding that does not overlap an earlier one (Fix all). Fixes that
 * touch the same text are left for a second pass, after the file is checked again.
 */
export function preferredFixes(kind: CompanionKind, text: string, options: CompanionOptions = {}): Fix[] {
  const chosen: Fix[] = [];
  const edits: TextEdit[] = [];
  const seen = new Set<string>();
  const overlaps = (edit: TextEdit) => edits.some((other) => comparePositions(edit.range.start, other.range.end) < 0 && comparePositions(other.range.start, edit.range.end) < 0 || (isEmpty(edit) && isEmpty(other) && comparePositions(edit.range.start, other.range.start) === 0));
  for (const found of lintCompanion(kind, text, options)) {
    const preferred = found.fixes.find((candidate) => candidate.preferred);
    if (!preferred) continue;
    const key = JSON.stringify(preferred.edits);
    if (seen.has(key)) continue; // a rename fix is offered on each occurrence of the key
    if (preferred.edits.some(overlaps)) continue;
    seen.add(key);
    chosen.push(preferred);
    edits.push(...preferred.edits);
  }
  return chosen;
}

/** The edits of {@link preferredFixes}, for one pass of Fix all. */
export function fixAllCompanion(kind: CompanionKind, text: string, options: CompanionOptions = {}): TextEdit[] {
  return preferredFixes(kind, text, options).flatMap((chosen) => chosen.edits);
}

function comparePositions(a: { line: number; character: number }, b: { line: number; character: number }): number {
  return a.line - b.line || a.character - b.character;
}

function isEmpty(edit: TextEdit): boolean {
  return comparePositions(edit.range.start, edit.range.end) === 0;
}
