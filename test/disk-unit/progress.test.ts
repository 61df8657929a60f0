import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BuilderProgressParser, type BuilderProgress } from '../../client/src/disk/progress';

/** bootc-image-builder's progress output as notification reports (client/src/disk/progress.ts). */

function feedAll(lines: string[]): { reports: BuilderProgress[]; parser: BuilderProgressParser } {
  const parser = new BuilderProgressParser();
  const reports: BuilderProgress[] = [];
  for (const line of lines) {
    const report = parser.feed(line);
    if (report) reports.push(report);
  }
  return { reports, parser };
}

function assertNeverDecreases(reports: BuilderProgress[]): void {
  let last = 0;
  for (const report of reports) {
    if (report.percent === undefined) continue;
    assert.ok(report.percent >= last, `percent went back from ${last} to ${report.percent} at "${report.message}"`);
    last = report.percent;
  }
}

describe('--progress debug', () => {
  // As image-builder-cli's debugProgressBar prints it (two spaces per sub-level).
  const output = [
    'msg: Generating manifest manifest-qcow2.json',
    'pulse: Manifest generation step',
    'Start progressbar',
    'msg: Done generating manifest',
    'pulse: Disk image building step',
    'msg: Building manifest-qcow2.json',
    '[0 / 2] pipelines/sources',
    '  [0 / 4] pipeline: build',
    'msg: Starting module org.osbuild.rpm',
    '  [2 / 4] pipeline: build',
    '[1 / 2] pipelines/sources',
    '  [0 / 3] pipeline: image',
    '  [2 / 3] pipeline: image',
    '[2 / 2] pipelines/sources',
    'msg: Build complete!',
    'msg: Results saved in /output',
    'Stop progressbar',
  ];

  test('counters become a percentage of pipelines and their stages, ending at 100', () => {
    const { reports } = feedAll(output);
    const percents = reports.filter((report) => report.percent !== undefined).map((report) => [report.message, report.percent]);
    assert.deepEqual(percents, [
      ['pipelines/sources', 0],
      ['pipeline: build', 0],
      ['Starting module org.osbuild.rpm', 0],
      ['pipeline: build', 25],
      ['pipelines/sources', 50],
      ['pipeline: image', 50],
      ['pipeline: image', 83.3],
      ['pipelines/sources', 100],
      ['Build complete!', 100],
      ['Results saved in /output', 100],
    ]);
    assertNeverDecreases(reports);
  });

  test('messages before the first counter have no percentage', () => {
    const { reports } = feedAll(output.slice(0, 6));
    assert.deepEqual(
      reports,
      [
        { message: 'Generating manifest manifest-qcow2.json' },
        { message: 'Manifest generation step' },
        { message: 'Done generating manifest' },
        { message: 'Disk image building step' },
        { message: 'Building manifest-qcow2.json' },
      ],
    );
  });

  test('a sub-level restarting at 0 for the next pipeline does not lower the percentage', () => {
    const { reports } = feedAll(['[1 / 4] pipelines', '  [3 / 4] pipeline: a', '[2 / 4] pipelines', '  [0 / 4] pipeline: b', '[1 / 4] pipelines']);
    assert.deepEqual(reports.map((report) => report.percent), [25, 43.8, 50, 50, 50]);
  });
});

describe('--progress term', () => {
  test('reads the spinner, the counter bars (counting from 1) and the message through the escape sequences', () => {
    const { reports } = feedAll([
      '\x1b[?25l\x1b[2K[|] Disk image building step',
      '\x1b[2K[2 / 3] pipelines/sources [=======>________] 50.00%',
      '\x1b[2K[3 / 5] pipeline: image [====>___________] 40.00%',
      '\x1b[2KMessage: Starting module org.osbuild.mkfs.ext4\x1b[3A',
      '\x1b[2K[/] Disk image building step',
      '\x1b[2K[3 / 3] pipelines/sources [================] 100.00%',
      '\x1b[2KMessage: Build complete!',
    ]);
    assert.deepEqual(
      reports.map((report) => [report.message, report.percent]),
      [
        ['Disk image building step', undefined],
        ['pipelines/sources', 50],
        ['pipeline: image', 75],
        ['Starting module org.osbuild.mkfs.ext4', 75],
        ['Disk image building step', 75],
        ['pipelines/sources', 100],
        ['Build complete!', 100],
      ],
    );
  });
});

describe('--progress verbose', () => {
  test('reports the builder\'s messages and osbuild\'s pipelines and stages, 100 only at Build complete!', () => {
    const hash = 'a'.repeat(64);
    const { reports, parser } = feedAll([
      'Generating manifest manifest-qcow2-raw.json',
      'Manifest generation step',
      'Done generating manifest',
      'Disk image building step',
      'Building manifest-qcow2-raw.json',
      `Pipeline build: ${hash}`,
      'Build',
      '  root: <host>',
      // osbuild's LogMonitor: the stage's name and id, then its options as indented JSON.
      `org.osbuild.truncate: ${hash} {`,
      '  "filename": "disk.raw",',
      '  "size": "10737418240"',
      '}',
      '',
      '⏱  Duration: 0.01s',
      'manifest - finished successfully',
      'Build complete!',
      'Results saved in /output',
    ]);
    assert.deepEqual(
      reports.map((report) => report.message),
      ['Generating manifest manifest-qcow2-raw.json', 'Manifest generation step', 'Done generating manifest', 'Disk image building step', 'Building manifest-qcow2-raw.json', 'Pipeline build', 'Stage org.osbuild.truncate', 'Build complete!', 'Results saved in /output'],
    );
    assert.deepEqual(reports.slice(0, -2).map((report) => report.percent), Array(7).fill(undefined));
    assert.equal(reports.at(-1)?.percent, 100);
    assert.deepEqual(parser.feed('msg: Results saved in /output'), { percent: 100, message: 'Results saved in /output' }, 'after Build complete! it stays at 100');
  });

  test('other output (osbuild logs, errors, podman) is not progress', () => {
    const parser = new BuilderProgressParser();
    for (const line of ['Trying to pull quay.io/centos-bootc/bootc-image-builder:latest...', 'Build', '  root: <host>', '2026/11/22 03:00:00 error: cannot build manifest: x', 'Copying blob sha256:abc', '[not a counter] x']) {
      assert.equal(parser.feed(line), undefined, line);
    }
  });
});
