import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  BOOTC_LABELS,
  copyToRootWithSaveLoad,
  copyToRootWithScp,
  defaultRootfs,
  elevated,
  inspectImageArgs,
  isBootcImage,
  listBootcImagesArgs,
  parseImageInspect,
  parseImageList,
  parseRootless,
  ROOTLESS_PROBE_ARGS,
} from '../../client/src/disk/images';

/** Local bootc images and getting them into root's storage (client/src/disk/images.ts). */

// As podman 4.3 prints `podman images --format json`: one entry per tag, Names null when untagged.
const listed = JSON.stringify([
  { Id: 'aaa111'.padEnd(64, '0'), Names: ['localhost/my-os:latest', 'localhost/my-os:1'], Labels: { 'containers.bootc': '1' }, Created: 1795315000 },
  { Id: 'aaa111'.padEnd(64, '0'), Names: ['localhost/my-os:latest', 'localhost/my-os:1'], Labels: { 'containers.bootc': '1' }, Created: 1795315000 },
  { Id: 'bbb222'.padEnd(64, '0'), Names: null, RepoTags: null, Labels: { 'containers.bootc': '1' }, Created: 1795315694 },
  { Id: 'ccc333'.padEnd(64, '0'), Names: ['quay.io/fedora/fedora-bootc:42'], Labels: { 'ostree.bootable': 'true', 'redhat.id': 'fedora' }, Created: 1795000000 },
]);

describe('listing bootc images', () => {
  test('asks podman for images carrying each bootc label, as JSON', () => {
    assert.deepEqual([...BOOTC_LABELS], ['containers.bootc', 'ostree.bootable']);
    assert.deepEqual(listBootcImagesArgs('containers.bootc'), ['images', '--filter', 'label=containers.bootc', '--format', 'json']);
    assert.deepEqual(listBootcImagesArgs('ostree.bootable'), ['images', '--filter', 'label=ostree.bootable', '--format', 'json']);
  });

  test('parses each image once across outputs, leaves out untagged ones, newest first', () => {
    const images = parseImageList([listed, JSON.stringify([{ Id: 'ccc333'.padEnd(64, '0'), Names: ['localhost/fedora-copy:1'], Labels: {}, Created: 1795000000 }]), '']);
    assert.deepEqual(
      images.map((image) => [image.id.slice(0, 6), image.names, image.created]),
      [
        ['aaa111', ['localhost/my-os:latest', 'localhost/my-os:1'], 1795315000],
        ['ccc333', ['quay.io/fedora/fedora-bootc:42'], 1795000000],
      ],
    );
    assert.equal(images[1].labels['redhat.id'], 'fedora');
    assert.deepEqual(parseImageList([JSON.stringify([{ ID: 'ddd444', Names: ['<none>:<none>', 'localhost/x:1'], Labels: null, Created: 5, Size: 42 }])]), [
      { id: 'ddd444', names: ['localhost/x:1'], labels: {}, created: 5, size: 42 },
    ]);
  });

  test('puts the last built image first, by name or id; output that is not podman\'s JSON is an error', () => {
    assert.deepEqual(parseImageList([listed], 'quay.io/fedora/fedora-bootc:42').map((image) => image.id.slice(0, 6)), ['ccc333', 'aaa111']);
    assert.deepEqual(parseImageList([listed], 'ccc333').map((image) => image.id.slice(0, 6)), ['ccc333', 'aaa111']);
    assert.deepEqual(parseImageList([listed], 'localhost/not-there:1').map((image) => image.id.slice(0, 6)), ['aaa111', 'ccc333']);
    assert.throws(() => parseImageList(['Error: something']), SyntaxError);
    assert.throws(() => parseImageList(['{"Id": "x"}']), /JSON list/);
  });

  test('a bootc image has containers.bootc=1 or ostree.bootable true/1', () => {
    assert.equal(isBootcImage({ 'containers.bootc': '1' }), true);
    assert.equal(isBootcImage({ 'ostree.bootable': 'true' }), true);
    assert.equal(isBootcImage({ 'ostree.bootable': '1' }), true);
    assert.equal(isBootcImage({ 'containers.bootc': '0' }), false);
    assert.equal(isBootcImage({ 'ostree.bootable': 'false' }), false);
    assert.equal(isBootcImage({}), false);
  });
});

describe('inspecting an image', () => {
  test('reads id, labels (top level over Config), architecture and OS', () => {
    assert.deepEqual(inspectImageArgs('localhost/my-os:latest'), ['image', 'inspect', '--format', 'json', 'localhost/my-os:latest']);
    const details = parseImageInspect(
      JSON.stringify([{ Id: 'abc', RepoTags: ['localhost/my-os:latest'], Labels: { 'redhat.id': 'centos' }, Config: { Labels: { 'containers.bootc': '1', 'redhat.id': 'old' } }, Architecture: 'amd64', Os: 'linux' }]),
    );
    assert.deepEqual(details, { id: 'abc', labels: { 'containers.bootc': '1', 'redhat.id': 'centos' }, architecture: 'amd64', os: 'linux' });
    assert.throws(() => parseImageInspect('[]'), /no image/);
    assert.throws(() => parseImageInspect('Error: no such image'), SyntaxError);
  });
});

describe('root filesystem', () => {
  test('CentOS, RHEL, Alma and Rocky default to xfs (optional); Fedora needs btrfs; others need ext4', () => {
    assert.deepEqual(defaultRootfs({ 'redhat.id': 'centos' }, 'localhost/my-os'), { rootfs: 'xfs', required: false, reason: 'centos bootc images default to xfs' });
    assert.equal(defaultRootfs({ 'redhat.id': 'rhel' }, 'x').rootfs, 'xfs');
    assert.equal(defaultRootfs({}, 'quay.io/almalinuxorg/almalinux-bootc:10').rootfs, 'xfs');
    assert.equal(defaultRootfs({}, 'registry.redhat.io/rhel9/rhel-bootc:9.6').rootfs, 'xfs');
    assert.equal(defaultRootfs({}, 'quay.io/rockylinux/rocky-bootc:9').required, false);
    const fedora = defaultRootfs({ 'redhat.id': 'fedora' }, 'localhost/my-os');
    assert.equal(fedora.rootfs, 'btrfs');
    assert.equal(fedora.required, true);
    assert.match(fedora.reason, /no default root filesystem/);
    assert.equal(defaultRootfs({}, 'quay.io/fedora/fedora-bootc:42').rootfs, 'btrfs');
    assert.equal(defaultRootfs({}, 'localhost/rhelp:1').rootfs, 'ext4', 'a name that merely contains rhel is not RHEL');
    assert.deepEqual([defaultRootfs({ 'containers.bootc': '1' }, 'localhost/bootc-test-base').rootfs, defaultRootfs({}, 'x').required], ['ext4', true]);
  });
});

describe('rootful storage', () => {
  test('asks podman whether it is rootless and reads the answer', () => {
    assert.deepEqual([...ROOTLESS_PROBE_ARGS], ['info', '--format', '{{.Host.Security.Rootless}}']);
    assert.equal(parseRootless('true\n'), true);
    assert.equal(parseRootless('false'), false);
    assert.equal(parseRootless('Error: cannot connect'), undefined);
  });

  test('copies an image to root with podman image scp, or save then an elevated load', () => {
    assert.deepEqual(copyToRootWithScp('/usr/bin/podman', 'localhost/my-os:latest'), { command: '/usr/bin/podman', args: ['image', 'scp', 'localhost/my-os:latest', 'root@localhost::'] });
    assert.deepEqual(copyToRootWithSaveLoad('/usr/bin/podman', 'localhost/my-os:latest', '/tmp/x/image.tar', 'pkexec'), [
      { command: '/usr/bin/podman', args: ['save', '--format', 'oci-archive', '-o', '/tmp/x/image.tar', 'localhost/my-os:latest'] },
      { command: 'pkexec', args: ['/usr/bin/podman', 'load', '-i', '/tmp/x/image.tar'] },
    ]);
    assert.equal(copyToRootWithSaveLoad('/usr/bin/podman', 'x:1', '/a.tar')[1].command, 'sudo', 'sudo by default');
    assert.deepEqual(elevated('sudo', 'podman', ['images']), { command: 'sudo', args: ['podman', 'images'] });
  });
});
