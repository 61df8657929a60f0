import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { Linter } from '../server/src/lint/lint';
import { ruleById } from '../server/src/lint/rules';
import type { LintOptions, LintResult, TextEdit } from '../server/src/lint/types';
import type { JsonFinding } from '../server/src/cli';
import { removeTree, runCli, tempTree } from './helpers/cli';
import { linter } from './helpers/lint';
import { checkRange, extremes, generate, lineLengths } from './helpers/fuzz';

/**
 * Robustness: thousands of generated inputs (deterministic, seeded) must never make the core
 * throw or hang, and every result must be well-formed. A few hundred go through the CLI too.
 * Hangs are caught by the tests' own timeouts, not by assertions on speed.
 */

const SEED = Number(process.env.BOOTC_LINT_FUZZ_SEED ?? 0x5eed);

function checkResult(result: LintResult, text: string, name: string): void {
  assert.equal(typeof result.bootc.enabled, 'boolean');
  assert.equal(typeof result.bootc.reason, 'string');
  assert.ok(Array.isArray(result.findings));
  const lengths = lineLengths(text);
  for (const f of result.findings) {
    const what = `${name}: ${f.ruleId}`;
    assert.ok(ruleById(f.ruleId), `${what}: registered rule`);
    assert.ok(['error', 'warning', 'info', 'hint'].includes(f.severity), `${what}: severity ${f.severity}`);
    assert.ok(typeof f.message === 'string' && f.message.length > 0, `${what}: message`);
    checkRange(f.range, lengths, `${what} range`);
    assert.ok(Array.isArray(f.fixes), `${what}: fixes`);
    for (const fix of f.fixes) {
      assert.ok(typeof fix.title === 'string' && fix.title.length > 0, `${what}: fix title`);
      assert.ok(Array.isArray(fix.edits), `${what}: fix edits`);
      fix.edits.forEach((edit: TextEdit) => {
        checkRange(edit.range, lengths, `${what} fix edit`);
        assert.equal(typeof edit.newText, 'string', `${what}: fix edit text`);
      });
    }
  }
}

const OPTION_SETS: LintOptions[] = [
  { config: { mode: 'always' } },
  {},
  { config: { mode: 'always', rules: Object.fromEntries([['ignored-entrypoint', 'off']]) }, target: 'base', readContextFile: () => 'kargs = ["console=ttyS0"]\n' },
  { config: { bootcImages: ['**'] }, readContextFile: (p) => (p.length % 2 ? undefined : '\0garbage[[[') },
];

function exercise(l: Linter, input: { name: string; text: string }, index: number, fixAll: boolean): void {
  const options = OPTION_SETS[index % OPTION_SETS.length];
  let result: LintResult;
  try {
    result = l.lint(input.text, options);
  } catch (error) {
    assert.fail(`lint threw on ${input.name}: ${(error as Error).stack}\n--- input (first 500 chars) ---\n${JSON.stringify(input.text.slice(0, 500))}`);
  }
  checkResult(result, input.text, input.name);
  if (!fixAll) return;
  let fixed: ReturnType<Linter['fixAll']>;
  try {
    fixed = l.fixAll(input.text, options);
  } catch (error) {
    assert.fail(`fixAll threw on ${input.name}: ${(error as Error).stack}\n--- input (first 500 chars) ---\n${JSON.stringify(input.text.slice(0, 500))}`);
  }
  assert.equal(typeof fixed.text, 'string');
  assert.ok(Number.isInteger(fixed.applied) && fixed.applied >= 0);
  checkResult(fixed.result, fixed.text, `${input.name} after fixAll`);
}

/**
 * Runs `body` with the core's rule-failure logging on and fails on any rule that threw: the
 * core survives a rule bug (it drops that rule's findings), but the rule should not have one.
 */
function withoutRuleFailures(body: (current: (name: string) => void) => void): void {
  const failures = new Map<string, string>();
  let input = '';
  const previous = { debug: process.env.BOOTC_LINT_DEBUG, error: console.error };
  process.env.BOOTC_LINT_DEBUG = '1';
  console.error = (message: unknown, error: unknown) => {
    const key = `${String(message)} ${error instanceof Error ? error.message : String(error)}`;
    if (!failures.has(key)) failures.set(key, `${input}\n${error instanceof Error ? error.stack : ''}`);
  };
  try {
    body((name) => (input = name));
  } finally {
    console.error = previous.error;
    if (previous.debug === undefined) delete process.env.BOOTC_LINT_DEBUG;
    else process.env.BOOTC_LINT_DEBUG = previous.debug;
  }
  assert.deepEqual([...failures].map(([key, where]) => `${key} (on ${where})`), [], 'rules threw');
}

const GENERATED = 4000;

test('the core survives the extremes', { timeout: 90_000 }, async () => {
  const l = await linter();
  withoutRuleFailures((current) =>
    extremes().forEach((input, i) => {
      current(input.name);
      if (input.heavy) exercise(l, input, 0, true);
      else for (let o = 0; o < OPTION_SETS.length; o++) exercise(l, input, i + o, true);
    }),
  );
});

test(`the core survives ${GENERATED} generated inputs`, { timeout: 120_000 }, async () => {
  const l = await linter();
  withoutRuleFailures((current) =>
    generate(GENERATED, SEED).forEach((input, i) => {
      current(input.name);
      exercise(l, input, i, i % 4 === 0);
    }),
  );
});

test('the core gives the same result for the same input', { timeout: 30_000 }, async () => {
  const l = await linter();
  for (const input of generate(200, SEED + 1)) {
    const options = { config: { mode: 'always' as const } };
    const strip = (r: LintResult) => JSON.stringify(r);
    assert.equal(strip(l.lint(input.text, options)), strip(l.lint(input.text, options)), input.name);
  }
});

const dirs: string[] = [];
after(() => dirs.forEach(removeTree));

function checkCliJson(stdout: string, files: Map<string, string>): JsonFinding[] {
  let findings: JsonFinding[];
  try {
    findings = JSON.parse(stdout);
  } catch (error) {
    assert.fail(`the CLI printed invalid JSON (${(error as Error).message}): ${stdout.slice(0, 300)}`);
  }
  assert.ok(Array.isArray(findings));
  for (const f of findings) {
    const text = files.get(f.file);
    assert.ok(text !== undefined, `finding for an unknown file ${f.file}`);
    assert.ok(ruleById(f.rule), f.rule);
    assert.ok(['error', 'warning', 'info', 'hint'].includes(f.severity));
    assert.equal(typeof f.message, 'string');
    assert.equal(typeof f.fixable, 'boolean');
    checkRange({ start: { line: f.line - 1, character: f.column - 1 }, end: { line: f.endLine - 1, character: f.endColumn - 1 } }, lineLengths(text.replace(/^\uFEFF/, '')), `${f.file} ${f.rule}`);
  }
  return findings;
}

for (const [batch, args] of [
  [0, ['--format', 'json', '--mode', 'always']],
  [1, ['--format', 'json', '--fix', '--mode', 'always']],
  [2, ['--format', 'json']],
] as const) {
  test(`the CLI survives a batch of generated files (${args.join(' ')})`, { timeout: 120_000 }, async () => {
    const inputs = [...generate(300, SEED + 100 + batch), ...(batch === 0 ? extremes().filter((e) => !e.heavy) : [])];
    const dir = tempTree(Object.fromEntries(inputs.map((input, i) => [`case-${String(i).padStart(4, '0')}.containerfile`, input.text])));
    dirs.push(dir);
    const files = new Map(inputs.map((input, i) => [`case-${String(i).padStart(4, '0')}.containerfile`, input.text]));
    const binary = [...files].filter(([, text]) => Buffer.from(text).subarray(0, 8192).includes(0)).map(([name]) => name);

    const run = await runCli([...args, '.'], { cwd: dir, timeout: 110_000 });
    assert.ok(run.code === 0 || run.code === 1 || run.code === 2, `exit code ${run.code}; stderr:\n${run.stderr.slice(0, 2000)}`);
    assert.equal(run.code === 2, binary.length > 0, `exit 2 exactly when a binary file was given; stderr:\n${run.stderr.slice(0, 2000)}`);
    for (const name of binary) assert.ok(run.stderr.includes(`${name}: binary`), `${name} is named on stderr`);
    assert.ok(!/internal error/.test(run.stderr), run.stderr.slice(0, 2000));

    if (batch === 1) {
      // After --fix the files hold the fixed text, and linting them again reports the same findings.
      for (const name of files.keys()) files.set(name, new TextDecoder().decode(fs.readFileSync(path.join(dir, name))));
      const findings = checkCliJson(run.stdout, files);
      const again = await runCli(['--format', 'json', '--mode', 'always', '.'], { cwd: dir, timeout: 110_000 });
      assert.deepEqual(checkCliJson(again.stdout, files), findings, 'linting the fixed files reports what --fix left');
    } else {
      const findings = checkCliJson(run.stdout, files);
      assert.equal(run.code === 1, findings.some((f) => f.severity === 'error') && binary.length === 0);
    }
  });
}
