import { bootc, ruleTable } from '../helpers/lint';

ruleTable('dracut-kver', {
  valid: [
    { name: 'the documented pattern', text: bootc('RUN kver=$(cd /usr/lib/modules && echo *); dracut -vf /usr/lib/modules/$kver/initramfs.img $kver') },
    { name: '--kver with a separate value', text: bootc('RUN KVER=$(ls /usr/lib/modules) && dracut --no-hostonly --kver "$KVER" --reproducible -v --add ostree -f "/usr/lib/modules/$KVER/initramfs.img"') },
    { name: '--kver=', text: bootc('RUN dracut --force --kver=6.8.5-301.fc40.x86_64 /usr/lib/modules/6.8.5-301.fc40.x86_64/initramfs.img') },
    { name: 'from an ARG', text: bootc('ARG KERNEL=6.8.5-301.fc40.x86_64\nRUN dracut -f /usr/lib/modules/${KERNEL}/initramfs.img ${KERNEL}') },
    { name: 'options with values before the operands', text: bootc('RUN kver=$(ls /usr/lib/modules); dracut --add "ostree fips" -o nfs -f /usr/lib/modules/$kver/initramfs.img $kver') },
    { name: 'through xargs, one per kernel', text: bootc('RUN ls /usr/lib/modules | xargs -I{} dracut -f /usr/lib/modules/{}/initramfs.img {}') },
    { name: 'for loop over kernels', text: bootc('RUN for k in /usr/lib/modules/*; do dracut -f "$k/initramfs.img" "$(basename "$k")"; done') },
    { name: 'not building: --help, --list-modules', text: bootc('RUN dracut --list-modules && dracut --help') },
    { name: '--regenerate-all', text: bootc('RUN dracut -f --regenerate-all') },
    { name: 'opaque options variable', text: bootc('ARG DRACUT_ARGS\nRUN dracut -f $DRACUT_ARGS') },
    { name: 'builder stage', text: 'FROM quay.io/fedora/fedora:42 AS build\nRUN dracut -f /tmp/initrd.img\nFROM quay.io/fedora/fedora-bootc:42\nCOPY --from=build /tmp/initrd.img /usr/share/x/initrd.img\n' },
    { name: 'plain app Dockerfile', text: 'FROM fedora:42\nRUN dracut -f\n' },
    { name: 'heredoc body that mentions dracut is data', text: bootc("RUN cat > /usr/lib/dracut/dracut.conf.d/x.conf <<'EOF'\n# run dracut -f to rebuild\nEOF\nRUN kver=$(cd /usr/lib/modules && echo *); dracut -vf /usr/lib/modules/$kver/initramfs.img $kver") },
  ],
  invalid: [
    { name: 'bare dracut -f', text: bootc('RUN dracut -f'), at: 'dracut -f' },
    { name: 'image without version', text: bootc('RUN dracut -vf /usr/lib/modules/6.8/initramfs.img'), at: 'dracut -vf /usr/lib/modules/6.8/initramfs.img' },
    { name: 'chained with set -eux and flags', text: bootc('RUN set -eux; dnf -y install dracut-network && dnf clean all; dracut --no-hostonly --add "ostree network" --force'), at: 'dracut --no-hostonly --add "ostree network" --force' },
    { name: 'uname -r is the host kernel', text: bootc('RUN dracut -f --kver "$(uname -r)"'), at: 'dracut -f --kver "$(uname -r)"' },
    { name: 'uname -r as the operand', text: bootc('RUN dracut -f /boot/initramfs-$(uname -r).img $(uname -r)'), at: 'dracut -f /boot/initramfs-$(uname -r).img $(uname -r)' },
    { name: 'line continuation', text: bootc('RUN dnf -y install plymouth && dnf clean all && \\\n    dracut --force \\\n      --add plymouth'), at: 'dracut --force \\\n      --add plymouth' },
    { name: 'bash -c string', text: bootc("RUN bash -c 'dracut -f --no-hostonly'"), at: 'dracut -f --no-hostonly' },
    { name: 'heredoc script', text: bootc('RUN <<EOF\nset -e\ndracut -f\nEOF'), at: 'dracut -f' },
    { name: 'sudo and env prefix', text: bootc('RUN sudo env DRACUT_NO_XATTR=1 dracut -v'), at: 'dracut -v' },
    { name: 'full path, in an if branch', text: bootc('RUN if [ -x /usr/bin/dracut ]; then /usr/bin/dracut -f; fi'), at: '/usr/bin/dracut -f' },
    { name: 'inherited from a parent stage', text: 'FROM quay.io/centos-bootc/centos-bootc:stream9 AS base\nRUN dracut -f\nFROM base\n', at: 'dracut -f' },
    { name: 'exec form (no fix)', text: bootc('RUN ["dracut", "-f"]') },
    { name: 'after ||', text: bootc('RUN false || dracut --force'), at: 'dracut --force' },
  ],
});
