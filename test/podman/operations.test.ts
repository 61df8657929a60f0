/**
 * client/src/podman/operations.ts against REAL podman: a build whose image then runs, a
 * failing step in stage 2 of a multi-stage file, a build cancelled inside `RUN sleep 60`, an
 * image booted with /sbin/init and stopped, `bootc container lint` (the stand-in baked into the
 * test base image) on a dirty and a clean image, names refused before podman runs, and a push
 * to a registry nobody listens on. Skipped with the reason when podman is missing (a failure
 * when CI is set: see podmanAvailable).
 *
 * Nothing is left behind: every image and container carries this run's id (`it<RUN>`), each
 * Containerfile labels its layers `bootc.test.run=<RUN>` so that intermediate images of failed
 * or cancelled builds are found too, and the last test checks that no image, container or
 * process of the run is left. Build contexts go under BOOTC_TEST_TMPDIR (else TMPDIR).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { parseContainerLintOutput } from '../../server/src/image/container-lint';
import { logsArgs, stopArgs, systemdRunArgs } from '../../client/src/podman/commands';
import { buildImage, ImageReferenceError, imageExists, lintImage, pushImage, removeImages, runContainer } from '../../client/src/podman/operations';
import { runPodman, spawnPodman, type Podman } from '../../client/src/podman/tool';
import type { OutputStream } from '../../client/src/process';
import { BOOT_LINE, ensureBootcTestBase, podmanAvailable, podmanList, podmanSync, TEST_BASE_IMAGE, testPodman, uniqueImageName } from '../helpers/podman';

const skipReason = podmanAvailable();

/** This run's id: in every image name, container name, layer label and build environment it makes. */
const RUN = randomBytes(5).toString('hex');
const RUN_LABEL = `bootc.test.run=${RUN}`;
const TMP_BASE = process.env.BOOTC_TEST_TMPDIR ?? os.tmpdir();

let podman: Podman;
let work = '';

/** A tag of this run: `localhost/bootc-test-it<RUN>-<purpose>-<random>:latest`. */
const imageName = (purpose: string) => uniqueImageName(`it${RUN}-${purpose}`);

/** Writes a build context with `files` (the Containerfile among them) and returns its folder. */
function context(name: string, files: Record<string, string>): { folder: string; containerfile: string } {
  const folder = fs.mkdtempSync(path.join(work, `${name}-`));
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(folder, file), text);
  return { folder, containerfile: path.join(folder, 'Containerfile') };
}

/** The first lines after a FROM: label the layers for cleanup, mark the build environment for the process checks. */
const tagLayers = `LABEL ${RUN_LABEL}\nENV BOOTC_TEST_RUN=${RUN}\n`;

/** Collects the output lines of an operation, and resolves `waitFor(pattern)` when one matches. */
function lineRecorder() {
  const lines: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  return {
    lines,
    onLine: (line: string, _stream: OutputStream) => {
      lines.push(line);
      for (const waiter of [...waiters]) {
        if (!waiter.pattern.test(line)) continue;
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    },
    waitFor(pattern: RegExp, timeoutMs: number): Promise<string> {
      const seen = lines.find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no line matched ${pattern} within ${timeoutMs} ms; got:\n${lines.join('\n')}`)), timeoutMs);
        waiters.push({ pattern, resolve: (line) => (clearTimeout(timer), resolve(line)) });
      });
    },
  };
}

async function poll<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface ProcessEntry {
  pid: number;
  ppid: number;
  startTime: string;
  comm: string;
  cmdline: string;
  environ: string;
}

/** Every process of this machine, from /proc (environment included: we run as the user who owns them, or root). */
function processes(): ProcessEntry[] {
  const entries: ProcessEntry[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z' || fields[0] === 'X') continue;
      const read = (file: string) => {
        try {
          return fs.readFileSync(`/proc/${name}/${file}`, 'latin1').replace(/\0/g, ' ');
        } catch {
          return '';
        }
      };
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      entries.push({ pid: Number(name), ppid: Number(fields[1]), startTime: fields[19], comm, cmdline: read('cmdline'), environ: read('environ') });
    } catch {
      // Gone meanwhile.
    }
  }
  return entries;
}

/** The processes whose command line or environment names this run, and all their descendants. */
function processesOfRun(): ProcessEntry[] {
  const all = processes();
  const mine = new Map(all.filter((entry) => entry.cmdline.includes(RUN) || entry.environ.includes(`BOOTC_TEST_RUN=${RUN}`)).map((entry) => [entry.pid, entry]));
  for (let grown = true; grown; ) {
    grown = false;
    for (const entry of all) {
      if (!mine.has(entry.pid) && mine.has(entry.ppid)) {
        mine.set(entry.pid, entry);
        grown = true;
      }
    }
  }
  return [...mine.values()];
}

const stillRunning = (entries: readonly ProcessEntry[]) => {
  const now = new Map(processes().map((entry) => [entry.pid, entry.startTime]));
  return entries.filter((entry) => now.get(entry.pid) === entry.startTime);
};
const describeProcesses = (entries: readonly ProcessEntry[]) => entries.map((entry) => `${entry.pid} ${entry.comm}: ${entry.cmdline}`).join('\n');

interface ExternalContainer {
  Id: string;
  Names: string[];
  Image: string;
}

/** Containers of podman and of buildah (`--external`: build containers). */
function allContainers(): ExternalContainer[] {
  return JSON.parse(podmanList(['ps', '-a', '--external', '--format', 'json']) || '[]') as ExternalContainer[];
}

/** Ids of the images (intermediate ones included) this run's Containerfiles labelled. */
function labelledImages(): string[] {
  const listed = podmanList(['images', '-a', '--no-trunc', '--quiet', '--filter', `label=${RUN_LABEL}`]);
  return [...new Set(listed.split('\n').map((line) => line.trim().replace(/^sha256:/, '')).filter(Boolean))];
}

/**
 * Containers of this run: named or imaged after it, or buildah's step containers, which are
 * named after the (labelled) image of the step before: `<12 hex>-working-container`.
 */
function containersOfRun(): ExternalContainer[] {
  const layerPrefixes = new Set(labelledImages().map((id) => id.slice(0, 12)));
  return allContainers().filter((container) => {
    const names = container.Names.join(' ');
    return names.includes(RUN) || container.Image.includes(RUN) || container.Names.some((name) => layerPrefixes.has(name.replace(/-working-container$/, '')));
  });
}

/** Images of this run by name (`podman images` lists every tag). */
function imagesNamedForRun(): string[] {
  return podmanList(['images', '-a', '--format', '{{.Repository}}:{{.Tag}}']).split('\n').filter((line) => line.includes(RUN));
}

/** Removes whatever this run left: containers first (they hold images), then images by name and by label. */
function cleanUpRun(): void {
  for (const container of containersOfRun()) podmanSync(['rm', '--force', '--time', '0', container.Id]);
  const named = imagesNamedForRun();
  if (named.length > 0) podmanSync(['rmi', '--force', '--ignore', ...named]);
  const labelled = labelledImages();
  if (labelled.length > 0) podmanSync(['rmi', '--force', '--ignore', ...labelled]);
}

describe('podman operations against real podman', { skip: skipReason ?? false }, () => {
  before(() => {
    podman = testPodman();
    ensureBootcTestBase();
    fs.mkdirSync(TMP_BASE, { recursive: true });
    work = fs.mkdtempSync(path.join(TMP_BASE, 'bootc-podman-it-'));
  });

  // A failed or cancelled build keeps the layers of the steps it finished (podman's build cache):
  // each test starts with none of this run's images, so that its own checks see only its own.
  afterEach(() => cleanUpRun());

  after(() => {
    cleanUpRun();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  test('builds an image from a bootc-style Containerfile, and a container of it shows what the RUN and the COPY put there', async () => {
    const tag = imageName('build');
    const marker = `built-by-run-${RUN}`;
    const { folder, containerfile } = context('build', {
      Containerfile: `FROM ${TEST_BASE_IMAGE}\n${tagLayers}RUN echo "${marker}" | tee /usr/lib/bootc-test-marker\nCOPY motd.txt /etc/motd\n`,
      'motd.txt': `copied-from-context-${RUN}\n`,
    });
    const recorder = lineRecorder();
    const commandLines: string[] = [];
    try {
      const build = await buildImage(podman, { containerfile, context: folder, tag }, { onLine: recorder.onLine, onCommandLine: (line) => commandLines.push(line) });
      assert.equal(build.ok, true, build.stderr);
      assert.equal(build.exitCode, 0);
      assert.equal(build.cancelled, false);
      assert.equal(build.failure, undefined);
      assert.match(build.imageId ?? '', /^[0-9a-f]{64}$/);
      assert.deepEqual(
        build.steps.map((step) => [step.stage, step.stageCount, step.step, step.stepCount, step.instruction.split(' ')[0]]),
        [
          [1, 1, 1, 5, 'FROM'],
          [1, 1, 2, 5, 'LABEL'],
          [1, 1, 3, 5, 'ENV'],
          [1, 1, 4, 5, 'RUN'],
          [1, 1, 5, 5, 'COPY'],
        ],
      );
      assert.ok(recorder.lines.includes(marker), `the RUN's output streams line by line:\n${recorder.lines.join('\n')}`);
      assert.equal(commandLines.length, 1);
      assert.match(commandLines[0], /^podman build -f .+ -t localhost\/bootc-test-it\S+ .+$/);
      assert.equal(await imageExists(podman, tag), true);

      const names: string[] = [];
      const run = await runContainer(podman, tag, ['cat', '/usr/lib/bootc-test-marker', '/etc/motd'], { onCommandLine: (line) => names.push(/--name (\S+)/.exec(line)?.[1] ?? '') });
      assert.equal(run.exitCode, 0, run.stderr);
      assert.equal(run.stdout, `${marker}\ncopied-from-context-${RUN}\n`);
      // `run --rm` under our own name: the container is gone when podman returns.
      assert.match(names[0], /^bootc-vscode-[0-9a-f]+$/);
      assert.equal(podmanSync(['container', 'exists', names[0]]).status, 1);
    } finally {
      await removeImages(podman, [tag]);
    }
    assert.equal(await imageExists(podman, tag), false);
  });

  test('a failing RUN in stage 2 of a multi-stage build reports its stage, step, instruction and podman’s error', async () => {
    const tag = imageName('fail');
    const failing = `RUN echo "about to fail in ${RUN}" && exit 3`;
    const { folder, containerfile } = context('fail', {
      Containerfile: [
        `FROM ${TEST_BASE_IMAGE} AS tools`,
        tagLayers.trimEnd(),
        'RUN echo tool > /tool.txt',
        `FROM ${TEST_BASE_IMAGE}`,
        tagLayers.trimEnd(),
        'COPY --from=tools /tool.txt /usr/share/tool.txt',
        failing,
        'RUN echo never',
        '',
      ].join('\n'),
    });
    try {
      const build = await buildImage(podman, { containerfile, context: folder, tag });
      assert.equal(build.ok, false);
      assert.equal(build.cancelled, false);
      assert.notEqual(build.exitCode, 0);
      assert.equal(build.imageId, undefined);
      const failure = build.failure;
      assert.ok(failure, `a failure is reported:\n${build.stdout}\n${build.stderr}`);
      assert.deepEqual([failure.stage, failure.stageCount, failure.step, failure.stepCount, failure.instruction], [2, 2, 5, 6, failing]);
      assert.equal(failure.error, `building at STEP "${failing}": while running runtime: exit status 3`);
      assert.deepEqual(failure.output, [`about to fail in ${RUN}`]);
      assert.equal(failure.message, `${failure.error}\nabout to fail in ${RUN}`);
      // The last step was never announced; stage 1 ran in full.
      assert.equal(build.steps.at(-1)?.instruction, failing);
      assert.equal(build.steps.filter((step) => step.stage === 1).length, 4);
      assert.equal(await imageExists(podman, tag), false);
    } finally {
      await removeImages(podman, [tag]);
    }
  });

  test('cancelling a build inside RUN sleep 60 reports cancelled and leaves no process and no build container of it', async () => {
    // FROM an alias of the base image so that buildah's first build container is named after this run.
    const from = imageName('from');
    assert.equal(podmanSync(['tag', TEST_BASE_IMAGE, from]).status, 0);
    const tag = imageName('cancel');
    const { folder, containerfile } = context('cancel', { Containerfile: `FROM ${from}\n${tagLayers}RUN echo "sleeping in ${RUN}" && sleep 60\nRUN echo never\n` });
    const recorder = lineRecorder();
    const controller = new AbortController();
    try {
      const started = Date.now();
      const building = buildImage(podman, { containerfile, context: folder, tag }, { signal: controller.signal, onLine: recorder.onLine });
      await recorder.waitFor(/^STEP 4\/5: RUN .*sleep 60$/, 60_000);
      // The RUN's sleep runs (in a session of its own, under runc): what the cancel has to stop.
      const sleeping = await poll('the sleep of the RUN step', () => processesOfRun().find((entry) => entry.comm === 'sleep'), 20_000);
      const during = processesOfRun();
      const buildContainers = await poll('the build container', () => {
        const found = containersOfRun();
        return found.length > 0 ? found : undefined;
      }, 10_000);
      assert.ok(during.some((entry) => entry.comm === 'podman' && entry.cmdline.includes(tag)), describeProcesses(during));
      assert.ok(during.some((entry) => entry.pid === sleeping.pid), describeProcesses(during));

      controller.abort();
      const build = await building;
      const elapsed = Date.now() - started;
      assert.equal(build.cancelled, true);
      assert.equal(build.ok, false);
      assert.equal(build.failure, undefined, 'a cancel is not reported as a failed step');
      assert.equal(build.imageId, undefined);
      assert.ok(elapsed < 40_000, `the cancel did not wait for sleep 60 (${elapsed} ms)`);

      assert.deepEqual(describeProcesses(stillRunning(during)), '', 'every process seen during the build is gone');
      const left = processesOfRun().filter((entry) => /^(podman|buildah|runc|conmon|sleep|sh)$/.test(entry.comm) || entry.cmdline.includes(RUN));
      assert.deepEqual(describeProcesses(left), '');
      const ids = new Set(allContainers().map((container) => container.Id));
      assert.deepEqual(buildContainers.filter((container) => ids.has(container.Id)), [], 'the build containers seen during the build are gone');
      assert.deepEqual(containersOfRun(), []);
      assert.equal(await imageExists(podman, tag), false);
    } finally {
      controller.abort();
      await removeImages(podman, [tag, from]);
    }
  });

  test('boots an image with /sbin/init detached, follows its logs to the boot line, and a stop leaves no container', async () => {
    const name = `bootc-test-it${RUN}-boot`;
    const recorder = lineRecorder();
    let logs: ReturnType<typeof spawnPodman> | undefined;
    try {
      const started = await runPodman(podman, systemdRunArgs(TEST_BASE_IMAGE, ['--name', name, '--network', 'none']));
      assert.equal(started.exitCode, 0, started.stderr);
      assert.match(started.stdout.trim(), /^[0-9a-f]{64}$/, 'podman run -d prints the container id');
      logs = spawnPodman(podman, logsArgs(name), { onLine: recorder.onLine });
      assert.equal(await recorder.waitFor(new RegExp(`^${BOOT_LINE}$`), 20_000), BOOT_LINE);
      assert.equal(podmanSync(['container', 'inspect', '--format', '{{.State.Running}}', name]).stdout.trim(), 'true', 'init keeps running after boot');

      const stopping = Date.now();
      const stopped = await runPodman(podman, stopArgs(name, 10));
      assert.equal(stopped.exitCode, 0, stopped.stderr);
      // The image's STOPSIGNAL SIGTERM halts busybox init at once; SIGRTMIN+3 would wait for the 10 s SIGKILL.
      assert.ok(Date.now() - stopping < 9000, `stopped by its stop signal, not by the timeout (${Date.now() - stopping} ms)`);
      const followed = await logs.result;
      assert.equal(followed.exitCode, 0, `podman logs -f ends with the container: ${followed.stderr}`);
      // `--rm`: podman removes the stopped container (its cleanup process may finish just after stop returns).
      await poll('the container to be removed', () => (podmanSync(['container', 'exists', name]).status === 1 ? true : undefined), 10_000);
      assert.deepEqual(containersOfRun(), []);
    } finally {
      logs?.kill();
      podmanSync(['rm', '--force', '--ignore', '--time', '0', name]);
    }
  });

  test('lintImage: a log file written by the Containerfile is a var-log warning naming its path; the clean base image passes', async () => {
    const tag = imageName('lint');
    const { folder, containerfile } = context('lint', { Containerfile: `FROM ${TEST_BASE_IMAGE}\n${tagLayers}RUN mkdir -p /var/log/app && echo started > /var/log/app/x.log\n` });
    try {
      const build = await buildImage(podman, { containerfile, context: folder, tag });
      assert.equal(build.ok, true, build.stderr);

      const dirty = await lintImage(podman, tag);
      assert.equal(dirty.exitCode, 0, 'a warning does not fail the lint');
      const parsed = parseContainerLintOutput(`${dirty.stdout}\n${dirty.stderr}`);
      assert.deepEqual(parsed.findings, [
        { lint: 'var-log', level: 'warning', message: 'Found non-empty logfiles:\n  /var/log/app/x.log', paths: ['/var/log/app/x.log'], items: ['/var/log/app/x.log'], more: 0 },
      ]);
      assert.equal(parsed.ok, true);
      assert.equal(parsed.summary.warnings, 1);

      const clean = await lintImage(podman, TEST_BASE_IMAGE);
      assert.equal(clean.exitCode, 0, clean.stderr);
      const cleanParsed = parseContainerLintOutput(`${clean.stdout}\n${clean.stderr}`);
      assert.deepEqual(cleanParsed.findings, []);
      assert.equal(cleanParsed.ok, true);
      assert.ok((cleanParsed.summary.passed ?? 0) > 10, `bootc counted the passed checks: ${clean.stdout}`);
    } finally {
      await removeImages(podman, [tag]);
    }
  });

  describe('names refused before podman runs', () => {
    let spy: Podman;
    let spyLog = '';
    const spyCalls = () => (fs.existsSync(spyLog) ? fs.readFileSync(spyLog, 'utf8') : '');

    before(() => {
      // A podman that records every call and then runs the real one: an empty log proves podman never ran.
      const script = path.join(work, 'spy-podman');
      spyLog = path.join(work, 'spy-podman.log');
      fs.writeFileSync(script, '#!/bin/sh\nprintf \'%s\\n\' "$*" >> "$BOOTC_TEST_SPY_LOG"\nexec podman "$@"\n', { mode: 0o755 });
      spy = { ...podman, path: script, env: { ...podman.env, BOOTC_TEST_SPY_LOG: spyLog } };
    });

    test('the spy sees the calls that do reach podman', async () => {
      assert.equal(await imageExists(spy, TEST_BASE_IMAGE), true);
      assert.equal(spyCalls(), `image exists ${TEST_BASE_IMAGE}\n`);
      fs.rmSync(spyLog);
    });

    test('a malformed tag: ImageReferenceError naming the bad part, podman never runs, no image is made', async () => {
      const { folder, containerfile } = context('malformed', { Containerfile: `FROM ${TEST_BASE_IMAGE}\n${tagLayers}` });
      const repository = `localhost/bootc-test-it${RUN}-malformed`;
      for (const [tag, said] of [
        [`${repository}:.hidden`, /The tag "\.hidden" starts with "\."/],
        [`${repository.replace('malformed', 'Malformed')}:latest`, /has uppercase letters: repository names are lowercase/],
        [`${repository}:`, /The tag after ":" is empty/],
      ] as const) {
        await assert.rejects(
          buildImage(spy, { containerfile, context: folder, tag }, { onCommandLine: () => assert.fail('no command line before a refused name') }),
          (error: unknown) => {
            assert.ok(error instanceof ImageReferenceError, String(error));
            assert.equal(error.reference, tag);
            assert.match(error.message, said);
            assert.match(error.message, /Use e\.g\. localhost\/my-os:latest\.$/);
            return true;
          },
        );
      }
      assert.equal(spyCalls(), '');
      assert.deepEqual(imagesNamedForRun().filter((image) => image.toLowerCase().includes('malformed')), []);
      assert.deepEqual(labelledImages(), [], 'nothing was built');
    });

    test('an image name full of shell metacharacters is refused everywhere, and no shell ever runs it', async () => {
      const marker = path.join(work, 'MARKER');
      const evil = `x; touch ${marker}`;
      const { folder, containerfile } = context('evil', { Containerfile: `FROM ${TEST_BASE_IMAGE}\n` });
      const refusals: Array<[string, () => Promise<unknown>]> = [
        ['build', () => buildImage(spy, { containerfile, context: folder, tag: evil })],
        ['run', () => runContainer(spy, evil, ['true'])],
        ['lint', () => lintImage(spy, evil)],
        ['push image', () => pushImage(spy, evil, 'localhost/bootc-test/x:latest')],
        ['push destination', () => pushImage(spy, TEST_BASE_IMAGE, evil)],
      ];
      for (const [what, attempt] of refusals) {
        await assert.rejects(attempt(), (error: unknown) => {
          assert.ok(error instanceof ImageReferenceError, `${what}: ${String(error)}`);
          assert.match(error.message, /contains (?=.*";")(?=.*a space).*, which a shell would read as syntax/);
          return true;
        });
      }
      assert.equal(spyCalls(), '', 'podman never ran');
      // Where no check stands in the way, the name still reaches podman as one argument, never a shell.
      assert.equal(await imageExists(spy, evil), false);
      assert.equal(spyCalls(), `image exists ${evil}\n`);
      assert.equal(fs.existsSync(marker), false, 'the marker was never touched');
    });
  });

  test('a push to an unreachable registry fails with a message naming the registry', async () => {
    const destination = `127.0.0.1:1/bootc-test/it${RUN}:latest`;
    const push = await pushImage(podman, TEST_BASE_IMAGE, destination);
    assert.equal(push.ok, false);
    assert.equal(push.cancelled, false);
    assert.notEqual(push.exitCode, 0);
    assert.ok(push.error, 'an error for people');
    assert.match(push.error, /^Cannot reach the registry 127\.0\.0\.1:1: check the name and your network\. \(podman: .*connection refused\)$/);
    assert.equal(await imageExists(podman, destination), false, 'a failed push tags nothing locally');
  });

  test('the run left no image, container or process behind (after each test’s clean-up)', () => {
    assert.deepEqual(imagesNamedForRun(), []);
    assert.deepEqual(labelledImages(), []);
    assert.deepEqual(containersOfRun(), []);
    assert.equal(describeProcesses(processesOfRun().filter((entry) => entry.pid !== process.pid)), '');
  });
});
