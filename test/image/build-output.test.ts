import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { FAILURE_OUTPUT_LINES, normalizeInstruction, parseBuildOutput } from '../../server/src/image/build-output';

/** Real podman 4.3.1 output (see the README next to the files). */
function captured(name: string): string[] {
  const text = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'build-output', 'podman-4.3.1', `${name}.txt`), 'utf8');
  return text.replace(/\n$/, '').split('\n');
}

function lines(text: string): string[] {
  return text.replace(/^\n/, '').replace(/\n$/, '').split('\n');
}

describe('podman build output (podman 4.3.1, measured)', () => {
  test('a successful single-stage build lists its steps and has no failure', () => {
    const parsed = parseBuildOutput(captured('ok'));
    assert.deepEqual(parsed.steps, [
      { stage: 1, stageCount: 1, step: 1, stepCount: 2, instruction: 'FROM localhost/bootc-test-base:latest' },
      { stage: 1, stageCount: 1, step: 2, stepCount: 2, instruction: 'RUN echo ok' },
    ]);
    assert.equal(parsed.failure, undefined);
    assert.equal(parseBuildOutput(captured('cached')).failure, undefined);
  });

  test('multi-stage: the stage is the position among all FROMs, even with a skipped stage', () => {
    const parsed = parseBuildOutput(captured('multi'));
    assert.deepEqual(
      parsed.steps.map((step) => [step.stage, step.stageCount, step.step, step.stepCount]),
      [
        [1, 3, 1, 2],
        [1, 3, 2, 2],
        [3, 3, 1, 4],
        [3, 3, 2, 4],
        [3, 3, 3, 4],
      ],
    );
    const failure = parsed.failure;
    assert.ok(failure);
    assert.equal(failure.stage, 3);
    assert.equal(failure.step, 3);
    assert.equal(failure.stepCount, 4);
    // buildah joins continuation lines, keeping the indentation.
    assert.equal(failure.instruction, 'RUN echo building &&     echo line two &&     false');
    assert.equal(failure.error, 'building at STEP "RUN echo building &&     echo line two &&     false": while running runtime: exit status 1');
    assert.deepEqual(failure.output, ['building', 'line two']);
    assert.equal(failure.message, `${failure.error}\nbuilding\nline two`);
    assert.equal(failure.line, undefined);
  });

  test('COPY of a missing source fails at the COPY step; the previous step output is not its output', () => {
    const failure = parseBuildOutput(captured('copy')).failure;
    assert.ok(failure);
    assert.deepEqual([failure.stage, failure.stageCount, failure.step, failure.stepCount], [1, 1, 3, 3]);
    assert.equal(failure.instruction, 'COPY missing.txt /etc/');
    assert.match(failure.error, /^building at STEP "COPY missing\.txt \/etc\/": checking on sources under "\/home\/user\/app": copier: stat: "\/missing\.txt": no such file or directory$/);
    assert.deepEqual(failure.output, []);
  });

  test('a missing FROM image fails at the FROM step', () => {
    const failure = parseBuildOutput(captured('from')).failure;
    assert.ok(failure);
    assert.equal(failure.step, 1);
    assert.equal(failure.instruction, 'FROM localhost/no-such-image:latest');
    assert.equal(failure.error, 'creating build container: localhost/no-such-image:latest: image not known');
  });

  test('an unknown instruction fails at its step although buildah names it "FOO "; the Go dump and log noise are left out', () => {
    const failure = parseBuildOutput(captured('unknown')).failure;
    assert.ok(failure);
    assert.equal(failure.step, 2);
    assert.equal(failure.instruction, 'FOO bar');
    assert.match(failure.error, /^building at STEP "FOO ": Build error: Unknown instruction: "FOO" &imagebuilder\.Step\{/);
    assert.equal(failure.message, 'building at STEP "FOO ": Build error: Unknown instruction: "FOO"');
    assert.deepEqual(failure.output, []);
  });

  test('no FROM: a failure without a step', () => {
    const parsed = parseBuildOutput(captured('nofrom'));
    assert.deepEqual(parsed.steps, []);
    assert.deepEqual(parsed.failure, { stage: 0, stageCount: 0, step: 0, stepCount: 0, instruction: '', message: 'no FROM statement found', error: 'no FROM statement found', output: [] });
  });

  test('stages built in parallel (--jobs 2): the failing step is the one the error names, not the last announced', () => {
    const parsed = parseBuildOutput(captured('par'));
    const failure = parsed.failure;
    assert.ok(failure);
    assert.deepEqual([failure.stage, failure.step], [2, 2]);
    assert.equal(failure.instruction, 'RUN for i in 1 2 3; do echo b$i; sleep 0.2; done; exit 3');
    // Output is not prefixed: what ran meanwhile in the other stage interleaves.
    assert.ok(failure.output.includes('b3'));
    assert.ok(!failure.output.some((line) => line.startsWith('[')));
  });

  test('a multi-platform build keeps the platform and fails at the platform whose FROM failed', () => {
    const parsed = parseBuildOutput(captured('plat'));
    assert.deepEqual(
      parsed.steps.map((step) => `${step.platform} ${step.step}/${step.stepCount}`),
      ['linux/amd64 1/2', 'linux/amd64 2/2', 'linux/arm64 1/2'],
    );
    assert.equal(parsed.failure?.platform, 'linux/arm64');
    assert.equal(parsed.failure?.instruction, 'FROM localhost/bootc-test-base:latest');
  });
});

describe('podman build output (other forms)', () => {
  test('the old single counter STEP N: derives the stage and step from FROMs', () => {
    const parsed = parseBuildOutput(
      lines(`
STEP 1: FROM quay.io/fedora/fedora-bootc:42 AS builder
STEP 2: RUN make
STEP 3: FROM quay.io/fedora/fedora-bootc:42
STEP 4: COPY --from=builder /out /usr/bin/
STEP 5: RUN false
Error: error building at STEP "RUN false": error while running runtime: exit status 1
`),
    );
    assert.deepEqual(
      parsed.steps.map((step) => [step.stage, step.step, step.stepCount]),
      [
        [1, 1, 0],
        [1, 2, 0],
        [2, 1, 0],
        [2, 2, 0],
        [2, 3, 0],
      ],
    );
    assert.equal(parsed.failure?.stage, 2);
    assert.equal(parsed.failure?.step, 3);
    assert.equal(parsed.failure?.error, 'error building at STEP "RUN false": error while running runtime: exit status 1');
  });

  test('builder noise (pulls, commits, warnings, the image id) is not step output; only the last 20 lines are kept', () => {
    const output = Array.from({ length: 30 }, (_, index) => `line ${index + 1}`);
    const parsed = parseBuildOutput([
      'STEP 1/2: FROM quay.io/fedora/fedora-bootc:42',
      'Trying to pull quay.io/fedora/fedora-bootc:42...',
      'Getting image source signatures',
      'Copying blob sha256:0123',
      'Copying config sha256:4567',
      'Writing manifest to image destination',
      'Storing signatures',
      'STEP 2/2: RUN ./install.sh',
      'time="2026-11-22T03:00:00Z" level=warning msg="noise"',
      'WARN[0001] more noise',
      ...output.slice(0, 15),
      '[Warning] one or more build args were not consumed: [X]',
      ...output.slice(15),
      'Error: building at STEP "RUN ./install.sh": while running runtime: exit status 2',
    ]);
    const failure = parsed.failure;
    assert.ok(failure);
    assert.equal(FAILURE_OUTPUT_LINES, 20);
    assert.equal(failure.output.length, FAILURE_OUTPUT_LINES);
    assert.deepEqual(failure.output, output.slice(-FAILURE_OUTPUT_LINES));
    assert.equal(failure.message.split('\n')[0], 'building at STEP "RUN ./install.sh": while running runtime: exit status 2');
  });

  test('an "Error: " printed by a step that the build went past is not a failure', () => {
    const parsed = parseBuildOutput([
      'STEP 1/3: FROM localhost/base',
      'STEP 2/3: RUN dnf -y install nothing-here || true',
      'Error: Unable to find a match: nothing-here',
      '--> 0123456789a',
      'STEP 3/3: RUN true',
      'COMMIT localhost/app',
      '--> 89abcdef012',
      'Successfully tagged localhost/app:latest',
      '89abcdef0123456789abcdef0123456789abcdef0123456789abcdef01234567',
    ]);
    assert.equal(parsed.failure, undefined);
    assert.equal(parsed.steps.length, 3);
  });

  test('a step whose own output says "Error: " before podman\'s error keeps that line as output', () => {
    const failure = parseBuildOutput([
      'STEP 1/2: FROM localhost/base',
      'STEP 2/2: RUN dnf -y install nothing-here',
      'Error: Unable to find a match: nothing-here',
      'Error: building at STEP "RUN dnf -y install nothing-here": while running runtime: exit status 1',
    ]).failure;
    assert.equal(failure?.step, 2);
    assert.deepEqual(failure?.output, ['Error: Unable to find a match: nothing-here']);
  });

  test('a repeated instruction is attributed to the latest step that printed it', () => {
    const failure = parseBuildOutput([
      '[1/2] STEP 1/2: FROM localhost/base AS a',
      '[1/2] STEP 2/2: RUN make',
      '--> 0123456789a',
      '[2/2] STEP 1/2: FROM localhost/base',
      '[2/2] STEP 2/2: RUN make',
      'make: *** No rule to make target',
      'Error: building at STEP "RUN make": while running runtime: exit status 2',
    ]).failure;
    assert.deepEqual([failure?.stage, failure?.step], [2, 2]);
    assert.deepEqual(failure?.output, ['make: *** No rule to make target']);
  });

  test('an instruction containing `": ` is still matched', () => {
    const failure = parseBuildOutput([
      'STEP 1/2: FROM localhost/base',
      'STEP 2/2: RUN echo "a": b && false',
      'a: b',
      'Error: building at STEP "RUN echo "a": b && false": while running runtime: exit status 1',
    ]).failure;
    assert.equal(failure?.instruction, 'RUN echo "a": b && false');
    assert.equal(failure?.step, 2);
  });

  test('a parse error with a line number sets line', () => {
    const failure = parseBuildOutput(['Error: parsing main Dockerfile: /x/Containerfile: dockerfile parse error line 7: unknown flag: --nope']).failure;
    assert.equal(failure?.line, 7);
    assert.equal(failure?.step, 0);
  });

  test('ANSI colours and CRLF endings are ignored', () => {
    const parsed = parseBuildOutput(['STEP 1/1: FROM localhost/base\r', '\x1b[31mError: creating build container: localhost/base: image not known\x1b[0m\r']);
    assert.equal(parsed.steps[0].instruction, 'FROM localhost/base');
    assert.equal(parsed.failure?.error, 'creating build container: localhost/base: image not known');
  });

  test('the legacy docker builder: Step N/M and "returned a non-zero code"', () => {
    const failure = parseBuildOutput(
      lines(`
Sending build context to Docker daemon  2.048kB
Step 1/2 : FROM alpine
 ---> 0123456789ab
Step 2/2 : RUN false
 ---> Running in 89abcdef0123
The command '/bin/sh -c false' returned a non-zero code: 1
`),
    ).failure;
    assert.equal(failure?.step, 2);
    assert.equal(failure?.instruction, 'RUN false');
    assert.equal(failure?.error, "The command '/bin/sh -c false' returned a non-zero code: 1");
  });
});

describe('BuildKit output (docker buildx --progress=plain)', () => {
  const BUILDKIT = lines(`
#0 building with "default" instance using docker driver

#1 [internal] load build definition from Containerfile
#1 transferring dockerfile: 160B done
#1 DONE 0.0s

#2 [internal] load metadata for docker.io/library/alpine:3.20
#2 DONE 0.6s

#3 [internal] load .dockerignore
#3 transferring context: 2B done
#3 DONE 0.0s

#4 [builder 1/2] FROM docker.io/library/alpine:3.20@sha256:0123
#4 CACHED

#5 [builder 2/2] RUN echo compiled > /out
#5 DONE 0.3s

#6 [stage-1 2/3] COPY --from=builder /out /out
#6 DONE 0.0s

#7 [stage-1 3/3] RUN echo building && echo second && false
#7 0.231 building
#7 0.232 second
#7 ERROR: process "/bin/sh -c echo building && echo second && false" did not complete successfully: exit code: 1
------
 > [stage-1 3/3] RUN echo building && echo second && false:
0.231 building
0.232 second
------
Containerfile:5
--------------------
   3 |     FROM alpine:3.20
   4 |     COPY --from=builder /out /out
   5 | >>> RUN echo building && echo second && false
   6 |
--------------------
ERROR: failed to solve: process "/bin/sh -c echo building && echo second && false" did not complete successfully: exit code: 1
`);

  test('steps: named stages have no known position, stage-N is N+1', () => {
    const parsed = parseBuildOutput(BUILDKIT);
    assert.deepEqual(
      parsed.steps.map((step) => [step.stage, step.step, step.stepCount, step.instruction]),
      [
        [0, 1, 2, 'FROM docker.io/library/alpine:3.20@sha256:0123'],
        [0, 2, 2, 'RUN echo compiled > /out'],
        [2, 2, 3, 'COPY --from=builder /out /out'],
        [2, 3, 3, 'RUN echo building && echo second && false'],
      ],
    );
  });

  test('the failing vertex, its timestamped output, the final ERROR and the named line', () => {
    const failure = parseBuildOutput(BUILDKIT).failure;
    assert.ok(failure);
    assert.equal(failure.step, 3);
    assert.equal(failure.instruction, 'RUN echo building && echo second && false');
    assert.equal(failure.error, 'failed to solve: process "/bin/sh -c echo building && echo second && false" did not complete successfully: exit code: 1');
    assert.deepEqual(failure.output, ['building', 'second']);
    assert.equal(failure.line, 5);
  });

  test('Dockerfile:N names the line of a single-stage failure', () => {
    const failure = parseBuildOutput(['#5 [2/2] RUN false', '#5 ERROR: process "/bin/sh -c false" did not complete successfully: exit code: 1', 'Dockerfile:5', 'ERROR: failed to solve: process "/bin/sh -c false" did not complete successfully: exit code: 1']).failure;
    assert.deepEqual([failure?.stage, failure?.stageCount, failure?.step, failure?.line], [1, 1, 2, 5]);
  });
});

describe('normalizeInstruction', () => {
  test('joins continuations and collapses whitespace', () => {
    assert.equal(normalizeInstruction('RUN echo building && \\\n    echo line two && \\\n    false'), 'RUN echo building && echo line two && false');
    assert.equal(normalizeInstruction('RUN echo building &&     echo line two &&     false'), 'RUN echo building && echo line two && false');
  });

  test('upper-cases the keyword only, keeps flags, spells a JSON array as buildah does', () => {
    assert.equal(normalizeInstruction('run  --mount=type=cache,target=/var/cache  Make'), 'RUN --mount=type=cache,target=/var/cache Make');
    assert.equal(normalizeInstruction('CMD ["/usr/sbin/httpd", "-DFOREGROUND"]'), 'CMD /usr/sbin/httpd -DFOREGROUND');
    assert.equal(normalizeInstruction('RUN [not json'), 'RUN [not json');
    assert.equal(normalizeInstruction('   '), '');
  });
});
