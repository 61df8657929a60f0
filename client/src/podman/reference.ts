/**
 * Image references (`localhost/my-os:latest`, `quay.io/me/os@sha256:…`) checked against the
 * grammar of containers/image (the distribution reference grammar) before podman sees them,
 * so that a typo is explained in words rather than by podman's `invalid reference format`.
 * No `vscode` import.
 */

/** The reference every message shows as a good one. */
export const EXAMPLE_REFERENCE = 'localhost/my-os:latest';

/** A reference split into its parts. */
export interface ImageReference {
  /** The registry host with its port (`quay.io`, `localhost:5000`); undefined for a short name such as `my-os`. */
  domain?: string;
  /** The repository path without the registry (`me/my-os`). */
  path: string;
  tag?: string;
  /** `sha256:<64 hex>`. */
  digest?: string;
}

export interface ReferenceOptions {
  /** Accept `NAME@sha256:…` (for images to run or inspect; a build cannot tag a digest). */
  allowDigest?: boolean;
}

/** The longest whole name podman accepts (NameTotalLengthMax in the grammar). */
const MAX_NAME_LENGTH = 255;
const MAX_TAG_LENGTH = 128;

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const IPV6_HOST = /^\[[a-fA-F0-9:]+\]$/;
/** Characters a reference may hold at all (letters of either case: tags and hosts allow uppercase). */
const REFERENCE_CHARACTERS = /^[A-Za-z0-9._\-/:@[\]]*$/;

const suffix = (): string => ` Use e.g. ${EXAMPLE_REFERENCE}.`;

/** Why `reference` is not a valid image reference, or undefined when it is. */
export function validateImageReference(reference: string, options: ReferenceOptions = {}): string | undefined {
  const parsed = parseImageReference(reference, options);
  return 'problem' in parsed ? parsed.problem : undefined;
}

/** Splits a reference into its parts, or says (naming the bad part) why it is not one. */
export function parseImageReference(reference: string, options: ReferenceOptions = {}): ImageReference | { problem: string } {
  const problem = (text: string) => ({ problem: text + suffix() });
  if (reference.trim() === '') return problem('The image name is empty.');
  if (!REFERENCE_CHARACTERS.test(reference)) {
    const bad = [...new Set([...reference].filter((character) => !/[A-Za-z0-9._\-/:@[\]]/.test(character)))];
    const shell = bad.some((character) => /[;&|$`<>()\\'"*?!~{}#]/.test(character));
    const listed = bad.map(describeCharacter).join(', ');
    const spaces = bad.some((character) => /\s/.test(character)) ? ' have no spaces and' : '';
    const shown = reference.replace(/\r?\n/g, '\\n');
    return problem(
      `"${shown}" contains ${listed}${shell ? ', which a shell would read as syntax' : ''}: image names${spaces} hold only letters, digits, ".", "_", "-", "/", ":" and "@".`,
    );
  }

  let rest = reference;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!options.allowDigest) return problem(`"${reference}" names an image by digest (@${digest}); here it needs a name with a tag instead.`);
    if (!DIGEST.test(digest)) return problem(`The digest "${digest}" is not valid: a digest is sha256: followed by 64 lowercase hex digits.`);
  }

  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    const tagProblem = validateTag(tag);
    if (tagProblem) return problem(tagProblem);
  }
  if (rest === '') return problem(`"${reference}" has no repository name before the ${tag !== undefined ? 'tag' : 'digest'}.`);
  if (rest.length > MAX_NAME_LENGTH) return problem(`The name is ${rest.length} characters long; at most ${MAX_NAME_LENGTH} are allowed.`);

  let domain: string | undefined;
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : undefined;
  // As in containers/image: the first component is a registry when it has "." or ":" or is localhost.
  if (first !== undefined && (/[.:]/.test(first) || first === 'localhost' || first.startsWith('['))) {
    const domainProblem = validateDomain(first);
    if (domainProblem) return problem(domainProblem);
    domain = first;
    rest = rest.slice(slash + 1);
  } else if (rest.includes(':')) {
    return problem(`"${reference}" has ":" inside the repository name: a ":" belongs after a registry host (as its port, e.g. localhost:5000/my-os) or before the tag.`);
  }
  if (rest.includes('[') || rest.includes(']')) return problem(`"${reference}" has "[" or "]" outside the registry host: brackets only enclose an IPv6 address (e.g. [::1]:5000/my-os).`);

  const pathProblem = validatePath(rest, reference);
  if (pathProblem) return problem(pathProblem);

  const parsed: ImageReference = { path: rest };
  if (domain !== undefined) parsed.domain = domain;
  if (tag !== undefined) parsed.tag = tag;
  if (digest !== undefined) parsed.digest = digest;
  return parsed;
}

/** Why `tag` is not a valid tag (letters, digits, `_`, `.`, `-`; not starting with `.` or `-`; at most 128), or undefined. */
export function validateTag(tag: string): string | undefined {
  if (tag === '') return 'The tag after ":" is empty: leave the ":" out for latest, or give a tag such as latest or 1.0.';
  if (tag.length > MAX_TAG_LENGTH) return `The tag is ${tag.length} characters long; at most ${MAX_TAG_LENGTH} are allowed.`;
  if (!TAG.test(tag)) {
    const bad = [...new Set([...tag].filter((character) => !/[\w.-]/.test(character)))];
    const why = bad.length > 0 ? `has ${bad.map((character) => `"${character}"`).join(', ')}` : `starts with "${tag[0]}"`;
    return `The tag "${tag}" ${why}: tags are letters, digits, "_", "." and "-", and start with a letter, digit or "_".`;
  }
  return undefined;
}

/**
 * The tag a build of a Containerfile in `folderName` gets unless told otherwise:
 * `localhost/<folder name, lowercase, other characters as "-">:latest` (`localhost/` keeps
 * podman from looking for it in registries).
 */
export function defaultTagFor(folderName: string): string {
  const name = folderName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 128)
    .replace(/-+$/, '');
  return `localhost/${name || 'my-os'}:latest`;
}

function describeCharacter(character: string): string {
  if (character === ' ') return 'a space';
  if (character === '\n' || character === '\r') return 'a line break';
  if (character === '\t') return 'a tab';
  if (/\s/.test(character)) return 'a blank';
  return `"${character}"`;
}

function validateDomain(domain: string): string | undefined {
  const portAt = domain.startsWith('[') ? domain.indexOf(']:') + 1 : domain.lastIndexOf(':');
  const host = portAt > 0 ? domain.slice(0, portAt) : domain;
  const port = portAt > 0 ? domain.slice(portAt + 1) : undefined;
  if (port !== undefined && !/^[0-9]+$/.test(port)) return `The registry port "${port}" in "${domain}" is not a number (e.g. localhost:5000).`;
  if (IPV6_HOST.test(host)) return undefined;
  if (host.split('.').every((component) => DOMAIN_COMPONENT.test(component))) return undefined;
  return `The registry host "${host}" is not valid: host names are letters, digits and "-" between dots (e.g. quay.io, registry.example.com:5000).`;
}

function validatePath(path: string, reference: string): string | undefined {
  for (const component of path.split('/')) {
    if (component === '') return `"${reference}" has an empty part between "/" (or one at the start or the end).`;
    if (PATH_COMPONENT.test(component)) continue;
    if (PATH_COMPONENT.test(component.toLowerCase())) {
      return `The repository "${path}" has uppercase letters: repository names are lowercase (only tags and registry hosts may have uppercase), e.g. "${path.toLowerCase()}".`;
    }
    return `"${component}" is not a valid repository name part: parts are lowercase letters and digits, joined by ".", "_", "__" or "-", and start and end with a letter or digit.`;
  }
  // A 64-hex name is an image id in podman's eyes, never a repository.
  if (/^[a-f0-9]{64}$/.test(path)) return `"${path}" looks like an image id: give the image a name such as my-os.`;
  return undefined;
}
