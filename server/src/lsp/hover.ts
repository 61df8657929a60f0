import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import { ruleById, type Finding, type Range } from '../lint';
import { ruleDocsUri } from './diagnostics';

function contains(range: Range, position: Position): boolean {
  const afterStart = position.line > range.start.line || (position.line === range.start.line && position.character >= range.start.character);
  const beforeEnd = position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character);
  return afterStart && beforeEnd;
}

/** The explanation, severity and documentation link of each rule flagged at `position`, or null. */
export function hoverFor(findings: readonly Finding[], position: Position): Hover | null {
  const hits = findings.filter((f) => contains(f.range, position));
  if (hits.length === 0) return null;
  const sections: string[] = [];
  const shown = new Set<string>();
  for (const finding of hits) {
    if (shown.has(finding.ruleId)) continue;
    shown.add(finding.ruleId);
    const docs = ruleDocsUri(finding.ruleId);
    const lines = [`**bootc: \`${finding.ruleId}\`** (${finding.severity})`, '', ruleById(finding.ruleId)?.meta.explanation ?? finding.message];
    if (docs) lines.push('', `[Documentation](${docs})`);
    sections.push(lines.join('\n'));
  }
  return { contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') }, range: hits[0].range };
}
