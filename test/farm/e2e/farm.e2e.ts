// The farm commands in a real VS Code (bundled and run by test/farm/farm-vscode.test.ts with
// the e2e harness): Build for Multiple Architectures on the farm test environment's node
// (scripts/setup-farm-env.sh; bootc.podman.path is its podman 5 wrapper), and Manage Farms.
// The workspace lies in the environment's share folder, which that podman sees at the same path.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import type { DiskImageOutcome } from '../../../client/src/commands/disk';
import type { ManageFarmsOutcome, MultiArchBuildOutcome } from '../../../client/src/commands/farm';
import { suiteOption, workspaceRoot } from '../../e2e/suite/context';

/** What test/farm/farm-vscode.test.ts passes as the suite option `farm`. */
export interface FarmSuiteOption {
  registry: string;
  connection: string;
  farm: string;
  runId: string;
}

function option(): FarmSuiteOption {
  const value = suiteOption<FarmSuiteOption>('farm');
  if (!value) throw new Error('no farm option from the harness');
  return value;
}

const containerfile = () => vscode.Uri.file(path.join(workspaceRoot(), 'Containerfile'));

suite('farm', () => {
  test('Build for Multiple Architectures builds on the node, each node in its own terminal, and shows the manifest list', async () => {
    const { registry, connection, farm, runId } = option();
    const reference = `${registry}/bootc-farm-e2e-${runId}`;
    const outcome = await vscode.commands.executeCommand<MultiArchBuildOutcome | undefined>('bootc.buildMultiArch', containerfile(), { farm, platforms: ['linux/amd64'], reference, local: false });
    assert.ok(outcome, 'the command returned no outcome');
    assert.equal(outcome.state, 'succeeded', outcome.error);
    assert.equal(outcome.mode, 'farm');
    assert.deepEqual(outcome.architectures, ['linux/amd64']);
    assert.deepEqual(outcome.nodes.map((node) => [node.node, node.platform, node.ok]), [[connection, 'linux/amd64', true]]);
    assert.match(outcome.nodes[0].imageId ?? '', /^[0-9a-f]{12,}$/);
    const names = vscode.window.terminals.map((terminal) => terminal.name);
    assert.ok(names.includes(`Bootc Farm Build: ${reference}`), names.join(', '));
    const nodeTerminal = `Bootc Farm: ${connection} (linux/amd64)`;
    assert.ok(names.includes(nodeTerminal), names.join(', '));
    // The node's build steps went to its own terminal (FROM, RUN, LABEL at least).
    assert.deepEqual(Object.keys(outcome.nodeOutput ?? {}), [nodeTerminal]);
    assert.ok((outcome.nodeOutput?.[nodeTerminal] ?? 0) >= 3, JSON.stringify(outcome.nodeOutput));
  });

  test('Create Disk Image refuses an architecture the pushed manifest list lacks, naming its platforms, before anything runs', async () => {
    const { registry, runId } = option();
    // The manifest list the first test pushed (linux/amd64 only); the registry is insecure in the environment's registries.conf.
    const reference = `${registry}/bootc-farm-e2e-${runId}`;
    const outcome = await vscode.commands.executeCommand<DiskImageOutcome | undefined>('bootc.createDiskImage', containerfile(), { image: reference, targetArch: 'aarch64', rootfs: 'ext4', outputFolder: 'disk-refused' });
    assert.equal(outcome?.state, 'refused', JSON.stringify(outcome));
    assert.match(outcome.problems?.[0] ?? '', /has no image for aarch64 \(linux\/arm64\): it has linux\/amd64\./);
    assert.equal(fs.existsSync(path.join(workspaceRoot(), 'disk-refused')), false, 'the output folder was created for a refused build');
  });

  test('Build for Multiple Architectures asks for the stage and the ARGs without a default, as Build Image does', async () => {
    const { registry, farm, runId } = option();
    const reference = `${registry}/bootc-farm-e2e-${runId}-stages`;
    const settings = vscode.workspace.getConfiguration('bootc');
    const asked: { title: string; items?: string[] }[] = [];
    const window = vscode.window as { showQuickPick: unknown; showInputBox: unknown };
    const { showQuickPick, showInputBox } = window;
    // Scripted answers, through the same API object the extension calls: the stage "tools", the ARG, the reference.
    window.showQuickPick = async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>, options?: vscode.QuickPickOptions) => {
      const list = await items;
      asked.push({ title: options?.title ?? '', items: list.map((item) => item.label) });
      if (options?.canPickMany) return list.filter((item) => item.picked);
      return list.find((item) => item.label === 'tools') ?? list[0];
    };
    window.showInputBox = async (options?: vscode.InputBoxOptions) => {
      asked.push({ title: options?.title ?? '' });
      return /build argument GREETING/.test(options?.title ?? '') ? 'hello-from-e2e' : /registry reference/.test(options?.title ?? '') ? reference : options?.value;
    };
    try {
      await settings.update('farm.defaultFarm', farm, vscode.ConfigurationTarget.Workspace);
      await settings.update('farm.platforms', ['linux/amd64'], vscode.ConfigurationTarget.Workspace);
      await settings.update('farm.local', false, vscode.ConfigurationTarget.Workspace);
      const outcome = await vscode.commands.executeCommand<MultiArchBuildOutcome | undefined>('bootc.buildMultiArch', vscode.Uri.file(path.join(workspaceRoot(), 'stages', 'Containerfile')));
      assert.equal(outcome?.state, 'succeeded', JSON.stringify({ outcome, asked }));
    } finally {
      window.showQuickPick = showQuickPick;
      window.showInputBox = showInputBox;
      for (const key of ['farm.defaultFarm', 'farm.platforms', 'farm.local']) await settings.update(key, undefined, vscode.ConfigurationTarget.Workspace);
    }
    const stagePick = asked.find((prompt) => prompt.title === 'Bootc: Build for Multiple Architectures: stage to build');
    assert.deepEqual(stagePick?.items, ['Final stage', 'tools'], JSON.stringify(asked));
    assert.ok(asked.some((prompt) => prompt.title === 'Bootc: Build for Multiple Architectures: build argument GREETING'), JSON.stringify(asked));
    // The image the node pushed is the tools stage built with the ARG: its labels, read from the registry over HTTP.
    const accept = 'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json';
    const get = async (what: string) => (await (await fetch(`http://${registry}/v2/bootc-farm-e2e-${runId}-stages/${what}`, { headers: { Accept: accept } })).json()) as Record<string, any>;
    const list = await get('manifests/latest');
    const image = await get(`manifests/${list.manifests[0].digest}`);
    const config = await get(`blobs/${image.config.digest}`);
    assert.equal(config.config.Labels['bootc.e2e.stage'], 'tools', JSON.stringify(config.config.Labels));
    assert.equal(config.config.Labels['bootc.e2e.greeting'], 'hello-from-e2e');
  });

  test('Build for Multiple Architectures refuses a platform no node provides, and a reference without a registry', async () => {
    const { farm } = option();
    const noPlatform = await vscode.commands.executeCommand<MultiArchBuildOutcome | undefined>('bootc.buildMultiArch', containerfile(), { farm, platforms: ['linux/s390x'], reference: `${option().registry}/x` });
    assert.equal(noPlatform, undefined);
    const noRegistry = await vscode.commands.executeCommand<MultiArchBuildOutcome | undefined>('bootc.buildMultiArch', containerfile(), { farm, platforms: ['linux/amd64'], reference: 'localhost/my-os' });
    assert.equal(noRegistry, undefined);
  });

  test("says farm builds are unavailable on the host's podman 4.3, and builds the emulated fallback when asked", async () => {
    const { runId } = option();
    const settings = vscode.workspace.getConfiguration('bootc');
    await settings.update('podman.path', 'podman', vscode.ConfigurationTarget.Workspace);
    const reference = `localhost/bootc-farm-e2e-fallback-${runId}:latest`;
    const fallbackFile = vscode.Uri.file(path.join(workspaceRoot(), 'fallback', 'Containerfile'));
    try {
      const unavailable = await vscode.commands.executeCommand<MultiArchBuildOutcome | undefined>('bootc.buildMultiArch', fallbackFile, { platforms: ['linux/amd64'], reference });
      assert.equal(unavailable?.state, 'unavailable');
      assert.match(unavailable?.error ?? '', /^podman 4\.\d+\.\d+ has no farm builds: podman farm arrived in podman 4\.9\.0/);
      const built = await vscode.commands.executeCommand<MultiArchBuildOutcome | undefined>('bootc.buildMultiArch', fallbackFile, { platforms: ['linux/amd64'], reference, fallback: true });
      assert.equal(built?.state, 'succeeded', built?.error);
      assert.equal(built?.mode, 'fallback');
      assert.deepEqual(built?.architectures, ['linux/amd64']);
    } finally {
      // test/farm/farm-vscode.test.ts removes the manifest list and its image.
      await settings.update('podman.path', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('Manage Farms creates a farm from a connection, changes it and removes it', async () => {
    const { connection, farm: existing, runId } = option();
    const farm = `bootc-e2e-farm-${runId}`;
    const manage = (options: object) => vscode.commands.executeCommand<ManageFarmsOutcome | undefined>('bootc.manageFarms', options);
    let outcome = await manage({ action: 'create', farm, connections: [connection] });
    assert.equal(outcome?.ok, true, outcome?.error);
    assert.deepEqual(outcome?.farms.find((candidate) => candidate.name === farm)?.connections, [connection]);
    outcome = await manage({ action: 'setDefault', farm });
    assert.equal(outcome?.farms.find((candidate) => candidate.name === farm)?.isDefault, true);
    outcome = await manage({ action: 'removeNodes', farm, connections: [connection] });
    assert.deepEqual(outcome?.farms.find((candidate) => candidate.name === farm)?.connections, []);
    outcome = await manage({ action: 'create', farm, connections: [] });
    assert.equal(outcome?.ok, false);
    assert.match(outcome?.error ?? '', /Could not create the farm/);
    outcome = await manage({ action: 'addConnection', name: `bad-${runId}`, destination: 'build.example.com' });
    assert.equal(outcome?.ok, false);
    assert.match(outcome?.error ?? '', /no scheme/);
    outcome = await manage({ action: 'remove', farm });
    assert.ok(!outcome?.farms.some((candidate) => candidate.name === farm));
    outcome = await manage({ action: 'setDefault', farm: existing });
    assert.equal(outcome?.farms.find((candidate) => candidate.name === existing)?.isDefault, true);
  });
});
