/**
 * Generates realistic bootc Containerfiles of a given size for the benchmarks: the mix of
 * instructions seen in real bootc projects (package installs with cleanup, config files
 * copied in, heredoc scripts, unit enablement, users, labels, ENV/ARG), deterministic.
 */
export function generateContainerfile(instructions: number, seed = 1): string {
  let state = seed >>> 0 || 1;
  const random = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const packages = ['httpd', 'nginx', 'podman', 'cockpit', 'tmux', 'vim-enhanced', 'git', 'jq', 'python3-pip', 'firewalld', 'chrony', 'tuned', 'NetworkManager-wifi', 'cloud-init', 'qemu-guest-agent'];
  const lines: string[] = ['ARG BASE=quay.io/fedora/fedora-bootc:42', 'FROM ${BASE}', 'ARG APP=web', 'ARG VERSION=1.2.3', 'ARG FEDORA_VERSION=42'];
  let count = 4;
  const templates: Array<() => string> = [
    () => `RUN dnf -y install ${pick(packages)} ${pick(packages)} && \\\n    dnf clean all && \\\n    rm -rf /var/cache/dnf /var/log/dnf*`,
    () => `RUN --mount=type=cache,target=/var/cache/dnf dnf -y install --setopt=install_weak_deps=False ${pick(packages)}`,
    () => `COPY etc/${pick(packages)}.conf /etc/${pick(packages)}/${pick(packages)}.conf`,
    () => `COPY units/app${Math.floor(random() * 50)}.service /usr/lib/systemd/system/`,
    () => `RUN systemctl enable ${pick(packages)}.service`,
    () => `RUN <<EOF\nset -euxo pipefail\necho 'd /var/lib/${pick(packages)} 0755 root root -' > /usr/lib/tmpfiles.d/${pick(packages)}.conf\nsystemctl enable ${pick(packages)}.service\nEOF`,
    () => `RUN cat > /usr/lib/bootc/kargs.d/${Math.floor(random() * 90) + 10}-console.toml <<EOF\nkargs = ["console=ttyS0,115200n8"]\nmatch-architectures = ["x86_64"]\nEOF`,
    () => `LABEL org.opencontainers.image.description="bootc image ${Math.floor(random() * 1000)}"`,
    () => `ARG VERSION_${Math.floor(random() * 100)}=1.${Math.floor(random() * 10)}`,
    () => `RUN echo 'u app${Math.floor(random() * 100)} - "App user" /var/lib/app /sbin/nologin' > /usr/lib/sysusers.d/app.conf && \\\n    systemd-sysusers`,
    () => `RUN if [ -f /etc/${pick(packages)}.conf ]; then sed -i 's/^#Port 22/Port 2222/' /etc/ssh/sshd_config; fi`,
    () => `RUN bash -c 'set -e; for f in /usr/share/${pick(packages)}/*.conf; do install -m 0644 "$f" /etc/${pick(packages)}/; done'`,
    () => `COPY --chmod=0755 scripts/setup-${Math.floor(random() * 20)}.sh /usr/libexec/`,
    () => `RUN ln -sr /var/log/${pick(packages)} /opt/${pick(packages)}/logs`,
    () => `WORKDIR /usr/share/${pick(packages)}`,
    // Build arguments and shell variables, as real projects use them.
    () => `RUN dnf -y install https://example.com/\${APP}-\${VERSION}-${Math.floor(random() * 9)}.x86_64.rpm && dnf clean all`,
    () => `COPY config/\${APP}.conf /etc/\${APP}/${pick(packages)}.conf`,
    () => `RUN kver=$(cd /usr/lib/modules && echo *) && \\\n    dracut -vf /usr/lib/modules/$kver/initramfs.img "$kver"`,
    () => `RUN for unit in ${pick(packages)} ${pick(packages)}; do systemctl enable "$unit.service"; done`,
    () => `RUN curl -fsSLo /etc/yum.repos.d/\${APP}.repo https://example.com/fedora-\${FEDORA_VERSION}/${pick(packages)}.repo`,
    () => `LABEL org.opencontainers.image.version="\${VERSION}" org.opencontainers.image.title="\${APP}"`,
    // A few habits the linter reports, so that building findings and fixes is measured too.
    () => `ENV ${pick(packages).toUpperCase().replace(/[^A-Z0-9]/g, '_')}_HOME=/usr/share/${pick(packages)}`,
    () => `RUN sed -i "s/^VARIANT_ID=.*/VARIANT_ID=\${APP}/" /usr/lib/os-release`,
  ];
  while (count < instructions - 1) {
    lines.push(pick(templates)());
    count++;
  }
  lines.push('RUN bootc container lint');
  return `${lines.join('\n')}\n`;
}
