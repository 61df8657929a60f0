import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver';
import { COMPANION_DOCS_PAGE, companionDocsUri, companionRuleById } from '../companion';
import type { Finding, Severity } from '../lint/types';

/** The `source` of every diagnostic this server publishes. */
export const SOURCE = 'bootc';

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/**
 * Folder of the rule pages. The bundle is `server/out/server.js`, so `docs/` is two levels
 * up, inside the installed extension: the links work offline.
 */
const DOCS_DIR = path.join(__dirname, '..', '..', 'docs', 'rules');
const docsLinks = new Map<string, string | undefined>();

/** `file://` URI of a rule's documentation page, or undefined when the page is missing. */
export function ruleDocsUri(ruleId: string): string | undefined {
  if (!docsLinks.has(ruleId)) {
    const file = path.join(DOCS_DIR, `${ruleId}.md`);
    docsLinks.set(ruleId, /^[\w-]+$/.test(ruleId) && fs.existsSync(file) ? pathToFileURL(file).href : undefined);
  }
  return docsLinks.get(ruleId);
}

/** The page of the companion-file checks, inside the installed extension like the rule pages. */
const COMPANION_PAGE = path.join(__dirname, '..', '..', COMPANION_DOCS_PAGE);
let companionPage: string | null | undefined;

/** `file://` URI of a companion-file check's section (`docs/companion-files.md#<id>`), or undefined when the page is missing. */
export function companionCheckDocsUri(ruleId: string): string | undefined {
  if (companionPage === undefined) companionPage = fs.existsSync(COMPANION_PAGE) ? pathToFileURL(COMPANION_PAGE).href : null;
  return companionPage && companionRuleById(ruleId) ? companionDocsUri(ruleId, companionPage) : undefined;
}

/** Identifies a finding again when the editor hands its diagnostic back (code actions). */
export function diagnosticKey(ruleId: string, range: Range): string {
  return `${ruleId}@${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

/**
 * The diagnostic of a finding; `docsUri` finds the documentation link of its rule (the rule
 * pages, or {@link companionCheckDocsUri} for companion files).
 */
export function toDiagnostic(finding: Finding, docsUri: (ruleId: string) => string | undefined = ruleDocsUri): Diagnostic {
  const diagnostic: Diagnostic = {
    range: finding.range,
    severity: SEVERITIES[finding.severity],
    code: finding.ruleId,
    source: SOURCE,
    message: finding.message,
  };
  const href = docsUri(finding.ruleId);
  if (href) diagnostic.codeDescription = { href };
  return diagnostic;
}
