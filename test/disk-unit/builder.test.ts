import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  BUILD_LOG_NAME,
  BUILDER_PRESETS,
  buildArtifacts,
  builderContainerName,
  builderImageFor,
  builderRunArgs,
  canonicalArch,
  COMMON_IMAGE_TYPES,
  DiskBuildOptionsError,
  hostArch,
  IMAGE_TYPES,
  manifestFileName,
  ociArch,
  ROOT_CONTAINER_STORAGE,
  TARGET_ARCHES,
  validateDiskBuild,
  type DiskBuildOptions,
} from '../../client/src/disk/builder';

/** bootc-image-builder's command line and the checks made before it runs (client/src/disk/builder.ts). */

const base: DiskBuildOptions = { image: 'localhost/my-os:latest', builderImage: BUILDER_PRESETS.centos, types: ['qcow2'], outputFolder: '/home/me/os/output' };

describe('image types', () => {
  test('each type writes where bootc-image-builder writes it', () => {
    const artifacts = buildArtifacts('/o', ['qcow2', 'raw', 'vmdk', 'vhd', 'gce', 'ova']);
    assert.deepEqual(
      artifacts.map((artifact) => [artifact.type, artifact.path, artifact.bootable]),
      [
        ['qcow2', '/o/qcow2/disk.qcow2', true],
        ['raw', '/o/image/disk.raw', true],
        ['vmdk', '/o/vmdk/disk.vmdk', false],
        ['vhd', '/o/vpc/disk.vhd', false],
        ['gce', '/o/gce/image.tar.gz', false],
        // The OVA's file name varies: the folder is what to reveal.
        ['ova', '/o/archive', false],
      ],
    );
    for (const iso of ['anaconda-iso', 'iso', 'bootc-installer']) assert.deepEqual(buildArtifacts('/o', [iso]).map((artifact) => artifact.path), ['/o/bootiso/install.iso']);
    assert.deepEqual(buildArtifacts('/o', ['pxe-tar-xz']).map((artifact) => artifact.path), ['/o/bootc-pxe-tree'], 'pxe-tar-xz is a tree, not one file');
    assert.deepEqual(buildArtifacts('/o', ['qcow2', 'qcow2']).length, 1, 'a type asked twice is one artifact');
  });

  test('ami is a raw disk in image/disk.raw, left out once uploaded to AWS; unknown types have none', () => {
    assert.deepEqual(buildArtifacts('/o', ['ami']), [{ type: 'ami', path: '/o/image/disk.raw', bootable: true }]);
    assert.deepEqual(buildArtifacts('/o', ['raw', 'ami'], true), [{ type: 'raw', path: '/o/image/disk.raw', bootable: true }]);
    assert.deepEqual(buildArtifacts('/o', ['ami'], true), []);
    assert.deepEqual(buildArtifacts('/o', ['no-such-type']), []);
  });

  test('the common types are known types, the ISO types are marked, the manifest and log names are the builder\'s', () => {
    for (const type of COMMON_IMAGE_TYPES) assert.ok(type in IMAGE_TYPES, type);
    assert.equal(COMMON_IMAGE_TYPES[0], 'qcow2', 'qcow2 is offered first (the builder\'s default)');
    assert.deepEqual(
      Object.entries(IMAGE_TYPES)
        .filter(([, info]) => info.iso)
        .map(([type]) => type)
        .sort(),
      ['anaconda-iso', 'bootc-installer', 'iso'],
    );
    assert.equal(manifestFileName(['qcow2', 'raw']), 'manifest-qcow2-raw.json');
    assert.equal(BUILD_LOG_NAME, 'bootc-image-builder.log');
  });
});

describe('architectures', () => {
  test('canonical and OCI spellings', () => {
    assert.equal(canonicalArch('amd64'), 'x86_64');
    assert.equal(canonicalArch(' X86_64 '), 'x86_64');
    assert.equal(canonicalArch('ARM64'), 'aarch64');
    assert.equal(canonicalArch('ppc64le'), 'ppc64le');
    assert.equal(canonicalArch('mips'), undefined);
    assert.equal(ociArch('x86_64'), 'amd64');
    assert.equal(ociArch('aarch64'), 'arm64');
    assert.equal(ociArch('s390x'), 's390x');
    assert.equal(ociArch('sparc'), undefined);
    for (const arch of TARGET_ARCHES) assert.ok(canonicalArch(arch), arch);
    assert.equal(hostArch('x64'), 'x86_64');
    assert.equal(hostArch('arm64'), 'aarch64');
    assert.equal(hostArch('ppc64'), 'ppc64le');
  });
});

describe('builder images', () => {
  test('presets, custom, and CentOS when custom is empty', () => {
    assert.equal(builderImageFor('centos'), 'quay.io/centos-bootc/bootc-image-builder:latest');
    assert.equal(builderImageFor('rhel9'), 'registry.redhat.io/rhel9/bootc-image-builder:latest');
    assert.equal(builderImageFor('rhel10'), 'registry.redhat.io/rhel10/bootc-image-builder:latest');
    assert.equal(builderImageFor('custom', ' example.com/bib:2 '), 'example.com/bib:2');
    assert.equal(builderImageFor('custom', '  '), BUILDER_PRESETS.centos);
  });

  test('container names are unique and recognisable', () => {
    const names = new Set(Array.from({ length: 50 }, () => builderContainerName()));
    assert.equal(names.size, 50);
    for (const name of names) assert.match(name, /^bootc-image-builder-[0-9a-f]{8}$/);
  });
});

describe('validation before anything runs', () => {
  const problems = (options: Partial<DiskBuildOptions>, arch = 'x86_64') => validateDiskBuild({ ...base, ...options }, { arch });

  test('a valid build has no problem; an ami without AWS options writes image/disk.raw and is fine', () => {
    assert.deepEqual(problems({}), []);
    assert.deepEqual(problems({ types: ['qcow2', 'raw', 'vmdk'], rootfs: 'xfs', targetArch: 'amd64' }), []);
    assert.deepEqual(problems({ types: ['ami'] }), []);
    assert.deepEqual(problems({ types: ['anaconda-iso'] }), []);
    assert.deepEqual(problems({ image: 'quay.io/me/os@sha256:' + 'a'.repeat(64), configFile: '/tmp/c/config.toml', chown: { uid: 1000, gid: 1000 } }), []);
  });

  test('an installer ISO with disk types is refused, naming both', () => {
    const found = problems({ types: ['anaconda-iso', 'qcow2', 'raw'] });
    assert.equal(found.length, 1);
    assert.match(found[0], /"anaconda-iso" builds an installer ISO and cannot be combined with disk image types \("qcow2", "raw"\)/);
    assert.match(found[0], /one after the other/);
    assert.match(problems({ types: ['iso', 'qcow2'] })[0], /"iso" builds an installer ISO/);
  });

  test('two ISO types are refused (both write bootiso/install.iso)', () => {
    const found = problems({ types: ['anaconda-iso', 'iso'] });
    assert.equal(found.length, 1);
    assert.match(found[0], /Only one installer ISO type .*"anaconda-iso", "iso".*choose one/);
  });

  test('an Anaconda ISO for another architecture is refused; a cross-architecture disk is not', () => {
    const found = problems({ types: ['iso'], targetArch: 'arm64' });
    assert.equal(found.length, 1);
    assert.match(found[0], /"iso" cannot be built for another architecture \(aarch64\)/);
    assert.deepEqual(problems({ types: ['qcow2'], targetArch: 'arm64' }), []);
    assert.deepEqual(problems({ types: ['iso'], targetArch: 'x86_64' }), []);
    assert.deepEqual(problems({ types: ['iso'], targetArch: 'arm64' }, 'aarch64'), [], 'on an aarch64 machine it is not another architecture');
  });

  test('bootc-installer needs its payload', () => {
    assert.match(problems({ types: ['bootc-installer'] }).join(' '), /"bootc-installer" ISO needs the image it installs/);
    assert.deepEqual(problems({ types: ['bootc-installer'], installerPayloadRef: 'quay.io/me/os:1' }), []);
    assert.match(problems({ types: ['bootc-installer'], installerPayloadRef: 'Bad Name' }).join(' '), /installer payload is not valid/);
  });

  test('AWS options come as a set, for ami only, with a real region and bucket name', () => {
    const partial = problems({ types: ['ami'], aws: { amiName: 'my-ami', bucket: '', region: 'eu-west-1' } });
    assert.equal(partial.length, 1);
    assert.match(partial[0], /together; missing: S3 bucket/);
    const withoutAmi = problems({ types: ['qcow2'], aws: { amiName: 'a', bucket: 'my-bucket', region: 'eu-west-1' } });
    assert.equal(withoutAmi.length, 1);
    assert.match(withoutAmi[0], /needs the "ami" image type/);
    assert.match(problems({ types: ['ami'], aws: { amiName: 'a', bucket: 'my-bucket', region: 'Europe' } }).join(' '), /"Europe" is not an AWS region/);
    assert.match(problems({ types: ['ami'], aws: { amiName: 'a', bucket: 'My_Bucket', region: 'eu-west-1' } }).join(' '), /"My_Bucket" is not an S3 bucket name/);
    assert.match(problems({ types: ['ami'], aws: { amiName: 'a', bucket: 'my-bucket', region: 'eu-west-1', credentialsFolder: '.aws' } }).join(' '), /credentials folder must be an absolute path/);
  });

  test('unknown types, root filesystems and architectures are refused with the valid values', () => {
    assert.match(problems({ types: ['qcow'] })[0], /Unknown image type "qcow".*"qcow2"/);
    assert.match(problems({ rootfs: 'zfs' })[0], /"zfs" is not supported: choose "ext4", "xfs", "btrfs"/);
    assert.match(problems({ targetArch: 'mips' })[0], /"mips" is not supported/);
    assert.match(problems({ types: [] })[0], /at least one image type/);
    assert.match(problems({ outputFolder: 'output' })[0], /absolute/);
    assert.match(problems({ outputFolder: '/a:b' })[0], /contains ":"/);
    assert.match(problems({ configFile: 'config.toml' })[0], /config file must be an absolute path/);
    assert.match(problems({ image: ' ' })[0], /image name is empty/);
    assert.match(problems({ image: 'x; rm -rf ~' })[0], /shell/);
    assert.match(problems({ builderImage: 'Bad:Builder:Name' })[0], /builder image is not valid/);
    assert.match(problems({ chown: { uid: -1, gid: 0 } })[0], /--chown/);
    assert.match(problems({ containerName: 'no spaces' })[0], /not a container name/);
  });
});

describe('the podman run command line', () => {
  test('is the README\'s: rootful storage, privileged, unconfined, output mounted, owner set', () => {
    assert.deepEqual(builderRunArgs({ ...base, rootfs: 'ext4', chown: { uid: 1000, gid: 1000 }, containerName: 'bootc-image-builder-0a1b2c3d' }), [
      'run',
      '--rm',
      '--privileged',
      '--pull=newer',
      '--security-opt',
      'label=type:unconfined_t',
      '--name',
      'bootc-image-builder-0a1b2c3d',
      '-v',
      '/var/lib/containers/storage:/var/lib/containers/storage',
      '-v',
      '/home/me/os/output:/output',
      'quay.io/centos-bootc/bootc-image-builder:latest',
      '--type',
      'qcow2',
      '--rootfs',
      'ext4',
      '--progress',
      'debug',
      '--chown',
      '1000:1000',
      'localhost/my-os:latest',
    ]);
    assert.equal(ROOT_CONTAINER_STORAGE, '/var/lib/containers/storage');
  });

  test('mounts the config read-only, repeats --type, passes the architecture, progress and extra arguments', () => {
    const args = builderRunArgs({ ...base, types: ['qcow2', 'raw'], configFile: '/tmp/bootc-config-x/config.toml', targetArch: 'aarch64', progress: 'verbose', extraPodmanArgs: ['--network=none'], extraBuilderArgs: ['--log-level', 'debug'] });
    const line = args.join(' ');
    assert.ok(line.includes('-v /tmp/bootc-config-x/config.toml:/config.toml:ro'), line);
    assert.ok(line.includes('--network=none quay.io/centos-bootc/bootc-image-builder:latest --type qcow2 --type raw'), line);
    assert.ok(line.includes('--target-arch aarch64 --progress verbose'), line);
    assert.ok(line.endsWith('--log-level debug localhost/my-os:latest'), line);
    assert.equal(args.includes('--chown'), false, 'no --chown without an owner');
    assert.equal(args.includes('--name'), false, 'no --name without a container name');
    assert.equal(args.includes('--rootfs'), false, 'no --rootfs: the image\'s default');
  });

  test('an AMI upload mounts ~/.aws read-only with AWS_PROFILE and passes the three flags', () => {
    const args = builderRunArgs({ ...base, types: ['ami'], aws: { amiName: ' my-ami ', bucket: 'my-bucket', region: 'eu-west-1', credentialsFolder: '/home/me/.aws', profile: 'work' } });
    const line = args.join(' ');
    assert.ok(line.includes('-v /home/me/.aws:/root/.aws:ro --env AWS_PROFILE=work quay.io/'), line);
    assert.ok(line.includes('--aws-ami-name my-ami --aws-bucket my-bucket --aws-region eu-west-1'), line);
    assert.ok(!builderRunArgs({ ...base, types: ['ami'] }).some((arg) => arg.startsWith('--aws') || arg.includes('.aws')));
  });

  test('bootc-installer passes its payload', () => {
    const args = builderRunArgs({ ...base, types: ['bootc-installer'], installerPayloadRef: 'quay.io/me/os:1' });
    assert.deepEqual(args.slice(args.indexOf('--installer-payload-ref'), args.indexOf('--installer-payload-ref') + 2), ['--installer-payload-ref', 'quay.io/me/os:1']);
  });

  test('refuses invalid options with every problem, before building a command line', () => {
    assert.throws(
      () => builderRunArgs({ ...base, types: ['iso', 'qcow2'], rootfs: 'zfs' }),
      (error: unknown) => error instanceof DiskBuildOptionsError && error.problems.length === 2 && /cannot be combined/.test(error.message) && /zfs/.test(error.message),
    );
  });
});
