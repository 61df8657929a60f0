// The bootc knowledge behind hover and completion: every text it shows must be true, so the
// tests pin what each text claims and the structure the editor relies on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_IMAGES,
  BOOTC_DIRECTORIES,
  COMPLETION_DIRECTORIES,
  DESCRIBED_INSTRUCTIONS,
  DOCS,
  describeBaseImage,
  describeInstruction,
  describePath,
  findBaseImage,
  instructionKnowledge,
  normalizePath,
  parseImageReference,
  treeLifecycle,
  wellKnownDirectory,
} from '../../server/src/knowledge';
import { isKnownBootcImage } from '../../server/src/lint/images';

test('every instruction the brief lists is described, with a docs link and a short text', () => {
  const required = ['ENV', 'CMD', 'ENTRYPOINT', 'USER', 'EXPOSE', 'VOLUME', 'WORKDIR', 'LABEL', 'HEALTHCHECK', 'STOPSIGNAL', 'SHELL', 'ARG', 'FROM', 'RUN', 'COPY', 'ADD'];
  for (const keyword of required) {
    const entry = instructionKnowledge(keyword);
    assert.ok(entry, `${keyword} is not described`);
    assert.match(entry.docs, /^https:\/\//, keyword);
    const sentences = entry.text.replace(/e\.g\./g, 'eg').split(/(?<=\.)\s+/).length;
    assert.ok(sentences >= 2 && sentences <= 5, `${keyword}: ${sentences} sentences`);
    assert.ok(entry.text.length < 480, `${keyword} is too long (${entry.text.length})`);
  }
  assert.deepEqual(DESCRIBED_INSTRUCTIONS.filter((k) => required.includes(k)).sort(), [...required].sort());
});

test('instruction texts say what replaces the ignored runtime metadata', () => {
  assert.match(instructionKnowledge('env')!.text, /Environment=/);
  assert.match(instructionKnowledge('ENV')!.text, /environment\.d/);
  assert.match(instructionKnowledge('ENV')!.text, /bootc ignores it/);
  assert.match(instructionKnowledge('CMD')!.text, /systemd/);
  assert.match(instructionKnowledge('ENTRYPOINT')!.text, /systemd unit/);
  assert.match(instructionKnowledge('USER')!.text, /User=/);
  assert.match(instructionKnowledge('USER')!.text, /sysusers\.d/);
  assert.match(instructionKnowledge('EXPOSE')!.text, /firewall/);
  assert.match(instructionKnowledge('VOLUME')!.text, /tmpfiles\.d/);
  assert.match(instructionKnowledge('VOLUME')!.text, /\.mount/);
  assert.match(instructionKnowledge('LABEL')!.text, /containers\.bootc=1/);
  assert.match(instructionKnowledge('LABEL')!.text, /ostree\.bootable/);
  assert.match(instructionKnowledge('ARG')!.text, /before the first `FROM` is global/);
  assert.match(instructionKnowledge('STOPSIGNAL')!.text, /KillSignal=/);
  assert.match(instructionKnowledge('COPY')!.text, /3-way/);
  assert.equal(instructionKnowledge('FOO'), undefined);
  assert.equal(describeInstruction('FOO'), undefined);
  const hover = describeInstruction('expose')!;
  assert.match(hover, /^\*\*EXPOSE\*\* in a bootc image/);
  assert.match(hover, /\[Documentation\]\(https:\/\/bootc-dev\.github\.io\/bootc\/building\/bootc-runtime\.html\)/);
});

test('paths are normalised lexically; relative paths are not described', () => {
  assert.equal(normalizePath('/usr//lib/./x/../y/'), '/usr/lib/y');
  assert.equal(normalizePath('/'), '/');
  assert.equal(normalizePath('/..'), '/');
  assert.equal(normalizePath('etc/x'), undefined);
  assert.equal(describePath('relative/path'), undefined);
});

test('the most specific well-known directory wins, on whole path segments', () => {
  assert.equal(wellKnownDirectory('/usr/lib/sysusers.d/app.conf')?.path, '/usr/lib/sysusers.d');
  assert.equal(wellKnownDirectory('/usr/lib/sysusers.d')?.path, '/usr/lib/sysusers.d');
  assert.equal(wellKnownDirectory('/usr/lib/systemd/system-preset/50-app.preset')?.path, '/usr/lib/systemd/system-preset');
  assert.equal(wellKnownDirectory('/usr/lib/systemd/system/app.service')?.path, '/usr/lib/systemd/system');
  assert.equal(wellKnownDirectory('/usr/lib/systemd/systemx'), undefined);
  assert.equal(wellKnownDirectory('/usr/lib/bootc/kargs.d/10-console.toml')?.path, '/usr/lib/bootc/kargs.d');
  assert.equal(wellKnownDirectory('/etc/containers/systemd/web.container')?.path, '/etc/containers/systemd');
  assert.equal(wellKnownDirectory('/usr/bin/app'), undefined);
});

test('completion offers 13 bootc directories, the issue\'s five among them', () => {
  assert.equal(COMPLETION_DIRECTORIES.length, 13);
  const paths = COMPLETION_DIRECTORIES.map((d) => d.path);
  assert.equal(new Set(paths).size, paths.length);
  for (const path of ['/usr/lib/sysusers.d', '/usr/lib/tmpfiles.d', '/usr/lib/bootc/kargs.d', '/usr/lib/systemd/system', '/usr/share/containers/systemd', '/etc/containers/systemd', '/usr/lib/bootc/bound-images.d']) {
    assert.ok(paths.includes(path), path);
  }
  for (const directory of BOOTC_DIRECTORIES) {
    assert.match(directory.path, /^\/[^]*[^/]$/, directory.path);
    assert.equal(normalizePath(directory.path), directory.path);
    assert.match(directory.docs, /^https:\/\//);
    assert.ok(directory.purpose.length > 0 && directory.purpose.length < 60, directory.purpose);
  }
});

test('each tree has its lifecycle on an installed system', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['/usr/bin/app', '/usr', /replaces it with the new image/],
    ['/etc/app/app.conf', '/etc', /3-way merge/],
    ['/var/lib/app', '/var', /only when a machine is first installed/],
    ['/var/tmp/x', '/var', /never change it/],
    ['/opt/app/bin', '/opt', /\/var\/opt/],
    ['/home/core/.bashrc', '/home', /\/var\/home/],
    ['/var/home/core', '/home', /first install/],
    ['/root/.ssh/authorized_keys', '/root', /\/var\/roothome/],
    ['/run/app', '/run', /tmpfs, empty at every boot/],
    ['/tmp/build', '/tmp', /tmpfs/],
    ['/boot/grub2', '/boot', /managed by bootc/],
    ['/usr/etc/x', '/usr/etc', /do not put files/],
    ['/sysroot/ostree', '/sysroot', /physical root/],
    ['/proc/x', '/proc', /API filesystem/],
    ['/afs/cell', '/', /lifecycled with the image/],
  ];
  for (const [path, root, text] of cases) {
    const lifecycle = treeLifecycle(path);
    assert.equal(lifecycle.root, root, path);
    assert.match(lifecycle.text, text, path);
    assert.match(lifecycle.docs, /^https:\/\//, path);
  }
  assert.match(treeLifecycle('/etc/x').docs, /filesystem\.html#etc$/);
  assert.match(treeLifecycle('/var/x').docs, /filesystem\.html#var$/);
});

test('/usr/local depends on the base image; /srv, /mnt, /media are hedged', () => {
  assert.match(treeLifecycle('/usr/local/bin/x', { distro: 'centos' }).text, /plain directory in CentOS Stream and RHEL/);
  assert.match(treeLifecycle('/usr/local/bin/x', { distro: 'rhel' }).text, /plain directory/);
  assert.match(treeLifecycle('/usr/local/bin/x', { distro: 'fedora' }).text, /symlink to `\/var\/usrlocal` in Fedora bootc/);
  const unknown = treeLifecycle('/usr/local/bin/x').text;
  assert.match(unknown, /depends on the base image/);
  assert.match(unknown, /ls -ld \/usr\/local/);
  for (const directory of ['/srv', '/mnt', '/media']) {
    const text = treeLifecycle(`${directory}/data`).text;
    assert.match(text, /depends on the base image/, directory);
    assert.match(text, new RegExp(`ls -ld ${directory}`), directory);
  }
});

test('a path hover shows the well-known directory first, then the tree; a builder stage only says nothing ships', () => {
  const text = describePath('/usr/lib/bootc/kargs.d/10-console.toml')!;
  const directory = text.indexOf('kargs = ');
  const tree = text.indexOf('read-only on the installed system');
  assert.ok(directory >= 0 && tree > directory, text);
  assert.match(text, /\*\*`\/usr\/lib\/bootc\/kargs\.d\/10-console\.toml`\*\* on an installed bootc system/);
  const plain = describePath('/var/lib/app/')!;
  assert.doesNotMatch(plain, /—/); // no well-known directory part
  assert.match(plain, /`\/var\/lib\/app`/);
  const builder = describePath('/usr/bin/tool', { builderStage: true })!;
  assert.match(builder, /builder stage/);
  assert.match(builder, /COPY --from=/);
  assert.doesNotMatch(builder, /read-only/);
});

test('image references are split into repository, tag and digest', () => {
  assert.deepEqual(parseImageReference('quay.io/fedora/fedora-bootc:44'), { repository: 'quay.io/fedora/fedora-bootc', tag: '44', digest: undefined });
  assert.deepEqual(parseImageReference('localhost:5000/x/y:1@sha256:abc'), { repository: 'localhost:5000/x/y', tag: '1', digest: 'sha256:abc' });
  assert.deepEqual(parseImageReference('localhost:5000/x/y'), { repository: 'localhost:5000/x/y', tag: undefined, digest: undefined });
  assert.equal(parseImageReference('node:20').repository, 'docker.io/library/node');
  assert.equal(parseImageReference('ubuntu/squid').repository, 'docker.io/ubuntu/squid');
  assert.equal(parseImageReference('localhost/my-os').repository, 'localhost/my-os');
  assert.equal(parseImageReference('QUAY.IO/Fedora/fedora-bootc').repository, 'quay.io/fedora/fedora-bootc');
});

test('the catalog has the common tags of the main bootc images', () => {
  const tags = (repository: string) => findBaseImage(repository)?.tags.map((t) => t.tag);
  assert.deepEqual(tags('quay.io/fedora/fedora-bootc'), ['45', '44', '43', 'rawhide', 'latest']);
  assert.deepEqual(tags('quay.io/centos-bootc/centos-bootc:stream10'), ['stream10', 'stream9']);
  assert.deepEqual(tags('registry.redhat.io/rhel10/rhel-bootc'), ['10.2', '10.1', '10.0', 'latest']);
  assert.deepEqual(tags('registry.redhat.io/rhel9/rhel-bootc'), ['9.8', '9.7', '9.6', '9.4', 'latest']);
  for (const repository of ['quay.io/fedora/fedora-silverblue', 'quay.io/fedora/fedora-kinoite', 'ghcr.io/ublue-os/bluefin', 'ghcr.io/bootcrew/arch-bootc']) {
    assert.ok(findBaseImage(repository), repository);
  }
  const repositories = BASE_IMAGES.map((image) => image.repository);
  assert.equal(new Set(repositories).size, repositories.length);
  for (const image of BASE_IMAGES) {
    assert.equal(image.repository, image.repository.toLowerCase());
    assert.ok(image.tags.length > 0, image.repository);
    assert.match(image.docs, /^https:\/\//);
  }
});

test('FROM hover describes the base image and its tag, and hedges on tags it does not know', () => {
  const known = describeBaseImage('quay.io/fedora/fedora-bootc:44')!;
  assert.match(known, /\*\*Fedora bootc\*\*/);
  assert.match(known, /Tag `44`: Fedora 44\./);
  assert.match(known, /\[Documentation\]\(https:\/\/docs\.fedoraproject\.org\/en-US\/bootc\/\)/);
  assert.match(describeBaseImage('quay.io/fedora/fedora-bootc:39')!, /not one of the common tags listed here .*check that the registry has it/);
  assert.match(describeBaseImage('quay.io/fedora/fedora-bootc')!, /No tag: podman uses `latest`/);
  assert.match(describeBaseImage('quay.io/fedora/fedora-bootc@sha256:0123')!, /Pinned by digest/);
  assert.match(describeBaseImage('registry.redhat.io/rhel10/rhel-bootc:10.1')!, /podman login/);
  assert.doesNotMatch(describeBaseImage('quay.io/centos-bootc/centos-bootc:stream10')!, /podman login/);
  assert.equal(describeBaseImage('docker.io/library/node:20'), undefined);
});

test('every catalog image is one the linter treats as a bootc base (one notion of "bootc image")', () => {
  for (const image of BASE_IMAGES) {
    assert.ok(isKnownBootcImage(`${image.repository}:${image.tags[0].tag}`), image.repository);
  }
  assert.ok(!isKnownBootcImage('docker.io/library/node:20'));
});

test('docs point at the bootc-dev site', () => {
  for (const url of Object.values(DOCS)) assert.match(url, /^https:\/\/[a-z0-9.-]+\//);
  assert.match(DOCS.filesystem, /^https:\/\/bootc-dev\.github\.io\/bootc\/filesystem\.html$/);
});
