// Shared helpers of the companion-file tests: apply edits, read the text a range covers, and
// check that a fix leaves nothing to report.
import assert from 'node:assert/strict';
import { lintCompanion, type CompanionKind, type CompanionOptions, type Finding, type Range, type TextEdit } from '../../server/src/companion/index';

function offsetAt(text: string, position: { line: number; character: number }): number {
  let offset = 0;
  for (let line = 0; line < position.line; line++) {
    const next = text.indexOf('\n', offset);
    assert.ok(next >= 0, `line ${position.line} is past the end of the text`);
    offset = next + 1;
  }
  return offset + position.character;
}

/** Applies non-overlapping edits (as an editor does: all against the original text). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const resolved = edits
    .map((edit) => ({ start: offsetAt(text, edit.range.start), end: offsetAt(text, edit.range.end), newText: edit.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  for (const edit of resolved) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}

/** The text a range covers. */
export function textOf(text: string, range: Range): string {
  return text.slice(offsetAt(text, range.start), offsetAt(text, range.end));
}

/** `[line, startCharacter, endCharacter]` of a single-line range, for compact assertions. */
export function span(range: Range): [number, number, number] {
  assert.equal(range.start.line, range.end.line, 'the range spans lines');
  return [range.start.line, range.start.character, range.end.character];
}

/** The one finding of a text (fails when there are none or several). */
export function onlyFinding(kind: CompanionKind, text: string, options?: CompanionOptions): Finding {
  const findings = lintCompanion(kind, text, options);
  assert.equal(findings.length, 1, `expected one finding, got ${JSON.stringify(findings.map((found) => [found.ruleId, found.message]), null, 1)}`);
  return findings[0];
}

/** Applies the finding's fix (the first, or the one titled so) and returns the fixed text, asserting nothing is left to report. */
export function applyFixAndExpectClean(kind: CompanionKind, text: string, found: Finding, title?: string | RegExp): string {
  const chosen = title === undefined ? found.fixes[0] : found.fixes.find((candidate) => (typeof title === 'string' ? candidate.title === title : title.test(candidate.title)));
  assert.ok(chosen, `no fix ${String(title ?? '')} among ${JSON.stringify(found.fixes.map((candidate) => candidate.title))}`);
  const fixed = applyEdits(text, chosen.edits);
  const left = lintCompanion(kind, fixed);
  assert.deepEqual(left.map((other) => `${other.ruleId}: ${other.message}`), [], `after "${chosen.title}":\n${fixed}`);
  return fixed;
}
