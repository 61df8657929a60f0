import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { buildArtifacts, builderContainerName, builderRunArgs, manifestFileName } from '../../client/src/disk/builder';
import { writeTemporaryConfig } from '../../client/src/disk/config';
import { BuilderProgressParser, type BuilderProgress } from '../../client/src/disk/progress';
import { Redactor, runProcess } from '../../client/src/process';
import { runPodman } from '../../client/src/podman/tool';
import { diskInfoArgs, parseDiskInfo } from '../../client/src/vm/qemu';
import { ensureDiskTestImage, ensureStandInBuilder, standInBuilderAvailable, STAND_IN_BUILDER } from '../helpers/bib';
import { testPodman } from '../helpers/podman';

/**
 * The command line of client/src/disk/builder.ts run for real against the bootc-image-builder
 * STAND-IN (a test fixture tagged with the real builder's name; the real one cannot be pulled
 * here): the progress parser follows its output to 100 %, the artifact is where
 * buildArtifacts() says, and the config's password appears nowhere.
 */

const PASSWORD = 'stand-in-secret-4821';
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHxJ1h+3bVuC0mYp7PS2r2xYk0x2bmQ7g me@laptop';

describe('builderRunArgs with the bootc-image-builder stand-in', () => {
  const skip = standInBuilderAvailable();
  const output = fs.mkdtempSync(path.join(os.tmpdir(), 'bootc-disk-unit-out-'));
  after(() => fs.rmSync(output, { recursive: true, force: true }));

  it('builds a qcow2 with a generated config, reports progress to 100 % and writes the artifact where expected', { skip }, async () => {
    const image = ensureDiskTestImage();
    ensureStandInBuilder();
    const redactor = new Redactor();
    const config = writeTemporaryConfig({ users: [{ name: 'alice', password: PASSWORD, key: KEY, groups: ['wheel'] }], kernelAppend: 'console=ttyS0' }, { redactor, build: { rootfs: 'ext4', types: ['qcow2'] } });
    try {
      const args = builderRunArgs({
        image,
        builderImage: STAND_IN_BUILDER,
        types: ['qcow2'],
        rootfs: 'ext4',
        outputFolder: output,
        configFile: config.path,
        chown: { uid: 1000, gid: 1000 },
        containerName: builderContainerName(),
      });
      const parser = new BuilderProgressParser();
      const reports: BuilderProgress[] = [];
      const lines: string[] = [];
      const result = await runPodman(testPodman(), args, {
        redactor,
        onLine: (line) => {
          lines.push(line);
          const report = parser.feed(line);
          if (report) reports.push(report);
        },
      });
      assert.equal(result.exitCode, 0, result.stderr);
      assert.equal(reports.at(-1)?.percent, 100);
      const percents = reports.flatMap((report) => (report.percent === undefined ? [] : [report.percent]));
      assert.ok(percents.length > 2, 'progress was reported along the way');
      assert.deepEqual(percents, [...percents].sort((a, b) => a - b), 'the percentage never goes back');
      assert.ok(reports.some((report) => report.message === 'Disk image building step'));

      const [artifact] = buildArtifacts(output, ['qcow2']);
      assert.equal(artifact.path, path.join(output, 'qcow2', 'disk.qcow2'));
      const info = await runProcess('qemu-img', diskInfoArgs(artifact.path));
      assert.equal(parseDiskInfo(info.stdout).format, 'qcow2');
      assert.equal(fs.statSync(artifact.path).uid, 1000, '--chown gave the result to the user');
      assert.ok(fs.existsSync(path.join(output, manifestFileName(['qcow2']))));
      assert.equal([...lines, result.commandLine, result.stdout, result.stderr].some((text) => text.includes(PASSWORD)), false, 'the password appears nowhere');
    } finally {
      config.dispose();
    }
    assert.equal(fs.existsSync(config.folder), false);
  });
});
