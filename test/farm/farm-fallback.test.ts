import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FALLBACK_TRADE_OFF, FARM_MINIMUM_VERSION } from '../../client/src/farm/commands';
import { farmAvailability, inspectManifest, runFallbackBuild } from '../../client/src/farm/operations';
import { formatPlatform } from '../../client/src/farm/parse';
import { compareVersions, type Podman } from '../../client/src/podman/tool';
import { removeTree, tempTree } from '../helpers/cli';
import { removeHostManifestList } from '../helpers/farm';
import { ensureBootcTestBase, podmanAvailable, testPodman, uniqueImageName } from '../helpers/podman';

/**
 * Debian 12's podman (4.3): no farm builds. The version message, and the fallback run for real:
 * `podman build --platform linux/amd64 --manifest REF` into local storage, then
 * `podman manifest inspect` lists amd64. (A foreign platform would need qemu-user-static and
 * a base image for it; the single native platform keeps the test fast and offline.)
 */

const skip = podmanAvailable();
let podman: Podman;
let folder: string;
const manifests: string[] = [];

describe('farm builds on a podman without farm (Debian 12: 4.3)', { skip }, () => {
  before(() => {
    podman = testPodman();
    const base = ensureBootcTestBase();
    folder = tempTree({ Containerfile: `FROM ${base}\nRUN echo "built for $(uname -m)" > /arch.txt\nLABEL containers.bootc=1\n` });
  });

  after(() => {
    if (folder) removeTree(folder);
    for (const manifest of manifests) removeHostManifestList(manifest);
  });

  it('says plainly that podman is too old for farm builds', async (t) => {
    const availability = await farmAvailability(podman);
    if (compareVersions(availability.version, FARM_MINIMUM_VERSION) >= 0) return t.skip(`this podman (${availability.version}) has farm builds`);
    assert.equal(availability.state, 'unsupported');
    assert.equal(availability.reason, `podman ${availability.version} has no farm builds: podman farm arrived in podman 4.9.0. Upgrade podman, or set bootc.podman.path to a newer one.`);
    assert.match(FALLBACK_TRADE_OFF, /emulated .* much slower/);
  });

  it('builds the fallback manifest list into local storage, and reads its architectures', async () => {
    const reference = uniqueImageName('fallback');
    manifests.push(reference);
    const lines: string[] = [];
    let commandLine = '';
    const result = await runFallbackBuild(
      podman,
      { platforms: ['linux/amd64'], reference, containerfile: path.join(folder, 'Containerfile'), context: folder },
      { onLine: (line) => lines.push(line), onCommandLine: (line) => (commandLine = line) },
    );
    assert.equal(result.ok, true, result.stderr);
    assert.match(commandLine, new RegExp(`^podman build --platform linux/amd64 --manifest ${reference.replace(/[.]/g, '\\.')} -f `));
    assert.ok(lines.some((line) => line.startsWith('STEP 2/3: RUN')), lines.join('\n'));
    const platforms = await inspectManifest(podman, reference);
    assert.deepEqual(platforms.map(formatPlatform), ['linux/amd64']);
  });
});
