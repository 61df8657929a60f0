import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runBuilder } from '../../client/src/commands/builderRun';
import { BUILD_LOG_NAME, buildArtifacts, builderContainerName, builderRunArgs } from '../../client/src/disk/builder';
import type { BuilderProgress } from '../../client/src/disk/progress';
import { ensureDiskTestImage, ensureStandInBuilder, standInBuilderAvailable, STAND_IN_BUILDER } from '../helpers/bib';
import { podmanSync, testPodman } from '../helpers/podman';

/**
 * Create Disk Image's builder run (client/src/commands/builderRun.ts) against the
 * bootc-image-builder STAND-IN (a test fixture tagged with the real builder's name): the log
 * beside the output, progress to 100 %, and a cancel that leaves no builder container and no
 * builder process behind.
 */

const skip = standInBuilderAvailable();
const folders: string[] = [];

function outputFolder(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bootc-disk-commands-'));
  folders.push(folder);
  return folder;
}

function containerExists(name: string): boolean {
  return podmanSync(['ps', '--all', '--quiet', '--filter', `name=^${name}$`]).stdout.trim() !== '';
}

/** Processes whose command line names the container (podman run, conmon, the builder inside). */
function processesNaming(name: string): string[] {
  return spawnSync('pgrep', ['-a', '-f', name], { encoding: 'utf8' }).stdout.split('\n').filter((line) => line.trim() !== '' && !line.includes('pgrep'));
}

describe('running bootc-image-builder (stand-in)', { skip, concurrency: false }, () => {
  let image: string;
  before(() => {
    image = ensureDiskTestImage();
    ensureStandInBuilder();
  });
  after(() => {
    for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
  });

  it('runs to the end with the full log beside the output and progress up to 100 %', async () => {
    const output = outputFolder();
    const containerName = builderContainerName();
    const args = builderRunArgs({ image, builderImage: STAND_IN_BUILDER, types: ['raw'], rootfs: 'ext4', outputFolder: output, containerName });
    const logFile = path.join(output, BUILD_LOG_NAME);
    const progress: BuilderProgress[] = [];
    const lines: string[] = [];
    const result = await runBuilder({ podman: testPodman(), args, containerName, logFile, onLine: (line) => lines.push(line), onProgress: (report) => progress.push(report) });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(progress.at(-1)?.percent, 100);
    const log = fs.readFileSync(logFile, 'utf8');
    assert.ok(log.startsWith(`$ podman run --rm --privileged`), log.slice(0, 200));
    for (const line of lines) assert.ok(log.includes(line), `the log lacks "${line}"`);
    assert.match(log, /Build complete!/);
    assert.match(log, /exit code: 0\n$/);
    assert.ok(fs.existsSync(buildArtifacts(output, ['raw'])[0].path));
    assert.equal(containerExists(containerName), false, 'podman run --rm left the container');
  });

  it('a cancel at the first progress report stops the builder container and leaves no process', async () => {
    const output = outputFolder();
    const containerName = builderContainerName();
    const args = builderRunArgs({ image, builderImage: STAND_IN_BUILDER, types: ['qcow2'], rootfs: 'ext4', outputFolder: output, containerName });
    const cancel = new AbortController();
    const result = await runBuilder({ podman: testPodman(), args, containerName, logFile: path.join(output, BUILD_LOG_NAME), signal: cancel.signal, onProgress: () => cancel.abort() });
    assert.equal(cancel.signal.aborted, true, 'the builder reported no progress');
    assert.equal(result.cancelled, true);
    assert.equal(containerExists(containerName), false, `container ${containerName} is still there after the cancel`);
    assert.deepEqual(processesNaming(containerName), []);
    assert.match(fs.readFileSync(path.join(output, BUILD_LOG_NAME), 'utf8'), /cancelled\n$/);
    assert.equal(fs.existsSync(path.join(output, 'qcow2', 'disk.qcow2')), false, 'a cancelled build left a disk');
  });

  it('a run cancelled before it starts runs nothing', async () => {
    const cancel = new AbortController();
    cancel.abort();
    const containerName = builderContainerName();
    const args = builderRunArgs({ image, builderImage: STAND_IN_BUILDER, types: ['qcow2'], outputFolder: outputFolder(), containerName });
    await assert.rejects(runBuilder({ podman: testPodman(), args, containerName, signal: cancel.signal }), { name: 'AbortError' });
    assert.equal(containerExists(containerName), false);
  });

  it('reports the builder\'s failure with its exit code and message', async () => {
    const output = outputFolder();
    const containerName = builderContainerName();
    const args = builderRunArgs({ image: 'localhost/bootc-no-such-image:latest', builderImage: STAND_IN_BUILDER, types: ['qcow2'], rootfs: 'ext4', outputFolder: output, containerName });
    const result = await runBuilder({ podman: testPodman(), args, containerName, logFile: path.join(output, BUILD_LOG_NAME) });
    assert.notEqual(result.exitCode, 0);
    assert.equal(result.cancelled, false);
    assert.match(fs.readFileSync(path.join(output, BUILD_LOG_NAME), 'utf8'), /bootc-no-such-image/);
  });
});
