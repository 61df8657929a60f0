import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkPlatforms,
  connectionAddArgs,
  describeFarmError,
  fallbackBuildArgs,
  farmBuildArgs,
  farmCreateArgs,
  farmUnsupportedReason,
  farmUpdateArgs,
  manifestInspectArgs,
  nodeInfoArgs,
  validateConnectionDestination,
  validateFarmReference,
  validateNodeName,
} from '../../client/src/farm/commands';
import { demultiplexFarmLine, formatPlatform, parseConnectionList, parseFarmList, parseFarmOutcomes, parseInfoPlatform, parseManifestPlatforms, parsePlatform } from '../../client/src/farm/parse';
import { DEFAULT_SETTINGS, sanitizeSettings } from '../../server/src/settings';

/** The farm parsers and argument builders, on output captured from podman 5.4.2. */

describe('parsing podman farm output', () => {
  it('reads podman farm list --format json', () => {
    const output = '[\n    {\n        "Name": "test-farm",\n        "Connections": [\n            "farm-node"\n        ],\n        "Default": true,\n        "ReadWrite": true\n    },\n    {"Name": "arm", "Connections": null, "Default": false}\n]\n';
    assert.deepEqual(parseFarmList(output), [
      { name: 'test-farm', connections: ['farm-node'], isDefault: true },
      { name: 'arm', connections: [], isDefault: false },
    ]);
    assert.deepEqual(parseFarmList(''), []);
    assert.deepEqual(parseFarmList('null'), []);
    assert.throws(() => parseFarmList('Error: unrecognized command `podman farm`'), /no JSON/);
    assert.throws(() => parseFarmList('{}'), /instead of a list/);
  });

  it('reads podman system connection list --format json', () => {
    const output = JSON.stringify([
      { Name: 'farm-node', URI: 'unix:///run/podman/podman.sock', Identity: '', Default: true, ReadWrite: true },
      { Name: 'arm', URI: 'ssh://core@10.0.0.2:22/run/user/1000/podman/podman.sock', Identity: '/home/me/.ssh/id_ed25519', Default: false, ReadWrite: true },
    ]);
    assert.deepEqual(parseConnectionList(output), [
      { name: 'farm-node', uri: 'unix:///run/podman/podman.sock', isDefault: true },
      { name: 'arm', uri: 'ssh://core@10.0.0.2:22/run/user/1000/podman/podman.sock', identity: '/home/me/.ssh/id_ed25519', isDefault: false },
    ]);
  });

  it("reads a node's platform from podman info", () => {
    assert.deepEqual(parseInfoPlatform('{"host": {"arch": "amd64", "os": "linux", "buildahVersion": "1.39.3"}}'), { os: 'linux', architecture: 'amd64' });
    assert.deepEqual(parseInfoPlatform('{"host": {"arch": "arm64", "os": "linux", "variant": "v8"}}'), { os: 'linux', architecture: 'arm64', variant: 'v8' });
    assert.throws(() => parseInfoPlatform('{"host": {}}'), /no architecture/);
    assert.throws(() => parseInfoPlatform('Cannot connect to Podman'), /no JSON/);
  });

  it('formats and parses platforms', () => {
    assert.equal(formatPlatform({ os: 'linux', architecture: 'arm64', variant: 'v8' }), 'linux/arm64/v8');
    assert.deepEqual(parsePlatform('Linux/AMD64'), { os: 'linux', architecture: 'amd64' });
    for (const bad of ['linux', 'linux/', 'a/b/c/d', 'linux/amd 64', '']) assert.equal(parsePlatform(bad), undefined, bad);
  });

  it('reads the platforms of a manifest list, and none of a single image', () => {
    const list = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        { digest: 'sha256:1', platform: { architecture: 'amd64', os: 'linux' } },
        { digest: 'sha256:2', platform: { architecture: 'arm64', os: 'linux', variant: 'v8' } },
        { digest: 'sha256:3' },
      ],
    });
    assert.deepEqual(parseManifestPlatforms(list).map(formatPlatform), ['linux/amd64', 'linux/arm64/v8']);
    assert.deepEqual(parseManifestPlatforms('{"schemaVersion": 2, "config": {}}'), []);
    assert.throws(() => parseManifestPlatforms('Error: no such manifest'), /no JSON/);
  });

  it("splits a farm build's lines by node, as podman 5.4.2 prefixes them", () => {
    assert.deepEqual(demultiplexFarmLine('[linux/amd64@farm-node] STEP 1/3: FROM 127.0.0.1:5311/base:latest'), { platform: 'linux/amd64', node: 'farm-node', text: 'STEP 1/3: FROM 127.0.0.1:5311/base:latest' });
    assert.deepEqual(demultiplexFarmLine('[linux/arm64/v8@(local)] --> 52c0e6811a50'), { platform: 'linux/arm64/v8', node: '(local)', text: '--> 52c0e6811a50' });
    assert.deepEqual(demultiplexFarmLine('Farm "test-farm" ready'), { text: 'Farm "test-farm" ready' });
    assert.deepEqual(demultiplexFarmLine('[Warning] one or more build args were not consumed'), { text: '[Warning] one or more build args were not consumed' });
  });

  it('collects what each node did', () => {
    const lines = [
      'Starting build for [{linux amd64 }] at "farm-node"',
      'finished build for [{linux amd64 }] at "farm-node": built 52c0e6811a507575d6d49135b30a845edfc6c78a75fade7975f98bcfe29900b8',
      'Error: build: building: 1 error occurred:',
      '\t* building for "linux/arm64" on "arm-node": creating build container: no space left on device',
    ];
    assert.deepEqual(parseFarmOutcomes(lines), [
      { node: 'farm-node', platform: 'linux/amd64', ok: true, imageId: '52c0e6811a507575d6d49135b30a845edfc6c78a75fade7975f98bcfe29900b8' },
      { node: 'arm-node', platform: 'linux/arm64', ok: false, error: 'creating build container: no space left on device' },
    ]);
  });
});

describe('farm argument builders', () => {
  const base = { reference: 'quay.io/me/my-os', containerfile: '/src/os/Containerfile', context: '/src/os', platforms: ['linux/amd64', 'linux/arm64'] };

  it('builds podman farm build with every option in its own argument, the context last', () => {
    const { args, secrets } = farmBuildArgs({
      ...base,
      farm: 'prod',
      cleanup: true,
      local: false,
      buildArgs: { VERSION: '1', API_TOKEN: 'hunter22' },
      target: 'final',
      secrets: ['id=rhsm,src=/run/rhsm'],
      extraArgs: ['--pull=newer'],
    });
    assert.deepEqual(args, [
      'farm', 'build', '--farm', 'prod', '--platforms', 'linux/amd64,linux/arm64', '-t', 'quay.io/me/my-os', '--cleanup', '--local=false',
      '-f', '/src/os/Containerfile', '--build-arg', 'VERSION=1', '--build-arg', 'API_TOKEN=hunter22', '--target', 'final', '--secret', 'id=rhsm,src=/run/rhsm', '--pull=newer', '/src/os',
    ]);
    assert.deepEqual(secrets, ['hunter22']);
  });

  it("uses podman's default farm and --local=true unless told, and drops an explicit :latest (podman issue #25039)", () => {
    const { args } = farmBuildArgs({ ...base, reference: 'registry.example.com:5000/os:latest' });
    assert.deepEqual(args, ['farm', 'build', '--platforms', 'linux/amd64,linux/arm64', '-t', 'registry.example.com:5000/os', '--local=true', '-f', '/src/os/Containerfile', '/src/os']);
    assert.ok(farmBuildArgs({ ...base, reference: 'quay.io/me/os:v1' }).args.includes('quay.io/me/os:v1'));
  });

  it('refuses references without a registry, bad platforms, farm names and build arguments', () => {
    assert.match(validateFarmReference('my-os') ?? '', /names no registry/);
    assert.match(validateFarmReference('localhost/my-os:latest') ?? '', /local storage/);
    assert.match(validateFarmReference('quay.io/Me/os') ?? '', /lowercase/);
    assert.equal(validateFarmReference('localhost:5000/my-os'), undefined);
    assert.equal(validateFarmReference('127.0.0.1:5311/os:1'), undefined);
    assert.throws(() => farmBuildArgs({ ...base, reference: 'my-os' }), /names no registry/);
    assert.throws(() => farmBuildArgs({ ...base, platforms: [] }), /at least one platform/);
    assert.throws(() => farmBuildArgs({ ...base, platforms: ['arm64'] }), /not a platform/);
    assert.throws(() => farmBuildArgs({ ...base, farm: '--all' }), /farm name "--all" is not valid/);
    assert.throws(() => farmBuildArgs({ ...base, buildArgs: { 'A B': '1' } }), /build argument name/);
    assert.deepEqual(checkPlatforms(['Linux/ARM64/V8']), ['linux/arm64/v8']);
  });

  it('builds the emulated fallback into a local manifest list', () => {
    const { args } = fallbackBuildArgs({ ...base, reference: 'localhost/my-os:latest', target: 'final' });
    assert.deepEqual(args, ['build', '--platform', 'linux/amd64,linux/arm64', '--manifest', 'localhost/my-os:latest', '-f', '/src/os/Containerfile', '--target', 'final', '/src/os']);
    assert.throws(() => fallbackBuildArgs({ ...base, reference: 'bad name' }), /space/);
  });

  it('builds farm create and update, and refuses names that look like options', () => {
    assert.deepEqual(farmCreateArgs('prod', ['x86', 'arm']), ['farm', 'create', 'prod', 'x86', 'arm']);
    assert.deepEqual(farmUpdateArgs('prod', { add: ['a'], remove: ['b'], makeDefault: true }), ['farm', 'update', '--add', 'a', '--remove', 'b', '--default', 'prod']);
    assert.deepEqual(farmUpdateArgs('prod', { makeDefault: true }), ['farm', 'update', '--default', 'prod']);
    assert.throws(() => farmUpdateArgs('prod', {}), /Nothing to change/);
    assert.throws(() => farmCreateArgs('prod', ['-rf']), /connection name "-rf" is not valid/);
    assert.match(validateNodeName('', 'farm') ?? '', /empty/);
    assert.match(validateNodeName('a'.repeat(129), 'farm') ?? '', /at most 128/);
    assert.deepEqual(nodeInfoArgs('arm'), ['--connection', 'arm', 'info', '--format', 'json']);
    assert.deepEqual(manifestInspectArgs('r/x', { tlsVerify: false }), ['manifest', 'inspect', '--tls-verify=false', 'r/x']);
  });

  it('checks connection destinations', () => {
    for (const good of [
      'ssh://core@build-arm64.example.com:22/run/user/1000/podman/podman.sock',
      'ssh://root@10.0.0.2/run/podman/podman.sock',
      'ssh://builder',
      'ssh://me@[fe80::1]:2222/run/user/1000/podman/podman.sock',
      'unix:///run/podman/podman.sock',
      'tcp://10.0.0.3:8888',
    ]) {
      assert.equal(validateConnectionDestination(good), undefined, good);
    }
    const bad: [string, RegExp][] = [
      ['build.example.com', /no scheme/],
      ['http://host', /not one podman connects with/],
      ['ssh://me@bad_host/x', /host "bad_host" is not valid/],
      ['ssh://me@host:70000/x', /port 70000/],
      ['ssh://m e@host', /space/],
      ['ssh://-oProxyCommand=x@host', /user "-oProxyCommand=x" is not a valid login name/],
      ['unix://relative.sock', /must be absolute/],
      ['tcp://host', /need a port/],
      ['tcp://me@host:1', /take no user/],
    ];
    for (const [destination, message] of bad) assert.match(validateConnectionDestination(destination) ?? '', message, destination);
    assert.deepEqual(connectionAddArgs('arm', 'ssh://core@arm/run/user/1000/podman/podman.sock', { identity: '/k/id', isDefault: true }), [
      'system', 'connection', 'add', '--identity', '/k/id', '--default', 'arm', 'ssh://core@arm/run/user/1000/podman/podman.sock',
    ]);
    assert.throws(() => connectionAddArgs('arm', 'arm.example.com'), /no scheme/);
  });

  it('says which podman has no farm builds', () => {
    assert.match(farmUnsupportedReason('4.3.1') ?? '', /^podman 4\.3\.1 has no farm builds: podman farm arrived in podman 4\.9\.0/);
    assert.equal(farmUnsupportedReason('4.9.0'), undefined);
    assert.equal(farmUnsupportedReason('5.4.2'), undefined);
    assert.equal(farmUnsupportedReason('4.10.0-dev'), undefined);
  });

  it("explains podman's farm errors, known causes first", () => {
    const tagged = 'Error: build: building: 1 error occurred:\n\t* pushing image {"52c0" "oci-archive"} to registry: Invalid image name "127.0.0.1:5311/farm-try:1@@unknown-digest@@", unknown transport "127.0.0.1"\n';
    assert.match(describeFarmError(tagged, '127.0.0.1:5311/farm-try:1'), /^This podman's farm build cannot push a reference with a tag other than latest \(podman issue #25039\): push to 127\.0\.0\.1:5311\/farm-try without a tag/);
    assert.match(describeFarmError('Error: pinging container registry r:5000: Get "https://r:5000/v2/": http: server gave HTTP response to HTTPS client', 'r:5000/os'), /plain HTTP/);
    assert.match(describeFarmError('Error: unauthorized: access to the requested resource is not authorized', 'quay.io/me/os'), /podman login quay\.io here and on every node/);
    assert.equal(describeFarmError('Error: something new', 'quay.io/me/os'), 'something new');
  });
});

describe('bootc.farm settings', () => {
  it('keeps valid values, and falls back with a problem for invalid ones', () => {
    assert.deepEqual(DEFAULT_SETTINGS.farm, { defaultFarm: '', cleanup: false, local: true, platforms: [] });
    const valid = sanitizeSettings({ farm: { defaultFarm: ' prod ', cleanup: true, local: false, platforms: ['linux/amd64', 'Linux/ARM64/v8'] } });
    assert.deepEqual(valid.settings.farm, { defaultFarm: 'prod', cleanup: true, local: false, platforms: ['linux/amd64', 'linux/arm64/v8'] });
    assert.deepEqual(valid.problems, []);
    const invalid = sanitizeSettings({ farm: { defaultFarm: 3, cleanup: 'yes', local: null, platforms: ['amd64', 'linux/arm64'] } });
    assert.deepEqual(invalid.settings.farm, { defaultFarm: '', cleanup: false, local: true, platforms: ['linux/arm64'] });
    assert.equal(invalid.problems.length, 3);
  });
});
