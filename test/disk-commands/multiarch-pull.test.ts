import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runBuilder } from '../../client/src/commands/builderRun';
import { diskBuildPlan } from '../../client/src/commands/diskPlan';
import { BUILD_LOG_NAME, buildArtifacts, builderContainerName, builderRunArgs } from '../../client/src/disk/builder';
import { pullTargetImage, resolveTargetImage } from '../../client/src/disk/pull';
import { ensureDiskTestImage, ensureStandInBuilder, standInBuilderAvailable, STAND_IN_BUILDER } from '../helpers/bib';
import { ensureFarmEnv, farmEnvSkipReason, registryManifest } from '../helpers/farm';
import { podmanSync, removeImages, testPodman, uniqueImageName } from '../helpers/podman';

/**
 * Create Disk Image from a pushed multi-architecture reference, for real: a manifest list in the
 * farm environment's local registry (127.0.0.1, plain HTTP, insecure in a registries.conf) with an amd64 image (the busybox
 * bootc test image) and an arm64 entry (another image, labelled NOT bootc, annotated
 * `--arch arm64`: this machine has no emulation to build one), then the disk command's steps
 * (resolveTargetImage, pullTargetImage) and the bootc-image-builder STAND-IN (a test fixture)
 * on it for amd64. A wrong pick would hand the builder the arm64 entry, which it refuses.
 */

const skip = standInBuilderAvailable() ?? farmEnvSkipReason();
let podman = testPodman();
const suffix = Math.random().toString(36).slice(2, 8);
const localList = `localhost/bootc-test-multiarch-list-${suffix}:latest`;
const other = uniqueImageName('multiarch-arm64');
let repository: string;
let reference: string;
let amd64Id: string;
let otherId: string;
const folders: string[] = [];

function ok(args: string[]): string {
  const result = podmanSync(args);
  assert.equal(result.status, 0, `podman ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

const exists = (image: string) => podmanSync(['image', 'exists', image]).status === 0;

describe('Create Disk Image from a multi-architecture reference (registry, stand-in builder)', { skip, concurrency: false }, () => {
  before(() => {
    const env = ensureFarmEnv();
    ensureStandInBuilder();
    const base = ensureDiskTestImage();
    amd64Id = ok(['image', 'inspect', '--format', '{{.Id}}', base]);
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bootc-multiarch-'));
    folders.push(folder);
    fs.writeFileSync(path.join(folder, 'Containerfile'), `FROM ${base}\nLABEL containers.bootc=0 bootc.test.entry=arm64-${suffix}\n`);
    ok(['build', '--quiet', '-t', other, folder]);
    otherId = ok(['image', 'inspect', '--format', '{{.Id}}', other]);
    // The registry speaks plain HTTP: marked insecure in a registries.conf, as a user would (podman 4.3's manifest inspect has no --tls-verify).
    const registries = path.join(folder, 'registries.conf');
    fs.writeFileSync(registries, `[[registry]]\nlocation = "${env.registry}"\ninsecure = true\n`);
    podman = { ...podman, env: { ...podman.env, CONTAINERS_REGISTRIES_CONF: registries } };
    repository = `bootc-test-multiarch-${suffix}`;
    reference = `${env.registry}/${repository}:latest`;
    ok(['manifest', 'create', localList]);
    ok(['manifest', 'add', localList, `containers-storage:${base}`]);
    ok(['manifest', 'add', '--arch', 'arm64', localList, `containers-storage:${other}`]);
    ok(['manifest', 'push', '--all', '--tls-verify=false', localList, `docker://${reference}`]);
  });
  after(() => {
    podmanSync(['manifest', 'rm', localList]);
    removeImages(reference, other);
    for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
  });

  it('refuses an architecture the list lacks, naming the list\'s, before anything is pulled', async () => {
    await assert.rejects(resolveTargetImage(podman, reference, 's390x'), (error: Error) => {
      assert.match(error.message, new RegExp(`The manifest list ${reference.replace(/[.]/g, '\\.')} has no image for s390x \\(linux/s390x\\): it has linux/amd64, linux/arm64\\.`));
      return true;
    });
    assert.equal(exists(reference), false, 'the reference was pulled although refused');
  });

  it('pulls the amd64 image (asked as x86_64) into root\'s storage and the builder makes a disk of it', async () => {
    const served = await registryManifest(ensureFarmEnv().registry, repository);
    const amd64Entry = (served.manifests as { digest: string; platform?: { architecture?: string } }[]).find((entry) => entry.platform?.architecture === 'amd64');
    assert.ok(amd64Entry, JSON.stringify(served));
    const target = await resolveTargetImage(podman, reference, 'x86_64');
    assert.equal(target.source, 'registry');
    if (target.source !== 'registry') return;
    assert.equal(target.digest, amd64Entry.digest);
    assert.deepEqual(target.pull, ['pull', '--platform', 'linux/amd64', reference]);
    const plan = diskBuildPlan({ podman, absolutePodman: '/usr/bin/podman', rootless: false, image: reference, runArgs: [], pullArgs: target.pull });
    assert.deepEqual(plan.pull[0].args.slice(-target.pull.length), target.pull);

    const id = await pullTargetImage(podman, target);
    assert.equal(id, amd64Id, 'the pulled image is not the amd64 entry');
    assert.notEqual(id, otherId);
    assert.match(ok(['image', 'inspect', '--format', '{{.Architecture}} {{range .RepoDigests}}{{.}} {{end}}', reference]), new RegExp(`^amd64 .*@${amd64Entry.digest}`));

    const output = fs.mkdtempSync(path.join(os.tmpdir(), 'bootc-multiarch-out-'));
    folders.push(output);
    const containerName = builderContainerName();
    const args = builderRunArgs({ image: reference, builderImage: STAND_IN_BUILDER, types: ['raw'], rootfs: 'ext4', targetArch: 'x86_64', outputFolder: output, containerName });
    const result = await runBuilder({ podman, args, containerName, logFile: path.join(output, BUILD_LOG_NAME) });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.ok(fs.existsSync(buildArtifacts(output, ['raw'])[0].path), 'no disk');
    assert.match(fs.readFileSync(path.join(output, BUILD_LOG_NAME), 'utf8'), new RegExp(`--target-arch x86_64 .*${reference.replace(/[.]/g, '\\.')}`));
  });

  it('a manifest list in local storage gives its instance for the architecture, nothing pulled', async () => {
    const amd64 = await resolveTargetImage(podman, localList, 'amd64');
    const arm64 = await resolveTargetImage(podman, localList, 'aarch64');
    assert.equal(amd64.source, 'local-list');
    assert.equal(ok(['image', 'inspect', '--format', '{{.Id}}', amd64.image]), amd64Id);
    assert.equal(ok(['image', 'inspect', '--format', '{{.Id}}', arm64.image]), otherId);
    await assert.rejects(resolveTargetImage(podman, localList, 'ppc64le'), /has no image for ppc64le .*it has linux\/amd64, linux\/arm64/);
  });

  it('a local image is used as it is, and a reference nobody has is refused clearly', async () => {
    assert.deepEqual(await resolveTargetImage(podman, other, 'x86_64'), { source: 'local-image', image: other });
    await assert.rejects(resolveTargetImage(podman, `localhost/bootc-test-nothing-${suffix}:latest`, undefined), /is neither a local image nor a reference podman can read/);
  });
});
