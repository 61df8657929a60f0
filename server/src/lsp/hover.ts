import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import { ruleById, type Finding, type Range } from '../lint';
import { companionRuleById } from '../companion';
import { companionCheckDocsUri, ruleDocsUri } from './diagnostics';

function contains(range: Range, position: Position): boolean {
  const afterStart = position.line > range.start.line || (position.line === range.start.line && position.character >= range.start.character);
  const beforeEnd = position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character);
  return afterStart && beforeEnd;
}

/** What a hover says about a rule: its explanation and documentation link. */
export interface RuleDescription {
  explanation?: string;
  docs?: string;
}

/** The Containerfile rules' descriptions. */
export function containerfileRule(ruleId: string): RuleDescription {
  return { explanation: ruleById(ruleId)?.meta.explanation, docs: ruleDocsUri(ruleId) };
}

/** The companion-file checks' descriptions (`kargs-toml` shares its id with a Containerfile rule, not its text). */
export function companionCheck(ruleId: string): RuleDescription {
  return { explanation: companionRuleById(ruleId)?.explanation, docs: companionCheckDocsUri(ruleId) };
}

/** The explanation, severity and documentation link of each rule flagged at `position`, or null. */
export function hoverFor(findings: readonly Finding[], position: Position, describe: (ruleId: string) => RuleDescription = containerfileRule): Hover | null {
  const hits = findings.filter((f) => contains(f.range, position));
  if (hits.length === 0) return null;
  const sections: string[] = [];
  const shown = new Set<string>();
  for (const finding of hits) {
    if (shown.has(finding.ruleId)) continue;
    shown.add(finding.ruleId);
    const { explanation, docs } = describe(finding.ruleId);
    const lines = [`**bootc: \`${finding.ruleId}\`** (${finding.severity})`, '', explanation ?? finding.message];
    if (docs) lines.push('', `[Documentation](${docs})`);
    sections.push(lines.join('\n'));
  }
  return { contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') }, range: hits[0].range };
}
