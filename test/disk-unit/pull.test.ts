import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { entryForArch, instanceReference, parseManifestEntries, pullForArchArgs } from '../../client/src/disk/pull';

/** Create Disk Image from a multi-architecture reference: the pure parts of client/src/disk/pull.ts. */

// As `podman manifest inspect` prints a list (podman 4.3 and 5.4 alike).
const list = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
  manifests: [
    { mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 343, digest: 'sha256:aaa', platform: { architecture: 'amd64', os: 'linux' } },
    { mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 343, digest: 'sha256:bbb', platform: { architecture: 'arm64', os: 'linux', variant: 'v8' } },
  ],
});

describe('multi-architecture references for Create Disk Image', () => {
  it('pulls with --platform linux/ARCH, mapping x86_64 to amd64 and aarch64 to arm64, --tls-verify only when set', () => {
    assert.deepEqual(pullForArchArgs('quay.io/me/os:1', 'aarch64'), ['pull', '--platform', 'linux/arm64', 'quay.io/me/os:1']);
    assert.deepEqual(pullForArchArgs('quay.io/me/os:1', 'x86_64'), ['pull', '--platform', 'linux/amd64', 'quay.io/me/os:1']);
    assert.deepEqual(pullForArchArgs('quay.io/me/os:1', 'arm64', { tlsVerify: false }), ['pull', '--platform', 'linux/arm64', '--tls-verify=false', 'quay.io/me/os:1']);
    assert.deepEqual(pullForArchArgs('quay.io/me/os:1', 's390x', { tlsVerify: true }), ['pull', '--platform', 'linux/s390x', '--tls-verify=true', 'quay.io/me/os:1']);
    assert.throws(() => pullForArchArgs('x', 'mips'), /Unknown architecture "mips"/);
  });

  it('reads the entries of a manifest list; one image\'s manifest is no list', () => {
    assert.deepEqual(parseManifestEntries(list), [
      { digest: 'sha256:aaa', platform: { os: 'linux', architecture: 'amd64' } },
      { digest: 'sha256:bbb', platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
    ]);
    assert.equal(parseManifestEntries(JSON.stringify({ schemaVersion: 2, config: { digest: 'sha256:c' }, layers: [] })), undefined);
    assert.throws(() => parseManifestEntries('Error: nope'), /no JSON/);
  });

  it('finds the entry for either spelling of the architecture', () => {
    const entries = parseManifestEntries(list) ?? [];
    assert.equal(entryForArch(entries, 'x86_64', 'r').digest, 'sha256:aaa');
    assert.equal(entryForArch(entries, 'amd64', 'r').digest, 'sha256:aaa');
    assert.equal(entryForArch(entries, 'aarch64', 'r').digest, 'sha256:bbb');
  });

  it('refuses an architecture the list lacks, naming what it has', () => {
    const entries = parseManifestEntries(list) ?? [];
    assert.throws(() => entryForArch(entries, 's390x', 'quay.io/me/os:1'), (error: Error) => {
      assert.match(error.message, /The manifest list quay\.io\/me\/os:1 has no image for s390x \(linux\/s390x\): it has linux\/amd64, linux\/arm64\/v8\./);
      return true;
    });
    assert.throws(() => entryForArch([], 'x86_64', 'r'), /it has no images/);
  });

  it('names a local list\'s instance by repository and digest', () => {
    assert.equal(instanceReference('localhost/my-os:latest', 'sha256:aaa'), 'localhost/my-os@sha256:aaa');
    assert.equal(instanceReference('registry.example.com:5000/me/os', 'sha256:aaa'), 'registry.example.com:5000/me/os@sha256:aaa');
  });
});
