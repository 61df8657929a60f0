/**
 * Bootc: New bootc Project. Writes a working project from a template (a Containerfile
 * that lints clean, its companion files, a bootc-image-builder config.toml, a README):
 * template → folder → project name (only when the folder is not empty) → image. Never
 * overwrites a file. Available in untrusted workspaces: it runs nothing, it only writes
 * the files the user asked for.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { defaultTagFor, validateImageReference } from '../podman/reference';
import {
  CONTAINERFILE,
  collisions,
  isEmptyFolder,
  listTemplates,
  placeholderValues,
  planCopy,
  validateProjectName,
  writePlan,
  type TemplateInfo,
} from '../templates';

/**
 * What the command needs from the extension: a subset of the client's `Services`, so the
 * extension can pass those as they are.
 */
export interface NewProjectHost {
  context: Pick<vscode.ExtensionContext, 'extensionUri'>;
  log: Pick<vscode.LogOutputChannel, 'info'>;
  /** Remembers the project's image for Build Image, when the extension keeps such state. */
  state?: { rememberTag(containerfile: vscode.Uri, tag: string): Promise<void> };
}

/** Options of the command; given as its argument (tests, the walkthrough) they replace the prompts. */
export interface NewProjectOptions {
  /** A template id: `web-server`, `container-host`, `edge-device`, `gpu-appliance`. */
  template?: string;
  /** Where the project goes (absolute, or relative to the first workspace folder). */
  folder?: string | vscode.Uri;
  /** A sub-folder of `folder` for the project; asked for only when `folder` is not empty. */
  name?: string;
  /** The image the project builds; default `localhost/<project folder>:latest`. */
  image?: string;
}

/** What the command wrote. */
export interface NewProjectResult {
  /** The project folder. */
  folder: vscode.Uri;
  /** Its Containerfile (opened in an editor). */
  containerfile: vscode.Uri;
  /** The files written, relative to `folder`, with `/` separators. */
  files: string[];
}

const TITLE = 'Bootc: New bootc Project';

/** The command's argument as options: an object (its fields are checked where they are used), else none. */
export function newProjectOptions(argument: unknown): NewProjectOptions {
  if (typeof argument !== 'object' || argument === null || Array.isArray(argument) || argument instanceof vscode.Uri) return {};
  const { template, folder, name, image } = argument as Record<string, unknown>;
  return {
    ...(typeof template === 'string' ? { template } : {}),
    ...(typeof folder === 'string' || folder instanceof vscode.Uri ? { folder } : {}),
    ...(typeof name === 'string' ? { name } : {}),
    ...(typeof image === 'string' ? { image } : {}),
  };
}

export async function newProjectCommand(services: NewProjectHost, options: NewProjectOptions = {}): Promise<NewProjectResult | undefined> {
  const templatesFolder = vscode.Uri.joinPath(services.context.extensionUri, 'templates').fsPath;
  const template = await chooseTemplate(await listTemplates(templatesFolder), options.template);
  if (!template) return undefined;

  const base = options.folder !== undefined ? resolveFolder(options.folder) : await chooseFolder();
  if (!base) return undefined;

  let projectFolder = base;
  if (options.name !== undefined || !(await isEmptyFolder(base))) {
    const name = options.name ?? (await askProjectName(base, template));
    if (name === undefined) return undefined;
    const problem = validateProjectName(name);
    if (problem) {
      void vscode.window.showErrorMessage(`Cannot create the project "${name}": ${problem}`);
      return undefined;
    }
    projectFolder = path.join(base, name.trim());
  }

  const image = (options.image ?? (await askImage(projectFolder)))?.trim();
  if (!image) return undefined;
  const imageProblem = validateImageReference(image);
  if (imageProblem) {
    void vscode.window.showErrorMessage(`Cannot create the project: ${imageProblem}`);
    return undefined;
  }

  const plan = await planCopy(template.folder, projectFolder, placeholderValues(image));
  const existing = await collisions(plan);
  if (existing.length > 0) {
    const shown = existing.slice(0, 3).join(', ') + (existing.length > 3 ? ` and ${existing.length - 3} more` : '');
    void vscode.window.showErrorMessage(
      `New bootc Project never overwrites files, and ${projectFolder} already has ${shown}. Choose an empty folder or another project name.`,
    );
    return undefined;
  }

  let written: string[];
  try {
    written = await writePlan(plan);
  } catch (error) {
    void vscode.window.showErrorMessage(`Could not write the project in ${projectFolder}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }

  const folder = vscode.Uri.file(projectFolder);
  const containerfile = vscode.Uri.file(path.join(projectFolder, CONTAINERFILE));
  await services.state?.rememberTag(containerfile, image);
  services.log.info(`New bootc Project: ${template.id} in ${projectFolder} (${written.length} files), image ${image}`);
  await vscode.window.showTextDocument(containerfile, { preview: false });
  if (!vscode.workspace.getWorkspaceFolder(folder)) void offerToOpen(folder, template);
  return { folder, containerfile, files: plan.map((file) => file.relativePath) };
}

async function chooseTemplate(templates: TemplateInfo[], id: string | undefined): Promise<TemplateInfo | undefined> {
  if (templates.length === 0) {
    void vscode.window.showErrorMessage('The extension ships no project templates: its installation looks damaged. Reinstall it.');
    return undefined;
  }
  if (id !== undefined) {
    const found = templates.find((template) => template.id === id);
    if (!found) void vscode.window.showErrorMessage(`There is no template "${id}". The templates are: ${templates.map((template) => template.id).join(', ')}.`);
    return found;
  }
  const picked = await vscode.window.showQuickPick(
    templates.map((template) => ({ label: template.label, description: template.description, detail: template.detail, template })),
    { title: `${TITLE}: template`, placeHolder: 'What will the image be?', matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true },
  );
  return picked?.template;
}

/** An option's folder: a URI, an absolute path, or a path relative to the first workspace folder. */
function resolveFolder(folder: string | vscode.Uri): string | undefined {
  if (folder instanceof vscode.Uri) {
    if (folder.scheme === 'file') return folder.fsPath;
    void vscode.window.showErrorMessage(`A project is written to disk, and ${folder.toString()} is not a local folder.`);
    return undefined;
  }
  if (path.isAbsolute(folder)) return folder;
  const root = vscode.workspace.workspaceFolders?.find((candidate) => candidate.uri.scheme === 'file');
  if (root) return path.join(root.uri.fsPath, folder);
  void vscode.window.showErrorMessage(`"${folder}" is relative, and there is no workspace folder to resolve it against. Give an absolute path.`);
  return undefined;
}

async function chooseFolder(): Promise<string | undefined> {
  const localFolders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file');
  if (localFolders.length > 0) {
    const choose = { label: '$(folder-opened) Choose a folder…', description: 'anywhere on this machine', folder: undefined };
    const picked = await vscode.window.showQuickPick(
      [...localFolders.map((folder) => ({ label: `$(root-folder) ${folder.name}`, description: folder.uri.fsPath, folder: folder.uri.fsPath })), choose],
      { title: `${TITLE}: where`, placeHolder: 'The folder the project goes into', ignoreFocusOut: true },
    );
    if (!picked) return undefined;
    if (picked.folder) return picked.folder;
  }
  const chosen = await vscode.window.showOpenDialog({ title: `${TITLE}: where`, canSelectFiles: false, canSelectFolders: true, canSelectMany: false, openLabel: 'Create the Project Here' });
  return chosen?.[0]?.fsPath;
}

/** The name of a new sub-folder; suggests the template id, numbered when it is taken. */
async function askProjectName(base: string, template: TemplateInfo): Promise<string | undefined> {
  let suggestion = template.id;
  for (let number = 2; !(await isEmptyFolder(path.join(base, suggestion))); number++) suggestion = `${template.id}-${number}`;
  return vscode.window.showInputBox({
    title: `${TITLE}: project name`,
    prompt: `${path.basename(base)} is not empty, so the project gets a new folder in it`,
    value: suggestion,
    ignoreFocusOut: true,
    validateInput: async (value) => {
      const problem = validateProjectName(value);
      if (problem) return problem;
      return (await isEmptyFolder(path.join(base, value.trim()))) ? undefined : `${value.trim()} already exists and is not empty.`;
    },
  });
}

async function askImage(projectFolder: string): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: `${TITLE}: image`,
    prompt: 'The image this project builds (Bootc: Build Image suggests it). Use a registry reference to push it and let machines update from it.',
    value: defaultTagFor(path.basename(projectFolder)),
    ignoreFocusOut: true,
    validateInput: (value) => validateImageReference(value.trim()),
  });
}

/** A project outside the workspace is easy to lose: offer to open it (not awaited by the command). */
async function offerToOpen(folder: vscode.Uri, template: TemplateInfo): Promise<void> {
  const choice = await vscode.window.showInformationMessage(
    `Created a project from the ${template.label} template in ${folder.fsPath}, outside this workspace.`,
    'Open Folder',
    'Add to Workspace',
  );
  if (choice === 'Open Folder') await vscode.commands.executeCommand('vscode.openFolder', folder);
  else if (choice === 'Add to Workspace') vscode.workspace.updateWorkspaceFolders(vscode.workspace.workspaceFolders?.length ?? 0, 0, { uri: folder });
}
