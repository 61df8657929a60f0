import { bootc, ruleTable } from '../helpers/lint';

ruleTable('podman-pull-in-build', {
  valid: [
    { name: 'additional image store under /usr', text: bootc('RUN podman --root /usr/lib/containers/storage pull quay.io/prometheus/node-exporter:latest') },
    { name: '--root= under /usr', text: bootc('RUN podman --root=/usr/lib/containers/storage pull docker.io/library/redis:7') },
    { name: 'skopeo to dir: and oci:', text: bootc('RUN skopeo copy docker://quay.io/x/y:1 dir:/usr/share/images/y && skopeo copy docker://quay.io/x/z:1 oci:/usr/share/images/z:1') },
    { name: 'skopeo to containers-storage under /usr', text: bootc('RUN skopeo copy docker://quay.io/x/y:1 containers-storage:[overlay@/usr/lib/containers/storage+/run/containers/storage]quay.io/x/y:1') },
    { name: 'logically bound image', text: bootc('COPY app.image /usr/share/containers/systemd/app.image\nRUN ln -s /usr/share/containers/systemd/app.image /usr/lib/bootc/bound-images.d/app.image') },
    { name: 'cache mount on the storage', text: bootc('RUN --mount=type=cache,target=/var/lib/containers podman pull quay.io/x/y:1') },
    { name: 'other podman commands', text: bootc('RUN podman --version && podman images && podman image ls') },
    { name: 'heredoc body is data', text: bootc("RUN cat > /usr/share/doc/run.txt <<'EOF'\npodman pull quay.io/x/y\nEOF") },
    { name: 'builder stage', text: 'FROM quay.io/fedora/fedora:42 AS build\nRUN podman pull quay.io/x/y:1\nFROM quay.io/fedora/fedora-bootc:42\nRUN echo ok\n' },
    { name: 'plain app Dockerfile', text: 'FROM fedora:42\nRUN podman pull quay.io/x/y:1\n' },
  ],
  invalid: [
    { name: 'podman pull', text: bootc('RUN podman pull quay.io/prometheus/node-exporter:latest'), at: 'podman pull quay.io/prometheus/node-exporter:latest' },
    { name: 'podman image pull with options', text: bootc('RUN podman image pull --arch amd64 quay.io/x/y:1'), at: 'podman image pull --arch amd64 quay.io/x/y:1' },
    { name: 'podman run', text: bootc('RUN podman run --rm quay.io/x/y:1 true'), at: 'podman run --rm quay.io/x/y:1 true' },
    { name: 'podman create', text: bootc('RUN podman create --name app quay.io/x/y:1'), at: 'podman create --name app quay.io/x/y:1' },
    { name: 'skopeo copy to containers-storage:', text: bootc('RUN skopeo copy docker://quay.io/x/y:1 containers-storage:quay.io/x/y:1'), at: 'skopeo copy docker://quay.io/x/y:1 containers-storage:quay.io/x/y:1' },
    { name: 'skopeo to an explicit store under /var', text: bootc('RUN skopeo copy docker://quay.io/x/y:1 containers-storage:[overlay@/var/lib/containers/storage+/run/containers/storage]quay.io/x/y:1'), at: 'skopeo copy docker://quay.io/x/y:1 containers-storage:[overlay@/var/lib/containers/storage+/run/containers/storage]quay.io/x/y:1' },
    { name: 'podman --root under /var', text: bootc('RUN podman --root /var/lib/containers/storage pull quay.io/x/y:1'), at: 'podman --root /var/lib/containers/storage pull quay.io/x/y:1' },
    { name: 'in a loop with set -eux', text: bootc('RUN set -eux; for img in quay.io/a/b:1 quay.io/c/d:2; do podman pull "$img"; done'), at: 'podman pull "$img"' },
    { name: 'sudo, heredoc script', text: bootc('RUN <<EOF\nsudo podman pull quay.io/x/y:1\nEOF'), at: 'podman pull quay.io/x/y:1' },
    { name: 'ARG image', text: bootc('ARG IMAGE=quay.io/x/y:1\nRUN podman pull ${IMAGE}'), at: 'podman pull ${IMAGE}' },
    { name: 'inherited from a parent stage', text: 'FROM quay.io/centos-bootc/centos-bootc:stream9 AS base\nRUN podman pull quay.io/x/y:1\nFROM base\n', at: 'podman pull quay.io/x/y:1' },
  ],
});
