import { ruleTable } from '../helpers/lint';

/** A Debian/Arch/openSUSE bootc build (detected by the label), as bootcrew's images do. */
const labelled = (base: string, body: string) => `FROM ${base}\n${body}\nLABEL containers.bootc=1\n`;
const debian = (body: string) => labelled('docker.io/library/debian:trixie', body);
const arch = (body: string) => labelled('docker.io/archlinux/archlinux:latest', body);
const suse = (body: string) => labelled('registry.opensuse.org/opensuse/tumbleweed:latest', body);

ruleTable('pkg-missing-clean', {
  valid: [
    debian('RUN apt-get update && apt-get install -y curl && apt-get clean && rm -rf /var/lib/apt/lists/*'),
    debian('RUN apt-get update \\\n    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl \\\n    && rm -rf /var/lib/apt/lists/* /var/cache/apt/*'),
    debian('RUN apt update && apt full-upgrade -y && apt clean && rm -rf /var/lib/apt/lists'),
    { name: 'cache mounts', text: debian('RUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && apt-get install -y curl') },
    { name: 'tmpfs on the lists', text: debian('RUN --mount=type=tmpfs,target=/var/lib/apt/lists apt-get update && apt-get install -y curl && apt-get clean') },
    { name: 'no apt-get update in this RUN: the lists are not this layer\'s', text: debian('RUN apt-get install -y /tmp/app.deb') },
    { name: 'apt-get update alone / other subcommands', text: debian('RUN apt-get update && apt-cache policy curl && apt-get remove -y nano') },
    arch('RUN pacman -Syu --noconfirm && pacman -S --noconfirm vim && pacman -Scc --noconfirm'),
    arch('RUN pacman -Sy --noconfirm --needed base-devel && yes | pacman -Scc'),
    arch('RUN pacman -S --noconfirm vim && rm -rf /var/cache/pacman/pkg/*'),
    arch('RUN pacman -S --noconfirm vim && pacman -S --clean --noconfirm'),
    { name: 'pacman queries', text: arch('RUN pacman -Ss vim && pacman -Qi bash && pacman -Sy') },
    { name: 'pacman cache mount', text: arch('RUN --mount=type=cache,target=/var/cache/pacman/pkg pacman -Syu --noconfirm') },
    suse('RUN zypper --non-interactive install vim && zypper clean --all'),
    suse('RUN zypper -n in vim && zypper cc -a'),
    suse('RUN zypper -n dup && rm -rf /var/cache/zypp/*'),
    { name: 'zypper cache mount', text: suse('RUN --mount=type=cache,target=/var/cache/zypp zypper -n in vim') },
    { name: 'dnf is dnf-missing-clean\'s job', text: 'FROM quay.io/fedora/fedora-bootc:42\nRUN dnf -y install vim\n' },
    { name: 'builder stage', text: 'FROM debian:trixie AS build\nRUN apt-get update && apt-get install -y gcc\nFROM quay.io/fedora/fedora-bootc:42\nCOPY --from=build /out /usr/bin/app\n' },
    { name: 'plain app Dockerfile', text: 'FROM debian:trixie\nRUN apt-get update && apt-get install -y curl\n' },
  ],
  invalid: [
    { text: debian('RUN apt-get update && apt-get install -y curl'), at: 'apt-get install -y curl' },
    { name: 'apt', text: debian('RUN apt update && apt install -y curl'), at: 'apt install -y curl' },
    { name: 'clean without the lists', text: debian('RUN apt-get update && apt-get -y dist-upgrade && apt-get clean'), at: 'apt-get -y dist-upgrade' },
    { name: 'upgrade, leading && layout', text: debian('RUN apt-get update \\\n    && apt-get -y upgrade \\\n    && apt-get install -y curl'), at: 'apt-get -y upgrade' },
    { name: 'trailing && layout', text: debian('RUN apt-get update && \\\n    apt-get install -y curl'), at: 'apt-get install -y curl' },
    { name: 'env and sudo', text: debian('RUN apt-get update && env DEBIAN_FRONTEND=noninteractive sudo apt-get install -y curl'), at: 'env DEBIAN_FRONTEND=noninteractive sudo apt-get install -y curl' },
    { name: 'heredoc script', text: debian('RUN <<EOF\nset -eux\napt-get update\napt-get install -y curl\nEOF'), at: 'apt-get install -y curl' },
    { name: 'lists removed in a later RUN', text: debian('RUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*'), at: 'apt-get install -y curl' },
    { name: 'pacman -Syu', text: arch('RUN pacman -Syu --noconfirm'), at: 'pacman -Syu --noconfirm' },
    { name: 'pacman -S', text: arch("RUN bash -c 'pacman -S --noconfirm --needed vim'"), at: 'pacman -S --noconfirm --needed vim' },
    { name: 'zypper install', text: suse('RUN zypper --non-interactive install vim'), at: 'zypper --non-interactive install vim' },
    { name: 'zypper in', text: suse('RUN zypper -n in -y vim && zypper -n in git'), at: 'zypper -n in -y vim' },
    { name: 'on a known bootc base', text: 'FROM quay.io/fedora/fedora-bootc:42\nRUN apt-get update && apt-get install -y curl\n', at: 'apt-get install -y curl' },
  ],
});
