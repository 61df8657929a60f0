import { bootc, ruleTable } from '../helpers/lint';

ruleTable('kargs-via-kargs-d', {
  valid: [
    { name: 'kargs.d file', text: bootc('COPY <<EOF /usr/lib/bootc/kargs.d/10-console.toml\nkargs = ["console=ttyS0"]\nEOF') },
    { name: 'grubby without --args', text: bootc('RUN grubby --info=ALL') },
    { name: 'grub2-editenv list', text: bootc('RUN grub2-editenv - list') },
    { name: 'rpm-ostree kargs without changes', text: bootc('RUN rpm-ostree --version') },
    { name: 'reading /etc/default/grub', text: bootc('RUN cat /etc/default/grub && grep GRUB_CMDLINE /etc/default/grub') },
    { name: 'a file named like it elsewhere', text: bootc('COPY grub /usr/share/doc/grub-notes/') },
    { name: 'heredoc body that mentions grubby is data', text: bootc("RUN cat > /usr/share/doc/notes.txt <<'EOF'\ngrubby --args=quiet\nEOF") },
    { name: 'builder stage', text: 'FROM quay.io/fedora/fedora:42 AS build\nRUN grub2-mkconfig -o /tmp/grub.cfg\nFROM quay.io/fedora/fedora-bootc:42\nCOPY --from=build /tmp/grub.cfg /usr/share/x/grub.cfg\n' },
    { name: 'plain app Dockerfile', text: 'FROM fedora:42\nRUN grubby --update-kernel=ALL --args=quiet\n' },
  ],
  invalid: [
    { name: 'grubby --args (fix writes kargs.d)', text: bootc('RUN grubby --update-kernel=ALL --args="a=b c"'), at: 'grubby --update-kernel=ALL --args="a=b c"' },
    { name: 'grubby --args in a chain with sudo', text: bootc('RUN dnf -y install foo && dnf clean all && sudo grubby --update-kernel ALL --args "console=ttyS0,115200n8 quiet"'), at: 'grubby --update-kernel ALL --args "console=ttyS0,115200n8 quiet"' },
    { name: 'grubby --remove-args', text: bootc('RUN grubby --update-kernel=ALL --remove-args="rhgb quiet"'), at: 'grubby --update-kernel=ALL --remove-args="rhgb quiet"' },
    { name: 'grub2-mkconfig', text: bootc('RUN set -eux; grub2-mkconfig -o /boot/grub2/grub.cfg'), at: 'grub2-mkconfig -o /boot/grub2/grub.cfg' },
    { name: 'grub2-editenv set', text: bootc('RUN grub2-editenv - set "kernelopts=root=/dev/sda1 quiet"'), at: 'grub2-editenv - set "kernelopts=root=/dev/sda1 quiet"' },
    { name: 'sed -i /etc/default/grub', text: bootc("RUN sed -i 's/rhgb quiet/console=ttyS0/' /etc/default/grub"), at: "sed -i 's/rhgb quiet/console=ttyS0/' /etc/default/grub" },
    { name: 'redirect to /etc/default/grub', text: bootc("RUN echo 'GRUB_CMDLINE_LINUX=\"quiet\"' >> /etc/default/grub"), at: "echo 'GRUB_CMDLINE_LINUX=\"quiet\"' >> /etc/default/grub" },
    { name: 'COPY to /etc/default/grub', text: bootc('COPY grub /etc/default/grub'), at: '/etc/default/grub' },
    { name: 'COPY into /etc/default/', text: bootc('COPY files/grub /etc/default/'), at: '/etc/default/' },
    { name: 'rpm-ostree kargs --append', text: bootc('RUN rpm-ostree kargs --append=console=ttyS0'), at: 'rpm-ostree kargs --append=console=ttyS0' },
    { name: 'bash -c string (no fix)', text: bootc("RUN bash -c 'grubby --update-kernel=ALL --args=quiet'"), at: 'grubby --update-kernel=ALL --args=quiet' },
    { name: 'heredoc script', text: bootc('RUN <<EOF\nset -e\ngrubby --update-kernel=ALL --args=nosmt\nEOF'), at: 'grubby --update-kernel=ALL --args=nosmt' },
    { name: 'ARG value', text: bootc('ARG KARGS="mitigations=off"\nRUN grubby --update-kernel=ALL --args="${KARGS}"'), at: 'grubby --update-kernel=ALL --args="${KARGS}"' },
    { name: 'inherited from a parent stage', text: 'FROM quay.io/centos-bootc/centos-bootc:stream9 AS base\nRUN grub2-mkconfig -o /boot/grub2/grub.cfg\nFROM base\n', at: 'grub2-mkconfig -o /boot/grub2/grub.cfg' },
  ],
});
