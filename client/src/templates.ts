/**
 * The project templates of **New bootc Project**: listing them, filling in their
 * placeholders, and writing a project without ever overwriting a file. No `vscode` here:
 * the command (commands/newProject.ts) asks the questions, this module does the files.
 *
 * A template is a folder under `templates/` with a `template.json` (id, label,
 * description, detail; not copied) and the project's files. Text files may contain
 * `{{image}}` (the image reference the project builds) and `{{name}}` (its last path
 * part, without tag or digest); podman-style `{{.ID}}` and anything else stay as written.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** The file every template describes itself in; never copied into a project. */
export const TEMPLATE_MANIFEST = 'template.json';

/** Every template's Containerfile, opened once the project is written. */
export const CONTAINERFILE = 'Containerfile';

/** A template as the quick pick shows it. */
export interface TemplateInfo {
  id: string;
  label: string;
  description: string;
  detail: string;
  /** The template's folder (absolute). */
  folder: string;
  /** Position in the list; templates without one come last, by id. */
  order?: number;
}

/** The values of a template's placeholders. */
export interface PlaceholderValues {
  /** The image reference, e.g. `localhost/web:latest`. */
  image: string;
  /** The image's last path part without tag or digest, e.g. `web`. */
  name: string;
}

/** One file of a project to write. */
export interface PlannedFile {
  /** Path inside the project, with `/` separators (what the user is shown). */
  relativePath: string;
  /** The template file it comes from. */
  source: string;
  /** Where it goes (absolute). */
  target: string;
  /** The rendered content. */
  content: Buffer;
  /** Permission bits of the template file (scripts stay executable). */
  mode: number;
}

/**
 * The templates in `templatesDir`: each sub-folder with a valid `template.json`, ordered by
 * `order` then id. A folder whose manifest is missing or invalid is skipped, not fatal.
 */
export async function listTemplates(templatesDir: string): Promise<TemplateInfo[]> {
  const entries = await fs.readdir(templatesDir, { withFileTypes: true });
  const templates: TemplateInfo[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const folder = path.join(templatesDir, entry.name);
    const manifest = await readManifest(path.join(folder, TEMPLATE_MANIFEST));
    if (manifest) templates.push({ ...manifest, folder });
  }
  return templates.sort((a, b) => (a.order ?? Number.MAX_SAFE_INTEGER) - (b.order ?? Number.MAX_SAFE_INTEGER) || a.id.localeCompare(b.id));
}

async function readManifest(file: string): Promise<Omit<TemplateInfo, 'folder'> | undefined> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { id, label, description, detail, order } = parsed as Record<string, unknown>;
  if (typeof id !== 'string' || typeof label !== 'string') return undefined;
  return {
    id,
    label,
    description: typeof description === 'string' ? description : '',
    detail: typeof detail === 'string' ? detail : '',
    ...(typeof order === 'number' ? { order } : {}),
  };
}

/**
 * The placeholder values for an image reference: `name` is its last path part without
 * tag or digest (`quay.io/org/web:1.0` → `web`, `localhost:5000/app@sha256:…` → `app`).
 */
export function placeholderValues(image: string): PlaceholderValues {
  const withoutDigest = image.split('@')[0];
  const lastPart = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = lastPart.indexOf(':');
  const name = colon >= 0 ? lastPart.slice(0, colon) : lastPart;
  return { image, name: name || 'bootc-image' };
}

const PLACEHOLDER = /\{\{(image|name)\}\}/g;

/** Replaces `{{image}}` and `{{name}}`; every other `{{…}}` (podman's `{{.ID}}`) stays. */
export function renderTemplate(text: string, values: PlaceholderValues): string {
  return text.replace(PLACEHOLDER, (_match, key: keyof PlaceholderValues) => values[key]);
}

/**
 * The files a project made from `templateFolder` in `projectFolder` consists of, rendered,
 * without touching the project folder. Files with a NUL byte are copied as they are.
 */
export async function planCopy(templateFolder: string, projectFolder: string, values: PlaceholderValues): Promise<PlannedFile[]> {
  const plan: PlannedFile[] = [];
  for (const relative of await listFiles(templateFolder)) {
    if (relative === TEMPLATE_MANIFEST) continue;
    const source = path.join(templateFolder, ...relative.split('/'));
    const [raw, stat] = await Promise.all([fs.readFile(source), fs.stat(source)]);
    const content = raw.includes(0) ? raw : Buffer.from(renderTemplate(raw.toString('utf8'), values), 'utf8');
    plan.push({ relativePath: relative, source, target: path.join(projectFolder, ...relative.split('/')), content, mode: stat.mode & 0o777 });
  }
  return plan;
}

/** Files under `folder`, relative with `/` separators, sorted; symlinks are not followed. */
async function listFiles(folder: string, prefix = ''): Promise<string[]> {
  const files: string[] = [];
  const entries = await fs.readdir(path.join(folder, prefix), { withFileTypes: true });
  for (const entry of entries) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await listFiles(folder, relative)));
    else if (entry.isFile()) files.push(relative);
  }
  return files.sort();
}

/** The planned files that already exist (as anything: file, folder or link), by relative path. */
export async function collisions(plan: readonly PlannedFile[]): Promise<string[]> {
  const existing: string[] = [];
  for (const file of plan) {
    try {
      await fs.lstat(file.target);
      existing.push(file.relativePath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') existing.push(file.relativePath);
    }
  }
  return existing;
}

/** Entries that do not make a folder "used": a fresh clone or a macOS Finder visit. */
const IGNORED_ENTRIES = new Set(['.git', '.DS_Store']);

/** True when `folder` does not exist or holds nothing but `.git`/`.DS_Store`. */
export async function isEmptyFolder(folder: string): Promise<boolean> {
  try {
    return (await fs.readdir(folder)).every((entry) => IGNORED_ENTRIES.has(entry));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}

/**
 * Why `name` cannot be a project folder name, or undefined when it can: one path part of
 * letters, digits, `.`, `_`, `-`, starting with a letter or digit (it also names the image).
 */
export function validateProjectName(name: string): string | undefined {
  const trimmed = name.trim();
  if (!trimmed) return 'Enter a name for the project folder.';
  if (/[\\/]/.test(trimmed)) return 'The name is one folder, without / or \\.';
  if (trimmed.length > 100) return 'Use at most 100 characters.';
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(trimmed)) return 'Use letters, digits, ".", "_" and "-", starting with a letter or digit.';
  return undefined;
}

/**
 * Writes the plan: folders as needed, each file created only if it does not exist (`wx`),
 * with the template's permissions. Returns the written paths (absolute). A file that
 * appeared since the plan was checked stops the write with an `EEXIST` error; the files
 * written until then stay.
 */
export async function writePlan(plan: readonly PlannedFile[]): Promise<string[]> {
  const written: string[] = [];
  for (const file of plan) {
    await fs.mkdir(path.dirname(file.target), { recursive: true });
    await fs.writeFile(file.target, file.content, { flag: 'wx', mode: file.mode });
    // The umask may have removed execute bits a script needs.
    if (file.mode & 0o111) await fs.chmod(file.target, file.mode);
    written.push(file.target);
  }
  return written;
}
