import knownImages from './data/bootc-images.json';

/** `quay.io/x/y:tag@sha256:...` → `quay.io/x/y` */
export function stripTagAndDigest(reference: string): string {
  let name = reference.trim();
  const at = name.indexOf('@');
  if (at >= 0) name = name.slice(0, at);
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) name = name.slice(0, colon);
  return name;
}

/** The repository path without its registry host (`quay.io/fedora/fedora-bootc` → `fedora/fedora-bootc`). */
function repositoryPath(name: string): string {
  const slash = name.indexOf('/');
  if (slash < 0) return name;
  const first = name.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? name.slice(slash + 1) : name;
}

const BOOTC_WORD = /(^|[/\-_.])bootc([/\-_.]|$)/i;

/** Converts an image glob (`*` within a segment, `**` across) to a regular expression. */
export function imageGlob(pattern: string): RegExp {
  const source = stripTagAndDigest(pattern)
    .split('**')
    .map((part) => part.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*'))
    .join('.*');
  return new RegExp(`^${source}$`, 'i');
}

const KNOWN = (knownImages.images as string[]).map(imageGlob);
/** Exceptions inside those namespaces (toolbox containers, akmods caches). */
const NOT_KNOWN = ((knownImages as { notImages?: string[] }).notImages ?? []).map(imageGlob);

/** True when the image reference names a bootc base image by the catalog's rules (point 1). */
export function isKnownBootcImage(reference: string): boolean {
  const name = stripTagAndDigest(reference);
  if (!name || name.includes('$')) return false;
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  if (/^bootc-image-builder$/i.test(lastSegment)) return false;
  if (BOOTC_WORD.test(repositoryPath(name))) return true;
  return KNOWN.some((re) => re.test(name)) && !NOT_KNOWN.some((re) => re.test(name));
}

/** True when the reference matches one of the user's `bootcImages` patterns (point 4). */
export function matchesImagePatterns(reference: string, patterns: readonly string[]): boolean {
  const name = stripTagAndDigest(reference);
  return patterns.some((pattern) => imageGlob(pattern).test(name));
}
