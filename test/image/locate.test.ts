/**
 * server/src/image/locate.ts through the `bootc/locate` handler: where a failed build step
 * (real podman 4.3.1 output) and `bootc container lint` findings are shown in the Containerfile.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { parseBuildOutput, type BuildFailure } from '../../server/src/image/build-output';
import { parseContainerLintOutput, type ContainerLintFinding } from '../../server/src/image/container-lint';
import { handleLocate } from '../../server/src/lsp/locate';

const CAPTURED = path.join(__dirname, '..', 'fixtures', 'build-output', 'podman-4.3.1');
const URI = 'file:///project/Containerfile';

/** The 0-based line of the first line of `text` that starts with `prefix`. */
function lineOf(text: string, prefix: string): number {
  const line = text.split('\n').findIndex((candidate) => candidate.startsWith(prefix));
  assert.ok(line >= 0, `no line starts with ${prefix}`);
  return line;
}

function failure(fields: Partial<BuildFailure>): BuildFailure {
  return { stage: 0, stageCount: 0, step: 0, stepCount: 0, instruction: '', message: 'failed', error: 'failed', output: [], ...fields };
}

async function locateFailure(text: string, buildFailure: BuildFailure, target?: string) {
  const result = await handleLocate({ uri: URI, text, target, buildFailure });
  assert.ok(result.buildFailure, 'a build failure is always placed somewhere');
  assert.deepEqual(result.imageLint, []);
  return result.buildFailure;
}

async function locateFindings(text: string, lintOutput: string[]) {
  const parsed = parseContainerLintOutput(`${lintOutput.join('\n')}\n`);
  assert.ok(parsed.findings.length > 0, 'the lint output has findings');
  const result = await handleLocate({ uri: URI, text, imageLintFindings: parsed.findings });
  assert.equal(result.buildFailure, undefined);
  return new Map(result.imageLint.map((located) => [located.finding.lint, located]));
}

describe('a failed build step', () => {
  test('real podman output of a multi-stage build with a skipped stage: the failing RUN, all its lines', async () => {
    const text = fs.readFileSync(path.join(CAPTURED, 'multi.Containerfile'), 'utf8');
    const output = parseBuildOutput(fs.readFileSync(path.join(CAPTURED, 'multi.txt'), 'utf8').replace(/\n$/, '').split('\n'));
    assert.ok(output.failure);
    const located = await locateFailure(text, output.failure);
    const line = lineOf(text, 'RUN echo building');
    assert.deepEqual(located.range, { start: { line, character: 0 }, end: { line: line + 2, character: '    false'.length } });
    assert.equal(located.reason, 'step 3 of stage 3');
    assert.match(located.message, /exit status 1\nbuilding\nline two$/);
  });

  test('ARGs before the first FROM are not steps; FROM is step 1', async () => {
    const text = 'ARG BASE=x\nARG OTHER=y\nFROM ${BASE}\nARG V=1\nRUN make\nRUN make install\n';
    const located = await locateFailure(text, failure({ stage: 1, stageCount: 1, step: 4, stepCount: 4, instruction: 'RUN make install' }));
    assert.equal(located.range.start.line, lineOf(text, 'RUN make install'));
    assert.equal(located.reason, 'step 4 of stage 1');
  });

  test('when the printed instruction is not the one at that position, the matching instruction of the stage wins', async () => {
    // podman 4.3 reads a heredoc body as instructions, so its step numbers run ahead of the file.
    const text = 'FROM base\nRUN <<EOF\necho one\necho two\nEOF\nRUN echo after && false\n';
    const located = await locateFailure(text, failure({ stage: 1, stageCount: 1, step: 6, stepCount: 6, instruction: 'RUN echo after &&   false' }));
    assert.equal(located.range.start.line, lineOf(text, 'RUN echo after'));
    assert.match(located.reason, /^the instruction podman printed: RUN echo after/);
    assert.match(located.reason, /heredoc bodies as instructions/);
  });

  test('continuation lines and JSON arrays are compared the way buildah prints them', async () => {
    const text = 'FROM base\nRUN ["sh", "-c", "exit 1"]\nCOPY a \\\n     /b\n';
    const run = await locateFailure(text, failure({ stage: 1, step: 9, instruction: 'RUN sh -c exit 1' }));
    assert.equal(run.range.start.line, 1);
    const copy = await locateFailure(text, failure({ stage: 1, step: 3, instruction: 'COPY a /b' }));
    assert.deepEqual([copy.range.start.line, copy.range.end.line], [2, 3]);
    assert.equal(copy.reason, 'step 3 of stage 1');
  });

  test('a failure naming only a line (BuildKit) is shown on that line; one naming nothing on line 1', async () => {
    const text = 'FROM base\nRUN true\nFOO bar\n';
    const named = await locateFailure(text, failure({ line: 3 }));
    assert.deepEqual(named.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 7 } });
    assert.equal(named.reason, 'the builder named line 3');
    const nothing = await locateFailure(text, failure({ message: 'Error: no FROM statement found' }));
    assert.deepEqual(nothing.range.start, { line: 0, character: 0 });
    assert.equal(nothing.reason, 'podman did not say which step failed');
    assert.equal(nothing.message, 'Error: no FROM statement found');
  });

  test('a step beyond the file (a stale editor text) falls back to the printed instruction, or to line 1', async () => {
    const text = 'FROM base\nRUN a\n';
    const byText = await locateFailure(text, failure({ stage: 1, step: 7, instruction: 'RUN a' }));
    assert.equal(byText.range.start.line, 1);
    const lost = await locateFailure(text, failure({ stage: 4, step: 7, instruction: 'RUN zzz' }));
    assert.equal(lost.range.start.line, 0);
  });
});

describe('bootc container lint findings', () => {
  const containerfile = [
    'FROM quay.io/fedora/fedora-bootc:41',
    'RUN useradd -r appuser',
    'RUN dnf install -y httpd && dnf clean all',
    'RUN mkdir -p /var/log/app && echo started > /var/log/app/x.log',
    'COPY rootfs/ /',
    'RUN mkdir -p /var/lib/myapp/cache',
    '',
  ].join('\n');

  test('a file path: the write of that very file, underlined; a parent folder write only when nothing writes the file', async () => {
    const located = await locateFindings(containerfile, ['Lint warning: var-log: Found non-empty logfiles:', '  /var/log/app/x.log', '', 'Checks passed: 12', 'Warnings: 1']);
    const varLog = located.get('var-log');
    assert.ok(varLog);
    const line = lineOf(containerfile, 'RUN mkdir -p /var/log/app');
    const column = containerfile.split('\n')[line].indexOf('/var/log/app/x.log');
    assert.deepEqual(varLog.range, { start: { line, character: column }, end: { line, character: column + '/var/log/app/x.log'.length } });
    assert.equal(varLog.reason, 'it writes /var/log/app/x.log');

    const parentOnly = await locateFindings(containerfile, ['Lint warning: var-log: Found non-empty logfiles:', '  /var/lib/myapp/cache/db.log', '']);
    const deepest = parentOnly.get('var-log');
    assert.equal(deepest?.range.start.line, lineOf(containerfile, 'RUN mkdir -p /var/lib/myapp'));
    assert.equal(deepest?.reason, 'it writes /var/lib/myapp/cache');
  });

  test('sysusers: the useradd that creates the user', async () => {
    const located = await locateFindings(containerfile, ['Lint warning: sysusers: Found /etc/passwd entry without corresponding systemd sysusers.d:', '  appuser', '']);
    const sysusers = located.get('sysusers');
    assert.equal(sysusers?.range.start.line, lineOf(containerfile, 'RUN useradd'));
    assert.equal(sysusers?.reason, 'it creates appuser without a sysusers.d entry');
  });

  test('a path no instruction writes: the typical step for that lint, else a whole tree copied into /, else the FROM', async () => {
    const located = await locateFindings(containerfile, [
      'Lint warning: var-log: Found non-empty logfiles:',
      '  /var/log/httpd/error_log',
      '',
      'Failed lint: etc-usretc: Found /usr/etc',
    ]);
    assert.equal(located.get('var-log')?.range.start.line, lineOf(containerfile, 'RUN dnf install'));
    assert.equal(located.get('var-log')?.reason, 'var-log findings usually come from this kind of step');
    assert.equal(located.get('etc-usretc')?.range.start.line, lineOf(containerfile, 'COPY rootfs/'));
    assert.equal(located.get('etc-usretc')?.reason, 'it copies a whole tree into /');

    const plain = 'FROM quay.io/fedora/fedora-bootc:41 AS base\nRUN echo hi > /usr/share/hi\nFROM base\nLABEL a=b\n';
    const fromBase = await locateFindings(plain, ['Lint warning: nonempty-boot: Found non-empty /boot: vmlinuz']);
    assert.equal(fromBase.get('nonempty-boot')?.range.start.line, lineOf(plain, 'FROM base'));
    assert.equal(fromBase.get('nonempty-boot')?.reason, 'nothing in this file writes it: it likely comes from the base image');
  });

  test('a builder stage that is not shipped is not blamed', async () => {
    const text = 'FROM fedora AS build\nRUN mkdir -p /var/log/x && echo > /var/log/x/a.log\nFROM quay.io/fedora/fedora-bootc:41\nCOPY --from=build /etc/hosts /etc/hosts\n';
    const located = await locateFindings(text, ['Lint warning: var-log: Found non-empty logfiles:', '  /var/log/x/a.log', '']);
    assert.equal(located.get('var-log')?.range.start.line, lineOf(text, 'FROM quay.io'));
  });

  test('each finding keeps what bootc said', async () => {
    const findings: ContainerLintFinding[] = [{ lint: 'kernel', level: 'error', message: 'Multiple kernels found', paths: [], items: [], more: 0 }];
    const text = 'FROM quay.io/fedora/fedora-bootc:41\nRUN dnf install -y kernel-core && dnf clean all\n';
    const result = await handleLocate({ uri: URI, text, imageLintFindings: findings });
    assert.deepEqual(result.imageLint.map((located) => [located.finding, located.range.start.line]), [[findings[0], 1]]);
  });
});
