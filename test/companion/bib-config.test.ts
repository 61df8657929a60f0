import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintCompanion } from '../../server/src/companion/index';
import { applyFixAndExpectClean, onlyFinding, span, textOf } from './helpers';

const toml = (text: string, mode?: 'disk' | 'iso') => lintCompanion('bib-config-toml', text, { mode });
const json = (text: string) => lintCompanion('bib-config-json', text);

const VALID_TOML = `# bootc-image-builder build config
[[customizations.user]]
name = "alice"
key = "ssh-ed25519 AAAA alice@example.com"
groups = ["wheel", "admins"]
password = "$6$salt$hash"

[[customizations.user]]
name = "bob"

[[customizations.group]]
name = "admins"
gid = 1100

[customizations.kernel]
append = "mitigations=auto,nosmt"

[[customizations.filesystem]]
mountpoint = "/"
minsize = "10 GiB"

[[customizations.filesystem]]
mountpoint = "/var/data"
minsize = 21474836480

[[customizations.filesystem]]
mountpoint = "/boot"
minsize = "1GiB"
`;

test('bib config: a valid TOML config gives no finding', () => {
  assert.deepEqual(toml(VALID_TOML), []);
});

test('bib config: valid JSON, also in the legacy {"blueprint": …} wrapper', () => {
  const customizations = '{"customizations": {"user": [{"name": "alice", "key": "ssh-ed25519 AAAA", "groups": ["wheel"]}], "kernel": {"append": "quiet"}, "installer": {"modules": {"enable": ["org.fedoraproject.Anaconda.Modules.Localization"]}}, "iso": {"volume_id": "MyOS"}}}';
  assert.deepEqual(json(customizations), []);
  assert.deepEqual(json(`{"blueprint": ${customizations}}`), []);
  assert.deepEqual(json('{\n  "name": "x",\n  "customizations": {\n    "fips": true\n  }\n}\n'), []);
});

test('bib config: "kernal" (the e2e fixture) is renamed to kernel', () => {
  const text = '[[customizations.user]]\nname = "admin"\nkey = "ssh-ed25519 AAAA admin@example.com"\ngroups = ["wheel"]\n\n[customizations.kernal]\nappend = "console=ttyS0"\n';
  const found = onlyFinding('bib-config-toml', text);
  assert.equal(found.ruleId, 'bib-config-unknown-key');
  assert.deepEqual(span(found.range), [5, 16, 22]);
  assert.equal(textOf(text, found.range), 'kernal');
  assert.equal(found.fixes[0].title, "Rename 'kernal' to 'kernel'");
  assert.match(applyFixAndExpectClean('bib-config-toml', text, found), /\[customizations\.kernel\]/);
});

test('bib config: a misspelt key is renamed everywhere it is written', () => {
  const text = '[[customizations.users]]\nname = "a"\n\n[[customizations.users]]\nname = "b"\n';
  const findings = toml(text);
  assert.deepEqual(findings.map((found) => [found.ruleId, ...span(found.range)]), [['bib-config-unknown-key', 0, 17, 22], ['bib-config-unknown-key', 3, 17, 22]]);
  assert.equal(findings[0].fixes[0].edits.length, 2, 'one fix edits both headers');
  assert.equal(applyFixAndExpectClean('bib-config-toml', text, findings[1]), '[[customizations.user]]\nname = "a"\n\n[[customizations.user]]\nname = "b"\n');
  const root = '[customization.kernel]\nappend = "quiet"\n[[customization.user]]\nname = "c"\n';
  const first = toml(root)[0];
  assert.match(first.message, /Did you mean 'customizations'/);
  applyFixAndExpectClean('bib-config-toml', root, first);
});

test('bib config: misspelt keys in JSON and inside a user', () => {
  const text = '{\n  "customizations": {\n    "user": [{"name": "a", "passwd": "$6$x$y"}]\n  }\n}';
  const found = onlyFinding('bib-config-json', text);
  assert.deepEqual(span(found.range), [2, 28, 34]);
  assert.match(found.message, /in customizations\.user\[0\]/);
  applyFixAndExpectClean('bib-config-json', text, found);
});

test('bib config: a user table instead of a list of tables', () => {
  const text = '[customizations.user]\nname = "alice"\n';
  const found = onlyFinding('bib-config-toml', text);
  assert.equal(found.ruleId, 'bib-config-invalid-value');
  assert.match(found.message, /\[\[customizations\.user\]\]/);
  assert.equal(applyFixAndExpectClean('bib-config-toml', text, found), '[[customizations.user]]\nname = "alice"\n');
  const inJson = '{"customizations": {"user": {"name": "alice"}}}';
  const object = onlyFinding('bib-config-json', inJson);
  assert.equal(applyFixAndExpectClean('bib-config-json', inJson, object), '{"customizations": {"user": [{"name": "alice"}]}}');
});

test('bib config: values of the wrong type', () => {
  const groups = '[[customizations.user]]\nname = "a"\ngroups = "wheel"\n';
  const found = onlyFinding('bib-config-toml', groups);
  assert.deepEqual(span(found.range), [2, 9, 16]);
  assert.equal(applyFixAndExpectClean('bib-config-toml', groups, found), '[[customizations.user]]\nname = "a"\ngroups = ["wheel"]\n');
  const size = '[[customizations.filesystem]]\nmountpoint = "/"\nminsize = "10G"\n';
  const sized = onlyFinding('bib-config-toml', size);
  assert.equal(applyFixAndExpectClean('bib-config-toml', size, sized), '[[customizations.filesystem]]\nmountpoint = "/"\nminsize = "10 GiB"\n');
  const append = onlyFinding('bib-config-toml', '[customizations.kernel]\nappend = ["quiet"]\n');
  assert.equal(append.ruleId, 'bib-config-invalid-value');
  assert.deepEqual(span(append.range), [1, 9, 18]);
  assert.equal(onlyFinding('bib-config-json', '[1, 2]').ruleId, 'bib-config-invalid-value');
});

test('bib config: customizations bootc images do not take are warnings that teach the Containerfile way', () => {
  const text = '[customizations]\nhostname = "box"\n\n[customizations.timezone]\ntimezone = "UTC"\n\n[[packages]]\nname = "vim"\n';
  const findings = toml(text);
  assert.deepEqual(findings.map((found) => [found.ruleId, found.severity, ...span(found.range)]), [
    ['bib-config-unsupported', 'warning', 1, 0, 8],
    ['bib-config-unsupported', 'warning', 3, 16, 24],
    ['bib-config-unsupported', 'warning', 6, 2, 10],
  ]);
  assert.match(findings[0].message, /\/etc\/hostname/);
  assert.match(findings[2].message, /RUN dnf -y install/);
  const kernelName = onlyFinding('bib-config-toml', '[customizations.kernel]\nname = "kernel-rt"\n');
  assert.match(kernelName.message, /comes from the container image/);
});

test('bib config: the mode names what disk or ISO images do not take', () => {
  const text = '[customizations.installer.kickstart]\ncontents = "text"\n[[customizations.filesystem]]\nmountpoint = "/"\n';
  assert.deepEqual(toml(text), []);
  assert.deepEqual(toml(text, 'disk').map((found) => [found.ruleId, textOf(text, found.range)]), [['bib-config-unsupported', 'installer']]);
  assert.deepEqual(toml(text, 'iso').map((found) => [found.ruleId, textOf(text, found.range)]), [['bib-config-unsupported', 'filesystem']]);
});

test('bib config: a user needs a name; a user twice is a duplicate', () => {
  const missing = '[[customizations.user]]\nkey = "ssh-ed25519 AAAA"\n';
  const found = onlyFinding('bib-config-toml', missing);
  assert.equal(found.ruleId, 'bib-config-missing-key');
  assert.deepEqual(span(found.range), [0, 0, 23]);
  assert.match(found.message, /needs 'name'/);
  const twice = '[[customizations.user]]\nname = "alice"\n[[customizations.user]]\nname = "alice"\n';
  const duplicate = onlyFinding('bib-config-toml', twice);
  assert.equal(duplicate.ruleId, 'bib-config-duplicate-user');
  assert.deepEqual(span(duplicate.range), [3, 7, 14]);
  assert.equal(onlyFinding('bib-config-json', '{"customizations": {"user": [{"key": "k"}]}}').ruleId, 'bib-config-missing-key');
});

test('bib config: mountpoints follow the bootc policy of bootc-image-builder', () => {
  const entry = (mountpoint: string) => `[[customizations.filesystem]]\nmountpoint = "${mountpoint}"\n`;
  for (const allowed of ['/', '/boot', '/var/data', '/var/lib/containers', '/var/opt']) assert.deepEqual(toml(entry(allowed)), [], allowed);
  for (const [mountpoint, pattern] of [['/var', /\/var itself/], ['/var/home', /\/var\/home/], ['/var/run/x', /symlink into \/run/], ['/usr', /root filesystem/], ['/etc/app', /root filesystem/], ['/home', /symlink to \/var\/home/]] as const) {
    const found = onlyFinding('bib-config-toml', entry(mountpoint));
    assert.equal(found.ruleId, 'bib-config-mountpoint', mountpoint);
    assert.match(found.message, pattern, mountpoint);
    assert.deepEqual(span(found.range), [1, 13, 15 + mountpoint.length], mountpoint);
    assert.deepEqual(found.fixes, [], mountpoint);
  }
  const data = onlyFinding('bib-config-toml', entry('/data'));
  assert.equal(data.fixes[0].preferred, false, 'moving a mountpoint is a choice, not a Fix-all fix');
  assert.equal(applyFixAndExpectClean('bib-config-toml', entry('/data'), data), entry('/var/data'));
  const opt = onlyFinding('bib-config-toml', entry('/opt/app'));
  assert.match(applyFixAndExpectClean('bib-config-toml', entry('/opt/app'), opt), /"\/var\/opt\/app"/);
  const unclean = onlyFinding('bib-config-toml', entry('/var//data/'));
  assert.equal(unclean.ruleId, 'bib-config-invalid-value');
  assert.equal(applyFixAndExpectClean('bib-config-toml', entry('/var//data/'), unclean), entry('/var/data'));
  assert.equal(onlyFinding('bib-config-toml', entry('var/data')).ruleId, 'bib-config-invalid-value');
  const disk = '[customizations.disk]\n[[customizations.disk.partitions]]\ntype = "plain"\nmountpoint = "/usr"\nfs_type = "xfs"\n';
  const partition = onlyFinding('bib-config-toml', disk);
  assert.equal(partition.ruleId, 'bib-config-mountpoint');
  assert.deepEqual(span(partition.range), [3, 13, 19]);
});

test('bib config: filesystem and disk together', () => {
  const text = '[[customizations.filesystem]]\nmountpoint = "/"\n[customizations.disk]\ntype = "gpt"\n';
  const found = onlyFinding('bib-config-toml', text);
  assert.equal(found.ruleId, 'bib-config-filesystem-disk');
  assert.deepEqual(span(found.range), [2, 16, 20]);
});

test('bib config: a kickstart excludes users and must not install the image itself', () => {
  const text = '[[customizations.user]]\nname = "alice"\n\n[customizations.installer.kickstart]\ncontents = """\ntext --non-interactive\nostreecontainer --url quay.io/example/os:latest\nreboot\n"""\n';
  const findings = toml(text);
  assert.deepEqual(findings.map((found) => [found.ruleId, ...span(found.range)]), [
    ['bib-config-kickstart-users', 0, 17, 21],
    ['bib-config-kickstart-ostreecontainer', 6, 0, 47],
  ]);
  assert.match(findings[0].message, /user --name/);
  const withoutUser = text.replace('[[customizations.user]]\nname = "alice"\n\n', '');
  const ostree = onlyFinding('bib-config-toml', withoutUser);
  assert.equal(applyFixAndExpectClean('bib-config-toml', withoutUser, ostree), '[customizations.installer.kickstart]\ncontents = """\ntext --non-interactive\nreboot\n"""\n');
  const inJson = '{"customizations": {"installer": {"kickstart": {"contents": "text\\nostreecontainer --url quay.io/x/y\\nreboot"}}}}';
  const jsonFinding = onlyFinding('bib-config-json', inJson);
  assert.equal(textOf(inJson, jsonFinding.range), 'ostreecontainer --url quay.io/x/y');
  assert.equal(applyFixAndExpectClean('bib-config-json', inJson, jsonFinding), '{"customizations": {"installer": {"kickstart": {"contents": "text\\nreboot"}}}}');
});

test('bib config: a plain-text password is info; a $6$ hash is not reported', () => {
  const text = '[[customizations.user]]\nname = "alice"\npassword = "bob"\n';
  const found = onlyFinding('bib-config-toml', text);
  assert.equal(found.ruleId, 'bib-config-plain-password');
  assert.equal(found.severity, 'info');
  assert.deepEqual(span(found.range), [2, 11, 16]);
  assert.match(found.message, /openssl passwd -6/);
  assert.deepEqual(toml(text.replace('"bob"', '"$6$rounds=5000$salt$hash"')), []);
});

test('bib config: users at the top level move into customizations', () => {
  const text = '[[user]]\nname = "alice"\n';
  const found = onlyFinding('bib-config-toml', text);
  assert.match(found.message, /belongs in the customizations table/);
  assert.equal(applyFixAndExpectClean('bib-config-toml', text, found), '[[customizations.user]]\nname = "alice"\n');
});

test('bib config: syntax errors are placed where parsing stops', () => {
  const tomlError = onlyFinding('bib-config-toml', '[customizations.kernel]\nappend = "quiet\n');
  assert.equal(tomlError.ruleId, 'bib-config-syntax');
  assert.deepEqual(span(tomlError.range), [1, 15, 15]);
  const garbage = onlyFinding('bib-config-toml', '[customizations.kernel]\nappend == "x"  \n');
  assert.equal(garbage.range.start.line, 1);
  assert.equal(garbage.range.end.character, 13, 'the rest of the line, without trailing spaces');
  const jsonError = onlyFinding('bib-config-json', '{\n  "customizations": {\n    "user": [}\n}');
  assert.equal(jsonError.ruleId, 'bib-config-syntax');
  assert.deepEqual(tomlError.fixes, []);
  assert.deepEqual([jsonError.range.start.line, jsonError.range.start.character], [2, 13]);
});

test('bib config: keys named like Object.prototype members are unknown keys, not schema entries', () => {
  for (const key of ['constructor', 'toString', '__proto__']) {
    const found = onlyFinding('bib-config-json', `{"customizations": {"${key}": {"name": "x"}}}`);
    assert.equal(found.ruleId, 'bib-config-unknown-key', key);
    assert.match(found.message, new RegExp(`'${key}'`));
  }
  const kargs = lintCompanion('kargs', 'kargs = ["quiet"]\nmatch-architectures = ["constructor"]\n');
  assert.equal(kargs.length, 1);
  assert.deepEqual(kargs[0].fixes, []);
});

test('bib config: ostreecontainer lines with quotes, first in the string, or with CRLF endings', () => {
  const quotedJson = '{"customizations": {"installer": {"kickstart": {"contents": "ostreecontainer --url \\"quay.io/x/y\\"\\nreboot"}}}}';
  const inJson = onlyFinding('bib-config-json', quotedJson);
  assert.equal(textOf(quotedJson, inJson.range), 'ostreecontainer --url \\"quay.io/x/y\\"');
  assert.equal(applyFixAndExpectClean('bib-config-json', quotedJson, inJson), '{"customizations": {"installer": {"kickstart": {"contents": "reboot"}}}}');
  const crlf = '[customizations.installer.kickstart]\r\ncontents = """\r\nostreecontainer --url "quay.io/x/y"\r\nreboot\r\n"""\r\n';
  const inToml = onlyFinding('bib-config-toml', crlf);
  assert.deepEqual(span(inToml.range), [2, 0, 35]);
  assert.equal(applyFixAndExpectClean('bib-config-toml', crlf, inToml), '[customizations.installer.kickstart]\r\ncontents = """\r\nreboot\r\n"""\r\n');
  const two = '[customizations.installer.kickstart]\ncontents = """\nostreecontainer a\nostreecontainer b\n"""\n';
  assert.equal(toml(two).length, 2, 'adjacent lines are both found');
  assert.deepEqual(toml('[customizations.installer.kickstart]\ncontents = "text\\n# ostreecontainer is added by bib"\n'), [], 'a comment mentioning it is fine');
});
