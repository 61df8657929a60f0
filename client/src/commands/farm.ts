/**
 * Bootc: Build for Multiple Architectures and Bootc: Manage Farms. A farm build runs
 * `podman farm build` on the nodes of a podman farm (one machine per architecture, native
 * speed), shows each node's output in a terminal of its own, and ends with the architectures
 * of the manifest list it pushed. Without farm builds (podman older than 4.9, or no farm) it
 * says so and offers the emulated fallback, `podman build --platform ... --manifest`.
 * Options as the second argument replace the prompts and the outcome is returned (tests).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BootcSettings } from '../../../server/src/settings';
import { readSettings } from '../configuration';
import { FALLBACK_TRADE_OFF, validateConnectionDestination, validateFarmReference, validateNodeName } from '../farm/commands';
import { addConnection, createFarm, farmAvailability, farmPlatforms, inspectManifest, listConnections, listFarms, removeFarm, runFallbackBuild, runFarmBuild, updateFarm, type FarmAvailability, type FarmBuildResult, type NodePlatform } from '../farm/operations';
import { formatPlatform, type Farm, type FarmLine, type NodeOutcome } from '../farm/parse';
import { defaultTagFor, validateImageReference } from '../podman/reference';
import { podmanFromSettings, type Podman } from '../podman/tool';
import { Redactor } from '../process';
import { requireTrust, showCommandError, type Services } from '../services';
import { OutputTerminal, showOutputTerminal } from '../terminal';
import { promptStageAndBuildArgs } from './build';
import { resolveContainerfile } from './containerfiles';

/** Options of Build for Multiple Architectures; given as the second argument they replace the prompts. */
export interface MultiArchBuildOptions {
  /** The farm; default `bootc.farm.defaultFarm`, podman's default farm, or the only one. */
  farm?: string;
  /** Platforms to build (`linux/amd64`...); default `bootc.farm.platforms`, else all the farm provides. */
  platforms?: string[];
  /** Where the images and the manifest list go (a registry for a farm build). */
  reference?: string;
  /** The build context folder (absolute, or relative to the workspace folder); default the Containerfile's folder. */
  context?: string;
  buildArgs?: Record<string, string>;
  target?: string;
  extraArgs?: string[];
  /** Default `bootc.farm.cleanup`. */
  cleanup?: boolean;
  /** Default `bootc.farm.local`. */
  local?: boolean;
  /** When farm builds are unavailable: true runs the emulated fallback; otherwise the outcome is `unavailable`. */
  fallback?: boolean;
}

export interface MultiArchBuildOutcome {
  state: 'succeeded' | 'failed' | 'cancelled' | 'unavailable';
  mode: 'farm' | 'fallback';
  reference: string;
  farm?: string;
  platforms: string[];
  /** What each node did (farm builds). */
  nodes: NodeOutcome[];
  /** The lines of each node's output, by the name of its terminal (`Bootc Farm: NODE (PLATFORM)`). */
  nodeOutput?: Record<string, number>;
  /** The manifest list's platforms, from `podman manifest inspect`, after a successful build. */
  architectures?: string[];
  /** Why it failed, or why farm builds are unavailable. */
  error?: string;
}

const FARM_REFERENCES = 'bootc.farmReferences';
/** Platforms the fallback offers when no farm tells what exists. */
const COMMON_PLATFORMS = ['linux/amd64', 'linux/arm64', 'linux/ppc64le', 'linux/s390x'];

export async function buildMultiArchCommand(services: Services, argument: unknown, options?: MultiArchBuildOptions): Promise<MultiArchBuildOutcome | undefined> {
  if (!requireTrust('Build for Multiple Architectures')) return undefined;
  const containerfile = await resolveContainerfile(argument, 'build for multiple architectures');
  if (!containerfile) return undefined;
  const settings = readSettings(containerfile);
  const podman = podmanFromSettings(settings.podman);
  const given = options !== undefined;
  const choices: MultiArchBuildOptions = { ...options };

  let availability: FarmAvailability;
  try {
    availability = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Looking for podman farms' }, () => farmAvailability(podman));
  } catch (error) {
    await showCommandError('Build for Multiple Architectures', error);
    return undefined;
  }

  if (availability.state !== 'available') {
    const base = { mode: 'fallback' as const, reference: choices.reference ?? '', platforms: choices.platforms ?? [], nodes: [], error: availability.reason };
    if (given && !choices.fallback) return { state: 'unavailable', ...base };
    if (!given) {
      // No farm: make one. Too old a podman: point bootc.podman.path at a newer one. Either way the emulated fallback.
      const fix = availability.state === 'no-farm' ? 'Manage Farms' : 'Open Podman Settings';
      const choice = await vscode.window.showWarningMessage(`Farm builds are unavailable: ${availability.reason}`, { modal: true, detail: FALLBACK_TRADE_OFF }, 'Build with Emulation', fix);
      if (choice === 'Manage Farms') {
        await vscode.commands.executeCommand('bootc.manageFarms');
        return undefined;
      }
      if (choice === 'Open Podman Settings') {
        await vscode.commands.executeCommand('workbench.action.openSettings', 'bootc.podman.path');
        return undefined;
      }
      if (choice !== 'Build with Emulation') return { state: 'unavailable', ...base };
    }
    return fallbackBuild(services, containerfile, settings, podman, choices, given);
  }

  const farm = await chooseFarm(availability.farms, choices.farm ?? (settings.farm.defaultFarm || undefined), given);
  if (!farm) return undefined;
  const local = choices.local ?? settings.farm.local;
  const provided = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Asking the nodes of ${farm.name} for their platforms` }, () => farmPlatforms(podman, farm, { local }));
  const platforms = await choosePlatforms(provided.platforms, provided.nodes, choices.platforms ?? settings.farm.platforms, given, `nodes of the farm ${farm.name}`);
  if (!platforms) return undefined;
  const reference = await chooseReference(services, containerfile, choices.reference, given, 'farm');
  if (!reference) return undefined;
  const stage = await chooseStageAndArgs(services, containerfile, settings, choices, given);
  if (!stage) return undefined;

  const request = {
    farm: farm.name,
    platforms,
    reference,
    containerfile: containerfile.fsPath,
    context: contextFolder(containerfile, choices.context, settings),
    cleanup: choices.cleanup ?? settings.farm.cleanup,
    local,
    ...stage,
    secrets: settings.build.secrets,
    extraArgs: [...settings.build.extraArgs, ...(choices.extraArgs ?? [])],
  };
  return runWithTerminals(`Building ${reference} on ${farm.name}`, reference, (run) => runFarmBuild(podman, request, run), podman, {
    mode: 'farm',
    reference,
    farm: farm.name,
    platforms,
  });
}

/** The target stage and build arguments: the options', else asked as Build Image asks them (undefined when cancelled). */
async function chooseStageAndArgs(services: Services, containerfile: vscode.Uri, settings: BootcSettings, choices: MultiArchBuildOptions, given: boolean): Promise<{ target?: string; buildArgs: Record<string, string> } | undefined> {
  const stage = { target: choices.target, buildArgs: { ...settings.build.args, ...choices.buildArgs } };
  if (given) return stage;
  return (await promptStageAndBuildArgs(services, containerfile, stage, 'Build for Multiple Architectures')) === false ? undefined : stage;
}

async function fallbackBuild(services: Services, containerfile: vscode.Uri, settings: BootcSettings, podman: Podman, choices: MultiArchBuildOptions, given: boolean): Promise<MultiArchBuildOutcome | undefined> {
  const here = process.arch === 'x64' ? 'linux/amd64' : process.arch === 'arm64' ? 'linux/arm64' : `linux/${process.arch}`;
  const offered = [...new Set([here, ...COMMON_PLATFORMS, ...settings.farm.platforms])];
  const platforms = await choosePlatforms(offered, [], choices.platforms ?? (settings.farm.platforms.length ? settings.farm.platforms : [here]), given, 'emulation on this machine');
  if (!platforms) return undefined;
  const reference = await chooseReference(services, containerfile, choices.reference, given, 'fallback');
  if (!reference) return undefined;
  const stage = await chooseStageAndArgs(services, containerfile, settings, choices, given);
  if (!stage) return undefined;
  const request = {
    platforms,
    reference,
    containerfile: containerfile.fsPath,
    context: contextFolder(containerfile, choices.context, settings),
    ...stage,
    secrets: settings.build.secrets,
    extraArgs: [...settings.build.extraArgs, ...(choices.extraArgs ?? [])],
  };
  return runWithTerminals(`Building ${reference} for ${platforms.join(', ')} with emulation`, reference, (run) => runFallbackBuild(podman, request, run), podman, { mode: 'fallback', reference, platforms }, FALLBACK_TRADE_OFF);
}

/**
 * Runs the build under a cancellable progress notification: the farm's own lines in one
 * terminal, each node's lines in a terminal of its own; then reads the manifest list.
 */
async function runWithTerminals(
  title: string,
  reference: string,
  build: (run: Parameters<typeof runFarmBuild>[2]) => Promise<FarmBuildResult>,
  podman: Podman,
  base: Pick<MultiArchBuildOutcome, 'mode' | 'reference' | 'farm' | 'platforms'>,
  note?: string,
): Promise<MultiArchBuildOutcome> {
  const main = new OutputTerminal();
  showOutputTerminal(`Bootc ${base.mode === 'farm' ? 'Farm Build' : 'Multi-Arch Build'}: ${reference}`, main);
  if (note) main.writeLine(note, 'info');
  const nodeTerminals = new Map<string, OutputTerminal>();
  const nodeOutput: Record<string, number> = {};
  const cancel = new AbortController();
  main.signal.addEventListener('abort', () => cancel.abort());
  const terminalFor = (line: FarmLine): OutputTerminal => {
    const key = `${line.node}|${line.platform}`;
    let pty = nodeTerminals.get(key);
    if (!pty) {
      pty = new OutputTerminal();
      pty.signal.addEventListener('abort', () => cancel.abort());
      showOutputTerminal(`Bootc Farm: ${line.node} (${line.platform})`, pty);
      nodeOutput[`Bootc Farm: ${line.node} (${line.platform})`] = 0;
      nodeTerminals.set(key, pty);
      main.writeLine(`${line.node} builds ${line.platform}: its output is in the terminal "Bootc Farm: ${line.node} (${line.platform})".`, 'info');
    }
    return pty;
  };

  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    token.onCancellationRequested(() => cancel.abort());
    const outcome: MultiArchBuildOutcome = { ...base, state: 'failed', nodes: [], nodeOutput };
    let result: FarmBuildResult;
    try {
      result = await build({
        signal: cancel.signal,
        redactor: new Redactor(),
        onCommandLine: (line) => main.writeLine(`$ ${line}`, 'info'),
        onFarmLine: (line, stream) => {
          if (line.node === undefined) {
            main.writeLine(line.text, stream);
            // The fallback's own build prints `[1/2] STEP ...` per platform stage.
            if (/^(?:\[\d+\/\d+\] )?STEP \d+/.test(line.text)) progress.report({ message: line.text.slice(0, 90) });
            return;
          }
          terminalFor(line).writeLine(line.text, stream);
          nodeOutput[`Bootc Farm: ${line.node} (${line.platform})`]++;
          if (/^STEP \d+/.test(line.text)) progress.report({ message: `${line.platform}@${line.node}: ${line.text.slice(0, 80)}` });
        },
      });
    } catch (error) {
      main.writeLine(error instanceof Error ? error.message : String(error), 'error');
      await showCommandError('Build for Multiple Architectures', error);
      return { ...outcome, error: error instanceof Error ? error.message : String(error) };
    }
    outcome.nodes = result.nodes;
    for (const node of result.nodes) main.writeLine(node.ok ? `${node.node} (${node.platform}): built ${node.imageId?.slice(0, 12) ?? ''}` : `${node.node} (${node.platform}): failed: ${node.error}`, node.ok ? 'success' : 'error');
    if (result.cancelled) {
      main.writeLine('Cancelled: podman was stopped; builds already running on remote nodes end when podman drops their connection.', 'error');
      return { ...outcome, state: 'cancelled' };
    }
    if (!result.ok) {
      outcome.error = result.error ?? `podman exited with ${result.exitCode}`;
      main.writeLine(outcome.error, 'error');
      void vscode.window.showErrorMessage(`The multi-architecture build of ${reference} failed: ${outcome.error.split('\n')[0]}`);
      return outcome;
    }
    try {
      outcome.architectures = (await inspectManifest(podman, reference, { signal: cancel.signal })).map(formatPlatform);
    } catch (error) {
      outcome.error = error instanceof Error ? error.message : String(error);
    }
    outcome.state = 'succeeded';
    const list = outcome.architectures?.join(', ') ?? 'unknown (the manifest list could not be read)';
    main.writeLine(`Manifest list ${reference}: ${list}`, 'success');
    const where = base.mode === 'farm' ? 'pushed' : 'in local storage (push it with podman manifest push --all)';
    void vscode.window.showInformationMessage(`Built ${reference} for ${list}; the manifest list is ${where}.`);
    return outcome;
  });
}

async function chooseFarm(farms: Farm[], wanted: string | undefined, given: boolean): Promise<Farm | undefined> {
  if (wanted !== undefined) {
    const farm = farms.find((candidate) => candidate.name === wanted);
    if (!farm) {
      const message = `There is no podman farm named ${wanted} (bootc.farm.defaultFarm or the command's option); the farms are ${farms.map((f) => f.name).join(', ')}. Create it, or pick another.`;
      void vscode.window.showErrorMessage(message, 'Manage Farms').then((choice) => choice && vscode.commands.executeCommand('bootc.manageFarms'));
    }
    return farm;
  }
  if (farms.length === 1 || given) return farms.find((farm) => farm.isDefault) ?? farms[0];
  const sorted = [...farms].sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
  const picked = await vscode.window.showQuickPick(
    sorted.map((farm) => ({ label: farm.name, description: farm.isDefault ? 'default' : undefined, detail: farm.connections.length ? `Nodes: ${farm.connections.join(', ')}` : 'No nodes yet', farm })),
    { title: 'Bootc: Build for Multiple Architectures (1): farm', ignoreFocusOut: true },
  );
  return picked?.farm;
}

async function choosePlatforms(offered: string[], nodes: NodePlatform[], preferred: string[], given: boolean, source: string): Promise<string[] | undefined> {
  const unreachable = nodes.filter((node) => node.error);
  if (offered.length === 0) {
    const why = unreachable.map((node) => `${node.node}: ${node.error}`).join('; ');
    void vscode.window.showErrorMessage(`No node of the farm answered, so there is no platform to build for: check that each machine runs podman's service and that its connection works (podman --connection NAME info). ${why}`);
    return undefined;
  }
  if (given) {
    const wanted = preferred.length ? preferred : offered;
    const missing = wanted.filter((platform) => !offered.includes(platform));
    if (missing.length) {
      void vscode.window.showErrorMessage(`No ${source} builds ${missing.join(', ')} (they build ${offered.join(', ')}): choose among those, or add a node of that architecture with Bootc: Manage Farms.`);
      return undefined;
    }
    return wanted;
  }
  const byPlatform = (platform: string) => nodes.filter((node) => node.platform && formatPlatform(node.platform) === platform).map((node) => node.node);
  const picked = await vscode.window.showQuickPick(
    offered.map((platform) => ({ label: platform, description: nodes.length ? `on ${byPlatform(platform).join(', ')}` : undefined, picked: preferred.length ? preferred.includes(platform) : true })),
    {
      title: 'Bootc: Build for Multiple Architectures (2): platforms',
      placeHolder: unreachable.length ? `Not answering: ${unreachable.map((node) => node.node).join(', ')}` : `The platforms the ${source} provide`,
      canPickMany: true,
      ignoreFocusOut: true,
    },
  );
  if (!picked || picked.length === 0) return undefined;
  return picked.map((item) => item.label);
}

async function chooseReference(services: Services, containerfile: vscode.Uri, given: string | undefined, noPrompts: boolean, mode: 'farm' | 'fallback'): Promise<string | undefined> {
  const validate = (value: string) => (mode === 'farm' ? validateFarmReference(value) : validateImageReference(value));
  const remembered = services.context.workspaceState.get<Record<string, string>>(FARM_REFERENCES, {});
  let reference = given ?? (noPrompts ? remembered[containerfile.toString()] : undefined);
  if (reference === undefined && noPrompts) {
    void vscode.window.showErrorMessage(`Cannot build for multiple architectures: no ${mode === 'farm' ? 'registry ' : ''}reference was given or remembered for ${path.basename(containerfile.fsPath)}.`);
    return undefined;
  }
  if (reference === undefined) {
    reference = await vscode.window.showInputBox({
      title: 'Bootc: Build for Multiple Architectures (3): registry reference',
      prompt:
        mode === 'farm'
          ? 'Every node pushes its image here and podman pushes the manifest list: a registry reference, e.g. quay.io/me/my-os (log in on every node first)'
          : 'The manifest list to create in local storage, e.g. localhost/my-os:latest',
      value: remembered[containerfile.toString()] ?? (mode === 'fallback' ? defaultTagFor(path.basename(path.dirname(containerfile.fsPath))) : ''),
      validateInput: (value) => validate(value.trim()),
      ignoreFocusOut: true,
    });
  }
  if (reference === undefined) return undefined;
  reference = reference.trim();
  const problem = validate(reference);
  if (problem) {
    void vscode.window.showErrorMessage(`Cannot build: ${problem}`);
    return undefined;
  }
  await services.context.workspaceState.update(FARM_REFERENCES, { ...remembered, [containerfile.toString()]: reference });
  return reference;
}

/** As Build Image: an explicit folder, else `bootc.build.contextFolder` (both relative to the workspace folder), else the Containerfile's folder. */
function contextFolder(containerfile: vscode.Uri, explicit: string | undefined, settings: BootcSettings): string {
  const chosen = explicit || settings.build.contextFolder;
  if (!chosen) return path.dirname(containerfile.fsPath);
  const folder = vscode.workspace.getWorkspaceFolder(containerfile)?.uri.fsPath ?? path.dirname(containerfile.fsPath);
  return path.resolve(folder, chosen.replace(/\$\{workspaceFolder\}/g, folder));
}

/** What Manage Farms does; given as the argument it replaces the prompts. */
export type ManageFarmsOptions =
  | { action: 'create'; farm: string; connections: string[] }
  | { action: 'addNodes' | 'removeNodes'; farm: string; connections: string[] }
  | { action: 'setDefault' | 'remove'; farm: string }
  | { action: 'addConnection'; name: string; destination: string; identity?: string };

export interface ManageFarmsOutcome {
  ok: boolean;
  error?: string;
  /** The farms afterwards (empty when podman has no farm command). */
  farms: Farm[];
}

export async function manageFarmsCommand(services: Services, options?: ManageFarmsOptions): Promise<ManageFarmsOutcome | undefined> {
  if (!requireTrust('Manage Farms')) return undefined;
  const podman = podmanFromSettings(readSettings().podman);
  let availability: FarmAvailability;
  try {
    availability = await farmAvailability(podman);
  } catch (error) {
    await showCommandError('Manage Farms', error);
    return undefined;
  }
  const action = options ?? (await promptForAction(podman, availability));
  if (!action) return undefined;
  if (availability.state === 'unsupported' && action.action !== 'addConnection') {
    const error = `${availability.reason} System connections can still be added.`;
    if (!options) void vscode.window.showErrorMessage(error);
    return { ok: false, error, farms: [] };
  }
  try {
    switch (action.action) {
      case 'create':
        await createFarm(podman, action.farm, action.connections);
        break;
      case 'addNodes':
        await updateFarm(podman, action.farm, { add: action.connections });
        break;
      case 'removeNodes':
        await updateFarm(podman, action.farm, { remove: action.connections });
        break;
      case 'setDefault':
        await updateFarm(podman, action.farm, { makeDefault: true });
        break;
      case 'remove':
        await removeFarm(podman, action.farm);
        break;
      case 'addConnection':
        await addConnection(podman, action.name, action.destination, { identity: action.identity });
        break;
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    services.log.error(`Manage Farms: ${message}`);
    if (!options) void vscode.window.showErrorMessage(message);
    return { ok: false, error: message, farms: availability.state === 'unsupported' ? [] : await listFarms(podman).catch(() => []) };
  }
  const farms = availability.state === 'unsupported' ? [] : await listFarms(podman);
  if (!options) void vscode.window.showInformationMessage(describeDone(action));
  return { ok: true, farms };
}

function describeDone(action: ManageFarmsOptions): string {
  switch (action.action) {
    case 'create':
      return `Created the farm ${action.farm} with ${action.connections.join(', ') || 'no nodes yet'}.`;
    case 'addNodes':
      return `Added ${action.connections.join(', ')} to ${action.farm}.`;
    case 'removeNodes':
      return `Removed ${action.connections.join(', ')} from ${action.farm}.`;
    case 'setDefault':
      return `${action.farm} is now the default farm.`;
    case 'remove':
      return `Removed the farm ${action.farm} (its connections stay).`;
    case 'addConnection':
      return `Added the connection ${action.name}: add it to a farm to build on it.`;
  }
}

async function promptForAction(podman: Podman, availability: FarmAvailability): Promise<ManageFarmsOptions | undefined> {
  const farmsSupported = availability.state !== 'unsupported';
  const items: (vscode.QuickPickItem & { id: string; farm?: Farm })[] = [];
  if (farmsSupported) {
    items.push({ id: 'create', label: '$(add) Create Farm from Connections' });
    for (const farm of availability.farms) {
      const description = `${farm.connections.join(', ') || 'no nodes'}${farm.isDefault ? ' · default' : ''}`;
      items.push({ id: 'addNodes', label: `$(plus) Add Nodes to ${farm.name}`, description, farm });
      if (farm.connections.length) items.push({ id: 'removeNodes', label: `$(remove) Remove Nodes from ${farm.name}`, description, farm });
      if (!farm.isDefault) items.push({ id: 'setDefault', label: `$(star) Make ${farm.name} the Default Farm`, farm });
      items.push({ id: 'remove', label: `$(trash) Remove Farm ${farm.name}`, farm });
    }
  }
  items.push({ id: 'addConnection', label: '$(plug) Add Connection (ssh://user@host/run/user/UID/podman/podman.sock)' });
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Bootc: Manage Farms',
    placeHolder: farmsSupported ? `podman ${availability.version}: ${availability.farms.length} farm${availability.farms.length === 1 ? '' : 's'}` : availability.state === 'unsupported' ? availability.reason : '',
  });
  if (!picked) return undefined;
  const connections = async (title: string, names: string[]) => {
    const chosen = await vscode.window.showQuickPick(names, { title, canPickMany: true, ignoreFocusOut: true });
    return chosen && chosen.length ? chosen : undefined;
  };
  switch (picked.id) {
    case 'create': {
      const farm = await vscode.window.showInputBox({ title: 'Bootc: New farm name', value: availability.farms.length ? '' : 'farm', validateInput: (value) => validateNodeName(value.trim(), 'farm'), ignoreFocusOut: true });
      if (!farm) return undefined;
      const all = (await listConnections(podman)).map((connection) => connection.name);
      if (all.length === 0) {
        void vscode.window.showWarningMessage('There is no system connection to put in the farm: add one first (Add Connection).');
        return undefined;
      }
      const chosen = await connections(`Bootc: Nodes of ${farm.trim()}`, all);
      return chosen ? { action: 'create', farm: farm.trim(), connections: chosen } : undefined;
    }
    case 'addNodes': {
      const farm = picked.farm!;
      const all = (await listConnections(podman)).map((connection) => connection.name).filter((name) => !farm.connections.includes(name));
      if (all.length === 0) {
        void vscode.window.showWarningMessage(`Every system connection is already in ${farm.name}: add a connection first.`);
        return undefined;
      }
      const chosen = await connections(`Bootc: Add nodes to ${farm.name}`, all);
      return chosen ? { action: 'addNodes', farm: farm.name, connections: chosen } : undefined;
    }
    case 'removeNodes': {
      const chosen = await connections(`Bootc: Remove nodes from ${picked.farm!.name}`, picked.farm!.connections);
      return chosen ? { action: 'removeNodes', farm: picked.farm!.name, connections: chosen } : undefined;
    }
    case 'setDefault':
      return { action: 'setDefault', farm: picked.farm!.name };
    case 'remove':
      return { action: 'remove', farm: picked.farm!.name };
    default: {
      const name = await vscode.window.showInputBox({ title: 'Bootc: Add Connection (1/3): name', prompt: 'e.g. builder-arm64', validateInput: (value) => validateNodeName(value.trim(), 'connection'), ignoreFocusOut: true });
      if (!name) return undefined;
      const destination = await vscode.window.showInputBox({
        title: 'Bootc: Add Connection (2/3): destination',
        prompt: 'ssh://user@host[:port]/run/user/UID/podman/podman.sock (rootless) or ssh://root@host/run/podman/podman.sock; podman connects once to check it',
        value: 'ssh://',
        validateInput: (value) => validateConnectionDestination(value.trim()),
        ignoreFocusOut: true,
      });
      if (!destination) return undefined;
      const key = await vscode.window.showOpenDialog({ title: 'Bootc: Add Connection (3/3): SSH key (Cancel for the SSH agent)', openLabel: 'Use this key', canSelectMany: false });
      return { action: 'addConnection', name: name.trim(), destination: destination.trim(), identity: key?.[0]?.fsPath };
    }
  }
}
