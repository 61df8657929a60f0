/**
 * Bootc: Create Disk Image (bootc-image-builder turns a local bootc image into a qcow2, raw,
 * ISO... disk), Bootc: Create config.toml (the builder's config from a guided editor) and
 * Bootc: Create Kickstart (an Anaconda kickstart installing the image). Options are checked
 * before anything runs; the builder's progress becomes a cancellable notification, its full
 * log is saved beside the output, and a password given to the guided editor is hashed before
 * it is written and never shown.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BootcSettings } from '../../../server/src/settings';
import { readSettings } from '../configuration';
import {
  BUILD_LOG_NAME,
  buildArtifacts,
  builderContainerName,
  builderRunArgs,
  hostArch,
  IMAGE_TYPES,
  ROOTFS_TYPES,
  TARGET_ARCHES,
  validateDiskBuild,
  type AwsUpload,
  type BuildArtifact,
  type DiskBuildOptions,
} from '../disk/builder';
import { buildConfigToml, describeConfig, SUGGESTED_GROUPS, validateConfigAnswers, writeTemporaryConfig, type DiskConfigAnswers, type TemporaryConfig, type UserAnswer } from '../disk/config';
import { defaultRootfs, inspectImageArgs, listBootcImagesArgs, BOOTC_LABELS, parseImageInspect, parseImageList, parseRootless, ROOTLESS_PROBE_ARGS, type CommandLine, type LocalImage } from '../disk/images';
import { buildKickstart, type KickstartOptions } from '../disk/kickstart';
import { pullTargetImage, resolveTargetImage, type TargetImage } from '../disk/pull';
import { runPodman } from '../podman/tool';
import { validateImageReference } from '../podman/reference';
import { podmanFor, type Podman } from '../podmanSetup';
import { formatCommandLine, Redactor } from '../process';
import { requireTrust, showCommandError, type Services } from '../services';
import { OutputTerminal, showOutputTerminal } from '../terminal';
import { runBuilder } from './builderRun';
import { bootableArtifacts, builderImageOf, diskBuildPlan, imageTypeChoices, orderImages, outputFolderFor, parseFilesystems, parseGroups } from './diskPlan';

/** Options of Create Disk Image; given as the command's second argument they replace the prompts. */
export interface DiskImageOptions {
  image?: string;
  /** Default `['qcow2']`. */
  types?: string[];
  /** Default: what {@link defaultRootfs} suggests for the image when the builder needs one. */
  rootfs?: string;
  targetArch?: string;
  /** Absolute, or relative to the Containerfile's folder; default `bootc.disk.outputFolder`. */
  outputFolder?: string;
  /** Default from `bootc.disk.builder`. */
  builderImage?: string;
  /** A config.toml file, or the guided editor's answers (written to a private temporary file). */
  config?: string | DiskConfigAnswers;
  aws?: AwsUpload;
  /** Default: the user running VS Code. */
  chown?: { uid: number; gid: number };
  extraPodmanArgs?: string[];
  extraBuilderArgs?: string[];
  /** `--tls-verify` for pulling a registry reference; default: podman decides (registries.conf). */
  tlsVerify?: boolean;
}

export interface DiskImageOutcome {
  /** `refused`: the options were refused before anything ran (see `problems`). */
  state: 'succeeded' | 'failed' | 'cancelled' | 'refused';
  image: string;
  outputFolder: string;
  /** The artifacts the builder wrote (existing files only). */
  artifacts: BuildArtifact[];
  /** The builder's full output. */
  logFile?: string;
  /** The command line as run, redacted. */
  commandLine?: string;
  containerName?: string;
  exitCode?: number | null;
  problems?: string[];
  error?: string;
}

interface DiskRequest {
  build: DiskBuildOptions;
  config: { file?: string; answers?: DiskConfigAnswers; keepIn?: string };
  sshUser?: string;
  tlsVerify?: boolean;
  /** A registry reference: pulled for the target architecture before the builder runs. */
  pull?: Extract<TargetImage, { source: 'registry' }>;
}

function workspaceFolderOf(uri: vscode.Uri | undefined): string | undefined {
  return (uri && vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath) ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

/** The Containerfile the disk is for: the argument, the last build's, or the active Dockerfile editor. */
function containerfileOf(services: Services, argument: unknown): vscode.Uri | undefined {
  if (argument instanceof vscode.Uri) return argument;
  const last = services.state.lastBuild?.containerfile;
  if (last) return vscode.Uri.parse(last);
  const active = vscode.window.activeTextEditor?.document;
  return active?.languageId === 'dockerfile' && active.uri.scheme === 'file' ? active.uri : undefined;
}

/** The folder the output folder setting is relative to. */
function baseFolder(containerfile: vscode.Uri | undefined): string {
  if (containerfile?.scheme === 'file') return path.dirname(containerfile.fsPath);
  return workspaceFolderOf(containerfile) ?? os.homedir();
}

function currentOwner(): { uid: number; gid: number } | undefined {
  const uid = process.getuid?.();
  const gid = process.getgid?.();
  return uid === undefined || gid === undefined ? undefined : { uid, gid };
}

export async function createDiskImageCommand(services: Services, argument: unknown, options?: DiskImageOptions): Promise<DiskImageOutcome | undefined> {
  if (!requireTrust('Create Disk Image')) return undefined;
  const containerfile = containerfileOf(services, argument);
  const settings = readSettings(containerfile);
  let podman: Podman;
  try {
    podman = await podmanFor(settings);
  } catch (error) {
    await showCommandError('Create Disk Image', error);
    return undefined;
  }
  const presetImage = typeof argument === 'string' ? argument : undefined;
  const base = baseFolder(containerfile);
  const workspace = workspaceFolderOf(containerfile) ?? base;
  let request: DiskRequest | undefined;
  try {
    request = options ? await requestFromOptions(podman, settings, base, workspace, { ...options, image: options.image ?? presetImage }) : await promptForRequest(services, podman, settings, base, workspace, presetImage);
  } catch (error) {
    await showCommandError('Create Disk Image', error);
    return undefined;
  }
  if (!request) return undefined;

  // Everything the builder would refuse is refused here, before anything runs.
  const problems = validateDiskBuild(request.build);
  if (request.config.answers) problems.push(...validateConfigAnswers(request.config.answers, { rootfs: request.build.rootfs, types: request.build.types }));
  if (request.config.file && !fs.existsSync(request.config.file)) problems.push(`The config file ${request.config.file} does not exist.`);
  if (problems.length > 0) {
    void vscode.window.showErrorMessage(`Cannot create the disk image: ${problems.join(' ')}`);
    return { state: 'refused', image: request.build.image, outputFolder: request.build.outputFolder, artifacts: [], problems };
  }
  // A registry reference or a manifest list: the image of the target architecture, or a refusal naming the list's.
  try {
    const target = await resolveTargetImage(podman, request.build.image, request.build.targetArch, { tlsVerify: request.tlsVerify });
    if (target.source === 'local-list') request.build.image = target.image;
    if (target.source === 'registry') request.pull = target;
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    void vscode.window.showErrorMessage(`Cannot create the disk image: ${problem}`);
    return { state: 'refused', image: request.build.image, outputFolder: request.build.outputFolder, artifacts: [], problems: [problem] };
  }
  return runDiskBuild(services, podman, request);
}

async function requestFromOptions(podman: Podman, settings: BootcSettings, base: string, workspace: string, options: DiskImageOptions): Promise<DiskRequest> {
  const image = options.image ?? '';
  const types = options.types ?? ['qcow2'];
  let rootfs = options.rootfs;
  if (rootfs === undefined && image) {
    const details = await runPodman(podman, inspectImageArgs(image));
    const suggestion = details.exitCode === 0 ? defaultRootfs(parseImageInspect(details.stdout).labels, image) : defaultRootfs({}, image);
    if (suggestion.required) rootfs = suggestion.rootfs;
  }
  const build: DiskBuildOptions = {
    image,
    builderImage: options.builderImage ?? builderImageOf(settings.disk),
    types,
    rootfs,
    targetArch: options.targetArch,
    outputFolder: outputFolderFor(options.outputFolder ?? settings.disk.outputFolder, base, workspace),
    chown: options.chown ?? currentOwner(),
    aws: options.aws,
    extraPodmanArgs: options.extraPodmanArgs,
    extraBuilderArgs: options.extraBuilderArgs,
  };
  const config = typeof options.config === 'string' ? { file: path.resolve(base, options.config) } : options.config ? { answers: options.config } : {};
  const sshUser = typeof options.config === 'object' ? options.config.users?.[0]?.name : undefined;
  return { build, config, sshUser, tlsVerify: options.tlsVerify };
}

/** Local bootc images, the last built first; rejects when podman cannot list them. */
async function localBootcImages(services: Services, podman: Podman): Promise<LocalImage[]> {
  const outputs: string[] = [];
  for (const label of BOOTC_LABELS) {
    const listed = await runPodman(podman, listBootcImagesArgs(label));
    if (listed.exitCode !== 0) throw new Error(`podman images failed: ${listed.stderr.trim() || `exit code ${listed.exitCode}`}`);
    outputs.push(listed.stdout);
  }
  return orderImages(parseImageList(outputs), services.state.builtImages());
}

const step = (n: number, what: string) => `Bootc: Create Disk Image (${n}): ${what}`;

async function promptForRequest(services: Services, podman: Podman, settings: BootcSettings, base: string, workspace: string, presetImage: string | undefined): Promise<DiskRequest | undefined> {
  // 1. The image.
  let image = presetImage;
  let labels: Record<string, string> = {};
  if (!image) {
    const images = await localBootcImages(services, podman);
    const manual = { label: '$(edit) Another image…', description: 'type a reference', image: undefined as LocalImage | undefined };
    const picked = await vscode.window.showQuickPick(
      [
        ...images.map((candidate) => ({
          label: candidate.names[0],
          description: candidate.id.slice(0, 12),
          detail: `${candidate.created ? new Date(candidate.created * 1000).toLocaleString() : ''}${candidate.labels['redhat.id'] ? ` · ${candidate.labels['redhat.id']}` : ''}`,
          image: candidate as LocalImage | undefined,
        })),
        manual,
      ],
      { title: step(1, 'bootc image'), placeHolder: images.length ? 'Local images labelled containers.bootc=1 or ostree.bootable; the last built first' : 'No local bootc image: build one first, or type a reference', ignoreFocusOut: true },
    );
    if (!picked) return undefined;
    if (picked.image) {
      image = picked.image.names[0];
      labels = picked.image.labels;
    } else {
      image = (await vscode.window.showInputBox({ title: step(1, 'bootc image'), prompt: 'A local image, a manifest list, or a registry reference (pulled for the target architecture), e.g. quay.io/me/my-os:latest', value: services.state.builtImages()[0] ?? '', validateInput: (value) => validateImageReference(value.trim(), { allowDigest: true }), ignoreFocusOut: true }))?.trim();
      if (!image) return undefined;
    }
  }
  if (Object.keys(labels).length === 0) {
    const details = await runPodman(podman, inspectImageArgs(image));
    if (details.exitCode === 0) labels = parseImageInspect(details.stdout).labels;
  }

  // 2. The types.
  const typePicks = await vscode.window.showQuickPick(
    imageTypeChoices().map((choice) => ({ label: choice.type, description: choice.detail, picked: choice.picked })),
    { title: step(2, 'image types'), placeHolder: 'Disk types can be combined; an installer ISO is built alone', canPickMany: true, ignoreFocusOut: true },
  );
  if (!typePicks || typePicks.length === 0) return undefined;
  const types = typePicks.map((pick) => pick.label);
  const isInstaller = types.some((type) => type in IMAGE_TYPES && IMAGE_TYPES[type as keyof typeof IMAGE_TYPES].iso);

  // 3. The root filesystem.
  const suggestion = defaultRootfs(labels, image);
  const rootfsItems = [
    ...(suggestion.required ? [] : [{ label: 'Image default', description: `${suggestion.rootfs}: ${suggestion.reason}`, rootfs: undefined as string | undefined }]),
    ...[suggestion.rootfs, ...ROOTFS_TYPES.filter((fs) => fs !== suggestion.rootfs)].map((rootfs) => ({ label: rootfs, description: rootfs === suggestion.rootfs ? suggestion.reason : '', rootfs: rootfs as string | undefined })),
  ];
  const rootfsPick = await vscode.window.showQuickPick(rootfsItems, { title: step(3, 'root filesystem'), ignoreFocusOut: true });
  if (!rootfsPick) return undefined;

  // 4. The architecture.
  const host = hostArch();
  const archPick = await vscode.window.showQuickPick(
    [{ label: host, description: 'this machine', arch: undefined as string | undefined }, ...TARGET_ARCHES.filter((arch) => arch !== host && arch !== 'amd64' && arch !== 'arm64').map((arch) => ({ label: arch, description: 'cross-architecture: experimental, needs qemu-user-static', arch: arch as string | undefined }))],
    { title: step(4, 'target architecture'), ignoreFocusOut: true },
  );
  if (!archPick) return undefined;

  // 5. The output folder.
  const outputFolder = await vscode.window.showInputBox({
    title: step(5, 'output folder'),
    prompt: `Where the disk goes (bootc.disk.outputFolder); the builder runs ${builderImageOf(settings.disk)} (bootc.disk.builder)`,
    value: outputFolderFor(settings.disk.outputFolder, base, workspace),
    validateInput: (value) => (path.isAbsolute(value.trim()) ? undefined : 'An absolute folder path.'),
    ignoreFocusOut: true,
  });
  if (!outputFolder) return undefined;

  // 6. AWS, for an AMI.
  let aws: AwsUpload | undefined;
  if (types.includes('ami')) {
    const amiName = await vscode.window.showInputBox({ title: step(6, 'AMI name (empty: write the AMI to the output folder)'), ignoreFocusOut: true });
    if (amiName === undefined) return undefined;
    if (amiName.trim()) {
      const bucket = await vscode.window.showInputBox({ title: step(6, 'S3 bucket for the upload'), ignoreFocusOut: true });
      if (bucket === undefined) return undefined;
      const region = await vscode.window.showInputBox({ title: step(6, 'AWS region'), value: 'us-east-1', ignoreFocusOut: true });
      if (region === undefined) return undefined;
      const credentials = path.join(os.homedir(), '.aws');
      aws = { amiName, bucket, region, ...(fs.existsSync(credentials) ? { credentialsFolder: credentials } : {}) };
    }
  }

  // 7. The config.
  const found = await vscode.workspace.findFiles('**/{config.toml,bootc-image-builder/*.toml}', '**/{node_modules,.git}/**', 50);
  const configPick = await vscode.window.showQuickPick(
    [
      { label: 'No config', description: 'the image as it is (users must come from the image)', choice: 'none' as const, file: '' },
      ...found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), description: 'mounted at /config.toml', choice: 'file' as const, file: uri.fsPath })),
      { label: '$(edit) Guided editor…', description: 'user, password, SSH key, kernel arguments, filesystems or a kickstart', choice: 'guided' as const, file: '' },
    ],
    { title: step(7, 'config.toml'), ignoreFocusOut: true },
  );
  if (!configPick) return undefined;
  const request: DiskRequest = {
    build: { image, builderImage: builderImageOf(settings.disk), types, rootfs: rootfsPick.rootfs, targetArch: archPick.arch, outputFolder: outputFolder.trim(), chown: currentOwner(), aws },
    config: {},
  };
  if (configPick.choice === 'file') request.config.file = configPick.file;
  if (configPick.choice === 'guided') {
    const guided = await promptConfigAnswers(isInstaller ? 'kickstart-or-users' : 'users', { rootfs: rootfsPick.rootfs, types });
    if (!guided) return undefined;
    const keep = await vscode.window.showQuickPick(
      [
        { label: 'Use for this build only', description: 'a private temporary file, removed afterwards', keep: false },
        { label: 'Save to the workspace', description: path.join(base, 'config.toml'), keep: true },
      ],
      { title: step(7, 'keep the config?'), ignoreFocusOut: true },
    );
    if (!keep) return undefined;
    request.config.answers = guided;
    if (keep.keep) request.config.keepIn = path.join(base, 'config.toml');
    request.sshUser = guided.users?.[0]?.name;
  }
  return request;
}

/**
 * The guided config editor: users (name, password, SSH key from ~/.ssh/*.pub, groups), kernel
 * arguments and filesystems, or (installer ISOs) a kickstart file from the workspace. Undefined
 * when the user cancels.
 */
export async function promptConfigAnswers(kind: 'users' | 'kickstart-or-users', build: { rootfs?: string; types?: readonly string[] } = {}): Promise<DiskConfigAnswers | undefined> {
  const title = (what: string) => `Bootc: config.toml: ${what}`;
  if (kind === 'kickstart-or-users') {
    const choice = await vscode.window.showQuickPick(
      [
        { label: 'Users', description: 'user, password, SSH key (disk images and installers)', kickstart: false },
        { label: 'Kickstart', description: 'a kickstart file for an installer ISO (excludes users)', kickstart: true },
      ],
      { title: title('users or a kickstart'), ignoreFocusOut: true },
    );
    if (!choice) return undefined;
    if (choice.kickstart) {
      const files = await vscode.workspace.findFiles('**/*.{ks,cfg}', '**/{node_modules,.git}/**', 50);
      const picked = await vscode.window.showQuickPick(files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })), { title: title('kickstart file (Bootc: Create Kickstart makes one)'), ignoreFocusOut: true });
      if (!picked) return undefined;
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(picked.uri));
      // The builder adds the line that installs the image itself.
      return { kickstart: text.split('\n').filter((line) => !/^\s*ostreecontainer\b/.test(line)).join('\n') };
    }
  }
  const user = await promptUser(title);
  if (user === undefined) return undefined;
  const kernelAppend = await vscode.window.showInputBox({ title: title('kernel arguments (optional)'), prompt: 'Appended to the kernel command line, e.g. console=ttyS0 nosmt', ignoreFocusOut: true, validateInput: (value) => (/[\n\r]/.test(value) ? 'One line.' : undefined) });
  if (kernelAppend === undefined) return undefined;
  const filesystems = await vscode.window.showInputBox({
    title: title('filesystems (optional)'),
    prompt: 'mountpoint=minimum size, comma separated, e.g. /=10 GiB, /var/data=20 GiB',
    ignoreFocusOut: true,
    validateInput: (value) => {
      try {
        const answers = { filesystems: parseFilesystems(value) };
        return validateConfigAnswers(answers, build)[0];
      } catch (error) {
        return (error as Error).message;
      }
    },
  });
  if (filesystems === undefined) return undefined;
  const answers: DiskConfigAnswers = {};
  if (user) answers.users = [user];
  if (kernelAppend.trim()) answers.kernelAppend = kernelAppend.trim();
  const parsed = parseFilesystems(filesystems);
  if (parsed.length > 0) answers.filesystems = parsed;
  return answers;
}

/** A user for the config (null: none), or undefined when cancelled. */
async function promptUser(title: (what: string) => string): Promise<UserAnswer | null | undefined> {
  const name = await vscode.window.showInputBox({
    title: title('user name (empty: no user)'),
    value: os.userInfo().username.toLowerCase().replace(/[^a-z0-9_-]/g, '') || 'core',
    validateInput: (value) => (value.trim() === '' || /^[a-z_][a-z0-9_-]{0,31}$/.test(value.trim()) ? undefined : 'Lowercase letters, digits, "_" and "-", starting with a letter.'),
    ignoreFocusOut: true,
  });
  if (name === undefined) return undefined;
  if (name.trim() === '') return null;
  const password = await vscode.window.showInputBox({ title: title(`password of ${name.trim()} (optional: hashed before it is written)`), password: true, ignoreFocusOut: true });
  if (password === undefined) return undefined;
  const key = await pickSshKey(title(`SSH public key of ${name.trim()}`));
  if (key === undefined) return undefined;
  const groups = await vscode.window.showInputBox({ title: title(`groups of ${name.trim()}`), prompt: 'Comma separated; wheel gives sudo on Fedora, CentOS and RHEL', value: SUGGESTED_GROUPS.join(', '), ignoreFocusOut: true });
  if (groups === undefined) return undefined;
  const user: UserAnswer = { name: name.trim(), groups: parseGroups(groups) };
  if (password) user.password = password;
  if (key) user.key = key;
  const problems = validateConfigAnswers({ users: [user] });
  if (problems.length > 0) {
    void vscode.window.showErrorMessage(problems.join(' '));
    return undefined;
  }
  return user;
}

/** An SSH public key line from ~/.ssh/*.pub ('' for none, undefined when cancelled). */
async function pickSshKey(title: string): Promise<string | undefined> {
  const folder = path.join(os.homedir(), '.ssh');
  let files: string[] = [];
  try {
    files = fs.readdirSync(folder).filter((name) => name.endsWith('.pub'));
  } catch {
    // No ~/.ssh.
  }
  const items = files.map((name) => {
    const line = fs.readFileSync(path.join(folder, name), 'utf8').trim().split('\n')[0] ?? '';
    return { label: name, description: line.split(' ').slice(2).join(' '), key: line };
  });
  const picked = await vscode.window.showQuickPick([...items, { label: 'No key', description: 'log in with the password only', key: '' }], { title, ignoreFocusOut: true });
  return picked?.key;
}

/** Runs each command in a terminal of its own, one after the other: the exit code of the first that fails (0 when all pass), undefined when cancelled. */
async function runInTerminals(commands: readonly CommandLine[], name: string, env: vscode.TerminalOptions['env'], signal: AbortSignal): Promise<number | undefined> {
  for (const command of commands) {
    if (signal.aborted) return undefined;
    const terminal = vscode.window.createTerminal({ name, shellPath: command.command, shellArgs: command.args, env });
    terminal.show();
    const code = await waitForTerminalExit(terminal, signal);
    if (code !== 0) return code;
  }
  return 0;
}

/**
 * Rootless podman: copies the image into root's storage, where the builder reads it, in
 * terminals where sudo asks for the password (the extension never sees it). `podman image scp`
 * first; when it fails, `podman save` to a private archive and `sudo podman load` of it.
 * Throws when both fail; returns quietly when cancelled (the caller checks the signal).
 */
async function copyImageToRoot(podman: Podman, absolutePodman: string, image: string, pty: OutputTerminal, signal: AbortSignal): Promise<void> {
  const name = `Bootc: copy ${image} to root`;
  const scp = diskBuildPlan({ podman, absolutePodman, rootless: true, image, runArgs: [] });
  pty.writeLine(`Rootless podman: copying ${image} into root's storage (podman image scp; sudo asks for your password in its terminal).`, 'info');
  const scpCode = await runInTerminals(scp.copyToRoot, name, podman.env, signal);
  if (scpCode === 0 || scpCode === undefined) return;
  pty.writeLine(`podman image scp exited with ${scpCode}; copying with podman save and sudo podman load instead.`, 'info');
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bootc-image-'));
  try {
    const saveLoad = diskBuildPlan({ podman, absolutePodman, rootless: true, image, runArgs: [], copy: 'save-load', archive: path.join(folder, 'image.tar') });
    const code = await runInTerminals(saveLoad.copyToRoot, name, podman.env, signal);
    if (code !== 0 && code !== undefined) throw new Error(`copying ${image} into root's storage failed (podman image scp exited with ${scpCode}, podman save or sudo podman load with ${code}).`);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

async function waitForTerminalExit(terminal: vscode.Terminal, signal: AbortSignal): Promise<number | undefined> {
  return new Promise((resolve) => {
    const listener = vscode.window.onDidCloseTerminal((closed) => {
      if (closed !== terminal) return;
      listener.dispose();
      resolve(closed.exitStatus?.code);
    });
    signal.addEventListener('abort', () => {
      listener.dispose();
      terminal.dispose();
      resolve(undefined);
    });
  });
}

async function runDiskBuild(services: Services, podman: Podman, request: DiskRequest): Promise<DiskImageOutcome> {
  const { build } = request;
  const outcome: DiskImageOutcome = { state: 'failed', image: build.image, outputFolder: build.outputFolder, artifacts: [] };
  const pty = new OutputTerminal();
  showOutputTerminal(`Bootc Disk: ${build.image}`, pty);
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Creating ${build.types.join(', ')} from ${build.image}`, cancellable: true }, async (progress, token) => {
    const cancel = new AbortController();
    token.onCancellationRequested(() => cancel.abort());
    pty.signal.addEventListener('abort', () => cancel.abort());
    const redactor = new Redactor();
    let temporary: TemporaryConfig | undefined;
    try {
      // Rootless podman: the builder reads root's storage, so the image goes there first.
      const probe = await runPodman(podman, ROOTLESS_PROBE_ARGS, { signal: cancel.signal });
      const rootless = parseRootless(probe.stdout) === true;
      const podmanProgram = rootless ? await absoluteProgram(podman.path) : podman.path;
      if (request.pull) {
        progress.report({ message: `pulling ${build.image} for ${build.targetArch || hostArch()}` });
        pty.writeLine(`$ ${formatCommandLine(podman.path, [...podman.globalArgs, ...request.pull.pull])}`, 'info');
        const id = await pullTargetImage(podman, request.pull, { signal: cancel.signal, onLine: (line, stream) => pty.writeLine(line, stream) });
        pty.writeLine(`Pulled ${build.image} for ${build.targetArch || hostArch()}: image ${id.slice(0, 12)}${request.pull.digest ? ` (${request.pull.digest})` : ''}.`, 'info');
      }
      if (rootless) {
        progress.report({ message: 'copying the image into root\'s storage (enter your password in the terminal)' });
        await copyImageToRoot(podman, podmanProgram, build.image, pty, cancel.signal);
        if (cancel.signal.aborted) return { ...outcome, state: 'cancelled' as const };
      }

      fs.mkdirSync(build.outputFolder, { recursive: true });
      if (request.config.answers) {
        for (const user of request.config.answers.users ?? []) if (user.password) redactor.add(user.password);
        temporary = writeTemporaryConfig(request.config.answers, { redactor, build: { rootfs: build.rootfs, types: build.types } });
        pty.writeLine(`config.toml (written to a private temporary file, passwords hashed):\n${temporary.describe()}`, 'info');
        if (request.config.keepIn) {
          temporary.saveAs(request.config.keepIn);
          pty.writeLine(`Saved the config to ${request.config.keepIn} (mode 0600).`, 'info');
        }
      }
      const containerName = builderContainerName();
      const args = builderRunArgs({ ...build, configFile: temporary?.path ?? request.config.file, containerName });
      outcome.containerName = containerName;
      outcome.logFile = path.join(build.outputFolder, BUILD_LOG_NAME);
      let reported = 0;
      progress.report({ message: 'starting bootc-image-builder' });
      const finished = await runBuilder({
        podman,
        args,
        containerName,
        rootless,
        podmanProgram,
        logFile: outcome.logFile,
        signal: cancel.signal,
        redactor,
        onCommandLine: (line) => pty.writeLine(`$ ${line}`, 'info'),
        onLine: (line, stream) => pty.writeLine(line, stream),
        onProgress: (report) => {
          const increment = report.percent !== undefined ? Math.max(0, report.percent - reported) : undefined;
          if (report.percent !== undefined) reported = Math.max(reported, report.percent);
          progress.report({ increment, message: report.message && report.message.length > 90 ? `${report.message.slice(0, 89)}…` : report.message });
        },
      });
      outcome.commandLine = finished.commandLine;
      outcome.exitCode = finished.exitCode;
      if (finished.cancelled) {
        pty.writeLine('Cancelled: the builder container was stopped.', 'error');
        return { ...outcome, state: 'cancelled' as const };
      }
      if (finished.exitCode !== 0) {
        const said = finished.stderr.trim().split('\n').slice(-3).join(' ');
        pty.writeLine(`bootc-image-builder failed (exit code ${finished.exitCode}). The full log: ${outcome.logFile}`, 'error');
        return { ...outcome, state: 'failed' as const, error: said || `exit code ${finished.exitCode}` };
      }
      outcome.artifacts = buildArtifacts(build.outputFolder, build.types, build.aws !== undefined).filter((artifact) => fs.existsSync(artifact.path));
      pty.writeLine(`Created ${outcome.artifacts.map((artifact) => artifact.path).join(', ') || 'nothing'}. The full log: ${outcome.logFile}`, 'success');
      return { ...outcome, state: 'succeeded' as const };
    } catch (error) {
      if (cancel.signal.aborted) {
        pty.writeLine('Cancelled before the builder started.', 'error');
        return { ...outcome, state: 'cancelled' as const };
      }
      const message = error instanceof Error ? error.message : String(error);
      pty.writeLine(message, 'error');
      return { ...outcome, state: 'failed' as const, error: message };
    } finally {
      temporary?.dispose();
    }
  });
  void announce(services, result, request);
  return result;
}

/** The absolute path of a program (pkexec clears PATH). */
async function absoluteProgram(program: string): Promise<string> {
  if (path.isAbsolute(program)) return program;
  for (const folder of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(folder, program);
    try {
      await fs.promises.access(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return program;
}

async function announce(services: Services, outcome: DiskImageOutcome, request: DiskRequest): Promise<void> {
  if (outcome.state === 'failed') {
    const choice = await vscode.window.showErrorMessage(`Creating the disk image of ${outcome.image} failed: ${outcome.error ?? 'see the log'}`, 'Open Log');
    if (choice && outcome.logFile) await vscode.window.showTextDocument(vscode.Uri.file(outcome.logFile));
    return;
  }
  if (outcome.state !== 'succeeded') return;
  const bootable = bootableArtifacts(outcome.artifacts, fs.existsSync);
  const actions = [...(bootable.length > 0 ? ['Open in VM'] : []), 'Reveal in Explorer'];
  const choice = await vscode.window.showInformationMessage(`Created ${outcome.artifacts.map((artifact) => path.relative(outcome.outputFolder, artifact.path)).join(', ')} in ${outcome.outputFolder}.`, ...actions);
  if (choice === 'Open in VM') await vscode.commands.executeCommand('bootc.openInVm', vscode.Uri.file(bootable[0].path), { sshUser: request.sshUser, arch: request.build.targetArch });
  if (choice === 'Reveal in Explorer') await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(outcome.artifacts[0]?.path ?? outcome.outputFolder));
  void services.log.info(`disk image of ${outcome.image}: ${outcome.artifacts.map((artifact) => artifact.path).join(', ')}`);
}

/** Options of Create config.toml; given as the command's argument they replace the prompts. */
export interface ConfigFileOptions {
  answers: DiskConfigAnswers;
  /** Where to write it (absolute, or relative to the workspace folder); default `config.toml` in the workspace folder. */
  destination?: string;
}

export async function createConfigCommand(argument: unknown, options?: ConfigFileOptions): Promise<{ path: string; describe: string } | undefined> {
  const base = argument instanceof vscode.Uri ? (fs.existsSync(argument.fsPath) && fs.statSync(argument.fsPath).isDirectory() ? argument.fsPath : path.dirname(argument.fsPath)) : (vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.homedir());
  const answers = options?.answers ?? (await promptConfigAnswers('kickstart-or-users'));
  if (!answers) return undefined;
  let destination = options?.destination ? path.resolve(base, options.destination) : undefined;
  if (!destination) {
    const picked = await vscode.window.showSaveDialog({ title: 'Bootc: save config.toml', defaultUri: vscode.Uri.file(path.join(base, 'config.toml')), filters: { TOML: ['toml'] } });
    if (!picked) return undefined;
    destination = picked.fsPath;
  }
  let text: string;
  try {
    text = buildConfigToml(answers);
  } catch (error) {
    void vscode.window.showErrorMessage(`Cannot write config.toml: ${(error as Error).message}`);
    return undefined;
  }
  fs.mkdirSync(path.dirname(destination), { recursive: true });
  fs.writeFileSync(destination, text, { mode: 0o600 });
  fs.chmodSync(destination, 0o600);
  if (!options) await vscode.window.showTextDocument(vscode.Uri.file(destination));
  return { path: destination, describe: describeConfig(answers) };
}

/** Options of Create Kickstart; given as the command's argument they replace the prompts. */
export interface KickstartFileOptions extends KickstartOptions {
  /** Where to write it (absolute, or relative to the workspace folder); default `install.ks`. */
  destination?: string;
}

export async function createKickstartCommand(services: Services, argument: unknown, options?: KickstartFileOptions): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.homedir();
  const base = argument instanceof vscode.Uri ? path.dirname(argument.fsPath) : folder;
  let kickstart: KickstartFileOptions | undefined = options;
  if (!kickstart) {
    const last = services.state.builtImages()[0];
    const image = await vscode.window.showInputBox({
      title: 'Bootc: Create Kickstart (1/4): image to install',
      prompt: 'A registry reference the installer pulls (ostreecontainer --url), e.g. quay.io/me/my-os:latest',
      value: (last && services.state.pushReferenceFor(last)) ?? last ?? '',
      validateInput: (value) => validateImageReference(value.trim(), { allowDigest: true }),
      ignoreFocusOut: true,
    });
    if (!image) return undefined;
    const title = (what: string) => `Bootc: Create Kickstart: ${what}`;
    const user = await promptUser(title);
    if (user === undefined) return undefined;
    const partitioning = await vscode.window.showQuickPick(
      [
        { label: 'autopart', description: 'LVM, no swap (Anaconda decides)', value: 'autopart' as const },
        { label: 'xfs', description: 'a plain / of xfs', value: 'xfs' as const },
        { label: 'ext4', description: 'a plain / of ext4', value: 'ext4' as const },
        { label: 'btrfs', description: 'a plain / of btrfs', value: 'btrfs' as const },
      ],
      { title: title('partitioning (wipes the first disk)'), ignoreFocusOut: true },
    );
    if (!partitioning) return undefined;
    kickstart = { image: image.trim(), partitioning: partitioning.value, ...(user ? { user } : {}) };
  }
  let text: string;
  try {
    text = buildKickstart(kickstart, new Redactor());
  } catch (error) {
    void vscode.window.showErrorMessage(`Cannot write the kickstart: ${(error as Error).message}`);
    return undefined;
  }
  const destination = path.resolve(base, kickstart.destination ?? 'install.ks');
  if (!kickstart.destination && fs.existsSync(destination)) {
    const overwrite = await vscode.window.showWarningMessage(`${destination} exists. Replace it?`, { modal: true }, 'Replace');
    if (overwrite !== 'Replace') return undefined;
  }
  fs.mkdirSync(path.dirname(destination), { recursive: true });
  fs.writeFileSync(destination, text, { mode: 0o600 });
  await vscode.window.showTextDocument(vscode.Uri.file(destination), { preview: false });
  return destination;
}
