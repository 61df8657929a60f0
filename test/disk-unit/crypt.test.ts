import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { isCryptHash, randomSalt, sha512Crypt } from '../../client/src/disk/crypt';

/** SHA-512 crypt (client/src/disk/crypt.ts) against the specification's vectors and openssl. */

describe('sha512Crypt', () => {
  // The test vectors of Ulrich Drepper's "Unix crypt using SHA-256 and SHA-512" (SHA-512 part).
  const vectors: Array<[string, string, number | undefined, string]> = [
    ['Hello world!', 'saltstring', undefined, '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1'],
    ['Hello world!', 'saltstringsaltstring', 10000, '$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.'],
    // The specification writes `rounds=5000$` when it was asked for; 5000 is the default, which the hash leaves implicit.
    ['This is just a test', 'toolongsaltstring', 5000, '$6$toolongsaltstrin$lQ8jolhgVRVhY4b5pZKaysCLi0QBxGoNeKQzQ3glMhwllF7oGDZxUhx1yxdYcz/e1JSbq3y6JMxxl8audkUEm0'],
    [
      'a very much longer text to encrypt.  This one even stretches over morethan one line.',
      'anotherlongsaltstring',
      1400,
      '$6$rounds=1400$anotherlongsalts$POfYwTEok97VWcjxIiSOjiykti.o/pQs.wPvMxQ6Fm7I6IoYN3CmLs66x9t0oSwbtEW7o7UmJEiDwGqd8p4ur1',
    ],
    ['we have a short salt string but not a short password', 'short', 77777, '$6$rounds=77777$short$WuQyW2YR.hBNpjjRhpYD/ifIw05xdfeEyQoMxIXbkvr0gge1a1x3yRULJ5CCaUeOxFmtlcGZelFl5CxtgfiAc0'],
    ['a short string', 'asaltof16chars..', 123456, '$6$rounds=123456$asaltof16chars..$BtCwjqMJGx5hrJhZywWvt0RLE8uZ4oPwcelCjmw2kSYu.Ec6ycULevoBK25fs2xXgMNrCzIMVcgEJAstJeonj1'],
  ];
  for (const [password, salt, rounds, expected] of vectors) {
    test(`matches the specification: ${JSON.stringify(password).slice(0, 30)}… rounds ${rounds ?? 'default'}`, () => {
      assert.equal(sha512Crypt(password, salt, rounds), expected);
    });
  }

  const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  test('matches openssl passwd -6 -salt, also for UTF-8 and long passwords', { skip: openssl.status === 0 || process.env.CI ? false : 'openssl is not installed (Debian: apt-get install openssl)' }, () => {
    for (const [password, salt] of [
      ['e2e-Stand-in-pw-7731', 'Ab3./xyz'],
      ['pässwörd ünïcödé ✓', 'saltySalt'],
      ['x'.repeat(200), 'abcdefghijklmnop'],
    ]) {
      const expected = spawnSync('openssl', ['passwd', '-6', '-salt', salt, '-stdin'], { input: `${password}\n`, encoding: 'utf8' }).stdout.trim();
      assert.match(expected, /^\$6\$/);
      assert.equal(sha512Crypt(password, salt), expected, password);
    }
  });

  test('a random salt by default, so the same password hashes differently each time', () => {
    const first = sha512Crypt('secret');
    const second = sha512Crypt('secret');
    assert.notEqual(first, second);
    assert.match(first, /^\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$/);
    assert.equal(first.includes('secret'), false);
  });

  test('refuses a salt that would break /etc/shadow', () => {
    assert.throws(() => sha512Crypt('x', 'a$b'), /salt/);
    assert.throws(() => sha512Crypt('x', 'a:b'), /salt/);
  });
});

describe('randomSalt and isCryptHash', () => {
  test('salts use crypt\'s alphabet', () => {
    const salts = Array.from({ length: 20 }, () => randomSalt());
    for (const salt of salts) assert.match(salt, /^[./0-9A-Za-z]{16}$/);
    assert.equal(new Set(salts).size, salts.length, 'salts are random');
  });

  test('recognises SHA-512, SHA-256, yescrypt and bcrypt hashes, not passwords', () => {
    assert.equal(isCryptHash(sha512Crypt('pw', 'salt')), true);
    assert.equal(isCryptHash(sha512Crypt('pw', 'salt', 10000)), true);
    assert.equal(isCryptHash(`$5$saltstring$${'a'.repeat(43)}`), true);
    assert.equal(isCryptHash(`$y$j9T$F5Jx5fExrKuPp53xLKQ..1$${'X'.repeat(43)}`), true);
    assert.equal(isCryptHash(`$2b$12$${'a'.repeat(53)}`), true);
    for (const password of ['hunter2', '$6$', '$6$saltonly', '$9$salt$hash', 'my $6$a$b', '$6$salt$has space', ' $6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1']) {
      assert.equal(isCryptHash(password), false, password);
    }
  });
});
