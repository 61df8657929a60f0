import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildImageArgs,
  containerLintArgs,
  imageExistsArgs,
  logsArgs,
  pushArgs,
  removeImageArgs,
  runArgs,
  stopArgs,
  systemdRunArgs,
  validateBuildArgName,
  validateSecretSpec,
} from '../../client/src/podman/commands';

const base = { containerfile: '/src/os/Containerfile', context: '/src/os', tag: 'localhost/my-os:latest' };

test('buildImageArgs: -f and -t first, every option its own argument, the context folder last', () => {
  const { args, secrets } = buildImageArgs({
    ...base,
    buildArgs: { VERSION: '41', GITHUB_TOKEN: 'ghp_secret123', EMPTY_PASSWORD: '', TOKEN_FILE: '/run/token' },
    target: 'final',
    secrets: ['id=rhsm,src=/etc/pki/key.pem', 'id=token,env=GITHUB_TOKEN'],
    extraArgs: ['--pull=newer', '--layers=false'],
  });
  assert.deepEqual(args, [
    'build', '-f', '/src/os/Containerfile', '-t', 'localhost/my-os:latest',
    '--build-arg', 'VERSION=41',
    '--build-arg', 'GITHUB_TOKEN=ghp_secret123',
    '--build-arg', 'EMPTY_PASSWORD=',
    '--build-arg', 'TOKEN_FILE=/run/token',
    '--target', 'final',
    '--secret', 'id=rhsm,src=/etc/pki/key.pem',
    '--secret', 'id=token,env=GITHUB_TOKEN',
    '--pull=newer', '--layers=false',
    '/src/os',
  ]);
  // Only values of secret-looking names, and no empty ones (an empty string would redact nothing useful).
  assert.deepEqual(secrets, ['ghp_secret123']);
});

test('buildImageArgs keeps values with shell characters as one argument', () => {
  const { args } = buildImageArgs({ ...base, buildArgs: { MOTD: 'x; rm -rf ~ $(id)\nline' } });
  assert.equal(args[args.indexOf('--build-arg') + 1], 'MOTD=x; rm -rf ~ $(id)\nline');
  assert.deepEqual(buildImageArgs(base).args, ['build', '-f', '/src/os/Containerfile', '-t', 'localhost/my-os:latest', '/src/os']);
});

test('buildImageArgs refuses malformed build argument names and secret specs', () => {
  assert.throws(() => buildImageArgs({ ...base, buildArgs: { 'A B': '1' } }), /build argument name "A B" is not valid/);
  assert.throws(() => buildImageArgs({ ...base, buildArgs: { '1X': '1' } }), /not starting with a digit/);
  assert.throws(() => buildImageArgs({ ...base, secrets: ['src=/x'] }), /no id=NAME/);
});

test('validateBuildArgName', () => {
  for (const good of ['A', '_x', 'FEDORA_VERSION', 'a1_B2']) assert.equal(validateBuildArgName(good), undefined, good);
  for (const bad of ['', '1A', 'A-B', 'A=B', 'A B', '--x', 'É']) assert.match(validateBuildArgName(bad) ?? '', /build argument name/, bad);
});

test('validateSecretSpec', () => {
  for (const good of ['id=rhsm,src=/etc/pki/key.pem', 'id=token,env=GITHUB_TOKEN', 'src=/x,id=a', 'id=a,src=VAR,type=env', 'id=a,src=/f,type=file']) {
    assert.equal(validateSecretSpec(good), undefined, good);
  }
  assert.match(validateSecretSpec('') ?? '', /empty/);
  assert.match(validateSecretSpec('id=a, src=/x') ?? '', /space or line break/);
  assert.match(validateSecretSpec('id=a,src=/x\n') ?? '', /space or line break/);
  assert.match(validateSecretSpec('id=a') ?? '', /neither where the file is \(src=FILE\) nor which variable/);
  assert.match(validateSecretSpec('id=,src=/x') ?? '', /no id=NAME/);
  assert.match(validateSecretSpec('src=/x') ?? '', /no id=NAME/);
  assert.match(validateSecretSpec('id=a,/x') ?? '', /has "\/x" where key=value belongs/);
  assert.match(validateSecretSpec('id=a,sorce=/x') ?? '', /unknown key "sorce"/);
  assert.match(validateSecretSpec('id=a,id=b,src=/x') ?? '', /id= twice/);
  assert.match(validateSecretSpec('id=a,src=/x,env=Y') ?? '', /both src= and env=/);
  assert.match(validateSecretSpec('id=a,src=/x,type=ssh') ?? '', /type=ssh: the type is file or env/);
});

test('run, systemd run, logs, stop', () => {
  assert.deepEqual(runArgs('localhost/os', ['ls', '-l', '/usr']), ['run', '--rm', 'localhost/os', 'ls', '-l', '/usr']);
  assert.deepEqual(runArgs('localhost/os', ['/bin/sh'], ['--name', 'c1', '-v', '/a:/b'], { interactive: true }), [
    'run', '--rm', '-it', '--name', 'c1', '-v', '/a:/b', 'localhost/os', '/bin/sh',
  ]);
  assert.deepEqual(runArgs('localhost/os', []), ['run', '--rm', 'localhost/os']);
  assert.deepEqual(systemdRunArgs('localhost/os'), ['run', '-d', '--rm', 'localhost/os', '/sbin/init']);
  assert.deepEqual(systemdRunArgs('localhost/os', ['--privileged']), ['run', '-d', '--rm', '--privileged', 'localhost/os', '/sbin/init']);
  assert.deepEqual(logsArgs('abc123'), ['logs', '-f', 'abc123']);
  assert.deepEqual(stopArgs('abc123'), ['stop', '-t', '10', 'abc123']);
  assert.deepEqual(stopArgs('abc123', 0), ['stop', '-t', '0', 'abc123']);
  assert.throws(() => stopArgs('abc123', -1), /whole number of seconds/);
  assert.throws(() => stopArgs('abc123', 1.5), /whole number of seconds/);
});

test('push, container lint, image exists, remove images', () => {
  assert.deepEqual(pushArgs('localhost/os:1', 'quay.io/me/os:1'), ['push', 'localhost/os:1', 'quay.io/me/os:1']);
  assert.deepEqual(containerLintArgs('localhost/os'), ['run', '--rm', 'localhost/os', 'bootc', 'container', 'lint']);
  assert.deepEqual(containerLintArgs('localhost/os', ['--name', 'lint-1']), ['run', '--rm', '--name', 'lint-1', 'localhost/os', 'bootc', 'container', 'lint']);
  assert.deepEqual(imageExistsArgs('localhost/os'), ['image', 'exists', 'localhost/os']);
  assert.deepEqual(removeImageArgs('a', 'b'), ['rmi', '--force', '--ignore', 'a', 'b']);
  assert.deepEqual(removeImageArgs(), ['rmi', '--force', '--ignore']);
});

test('names that podman would read as options are refused', () => {
  assert.throws(() => runArgs('--privileged', ['sh']), /image name "--privileged" is not valid: podman would read it as an option/);
  assert.throws(() => logsArgs('-f'), /container name "-f"/);
  assert.throws(() => pushArgs('os', '--all'), /destination name "--all"/);
  assert.throws(() => removeImageArgs('ok', '-a'), /image name "-a"/);
  assert.throws(() => imageExistsArgs(''), /is empty/);
});
