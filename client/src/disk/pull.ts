/**
 * Create Disk Image from a multi-architecture reference: which image of a manifest list the
 * builder gets for the target architecture, and the `podman pull --platform` that puts it into
 * root's storage first (the builder never pulls the image itself). A local image is used as
 * it is; a manifest list in local storage gives its instance for the architecture; any other
 * reference is looked up in its registry (`podman manifest inspect`), refused with the list's
 * architectures when it lacks the target, and pulled. No `vscode` import.
 */
import { manifestInspectArgs } from '../farm/commands';
import { formatPlatform, type Platform } from '../farm/parse';
import { parseImageReference } from '../podman/reference';
import { runPodman, type Podman } from '../podman/tool';
import { canonicalArch, hostArch, ociArch } from './builder';

/** One entry of a manifest list: the image's digest and platform. */
export interface ManifestEntry {
  digest: string;
  platform: Platform;
}

/**
 * The image the builder gets. `local-image`: in local storage, used as it is. `local-list`: a
 * manifest list in local storage; `image` is its instance for the architecture (`REPO@DIGEST`).
 * `registry`: pulled for the architecture with `pull` before the builder runs.
 */
export type TargetImage =
  | { source: 'local-image'; image: string }
  | { source: 'local-list'; image: string; digest: string; entries: ManifestEntry[] }
  | { source: 'registry'; image: string; pull: string[]; digest?: string; entries?: ManifestEntry[] };

/**
 * `podman pull --platform linux/ARCH [--tls-verify=BOOL] IMAGE`: the image of a multi-architecture
 * reference for `arch` (`x86_64`/`amd64`, `aarch64`/`arm64`...). Without `tlsVerify` podman
 * decides from registries.conf (an `insecure` registry is plain HTTP), as it does for a pull
 * typed by hand. Throws on an unknown architecture.
 */
export function pullForArchArgs(image: string, arch: string, options: { tlsVerify?: boolean } = {}): string[] {
  const oci = ociArch(arch);
  if (!oci) throw new Error(`Unknown architecture "${arch}".`);
  return ['pull', '--platform', `linux/${oci}`, ...tlsVerifyArgs(options.tlsVerify), image];
}

function tlsVerifyArgs(tlsVerify: boolean | undefined): string[] {
  return tlsVerify === undefined ? [] : [`--tls-verify=${tlsVerify}`];
}

/** The entries of `podman manifest inspect` output; undefined when it is one image's manifest, not a list. Throws on output that is not JSON. */
export function parseManifestEntries(output: string): ManifestEntry[] | undefined {
  let parsed: { manifests?: unknown };
  try {
    parsed = JSON.parse(output) as typeof parsed;
  } catch {
    throw new Error(`podman manifest inspect printed no JSON (${output.trim().split('\n')[0]?.slice(0, 120) ?? ''})`);
  }
  if (!Array.isArray(parsed.manifests)) return undefined;
  return parsed.manifests.flatMap((entry: unknown) => {
    const { digest, platform } = (entry ?? {}) as { digest?: unknown; platform?: { os?: unknown; architecture?: unknown; variant?: unknown } };
    if (typeof digest !== 'string' || typeof platform?.architecture !== 'string') return [];
    const result: Platform = { os: typeof platform.os === 'string' ? platform.os : 'linux', architecture: platform.architecture };
    if (typeof platform.variant === 'string' && platform.variant) result.variant = platform.variant;
    return [{ digest, platform: result }];
  });
}

/**
 * The entry of `entries` for `arch` (either spelling; Linux only). Throws, naming the list's
 * platforms, when it has none: the builder must not start on the wrong architecture.
 */
export function entryForArch(entries: readonly ManifestEntry[], arch: string, reference: string): ManifestEntry {
  const wanted = ociArch(arch);
  const found = entries.find((entry) => entry.platform.os === 'linux' && ociArch(entry.platform.architecture) === wanted);
  if (found) return found;
  const has = [...new Set(entries.map((entry) => formatPlatform(entry.platform)))];
  throw new Error(`The manifest list ${reference} has no image for ${canonicalArch(arch) ?? arch} (linux/${wanted ?? arch}): it has ${has.length ? has.join(', ') : 'no images'}. Choose one of those architectures, or build and push ${wanted ?? arch} first (Bootc: Build for Multiple Architectures).`);
}

/** `REPO@DIGEST` for an instance of the manifest list `reference` (its tag dropped). */
export function instanceReference(reference: string, digest: string): string {
  const parsed = parseImageReference(reference, { allowDigest: true });
  const repository = 'problem' in parsed ? reference.replace(/(?::[\w][\w.-]*)?(?:@.*)?$/, '') : `${parsed.domain ? `${parsed.domain}/` : ''}${parsed.path}`;
  return `${repository}@${digest}`;
}

/**
 * Decides which image the builder gets for `arch` (default: this machine's), asking podman:
 * a local image as it is, a local manifest list's instance, or a registry reference to pull.
 * Throws with a clear message when the list lacks the architecture or the reference cannot be
 * found, before anything runs.
 */
export async function resolveTargetImage(podman: Podman, image: string, arch: string | undefined, options: { tlsVerify?: boolean; signal?: AbortSignal } = {}): Promise<TargetImage> {
  const target = arch || hostArch();
  const signal = options.signal;
  const isList = (await runPodman(podman, ['manifest', 'exists', image], { signal })).exitCode === 0;
  if (!isList && (await runPodman(podman, ['image', 'exists', image], { signal })).exitCode === 0) return { source: 'local-image', image };
  const inspected = await runPodman(podman, manifestInspectArgs(image, isList ? {} : options), { signal });
  if (inspected.exitCode !== 0) {
    const said = inspected.stderr.trim().split('\n').filter(Boolean).pop()?.replace(/^Error: /, '') ?? `exit code ${inspected.exitCode}`;
    throw new Error(`${image} is neither a local image nor a reference podman can read (podman manifest inspect: ${said}). Build it, pull it, or check the registry and your login (podman login).`);
  }
  const entries = parseManifestEntries(inspected.stdout);
  if (isList) {
    const entry = entryForArch(entries ?? [], target, image);
    return { source: 'local-list', image: instanceReference(image, entry.digest), digest: entry.digest, entries: entries ?? [] };
  }
  const pull = pullForArchArgs(image, target, options);
  if (!entries) return { source: 'registry', image, pull };
  return { source: 'registry', image, pull, digest: entryForArch(entries, target, image).digest, entries };
}

/**
 * Runs the pull of a `registry` {@link TargetImage} with the user's podman (root's storage when
 * podman is rootful), streaming its output; returns the pulled image's id. Throws with podman's
 * error when the pull fails, and when the pulled image is not the list's entry for the
 * architecture (a registry that changed the list meanwhile).
 */
export async function pullTargetImage(podman: Podman, target: Extract<TargetImage, { source: 'registry' }>, run: { signal?: AbortSignal; onLine?: (line: string, stream: 'stdout' | 'stderr') => void } = {}): Promise<string> {
  const pulled = await runPodman(podman, target.pull, { signal: run.signal, onLine: run.onLine });
  if (pulled.cancelled) throw new Error('The pull was cancelled.');
  if (pulled.exitCode !== 0) {
    const said = pulled.stderr.trim().split('\n').filter(Boolean).pop()?.replace(/^Error: /, '') ?? `exit code ${pulled.exitCode}`;
    throw new Error(`podman pull of ${target.image} failed: ${said}`);
  }
  const inspected = await runPodman(podman, ['image', 'inspect', '--format', '{{.Id}} {{.Digest}}{{range .RepoDigests}} {{.}}{{end}}', target.image], { signal: run.signal });
  const [id = '', ...digests] = inspected.stdout.trim().split(/\s+/);
  if (target.digest && !digests.some((digest) => digest === target.digest || digest.endsWith(`@${target.digest}`))) {
    throw new Error(`podman pull gave ${target.image} with digest ${digests[0] || 'unknown'}, not the manifest list's entry ${target.digest}.`);
  }
  return id;
}
