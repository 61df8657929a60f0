/**
 * What each Containerfile instruction means once the image is installed and booted by bootc.
 * bootc reads the image's filesystem, not its container configuration: most runtime metadata
 * (`ENV`, `CMD`, `USER`, `EXPOSE`, `VOLUME`, ...) matters only to `podman run`.
 */
import { DOCS, dockerfileReference } from './docs';

export interface InstructionKnowledge {
  keyword: string;
  /** Markdown, two or three sentences: what happens on the installed system and what to use instead. */
  text: string;
  /** Where to read more (bootc docs where they cover it, else the Dockerfile reference). */
  docs: string;
}

const entries: InstructionKnowledge[] = [
  {
    keyword: 'FROM',
    text: 'Starts a build stage from an image. In a bootc build the image that ships is built from a bootc base image, which brings the kernel, systemd and bootc itself. Installed systems update (`bootc upgrade`) from the image reference they were installed from or switched to, so the tag you push decides what they get.',
    docs: DOCS.guidance,
  },
  {
    keyword: 'RUN',
    text: 'Runs a command at build time; the files it changes become part of the image. Nothing is running then: enable services with `systemctl enable` (it only creates symlinks) instead of starting them. Writes under `/var` reach a machine only at its first install; hover a path to see its lifecycle.',
    docs: DOCS.guidance,
  },
  {
    keyword: 'COPY',
    text: 'Copies files from the build context (or another stage with `--from`) into the image. What an installed system does with them depends on the destination: `/usr` is replaced on every update, `/etc` is 3-way merged with local changes, `/var` is copied only at the first install. Hover the destination to see its lifecycle.',
    docs: DOCS.filesystem,
  },
  {
    keyword: 'ADD',
    text: 'Like `COPY`, and it also downloads URLs and unpacks local tar archives; prefer `COPY` unless you need that. The destination decides the lifecycle on an installed system: `/usr` is replaced on every update, `/etc` is 3-way merged, `/var` is copied only at the first install.',
    docs: DOCS.filesystem,
  },
  {
    keyword: 'ENV',
    text: 'Sets variables for the later build steps and for containers run with `podman run`; bootc ignores it, so services on the installed system do not see it. Set `Environment=` (or `EnvironmentFile=`) in the unit or a drop-in of the service that needs it; for every service, `DefaultEnvironment=` in a `/usr/lib/systemd/system.conf.d/` drop-in; for user sessions, an `environment.d` file.',
    docs: DOCS.runtime,
  },
  {
    keyword: 'CMD',
    text: 'Ignored by bootc: an installed system boots through its bootloader, kernel and initramfs into its init (systemd in the usual base images), with no container runtime around it. It only matters to `podman run`; bootc recommends `CMD /sbin/init` (optional). Start your software with a systemd unit and `systemctl enable` it.',
    docs: DOCS.runtime,
  },
  {
    keyword: 'ENTRYPOINT',
    text: 'Ignored by bootc: an installed system boots into its init (systemd in the usual base images), not into an entrypoint. It only matters to `podman run`. Start your software with a systemd unit and `systemctl enable` it.',
    docs: DOCS.runtime,
  },
  {
    keyword: 'USER',
    text: 'Sets the user for later `RUN` steps and for `podman run`; bootc ignores it on the installed system. Run a service as an unprivileged user with `User=` (or `DynamicUser=yes`) in its unit, and create system users with a `sysusers.d` file.',
    docs: DOCS.runtime,
  },
  {
    keyword: 'EXPOSE',
    text: 'No effect on an installed bootc system: it only documents ports for container runtimes, and bootc does not configure the network or firewall. A service is reachable when it listens and no firewall blocks it; if the image uses firewalld, open the port at build time (e.g. `firewall-offline-cmd --add-port=8080/tcp`).',
    docs: DOCS.runtime,
  },
  {
    keyword: 'VOLUME',
    text: 'Ignored by bootc: an installed system has no container runtime to create volumes. Persistent data belongs under `/var`, which machines keep across updates; create its directories with a `tmpfiles.d` entry or `StateDirectory=`, and mount other filesystems with a systemd `.mount` unit or `/etc/fstab`.',
    docs: DOCS.filesystemVar,
  },
  {
    keyword: 'WORKDIR',
    text: 'Sets the directory that later `RUN` steps run in and that relative `COPY`/`ADD` destinations are resolved against, creating it in the image if needed. It means nothing to the installed system; a service sets its own with `WorkingDirectory=`.',
    docs: dockerfileReference('WORKDIR'),
  },
  {
    keyword: 'LABEL',
    text: 'Metadata stored in the image; bootc shows labels such as `org.opencontainers.image.version` in `bootc status`. bootc base images carry `containers.bootc=1` (many also `ostree.bootable=1`) and derived images inherit these labels, so you rarely set it yourself.',
    docs: DOCS.runtime,
  },
  {
    keyword: 'HEALTHCHECK',
    text: 'Docker-specific metadata (not in the OCI format: `podman build` drops it unless it builds with `--format docker`). On an installed bootc system there is no outer container runtime to run it: the system must check itself, e.g. with systemd `Restart=` and `WatchdogSec=`, or be checked from outside.',
    docs: DOCS.runtime,
  },
  {
    keyword: 'STOPSIGNAL',
    text: 'Tells a container runtime how to stop a container of this image; bootc ignores it. On the installed system systemd stops services, with the signal from `KillSignal=` in each unit.',
    docs: DOCS.systemdKill,
  },
  {
    keyword: 'SHELL',
    text: 'Changes the shell that runs later shell-form `RUN` steps during the build (the OCI image format has no field for it: podman may warn and ignore it unless it builds with `--format docker`). It does not change any login shell on the installed system.',
    docs: dockerfileReference('SHELL'),
  },
  {
    keyword: 'ARG',
    text: 'A build-time variable for the later instructions of its stage; it is not set on the installed system. An `ARG` before the first `FROM` is global: `FROM` lines can use it, and a stage sees it only after repeating `ARG NAME`. Set values with `podman build --build-arg NAME=value`, but not secrets (they can show in the image history): use `RUN --mount=type=secret`.',
    docs: dockerfileReference('ARG'),
  },
  {
    keyword: 'ONBUILD',
    text: 'Registers an instruction to run when another image is built `FROM` this one; it does nothing on the installed system.',
    docs: dockerfileReference('ONBUILD'),
  },
  {
    keyword: 'MAINTAINER',
    text: 'Deprecated author metadata; use `LABEL org.opencontainers.image.authors=...`. It has no effect on the installed system.',
    docs: dockerfileReference('MAINTAINER'),
  },
];

const byKeyword = new Map(entries.map((entry) => [entry.keyword, entry]));

/** What an instruction means on an installed bootc system, or undefined for keywords we do not describe. */
export function instructionKnowledge(keyword: string): InstructionKnowledge | undefined {
  return byKeyword.get(keyword.toUpperCase());
}

/** Every described keyword, in the order above. */
export const DESCRIBED_INSTRUCTIONS: readonly string[] = entries.map((entry) => entry.keyword);

/** Hover markdown for an instruction keyword: the text and a docs link. */
export function describeInstruction(keyword: string): string | undefined {
  const entry = instructionKnowledge(keyword);
  if (!entry) return undefined;
  return `**${entry.keyword}** in a bootc image\n\n${entry.text}\n\n[Documentation](${entry.docs})`;
}
