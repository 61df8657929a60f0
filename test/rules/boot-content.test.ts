import { bootc, ruleTable } from '../helpers/lint';

ruleTable('boot-content', {
  valid: [
    { name: 'an empty /boot', text: bootc('RUN rm -rf /boot && mkdir -p /boot') },
    { name: 'emptied with find -delete', text: bootc('RUN dnf -y install kernel-tools && dnf clean all && find /boot -mindepth 1 -delete') },
    { name: 'emptied by a later RUN', text: bootc('RUN touch /boot/x\nRUN rm -rf /boot/*') },
    { name: 'cleanup script pattern', text: bootc('RUN rm -rf /var /boot; mkdir -p /boot /var') },
    { name: 'UKI under /boot/EFI/Linux', text: bootc('COPY uki.efi /boot/EFI/Linux/uki.efi') },
    { name: 'UKI directory created and filled', text: bootc('RUN mkdir -p /boot/EFI/Linux && cp /usr/lib/modules/6.1/uki.efi /boot/EFI/Linux/') },
    { name: 'initramfs in /usr/lib/modules', text: bootc('RUN kver=$(cd /usr/lib/modules && echo *) && dracut -vf /usr/lib/modules/$kver/initramfs.img $kver') },
    { name: 'reading /boot', text: bootc('RUN ls -la /boot && cat /boot/config-* > /dev/null') },
    { name: 'builder stage', text: 'FROM fedora AS build\nRUN dracut -f /boot/initramfs.img 6.1 && touch /boot/x\nFROM quay.io/fedora/fedora-bootc:42\nCOPY --from=build /boot/x /usr/lib/x\n' },
    { name: 'plain app Dockerfile', text: 'FROM debian\nCOPY grub.cfg /boot/grub/grub.cfg\n' },
    { name: 'cache mount on /boot', text: bootc('RUN --mount=type=tmpfs,target=/boot touch /boot/x') },
    { name: 'whole components: /bootstrap', text: bootc('COPY x /bootstrap/x') },
    {
      name: 'COPY --from a stage that builds only the UKI directory',
      text: 'FROM quay.io/fedora/fedora-bootc:42 AS image\nFROM quay.io/fedora/fedora:42 AS sign\nRUN mkdir -p /result/boot/EFI/Linux && \\\n    ukify build --output "/result/boot/EFI/Linux/$(ls /image/usr/lib/modules).efi"\nFROM image\nCOPY --from=sign /result/boot /boot\n',
    },
  ],
  invalid: [
    { name: 'COPY into /boot', text: bootc('COPY vmlinuz /boot/vmlinuz'), at: '/boot/vmlinuz' },
    { name: 'COPY --from a whole /boot', text: 'FROM fedora AS k\nRUN true\nFROM quay.io/fedora/fedora-bootc:42\nCOPY --from=k /boot/ /boot/\n', at: '/boot/' },
    { name: 'COPY --from a stage that fills more than the UKI directory', text: 'FROM quay.io/fedora/fedora:42 AS sign\nRUN mkdir -p /result/boot/EFI/Linux /result/boot/grub2 && touch /result/boot/vmlinuz\nFROM quay.io/fedora/fedora-bootc:42\nCOPY --from=sign /result/boot/grub2 /boot/grub2\n', at: '/boot/grub2' },
    { name: 'COPY --from a stage that puts a kernel next to the UKI directory', text: 'FROM quay.io/fedora/fedora:42 AS sign\nRUN mkdir -p /result/boot/EFI/Linux && cp /usr/lib/modules/6.1/vmlinuz /result/boot/vmlinuz\nFROM quay.io/fedora/fedora-bootc:42\nCOPY --from=sign /result/boot /boot\n', at: '/boot' },
    { name: 'touch', text: bootc('RUN touch /boot/marker'), at: '/boot/marker' },
    { name: 'empty subdirectory', text: bootc('RUN mkdir -p /boot/efi'), at: '/boot/efi' },
    { name: 'grub config written', text: bootc('RUN mkdir -p /boot/grub2 && \\\n    echo "set timeout=1" > /boot/grub2/user.cfg'), at: '/boot/grub2/user.cfg' },
    { name: 'dracut output in /boot', text: bootc('RUN dracut -vf /boot/initramfs-$(uname -r).img $(uname -r)'), at: '/boot/initramfs-$(uname -r).img' },
    { name: 'dracut --kver into /boot', text: bootc('RUN dracut --kver 6.8.5 --force /boot/initramfs.img'), at: '/boot/initramfs.img' },
    { name: 'heredoc script', text: bootc('RUN <<EOF\nset -eux\ncp /usr/lib/modules/6.1/vmlinuz /boot/vmlinuz-6.1\nEOF'), at: '/boot/vmlinuz-6.1' },
    { name: 'sh -c', text: bootc("RUN sh -c 'ln -s /usr/lib/modules/6.1/vmlinuz /boot/vmlinuz'"), at: '/boot/vmlinuz' },
    { name: 'ARG in the destination', text: bootc('ARG BOOTDIR=/boot\nCOPY vmlinuz ${BOOTDIR}/'), at: '${BOOTDIR}/' },
    { name: 'non-UKI file next to /boot/EFI', text: bootc('COPY shim.efi /boot/EFI/fedora/shimx64.efi'), at: '/boot/EFI/fedora/shimx64.efi' },
    { name: 'inherited from a parent stage', text: 'FROM quay.io/fedora/fedora-bootc:42 AS base\nRUN touch /boot/x\nFROM base\nRUN true\n', at: '/boot/x' },
  ],
});
