import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Linter } from '../../server/src/lint/lint';
import { ruleById } from '../../server/src/lint/rules';
import { applyEdits } from '../../server/src/lint/fixes';
import { parseContainerfile } from '../../server/src/lint/model/containerfile';
import type { Finding, LintOptions } from '../../server/src/lint/types';

let linterPromise: Promise<Linter> | undefined;
export function linter(): Promise<Linter> {
  return (linterPromise ??= Linter.create());
}

/** A Containerfile on a known bootc base, so tests state only what matters. */
export function bootc(body: string, base = 'quay.io/fedora/fedora-bootc:42'): string {
  return `FROM ${base}\n${body.replace(/^\n/, '')}${body.endsWith('\n') ? '' : '\n'}`;
}

export async function findingsOf(text: string, ruleId?: string, options?: LintOptions): Promise<Finding[]> {
  const result = (await linter()).lint(text, options);
  return ruleId ? result.findings.filter((f) => f.ruleId === ruleId) : result.findings;
}

/**
 * One case of a rule table. `range` is `[line, startChar, endLine?, endChar?]` of the first
 * finding (0-based lines of the full text); `count` the number of findings (default 1).
 */
export interface Case {
  name?: string;
  text: string;
  /** Text of the expected finding's range (checked against the file). */
  at?: string;
  count?: number;
  options?: LintOptions;
}

function textOfRange(text: string, finding: Finding): string {
  const lines = text.split('\n');
  const { start, end } = finding.range;
  if (start.line === end.line) return lines[start.line].slice(start.character, end.character);
  return [lines[start.line].slice(start.character), ...lines.slice(start.line + 1, end.line), lines[end.line].slice(0, end.character)].join('\n');
}

/**
 * Declares the must-trigger and must-not-trigger tables of one rule, hadolint style.
 * Every triggering case also checks that the first fix (if any) removes the finding,
 * adds no new finding, and leaves a file that still parses.
 */
export function ruleTable(ruleId: string, cases: { valid: Array<string | Case>; invalid: Case[] }): void {
  const rule = ruleById(ruleId);
  test(`${ruleId}: is registered`, () => assert.ok(rule, `rule ${ruleId} is not registered`));
  cases.valid.forEach((c, i) => {
    const kase = typeof c === 'string' ? { text: c } : c;
    test(`${ruleId}: does not trigger #${i + 1}${kase.name ? ` (${kase.name})` : ''}`, async () => {
      const found = await findingsOf(kase.text, ruleId, kase.options);
      assert.deepEqual(found.map((f) => `${f.range.start.line}:${f.range.start.character} ${f.message}`), [], `unexpected ${ruleId} in:\n${kase.text}`);
    });
  });
  cases.invalid.forEach((kase, i) => {
    test(`${ruleId}: triggers #${i + 1}${kase.name ? ` (${kase.name})` : ''}`, async () => {
      const found = await findingsOf(kase.text, ruleId, kase.options);
      assert.equal(found.length, kase.count ?? 1, `expected ${kase.count ?? 1} ${ruleId} finding(s) in:\n${kase.text}\ngot: ${JSON.stringify(found.map((f) => f.range))}`);
      if (kase.at !== undefined) assert.equal(textOfRange(kase.text, found[0]), kase.at, 'range of the finding');
      for (const finding of found) {
        assert.equal(finding.ruleId, ruleId);
        assert.ok(finding.message.length > 20, 'message explains the problem');
      }
      const fix = found[0].fixes[0];
      if (rule?.meta.fixable && fix) await checkFix(kase.text, ruleId, found[0], kase.options);
    });
  });
}

/** Applies the finding's first fix and re-lints: the finding is gone, nothing new appears. */
export async function checkFix(text: string, ruleId: string, finding: Finding, options?: LintOptions): Promise<string> {
  const l = await linter();
  const before = l.lint(text, options).findings;
  const fixed = applyEdits(text, finding.fixes[0].edits);
  assert.notEqual(fixed, text, 'the fix changes the text');
  const after = l.lint(fixed, options).findings;
  const key = (f: Finding) => `${f.ruleId}`;
  const sameRule = after.filter((f) => f.ruleId === ruleId);
  assert.ok(sameRule.length < before.filter((f) => f.ruleId === ruleId).length, `the ${ruleId} finding is gone after the fix:\n${fixed}`);
  const beforeIds = new Map<string, number>();
  for (const f of before) beforeIds.set(key(f), (beforeIds.get(key(f)) ?? 0) + 1);
  for (const f of after) {
    const n = beforeIds.get(key(f)) ?? 0;
    assert.ok(n > 0, `the fix introduced a new ${f.ruleId} finding:\n${fixed}\n${f.message}`);
    beforeIds.set(key(f), n - 1);
  }
  assert.equal(l.lint(fixed, options).bootc.enabled, true, 'the fixed file is still a bootc build');
  // Still parses: no more instructions than before with shell syntax errors, and exec-form JSON stays JSON.
  const broken = (text: string) => parseContainerfile(text).instructions.filter((i) => i.run?.script.hasErrors).length;
  assert.ok(broken(fixed) <= broken(text), `the fix leaves a RUN the shell cannot parse:\n${fixed}`);
  return fixed;
}
