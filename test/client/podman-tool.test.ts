/**
 * client/src/podman/tool.ts: version parsing and comparison, install hints per platform, and
 * checkPodman/runPodman against stand-in `podman` shell scripts (in a temp folder under
 * TMPDIR) that print versions or fail the way podman does.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ToolMissingError } from '../../client/src/process';
import {
  checkPodman,
  compareVersions,
  MINIMUM_PODMAN_VERSION,
  parsePodmanVersion,
  podmanFromSettings,
  podmanInstallHint,
  PodmanTooOldError,
  runPodman,
  spawnPodman,
  type Podman,
} from '../../client/src/podman/tool';

const posix = process.platform !== 'win32';
let folder = '';

/** Stand-ins: each answers `version --format json` and `--version` the way a kind of podman does. */
const STAND_INS: Record<string, string> = {
  // podman 4.3.1 as Debian 12 ships it; also logs its arguments and CONTAINERS_CONF.
  'podman-4.3': `
if [ "$1" = "--log" ]; then shift; printf '%s\\n' "$@" > "$(dirname "$0")/args.log"; printf 'conf=%s\\n' "$CONTAINERS_CONF" >> "$(dirname "$0")/args.log"; exit 0; fi
case "$*" in
  *"version --format json"*) printf '{\\n  "Client": {\\n    "APIVersion": "4.3.1",\\n    "Version": "4.3.1",\\n    "GoVersion": "go1.19.8",\\n    "OsArch": "linux/amd64"\\n  }\\n}\\n' ;;
  *--version*) echo "podman version 4.3.1" ;;
  *) echo "unexpected: $*" >&2; exit 2 ;;
esac`,
  // A podman machine that is not started: `podman version` fails, `podman --version` still answers.
  'podman-machine-stopped': `
case "$*" in
  *"version --format json"*) echo 'Cannot connect to Podman. Please verify your connection to the Linux system using \`podman system connection list\`' >&2; exit 125 ;;
  *--version*) echo "podman version 5.2.2" ;;
esac`,
  'podman-3.4': `
case "$*" in
  *"version --format json"*) printf '{"Client":{"Version":"3.4.4"}}\\n' ;;
  *) echo "podman version 3.4.4" ;;
esac`,
  'podman-broken': `echo "Error: could not get runtime: cannot open database: permission denied" >&2; exit 125`,
};

before(() => {
  fs.mkdirSync(os.tmpdir(), { recursive: true });
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bootc-podman-tool-test-'));
  for (const [name, body] of Object.entries(STAND_INS)) fs.writeFileSync(path.join(folder, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
});

after(() => {
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
});

const standIn = (name: string): Podman => podmanFromSettings({ path: path.join(folder, name), extraArgs: [], containersConf: '' });

test('parsePodmanVersion reads the JSON and the plain forms', () => {
  assert.equal(parsePodmanVersion('{"Client":{"Version":"4.3.1"}}'), '4.3.1');
  assert.equal(parsePodmanVersion('{"Client":{"APIVersion":"5.0.0-rc1","Version":"5.0.0-rc1"},"Server":{"Version":"5.0.0"}}\n'), '5.0.0-rc1');
  // podman 3's remote client printed the version at the top level.
  assert.equal(parsePodmanVersion('{"Version":"3.4.4"}'), '3.4.4');
  assert.equal(parsePodmanVersion('podman version 4.3.1\n'), '4.3.1');
  assert.equal(parsePodmanVersion('podman.exe version 5.2.2'), '5.2.2');
  assert.equal(parsePodmanVersion('podman-remote version 4.9.4-dev'), '4.9.4-dev');
  for (const nothing of ['', '{}', '{"Client":{}}', '{"Client":{"Version":42}}', 'podman version', 'Error: no', '{"Client":{"Version":"banana"}}']) {
    assert.equal(parsePodmanVersion(nothing), undefined, nothing);
  }
});

test('compareVersions compares numerically and ignores suffixes', () => {
  const sign = (a: string, b: string) => Math.sign(compareVersions(a, b));
  assert.equal(sign('4.3.1', '4.0.0'), 1);
  assert.equal(sign('3.4.4', '4.0.0'), -1);
  assert.equal(sign('4.10.0', '4.9.3'), 1);
  assert.equal(sign('4.0', '4.0.0'), 0);
  assert.equal(sign('5', '4.99.99'), 1);
  assert.equal(sign('4.9.4-dev', '4.9.4'), 0);
  assert.equal(sign('4.3.1+ds1', '4.3.1'), 0);
  assert.equal(sign('4.9.0', MINIMUM_PODMAN_VERSION) >= 0, true);
});

const osRelease = (id: string, idLike = '') => `NAME="Some Linux"\nID=${id}\n${idLike ? `ID_LIKE="${idLike}"\n` : ''}VERSION_ID="1"\n`;

test('podmanInstallHint names the package manager of the distribution, and podman machine on macOS and Windows', () => {
  for (const [id, like] of [['fedora', ''], ['rhel', 'fedora'], ['"centos"', 'rhel fedora'], ['rocky', ''], ['almalinux', '']]) {
    assert.match(podmanInstallHint('linux', osRelease(id, like)), /sudo dnf install -y podman/, id);
  }
  for (const [id, like] of [['debian', ''], ['ubuntu', 'debian'], ['linuxmint', 'ubuntu debian'], ['somederivative', 'debian']]) {
    assert.match(podmanInstallHint('linux', osRelease(id, like)), /sudo apt-get install -y podman/, id);
  }
  assert.match(podmanInstallHint('linux', osRelease('opensuse-tumbleweed', 'opensuse suse')), /sudo zypper install podman/);
  assert.match(podmanInstallHint('linux', osRelease('arch')), /sudo pacman -S podman/);
  assert.match(podmanInstallHint('linux', osRelease('manjaro', 'arch')), /pacman/);
  assert.match(podmanInstallHint('linux', osRelease('gentoo')), /distribution's packages.*podman\.io/);
  assert.match(podmanInstallHint('linux', ''), /podman\.io/);
  const mac = podmanInstallHint('darwin');
  assert.match(mac, /brew install podman/);
  assert.match(mac, /podman machine init && podman machine start/);
  assert.ok(mac.indexOf('brew install') < mac.indexOf('podman machine init'));
  const windows = podmanInstallHint('win32');
  assert.match(windows, /winget install RedHat\.Podman/);
  assert.match(windows, /podman machine init && podman machine start/);
  // Every hint ends with the setting that points at an installed podman.
  for (const hint of [mac, windows, podmanInstallHint('linux', osRelease('debian')), podmanInstallHint('freebsd')]) assert.match(hint, /bootc\.podman\.path/);
});

test('podmanFromSettings: default path, global options, CONTAINERS_CONF', () => {
  const podman = podmanFromSettings({ path: '  ', extraArgs: ['--root', '/r'], containersConf: ' /etc/c.conf ' }, { PATH: '/bin', CONTAINERS_CONF: 'old' });
  assert.deepEqual(podman, { path: 'podman', globalArgs: ['--root', '/r'], env: { PATH: '/bin', CONTAINERS_CONF: '/etc/c.conf' } });
  const plain = podmanFromSettings({ path: '/opt/podman', extraArgs: [], containersConf: '' }, { PATH: '/bin' });
  assert.deepEqual(plain, { path: '/opt/podman', globalArgs: [], env: { PATH: '/bin' } });
});

test('checkPodman resolves with the version of a new enough podman', { skip: !posix }, async () => {
  assert.equal(await checkPodman(standIn('podman-4.3')), '4.3.1');
});

test('checkPodman falls back to --version when podman version fails (a stopped podman machine)', { skip: !posix }, async () => {
  assert.equal(await checkPodman(standIn('podman-machine-stopped')), '5.2.2');
});

test('checkPodman refuses podman 3 with an upgrade hint', { skip: !posix }, async () => {
  await assert.rejects(checkPodman(standIn('podman-3.4')), (error: unknown) => {
    assert.ok(error instanceof PodmanTooOldError);
    assert.equal(error.version, '3.4.4');
    assert.match(error.message, /podman 3\.4\.4 is too old: the bootc commands need podman 4\.0\.0 or newer/);
    assert.match(error.message, /Upgrade it .*bootc\.podman\.path/);
    return true;
  });
});

test("checkPodman passes on podman's own error when it cannot run", { skip: !posix }, async () => {
  await assert.rejects(checkPodman(standIn('podman-broken')), /Could not run podman \(.*podman-broken\): Error: could not get runtime: cannot open database: permission denied/);
});

test('a missing podman is a ToolMissingError with the install hint and the configured path', { skip: !posix }, async () => {
  const missing = standIn('no-podman-here');
  await assert.rejects(checkPodman(missing), (error: unknown) => {
    assert.ok(error instanceof ToolMissingError);
    assert.equal(error.tool, 'podman');
    assert.ok(error.hint.startsWith(podmanInstallHint()), error.hint);
    assert.ok(error.hint.endsWith(`(bootc.podman.path is "${missing.path}")`), error.hint);
    return true;
  });
  await assert.rejects(spawnPodman(missing, ['logs', '-f', 'x']).result, (error: unknown) => error instanceof ToolMissingError && error.hint.includes(podmanInstallHint()));
  // The default name on PATH gets no "bootc.podman.path is" note.
  const onPath = { ...podmanFromSettings({ path: '', extraArgs: [], containersConf: '' }), env: { PATH: folder } };
  await assert.rejects(runPodman(onPath, ['info']), (error: unknown) => error instanceof ToolMissingError && !error.hint.includes('bootc.podman.path is'));
});

test('runPodman puts the global options before the arguments and passes the environment', { skip: !posix }, async () => {
  const podman = podmanFromSettings({ path: path.join(folder, 'podman-4.3'), extraArgs: ['--log', '--root', '/my root'], containersConf: '/etc/bootc/containers.conf' });
  const result = await runPodman(podman, ['build', '-t', 'x; rm -rf ~']);
  assert.equal(result.exitCode, 0);
  const logged = fs.readFileSync(path.join(folder, 'args.log'), 'utf8');
  assert.equal(logged, '--root\n/my root\nbuild\n-t\nx; rm -rf ~\nconf=/etc/bootc/containers.conf\n');
});
