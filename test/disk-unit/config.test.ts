import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  buildConfigToml,
  describeConfig,
  parseConfigToml,
  SUGGESTED_GROUPS,
  validateConfigAnswers,
  writeTemporaryConfig,
  type DiskConfigAnswers,
} from '../../client/src/disk/config';
import { sha512Crypt } from '../../client/src/disk/crypt';
import { Redactor } from '../../client/src/process';

/** config.toml from the guided editor (client/src/disk/config.ts): rules, hashing, files. */

const PASSWORD = 'unit-Test-pw-4417';
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleKeyOnlyForTests alice@example.com';
const answers: DiskConfigAnswers = {
  users: [{ name: 'alice', password: PASSWORD, key: KEY, groups: ['wheel'] }],
  kernelAppend: 'console=ttyS0 nosmt',
  filesystems: [
    { mountpoint: '/', minsize: '10 GiB' },
    { mountpoint: '/var/data', minsize: '20 GiB' },
  ],
};

/** Temporary files of these tests go below BOOTC_TEST_TMPDIR (default: the system's). */
let scratch: string;
before(() => {
  const parent = process.env.BOOTC_TEST_TMPDIR ?? os.tmpdir();
  fs.mkdirSync(parent, { recursive: true });
  scratch = fs.mkdtempSync(path.join(parent, 'disk-config-test-'));
});
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('rules of bootc-image-builder', () => {
  test('valid answers have no problem; wheel is suggested', () => {
    assert.deepEqual(validateConfigAnswers(answers, { rootfs: 'xfs', types: ['qcow2'] }), []);
    assert.deepEqual([...SUGGESTED_GROUPS], ['wheel']);
    assert.deepEqual(validateConfigAnswers({ users: [{ name: 'bob', key: KEY }] }), [], 'a key alone is enough');
  });

  test('a kickstart with users is refused', () => {
    const problems = validateConfigAnswers({ users: [{ name: 'alice', password: PASSWORD }], kickstart: 'text\n' }, { types: ['anaconda-iso'] });
    assert.equal(problems.length, 1);
    assert.match(problems[0], /kickstart and users cannot be combined.*add the users to the kickstart \(user, sshkey\)/);
  });

  test('a kickstart that installs the image itself is refused (the builder adds ostreecontainer)', () => {
    const problems = validateConfigAnswers({ kickstart: 'text\nostreecontainer --url quay.io/x/y:1\nreboot\n' }, { types: ['anaconda-iso'] });
    assert.equal(problems.length, 1);
    assert.match(problems[0], /Remove the ostreecontainer line.*adds the one that installs the image/);
  });

  test('a kickstart for disk types is refused', () => {
    const problems = validateConfigAnswers({ kickstart: 'text\n' }, { types: ['qcow2', 'raw'] });
    assert.equal(problems.length, 1);
    assert.match(problems[0], /only applies to installer ISOs \(anaconda-iso, iso\), not to "qcow2", "raw"/);
    assert.deepEqual(validateConfigAnswers({ kickstart: 'text\n' }, { types: ['iso'] }), []);
    assert.deepEqual(validateConfigAnswers({ kickstart: 'text\n' }, { types: ['anaconda-iso'] }), []);
  });

  test('filesystems: /, /boot and below /var only; not /var itself; btrfs sizes / and /boot only', () => {
    const mountpointProblems = (mountpoint: string, rootfs?: string) => validateConfigAnswers({ filesystems: [{ mountpoint, minsize: '1 GiB' }] }, { rootfs });
    assert.deepEqual(mountpointProblems('/'), []);
    assert.deepEqual(mountpointProblems('/boot'), []);
    assert.deepEqual(mountpointProblems('/var/lib/containers'), []);
    assert.deepEqual(mountpointProblems('/var/data/'), [], 'a trailing slash is the same folder');
    assert.match(mountpointProblems('/var')[0], /\/var itself cannot be a separate filesystem/);
    assert.match(mountpointProblems('/var/')[0], /\/var itself cannot be a separate filesystem/);
    assert.match(mountpointProblems('/usr')[0], /only \/, \/boot and folders below \/var/);
    assert.match(mountpointProblems('/home')[0], /only \/, \/boot and folders below \/var/);
    assert.match(mountpointProblems('/variable')[0], /only \/, \/boot and folders below \/var/);
    assert.match(mountpointProblems('var/data')[0], /must be an absolute path/);
    assert.deepEqual(mountpointProblems('/boot', 'btrfs'), []);
    assert.match(mountpointProblems('/var/data', 'btrfs')[0], /btrfs root filesystem only \/ and \/boot can be sized/);
  });

  test('sizes, duplicates, names, keys and line breaks', () => {
    assert.match(validateConfigAnswers({ filesystems: [{ mountpoint: '/', minsize: 'ten gigs' }] })[0], /not a size/);
    assert.deepEqual(validateConfigAnswers({ filesystems: [{ mountpoint: '/', minsize: '10737418240' }] }), []);
    assert.deepEqual(validateConfigAnswers({ filesystems: [{ mountpoint: '/', minsize: '512MiB' }] }), []);
    assert.match(validateConfigAnswers({ filesystems: [{ mountpoint: '/', minsize: '1 GiB' }, { mountpoint: '/', minsize: '2 GiB' }] })[0], /listed twice/);
    assert.match(validateConfigAnswers({ users: [{ name: 'Alice', password: PASSWORD }] })[0], /not a user name/);
    assert.match(validateConfigAnswers({ users: [{ name: 'a', password: PASSWORD }, { name: 'a', password: PASSWORD }] })[0], /listed twice/);
    assert.match(validateConfigAnswers({ users: [{ name: 'a' }] })[0], /neither a password nor an SSH key/);
    assert.match(validateConfigAnswers({ users: [{ name: 'a', password: PASSWORD, groups: ['wheel', 'Bad Group'] }] })[0], /"Bad Group" is not a group name/);
    assert.match(validateConfigAnswers({ users: [{ name: 'a', key: '-----BEGIN OPENSSH PRIVATE KEY-----' }] })[0], /not a public key line/);
    assert.match(validateConfigAnswers({ users: [{ name: 'a', key: 'hello' }] })[0], /not a public key line/);
    assert.deepEqual(validateConfigAnswers({ users: [{ name: 'a', key: 'ecdsa-sha2-nistp256 AAAAE2VjZHNh' }] }), []);
    assert.match(validateConfigAnswers({ kernelAppend: 'a\nb' })[0], /one line/);
  });
});

describe('config.toml text', () => {
  test('is the builder\'s format, with the password hashed (SHA-512 crypt) and never in clear', () => {
    const text = buildConfigToml(answers);
    assert.equal(text.includes(PASSWORD), false);
    const hash = /password = "(\$6\$[^"]+)"/.exec(text)?.[1];
    assert.ok(hash, text);
    const salt = hash.split('$')[2];
    assert.equal(hash, sha512Crypt(PASSWORD, salt), 'the hash is the password\'s');
    assert.ok(text.startsWith('[[customizations.user]]\nname = "alice"\n'), text);
    assert.ok(text.includes('groups = [ "wheel" ]'), text);
    assert.ok(text.includes('[customizations.kernel]\nappend = "console=ttyS0 nosmt"'), text);
    assert.ok(text.includes('[[customizations.filesystem]]\nmountpoint = "/var/data"\nminsize = "20 GiB"'), text);
    assert.notEqual(buildConfigToml(answers), text, 'a new salt each time');
  });

  test('keeps a password that is already a hash, and leaves out what was not answered', () => {
    const hash = sha512Crypt('x', 'fixedsalt');
    const text = buildConfigToml({ users: [{ name: 'bob', password: hash }] });
    assert.equal(text, `[[customizations.user]]\nname = "bob"\npassword = "${hash}"\n`);
    assert.equal(buildConfigToml({}), '[customizations]\n');
  });

  test('round-trips through parseConfigToml (the password as its hash)', () => {
    const parsed = parseConfigToml(buildConfigToml(answers)) as { customizations: { user: { password: string }[] } & Record<string, unknown> };
    const [user] = parsed.customizations.user;
    assert.match(user.password, /^\$6\$/);
    assert.deepEqual(parsed, {
      customizations: {
        user: [{ name: 'alice', password: user.password, key: KEY, groups: ['wheel'] }],
        kernel: { append: 'console=ttyS0 nosmt' },
        filesystem: answers.filesystems,
      },
    });
    const kickstart = 'text --non-interactive\nzerombr\nreboot';
    assert.deepEqual(parseConfigToml(buildConfigToml({ kickstart }, { types: ['anaconda-iso'] })), { customizations: { installer: { kickstart: { contents: `${kickstart}\n` } } } });
    assert.throws(() => parseConfigToml('[[customizations.user]\nname='), Error);
  });

  test('refuses invalid answers instead of writing them', () => {
    assert.throws(() => buildConfigToml({ users: [{ name: 'a', password: PASSWORD }], kickstart: 'text' }), /kickstart and users cannot be combined/);
  });

  test('describeConfig shows the config with the passwords as ***, also a kickstart\'s', () => {
    const described = describeConfig(answers);
    assert.equal(described.includes(PASSWORD), false);
    assert.ok(described.includes('password = "***"'), described);
    assert.ok(described.includes(KEY), described);
    const kickstart = describeConfig({ kickstart: 'rootpw --plaintext rootSecret1\nuser --name=a --password=userSecret2 --plaintext\n' });
    assert.equal(/rootSecret1|userSecret2/.test(kickstart), false, kickstart);
    assert.match(kickstart, /rootpw --plaintext \*\*\*/);
    assert.match(kickstart, /--password=\*\*\*/);
  });
});

describe('temporary config files', () => {
  test('are 0600 in a fresh 0700 bootc-config-* folder, with the password registered for redaction', () => {
    const redactor = new Redactor();
    const config = writeTemporaryConfig(answers, { redactor, parent: scratch });
    try {
      assert.equal(path.dirname(config.path), config.folder);
      assert.equal(path.basename(config.path), 'config.toml');
      assert.match(path.basename(config.folder), /^bootc-config-/);
      assert.equal(path.dirname(config.folder), scratch);
      assert.equal(fs.statSync(config.folder).mode & 0o777, 0o700);
      assert.equal(fs.statSync(config.path).mode & 0o777, 0o600);
      const text = fs.readFileSync(config.path, 'utf8');
      assert.equal(text.includes(PASSWORD), false);
      assert.match(text, /password = "\$6\$/);
      assert.equal(redactor.redact(`echo ${PASSWORD}`), 'echo ***');
      assert.equal(config.describe().includes(PASSWORD), false);
    } finally {
      config.dispose();
    }
    assert.equal(fs.existsSync(config.folder), false, 'dispose left the folder');
  });

  test('saveAs keeps a 0600 copy that outlives dispose; dispose twice is harmless', () => {
    const config = writeTemporaryConfig(answers, { parent: scratch });
    const workspace = path.join(scratch, 'workspace');
    fs.mkdirSync(workspace);
    const saved = path.join(workspace, 'config.toml');
    config.saveAs(saved);
    config.dispose();
    config.dispose();
    assert.equal(fs.statSync(saved).mode & 0o777, 0o600);
    assert.ok(fs.readFileSync(saved, 'utf8').startsWith('[[customizations.user]]'));
    assert.equal(fs.existsSync(config.folder), false);
  });

  test('under a umask that allows everything the file is still 0600', () => {
    const previous = process.umask(0);
    try {
      const config = writeTemporaryConfig(answers, { parent: scratch });
      assert.equal(fs.statSync(config.path).mode & 0o777, 0o600);
      assert.equal(fs.statSync(config.folder).mode & 0o777, 0o700);
      config.dispose();
    } finally {
      process.umask(previous);
    }
  });

  test('invalid answers write nothing', () => {
    const before = fs.readdirSync(scratch).length;
    assert.throws(() => writeTemporaryConfig({ users: [{ name: 'a', password: PASSWORD }], kickstart: 'text' }, { parent: scratch, build: { types: ['iso'] } }), /kickstart and users/);
    assert.throws(() => writeTemporaryConfig({ kickstart: 'text' }, { parent: scratch, build: { types: ['qcow2'] } }), /only applies to installer ISOs/);
    assert.equal(fs.readdirSync(scratch).length, before);
  });
});
