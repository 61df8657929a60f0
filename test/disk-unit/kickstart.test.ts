import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validateConfigAnswers } from '../../client/src/disk/config';
import { sha512Crypt } from '../../client/src/disk/crypt';
import { buildKickstart, builderKickstart, validateKickstartOptions } from '../../client/src/disk/kickstart';
import { Redactor } from '../../client/src/process';

/** Anaconda kickstarts installing a bootc image (client/src/disk/kickstart.ts). */

const PASSWORD = 'kickstart-Pw-9903';
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleKeyOnlyForTests alice@example.com';

describe('buildKickstart', () => {
  test('installs the image with ostreecontainer, no %packages, wipes the first disk, locks root, reboots', () => {
    const text = buildKickstart({ image: 'quay.io/me/my-os:latest' });
    assert.equal(
      text,
      [
        '# Installs quay.io/me/my-os:latest with Anaconda from a standard boot ISO (inst.ks=...).',
        '# Written by the Bootc extension. There is no %packages section: the container image is the OS.',
        'text',
        'network --bootproto=dhcp --device=link --activate --onboot=on',
        '',
        '# Wipes the first disk.',
        'zerombr',
        'clearpart --all --initlabel --disklabel=gpt',
        'autopart --noswap --type=lvm',
        '',
        '# The image to install.',
        'ostreecontainer --url=quay.io/me/my-os:latest',
        '',
        'rootpw --lock',
        '',
        'reboot',
        '',
      ].join('\n'),
    );
    assert.equal(/^%packages/m.test(text), false);
    assert.equal(/^reboot$/m.test(buildKickstart({ image: 'quay.io/me/my-os:latest', reboot: false })), false);
  });

  test('a plain root filesystem uses reqpart for the boot partitions; transport, signature and update image are passed', () => {
    const text = buildKickstart({ image: '/run/install/repo/container', transport: 'oci', verifySignatures: false, partitioning: 'xfs', kernelAppend: 'console=ttyS0 quiet', updateImage: 'quay.io/me/os:1' });
    assert.match(text, /^reqpart --add-boot\npart \/ --grow --fstype=xfs\nbootloader --append="console=ttyS0 quiet"$/m);
    assert.match(text, /^ostreecontainer --url=\/run\/install\/repo\/container --transport=oci --no-signature-verification$/m);
    assert.match(text, /^%post --erroronfail\nbootc switch --mutate-in-place --transport registry quay\.io\/me\/os:1\n%end$/m);
    assert.equal(text.includes('autopart'), false);
    assert.equal(buildKickstart({ image: 'quay.io/me/os:1', updateImage: 'quay.io/me/os:1' }).includes('%post'), false, 'no switch to the image it installs');
  });

  test('users and root get crypted passwords and SSH keys; the clear password appears nowhere and goes to the redactor', () => {
    const redactor = new Redactor();
    const text = buildKickstart({ image: 'quay.io/me/os:1', user: { name: 'alice', password: PASSWORD, key: KEY, groups: ['wheel', 'adm'] }, rootKey: KEY }, redactor);
    assert.equal(text.includes(PASSWORD), false);
    const hash = /^user --name=alice --groups=wheel,adm --iscrypted --password=(\$6\$\S+)$/m.exec(text)?.[1];
    assert.ok(hash, text);
    assert.equal(hash, sha512Crypt(PASSWORD, hash.split('$')[2]));
    assert.match(text, new RegExp(`^sshkey --username=alice "${KEY}"$`, 'm'));
    assert.match(text, new RegExp(`^sshkey --username=root "${KEY}"$`, 'm'));
    assert.match(text, /^rootpw --lock$/m);
    assert.equal(redactor.redact(PASSWORD), '***');
    assert.match(buildKickstart({ image: 'quay.io/me/os:1', user: { name: 'bob', key: KEY } }), /^user --name=bob --groups=wheel$/m, 'wheel by default');
    assert.match(buildKickstart({ image: 'quay.io/me/os:1', user: { name: 'bob', key: KEY, groups: [] } }), /^user --name=bob$/m);
  });

  test('a root password is written crypted; a hash is kept as it is', () => {
    const hash = sha512Crypt('x', 'fixedsalt');
    assert.match(buildKickstart({ image: 'quay.io/me/os:1', rootPassword: hash }), new RegExp(`^rootpw --iscrypted ${hash.replace(/\$/g, '\\$')}$`, 'm'));
    assert.match(buildKickstart({ image: 'quay.io/me/os:1', rootPassword: PASSWORD }), /^rootpw --iscrypted \$6\$/m);
  });

  test('quotes values with spaces and quotes as pykickstart\'s shlex reads them', () => {
    const text = buildKickstart({ image: 'quay.io/me/os:1', kernelAppend: 'a="b c" d\\e' });
    assert.match(text, /^bootloader --append="a=\\"b c\\" d\\\\e"$/m);
  });

  test('refuses what Anaconda would misread', () => {
    assert.match(validateKickstartOptions({ image: '' })[0], /image name is empty/);
    assert.match(validateKickstartOptions({ image: 'quay.io/x y' })[0], /contains/);
    assert.match(validateKickstartOptions({ image: 'quay.io/x/y', transport: 'oci' })[0], /oci transport the image is a path/);
    assert.match(validateKickstartOptions({ image: 'quay.io/x/y', updateImage: 'Bad Name' })[0], /update image is not valid/);
    assert.match(validateKickstartOptions({ image: 'quay.io/x/y', user: { name: 'Alice', key: KEY } })[0], /not a user name/);
    assert.match(validateKickstartOptions({ image: 'quay.io/x/y', user: { name: 'a' } })[0], /nobody could log in/);
    assert.deepEqual(validateKickstartOptions({ image: 'quay.io/x/y', user: { name: 'a' }, rootKey: KEY }), [], 'root\'s key is a way in');
    assert.match(validateKickstartOptions({ image: 'quay.io/x/y', rootKey: `${KEY}\n${KEY}` })[0], /one line/);
    assert.match(validateKickstartOptions({ image: 'quay.io/x/y', kernelAppend: 'a\nb' })[0], /one line/);
    assert.throws(() => buildKickstart({ image: '' }), /image name is empty/);
  });
});

describe('builderKickstart', () => {
  test('is the same kickstart without ostreecontainer (the builder adds it), and fits config.toml', () => {
    const redactor = new Redactor();
    const text = builderKickstart({ partitioning: 'ext4', user: { name: 'alice', password: PASSWORD, groups: ['wheel'] } }, redactor);
    assert.ok(text.includes('text\nnetwork --bootproto=dhcp --device=link --activate --onboot=on\n'), text);
    assert.ok(text.includes('zerombr\nclearpart --all --initlabel --disklabel=gpt\nreqpart --add-boot\npart / --grow --fstype=ext4\n'), text);
    assert.equal(/ostreecontainer|placeholder|# Installs/.test(text), false, text);
    assert.equal(/\n{3,}/.test(text), false, 'no runs of blank lines where lines were taken out');
    assert.equal(text.includes(PASSWORD), false);
    assert.equal(redactor.redact(PASSWORD), '***');
    assert.match(text, /\nreboot\n$/);
    assert.deepEqual(validateConfigAnswers({ kickstart: text }, { types: ['anaconda-iso'] }), []);
  });
});
