import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bootc, checkFix, findingsOf, ruleTable } from '../helpers/lint';

ruleTable('rpm-ostree-unsupported', {
  valid: [
    bootc('RUN rpm-ostree --version'),
    bootc('RUN rpm-ostree status && rpm-ostree db list'),
    bootc('RUN dnf -y install vim && dnf clean all'),
    { name: 'printing kargs, help', text: bootc('RUN rpm-ostree kargs && rpm-ostree install --help') },
    { name: 'compose tooling', text: bootc('RUN rpm-ostree compose rootfs --help') },
    { name: 'only mentioned as data', text: bootc('RUN echo "do not use rpm-ostree install" > /usr/share/doc/readme.txt') },
    { name: 'builder stage', text: 'FROM quay.io/fedora/fedora-bootc:42 AS build\nRUN rpm-ostree install vim\nFROM quay.io/fedora/fedora-bootc:42\nCOPY --from=build /usr/bin/vim /usr/bin/vim\n' },
    { name: 'plain app Dockerfile', text: 'FROM fedora:42\nRUN rpm-ostree install vim\n' },
  ],
  invalid: [
    { text: bootc('RUN rpm-ostree install vim'), at: 'rpm-ostree install vim' },
    { name: 'several packages and options', text: bootc('RUN rpm-ostree install -y --idempotent vim-enhanced tmux'), at: 'rpm-ostree install -y --idempotent vim-enhanced tmux' },
    { name: 'enablerepo kept', text: bootc('RUN rpm-ostree install --enablerepo=updates-testing htop'), at: 'rpm-ostree install --enablerepo=updates-testing htop' },
    { name: 'in a chain with ostree container commit', text: bootc('RUN rpm-ostree install htop && \\\n    ostree container commit'), at: 'rpm-ostree install htop' },
    { name: 'override remove', text: bootc('RUN rpm-ostree override remove firefox firefox-langpacks'), at: 'rpm-ostree override remove firefox firefox-langpacks' },
    { name: 'override replace', text: bootc('RUN rpm-ostree override replace --experimental --from repo=copr:x mesa-dri-drivers'), at: 'rpm-ostree override replace --experimental --from repo=copr:x mesa-dri-drivers' },
    { name: 'uninstall', text: bootc('RUN rpm-ostree uninstall nano'), at: 'rpm-ostree uninstall nano' },
    { name: 'kargs', text: bootc('RUN rpm-ostree kargs --append=console=ttyS0'), at: 'rpm-ostree kargs --append=console=ttyS0' },
    { name: 'upgrade', text: bootc('RUN rpm-ostree upgrade'), at: 'rpm-ostree upgrade' },
    { name: 'initramfs', text: bootc('RUN rpm-ostree initramfs --enable'), at: 'rpm-ostree initramfs --enable' },
    { name: 'bash -c', text: bootc("RUN bash -c 'rpm-ostree install vim'"), at: 'rpm-ostree install vim' },
    { name: 'heredoc script', text: bootc('RUN <<EOF\nset -eux\nrpm-ostree install vim\nEOF'), at: 'rpm-ostree install vim' },
    { name: 'usr/bin path, variable package', text: bootc('ARG PKG=htop\nRUN /usr/bin/rpm-ostree install ${PKG}'), at: '/usr/bin/rpm-ostree install ${PKG}' },
  ],
});

test('rpm-ostree-unsupported: the fix keeps the package list layout', async () => {
  const text = bootc('RUN rpm-ostree install --idempotent \\\n    distrobox \\\n    alacritty');
  const fixed = await checkFix(text, 'rpm-ostree-unsupported', (await findingsOf(text, 'rpm-ostree-unsupported'))[0]);
  assert.equal(fixed, bootc('RUN dnf -y install \\\n    distrobox \\\n    alacritty && dnf clean all'));
});
