import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultTagFor, EXAMPLE_REFERENCE, parseImageReference, validateImageReference, validateTag } from '../../client/src/podman/reference';

const DIGEST = `sha256:${'a1'.repeat(32)}`;

test('accepts the reference forms podman takes', () => {
  for (const good of [
    'my-os',
    'my-os:latest',
    'localhost/my-os:latest',
    'quay.io/fedora/fedora-bootc:41',
    'registry.example.com:5000/team/os_image__x.y:v1.2-rc_3',
    'localhost:5000/os',
    '127.0.0.1:5311/os:1',
    '[::1]:5000/os',
    'a---b/c.d_e',
    'os:_x',
    `os:${'t'.repeat(128)}`,
  ]) {
    assert.equal(validateImageReference(good), undefined, good);
  }
  assert.equal(validateImageReference(EXAMPLE_REFERENCE), undefined);
});

test('splits a reference into registry, path, tag and digest', () => {
  assert.deepEqual(parseImageReference('localhost/my-os:latest'), { domain: 'localhost', path: 'my-os', tag: 'latest' });
  assert.deepEqual(parseImageReference('registry.example.com:5000/team/os'), { domain: 'registry.example.com:5000', path: 'team/os' });
  // A first part without "." or ":" that is not localhost is a path, not a registry.
  assert.deepEqual(parseImageReference('me/os:1'), { path: 'me/os', tag: '1' });
  assert.deepEqual(parseImageReference(`quay.io/me/os:1@${DIGEST}`, { allowDigest: true }), { domain: 'quay.io', path: 'me/os', tag: '1', digest: DIGEST });
  assert.deepEqual(parseImageReference(`quay.io/me/os@${DIGEST}`, { allowDigest: true }), { domain: 'quay.io', path: 'me/os', digest: DIGEST });
});

/** The problem for `reference`, which must exist and end with the example. */
function problemOf(reference: string, options?: { allowDigest?: boolean }): string {
  const problem = validateImageReference(reference, options);
  assert.ok(problem, `"${reference}" was accepted`);
  assert.ok(problem.endsWith(`Use e.g. ${EXAMPLE_REFERENCE}.`), problem);
  return problem;
}

test('names the bad part and ends with an example', () => {
  assert.match(problemOf(''), /empty/);
  assert.match(problemOf('   '), /empty/);
  assert.match(problemOf('quay.io/Me/os'), /repository "Me\/os" has uppercase letters.*lowercase.*"me\/os"/);
  assert.match(problemOf('MyOS'), /lowercase/);
  assert.match(problemOf('my os'), /contains a space: image names have no spaces/);
  assert.match(problemOf('x; rm -rf ~'), /contains ";", a space, "~", which a shell would read as syntax/);
  assert.match(problemOf('$(id)'), /"\$", "\(", "\)", which a shell would read as syntax/);
  assert.match(problemOf('a`id`'), /"`"/);
  assert.match(problemOf('"quoted"'), /"""/);
  assert.match(problemOf('two\nlines'), /a line break/);
  assert.match(problemOf('os:'), /tag after ":" is empty/);
  assert.match(problemOf('os:v1+2'), /contains "\+"/);
  assert.match(problemOf('os:.hidden'), /tag "\.hidden" starts with "\."/);
  assert.match(problemOf(`os:${'t'.repeat(129)}`), /129 characters long; at most 128/);
  assert.match(problemOf('-os'), /"-os" is not a valid repository name part/);
  assert.match(problemOf('os.'), /"os\." is not a valid repository name part/);
  assert.match(problemOf('a..b'), /"a\.\.b"/);
  assert.match(problemOf('a/'), /empty part/);
  assert.match(problemOf('a//b'), /empty part/);
  assert.match(problemOf(':tag'), /no repository name/);
  assert.match(problemOf('localhost:port/os'), /port "port".*not a number/);
  assert.match(problemOf('bad_host.io/os'), /registry host "bad_host\.io"/);
  assert.match(problemOf(`${'a'.repeat(256)}`), /256 characters long; at most 255/);
  assert.match(problemOf('a'.repeat(64).replace(/a/g, 'f')), /looks like an image id/);
});

test('digests only where allowed, and only sha256 with 64 hex digits', () => {
  assert.match(problemOf(`quay.io/me/os@${DIGEST}`), /names an image by digest/);
  assert.equal(validateImageReference(`quay.io/me/os@${DIGEST}`, { allowDigest: true }), undefined);
  assert.match(problemOf('quay.io/me/os@sha256:abc', { allowDigest: true }), /digest "sha256:abc" is not valid/);
  assert.match(problemOf(`quay.io/me/os@md5:${'a'.repeat(32)}`, { allowDigest: true }), /not valid/);
  assert.match(problemOf(`os@${DIGEST.toUpperCase()}`, { allowDigest: true }), /not valid/);
});

test('validateTag', () => {
  assert.equal(validateTag('latest'), undefined);
  assert.equal(validateTag('v1.2.3-rc_1'), undefined);
  assert.equal(validateTag('UPPER'), undefined);
  assert.match(validateTag('') ?? '', /empty/);
  assert.match(validateTag('-x') ?? '', /starts with "-"/);
  assert.match(validateTag('a/b') ?? '', /has "\/"/);
  assert.match(validateTag('x'.repeat(129)) ?? '', /at most 128/);
});

test('defaultTagFor makes a valid local reference from any folder name', () => {
  assert.equal(defaultTagFor('my-os'), 'localhost/my-os:latest');
  assert.equal(defaultTagFor('My OS Image'), 'localhost/my-os-image:latest');
  assert.equal(defaultTagFor('__weird..name!!'), 'localhost/weird-name:latest');
  assert.equal(defaultTagFor('ÜBER'), 'localhost/ber:latest');
  assert.equal(defaultTagFor('!!!'), 'localhost/my-os:latest');
  assert.equal(defaultTagFor(''), 'localhost/my-os:latest');
  for (const name of ['My OS Image', 'x'.repeat(300), 'a.b_c', '-lead', 'trail-', 'ünïcödé', '$(id)']) {
    const tag = defaultTagFor(name);
    assert.equal(validateImageReference(tag), undefined, `${name} → ${tag}`);
  }
});
