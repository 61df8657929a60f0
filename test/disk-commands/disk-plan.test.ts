import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  bootableArtifacts,
  bootableDisk,
  builderImageOf,
  builderInvocation,
  diskBuildPlan,
  imageTypeChoices,
  nextVmId,
  orderImages,
  outputFolderFor,
  parseFilesystems,
  parseGroups,
  sshArgs,
  stopBuilderArgs,
} from '../../client/src/commands/diskPlan';
import { pullForArchArgs } from '../../client/src/disk/pull';
import { buildArtifacts, BUILDER_PRESETS, validateDiskBuild } from '../../client/src/disk/builder';
import type { LocalImage } from '../../client/src/disk/images';

/** The pure decisions behind Create Disk Image, Open in VM and SSH into VM (client/src/commands/diskPlan.ts). */

describe('output folder', () => {
  it('is relative to the Containerfile folder, absolute settings stay, ${workspaceFolder} and ~ expand', () => {
    assert.equal(outputFolderFor('output', '/ws/os'), '/ws/os/output');
    assert.equal(outputFolderFor('', '/ws/os'), '/ws/os/output');
    assert.equal(outputFolderFor('/srv/disks', '/ws/os'), '/srv/disks');
    assert.equal(outputFolderFor('${workspaceFolder}/dist', '/ws/os', '/ws'), '/ws/dist');
    assert.equal(outputFolderFor('~/disks', '/ws/os'), path.join(os.homedir(), 'disks'));
    assert.equal(outputFolderFor('../out', '/ws/os'), '/ws/out');
  });
});

describe('builder image', () => {
  it('follows the preset, and custom falls back to CentOS when empty', () => {
    assert.equal(builderImageOf({ builder: 'centos', customBuilderImage: 'x/y' }), BUILDER_PRESETS.centos);
    assert.equal(builderImageOf({ builder: 'rhel10', customBuilderImage: '' }), BUILDER_PRESETS.rhel10);
    assert.equal(builderImageOf({ builder: 'custom', customBuilderImage: ' registry.example.com/bib:1 ' }), 'registry.example.com/bib:1');
    assert.equal(builderImageOf({ builder: 'custom', customBuilderImage: '' }), BUILDER_PRESETS.centos);
  });
});

describe('builder invocation', () => {
  const podman = { path: 'podman', globalArgs: ['--log-level', 'info'] };
  it('runs rootful podman directly, with its global options', () => {
    assert.deepEqual(builderInvocation(podman, ['run', 'x'], false), { command: 'podman', args: ['--log-level', 'info', 'run', 'x'] });
  });
  it('runs rootless users\' builds as root through pkexec, with the absolute podman and without the user\'s global options', () => {
    assert.deepEqual(builderInvocation(podman, ['run', 'x'], true, '/usr/bin/podman'), { command: 'pkexec', args: ['/usr/bin/podman', 'run', 'x'] });
  });
  it('stops the builder container by its name, then removes it', () => {
    assert.deepEqual(stopBuilderArgs('bootc-image-builder-0a1b'), [
      ['stop', '--ignore', '--time', '5', 'bootc-image-builder-0a1b'],
      ['rm', '--force', '--ignore', 'bootc-image-builder-0a1b'],
    ]);
  });
});

describe('Create Disk Image command plan', () => {
  const podman = { path: 'podman', globalArgs: ['--log-level', 'info'] };
  const runArgs = ['run', '--rm', '--privileged', 'quay.io/centos-bootc/bootc-image-builder:latest', '--type', 'qcow2', 'localhost/my-os:latest'];
  const image = 'localhost/my-os:latest';

  it('rootful podman: no copy, the builder at once with the global options', () => {
    const plan = diskBuildPlan({ podman, absolutePodman: '/usr/bin/podman', rootless: false, image, runArgs });
    assert.deepEqual(plan, { pull: [], copyToRoot: [], builder: { command: 'podman', args: ['--log-level', 'info', ...runArgs] } });
  });

  it('rootless podman: podman image scp into root\'s storage (as the user), then the builder as root through pkexec', () => {
    const plan = diskBuildPlan({ podman, absolutePodman: '/usr/bin/podman', rootless: true, image, runArgs });
    assert.deepEqual(plan.copyToRoot, [{ command: '/usr/bin/podman', args: ['--log-level', 'info', 'image', 'scp', image, 'root@localhost::'] }]);
    assert.deepEqual(plan.builder, { command: 'pkexec', args: ['/usr/bin/podman', ...runArgs] });
    assert.deepEqual(plan.builder, builderInvocation(podman, runArgs, true, '/usr/bin/podman'), 'the plan runs what runBuilder runs');
  });

  it('rootless podman, save and load: save as the user, load elevated (sudo by default, or pkexec), never a shell line', () => {
    const plan = diskBuildPlan({ podman, absolutePodman: '/usr/bin/podman', rootless: true, image, runArgs, copy: 'save-load', archive: '/tmp/bootc-image-x/image.tar' });
    assert.deepEqual(plan.copyToRoot, [
      { command: '/usr/bin/podman', args: ['--log-level', 'info', 'save', '--format', 'oci-archive', '-o', '/tmp/bootc-image-x/image.tar', image] },
      { command: 'sudo', args: ['/usr/bin/podman', 'load', '-i', '/tmp/bootc-image-x/image.tar'] },
    ]);
    const withPkexec = diskBuildPlan({ podman, absolutePodman: '/usr/bin/podman', rootless: true, image, runArgs, copy: 'save-load', archive: '/a.tar', elevation: 'pkexec' });
    assert.equal(withPkexec.copyToRoot[1].command, 'pkexec');
    assert.throws(() => diskBuildPlan({ podman, absolutePodman: '/usr/bin/podman', rootless: true, image, runArgs, copy: 'save-load' }), /archive/);
  });

  it('a multi-architecture reference: pulled for the target first, straight into root\'s storage (rootful) or as the user before the copy (rootless)', () => {
    const reference = 'registry.example.com:5000/my-os:latest';
    const pullArgs = pullForArchArgs(reference, 'x86_64');
    assert.deepEqual(pullArgs, ['pull', '--platform', 'linux/amd64', reference]);
    const rootful = diskBuildPlan({ podman, absolutePodman: '/usr/bin/podman', rootless: false, image: reference, runArgs, pullArgs });
    assert.deepEqual(rootful.pull, [{ command: 'podman', args: ['--log-level', 'info', ...pullArgs] }]);
    assert.deepEqual(rootful.copyToRoot, []);
    const rootless = diskBuildPlan({ podman, absolutePodman: '/usr/bin/podman', rootless: true, image: reference, runArgs, pullArgs: pullForArchArgs(reference, 'aarch64', { tlsVerify: false }) });
    assert.deepEqual(rootless.pull, [{ command: 'podman', args: ['--log-level', 'info', 'pull', '--platform', 'linux/arm64', '--tls-verify=false', reference] }]);
    assert.deepEqual(rootless.copyToRoot, [{ command: '/usr/bin/podman', args: ['--log-level', 'info', 'image', 'scp', reference, 'root@localhost::'] }], 'the pulled image goes to root as any other');
    assert.deepEqual(diskBuildPlan({ podman, absolutePodman: '/usr/bin/podman', rootless: false, image, runArgs }).pull, [], 'a local image is not pulled');
  });

  it('no step carries a password: the password is typed into sudo or pkexec, never passed', () => {
    const plan = diskBuildPlan({ podman, absolutePodman: '/usr/bin/podman', rootless: true, image, runArgs, copy: 'save-load', archive: '/a.tar' });
    for (const step of [...plan.pull, ...plan.copyToRoot, plan.builder]) {
      assert.ok(!step.args.some((arg) => /^-S$|--stdin|password/i.test(arg)), `${step.command} ${step.args.join(' ')}`);
    }
  });
});

describe('guided editor answers', () => {
  it('reads mountpoint=size pairs, and refuses a pair without =', () => {
    assert.deepEqual(parseFilesystems(''), []);
    assert.deepEqual(parseFilesystems('/=10 GiB, /var/data=20 GiB; /boot = 1 GiB'), [
      { mountpoint: '/', minsize: '10 GiB' },
      { mountpoint: '/var/data', minsize: '20 GiB' },
      { mountpoint: '/boot', minsize: '1 GiB' },
    ]);
    assert.throws(() => parseFilesystems('/var/data 20 GiB'), /mountpoint=size/);
  });
  it('reads groups separated by commas or spaces, once each', () => {
    assert.deepEqual(parseGroups('wheel, docker  wheel,adm'), ['wheel', 'docker', 'adm']);
    assert.deepEqual(parseGroups(' '), []);
  });
});

describe('image picker', () => {
  const image = (name: string, created: number, labels: Record<string, string> = { 'containers.bootc': '1' }): LocalImage => ({ id: `${name}-id`, names: [name], labels, created });
  it('keeps bootc images only, the last built first, then newest first', () => {
    const ordered = orderImages(
      [image('localhost/old:latest', 1), image('localhost/app:latest', 9, {}), image('localhost/new:latest', 5), image('localhost/built:latest', 2, { 'ostree.bootable': 'true' })],
      ['localhost/built:latest'],
    );
    assert.deepEqual(ordered.map((candidate) => candidate.names[0]), ['localhost/built:latest', 'localhost/new:latest', 'localhost/old:latest']);
  });
  it('matches a built tag without the localhost/ prefix podman adds', () => {
    assert.equal(orderImages([image('localhost/a:latest', 9), image('localhost/mine:1', 1)], ['mine:1'])[0].names[0], 'localhost/mine:1');
  });
});

describe('image types', () => {
  it('offers every builder type with qcow2 picked, and ISO types say they are built alone', () => {
    const choices = imageTypeChoices();
    assert.deepEqual(choices.filter((choice) => choice.picked).map((choice) => choice.type), ['qcow2']);
    assert.ok(choices.some((choice) => choice.type === 'ami'));
    assert.match(choices.find((choice) => choice.type === 'anaconda-iso')?.detail ?? '', /build alone/);
  });
  it('an ISO with a disk type is refused before anything runs', () => {
    const problems = validateDiskBuild({ image: 'localhost/os:latest', builderImage: BUILDER_PRESETS.centos, types: ['iso', 'qcow2'], outputFolder: '/tmp/out' });
    assert.equal(problems.length, 1);
    assert.match(problems[0], /cannot be combined/);
  });
});

describe('disks to boot', () => {
  it('boots qcow2 and raw only', () => {
    assert.deepEqual(bootableDisk('/o/qcow2/disk.qcow2'), { path: '/o/qcow2/disk.qcow2', format: 'qcow2' });
    assert.deepEqual(bootableDisk('/o/image/disk.raw'), { path: '/o/image/disk.raw', format: 'raw' });
    assert.equal(bootableDisk('/o/bootiso/install.iso'), undefined);
    assert.equal(bootableDisk('/o/vmdk/disk.vmdk'), undefined);
  });
  it('offers the existing bootable artifacts of a build, qcow2 first', () => {
    const artifacts = buildArtifacts('/o', ['vmdk', 'raw', 'qcow2']);
    const offered = bootableArtifacts(artifacts, (file) => file !== '/o/vmdk/disk.vmdk');
    assert.deepEqual(offered.map((artifact) => artifact.path), ['/o/qcow2/disk.qcow2', '/o/image/disk.raw']);
    assert.deepEqual(bootableArtifacts(artifacts, (file) => file.endsWith('.raw')).map((artifact) => artifact.type), ['raw']);
  });
});

describe('ssh', () => {
  it('connects to the forwarded port on 127.0.0.1 without a host key check for localhost only', () => {
    assert.deepEqual(sshArgs(2222, 'alice'), ['-p', '2222', '-o', 'NoHostAuthenticationForLocalhost=yes', 'alice@127.0.0.1']);
  });
  it('refuses what is not a port or a user name (the arguments reach ssh as they are)', () => {
    assert.throws(() => sshArgs(0, 'alice'), /port/);
    assert.throws(() => sshArgs(22, '-oProxyCommand=x'), /user name/);
    assert.throws(() => sshArgs(22, 'a b'), /user name/);
  });
  it('numbers VMs with the first free id', () => {
    assert.equal(nextVmId([]), 'vm-1');
    assert.equal(nextVmId(['vm-1', 'vm-3']), 'vm-2');
  });
});
