/**
 * Bootc base images that `FROM` completion offers and `FROM` hover describes. Tags are the
 * common ones, not every tag a registry has: completion offers them, hover never claims a tag
 * outside this list does not exist.
 */
import { DOCS } from './docs';

/** Whose conventions the image follows (decides, e.g., whether `/usr/local` is a symlink). */
export type ImageDistro = 'fedora' | 'centos' | 'rhel' | 'other';

export interface ImageTag {
  tag: string;
  description: string;
}

export interface BaseImage {
  /** `registry/namespace/name`, lower-case, without tag. */
  repository: string;
  title: string;
  /** One or two sentences: what it is and who publishes it. */
  description: string;
  distro: ImageDistro;
  /** Completion order: first tag is the suggested default. */
  tags: ImageTag[];
  docs: string;
  /** Pulling needs `podman login` to the registry first. */
  needsLogin?: boolean;
}

const fedoraTags = (releases: string[], extra: ImageTag[] = []): ImageTag[] => [
  ...releases.map((release) => ({ tag: release, description: `Fedora ${release}` })),
  ...extra,
];

/** The catalog, most common first. */
export const BASE_IMAGES: readonly BaseImage[] = [
  {
    repository: 'quay.io/fedora/fedora-bootc',
    title: 'Fedora bootc',
    description: 'The Fedora base image for bootable containers, published by the Fedora project.',
    distro: 'fedora',
    tags: fedoraTags(['45', '44', '43'], [
      { tag: 'rawhide', description: 'Fedora Rawhide: the development branch, changes daily' },
      { tag: 'latest', description: 'The newest stable Fedora release; moves to the next release when it ships' },
    ]),
    docs: DOCS.fedoraBootc,
  },
  {
    repository: 'quay.io/centos-bootc/centos-bootc',
    title: 'CentOS Stream bootc',
    description: 'The CentOS Stream base image for bootable containers; CentOS Stream is where the next RHEL minor releases are developed.',
    distro: 'centos',
    tags: [
      { tag: 'stream10', description: 'CentOS Stream 10' },
      { tag: 'stream9', description: 'CentOS Stream 9' },
    ],
    docs: DOCS.fedoraBootc,
  },
  {
    repository: 'registry.redhat.io/rhel10/rhel-bootc',
    title: 'RHEL 10 bootc (image mode for RHEL)',
    description: 'Red Hat Enterprise Linux 10 base image for image mode; needs a Red Hat account (`podman login registry.redhat.io`).',
    distro: 'rhel',
    tags: [
      { tag: '10.2', description: 'RHEL 10.2' },
      { tag: '10.1', description: 'RHEL 10.1' },
      { tag: '10.0', description: 'RHEL 10.0' },
      { tag: 'latest', description: 'The newest RHEL 10 minor release' },
    ],
    docs: DOCS.rhelImageMode,
    needsLogin: true,
  },
  {
    repository: 'registry.redhat.io/rhel9/rhel-bootc',
    title: 'RHEL 9 bootc (image mode for RHEL)',
    description: 'Red Hat Enterprise Linux 9 base image for image mode; needs a Red Hat account (`podman login registry.redhat.io`).',
    distro: 'rhel',
    tags: [
      { tag: '9.8', description: 'RHEL 9.8' },
      { tag: '9.7', description: 'RHEL 9.7' },
      { tag: '9.6', description: 'RHEL 9.6' },
      { tag: '9.4', description: 'RHEL 9.4' },
      { tag: 'latest', description: 'The newest RHEL 9 minor release' },
    ],
    docs: DOCS.rhelImageMode,
    needsLogin: true,
  },
  {
    repository: 'quay.io/fedora/fedora-silverblue',
    title: 'Fedora Silverblue',
    description: 'Fedora Atomic desktop with GNOME, published as a container image that can serve as a base.',
    distro: 'fedora',
    tags: fedoraTags(['44', '43']),
    docs: DOCS.fedoraAtomicDesktops,
  },
  {
    repository: 'quay.io/fedora/fedora-kinoite',
    title: 'Fedora Kinoite',
    description: 'Fedora Atomic desktop with KDE Plasma, published as a container image that can serve as a base.',
    distro: 'fedora',
    tags: fedoraTags(['44', '43']),
    docs: DOCS.fedoraAtomicDesktops,
  },
  {
    repository: 'ghcr.io/ublue-os/base-main',
    title: 'Universal Blue base',
    description: 'Universal Blue\'s Fedora Atomic base image without a desktop, with extra codecs and tools (a community project, not Fedora).',
    distro: 'fedora',
    tags: [{ tag: 'latest', description: 'The newest Fedora release Universal Blue builds' }],
    docs: DOCS.universalBlue,
  },
  {
    repository: 'ghcr.io/ublue-os/bluefin',
    title: 'Bluefin (Universal Blue)',
    description: 'A GNOME developer desktop from the Universal Blue community, built on Fedora Atomic.',
    distro: 'fedora',
    tags: [
      { tag: 'stable', description: 'Weekly builds of the current Fedora release' },
      { tag: 'latest', description: 'The newest Fedora release, daily builds' },
    ],
    docs: DOCS.universalBlue,
  },
  {
    repository: 'ghcr.io/ublue-os/aurora',
    title: 'Aurora (Universal Blue)',
    description: 'A KDE Plasma desktop from the Universal Blue community, built on Fedora Atomic.',
    distro: 'fedora',
    tags: [
      { tag: 'stable', description: 'Weekly builds of the current Fedora release' },
      { tag: 'latest', description: 'The newest Fedora release, daily builds' },
    ],
    docs: DOCS.universalBlue,
  },
  {
    repository: 'ghcr.io/ublue-os/bazzite',
    title: 'Bazzite (Universal Blue)',
    description: 'A gaming-oriented desktop from the Universal Blue community, built on Fedora Atomic.',
    distro: 'fedora',
    tags: [
      { tag: 'stable', description: 'The stable channel' },
      { tag: 'latest', description: 'The newest builds' },
    ],
    docs: DOCS.universalBlue,
  },
  {
    repository: 'ghcr.io/ublue-os/ucore',
    title: 'uCore (Universal Blue)',
    description: 'A server image from the Universal Blue community, built on Fedora CoreOS.',
    distro: 'fedora',
    tags: [{ tag: 'stable', description: 'Follows the Fedora CoreOS stable stream' }],
    docs: DOCS.universalBlue,
  },
  {
    repository: 'ghcr.io/bootcrew/arch-bootc',
    title: 'Arch Linux bootc (bootcrew)',
    description: 'A community bootc image of Arch Linux from the bootcrew project (experimental).',
    distro: 'other',
    tags: [{ tag: 'latest', description: 'Rolling release' }],
    docs: DOCS.bootcrew,
  },
  {
    repository: 'ghcr.io/bootcrew/debian-bootc',
    title: 'Debian bootc (bootcrew)',
    description: 'A community bootc image of Debian from the bootcrew project (experimental).',
    distro: 'other',
    tags: [{ tag: 'latest', description: 'The newest build' }],
    docs: DOCS.bootcrew,
  },
  {
    repository: 'ghcr.io/bootcrew/ubuntu-bootc',
    title: 'Ubuntu bootc (bootcrew)',
    description: 'A community bootc image of Ubuntu from the bootcrew project (experimental).',
    distro: 'other',
    tags: [{ tag: 'latest', description: 'The newest build' }],
    docs: DOCS.bootcrew,
  },
];

export interface ImageReference {
  /** `registry/path/name`, lower-case; `docker.io/library/` spelled out for short names. */
  repository: string;
  tag?: string;
  digest?: string;
}

/** Splits `registry/name:tag@sha256:…` (no network, no normalisation beyond Docker Hub short names). */
export function parseImageReference(reference: string): ImageReference {
  let rest = reference.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  // A colon after the last slash is a tag; before it, a registry port.
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let repository = rest.toLowerCase();
  const first = repository.split('/')[0];
  const hasRegistry = repository.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) repository = repository.includes('/') ? `docker.io/${repository}` : `docker.io/library/${repository}`;
  return { repository, tag, digest };
}

/** The catalog entry of an image reference (any tag), or undefined. */
export function findBaseImage(reference: string): BaseImage | undefined {
  const { repository } = parseImageReference(reference);
  return BASE_IMAGES.find((image) => image.repository === repository);
}

/** Markdown describing a `FROM` image: what it is, the tag, where to read more; undefined when unknown. */
export function describeBaseImage(reference: string): string | undefined {
  const image = findBaseImage(reference);
  if (!image) return undefined;
  const { tag, digest } = parseImageReference(reference);
  const lines = [`**${image.title}** — \`${image.repository}\``, '', image.description];
  const known = tag === undefined ? undefined : image.tags.find((candidate) => candidate.tag === tag);
  if (digest) lines.push('', `Pinned by digest: the build always uses exactly this image, even when the tag moves.`);
  if (known) lines.push('', `Tag \`${known.tag}\`: ${known.description}.`);
  else if (tag === undefined && !digest) lines.push('', 'No tag: podman uses `latest`.');
  else if (tag !== undefined) lines.push('', `Tag \`${tag}\` is not one of the common tags listed here (${image.tags.map((t) => `\`${t.tag}\``).join(', ')}); check that the registry has it.`);
  if (image.needsLogin) lines.push('', 'Pulling needs `podman login` to the registry.');
  lines.push('', `[Documentation](${image.docs})`);
  return lines.join('\n');
}
