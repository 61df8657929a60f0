import { bootc, ruleTable } from '../helpers/lint';

const DRACUT = 'kver=$(cd /usr/lib/modules && echo *); dracut -vf /usr/lib/modules/$kver/initramfs.img $kver';

ruleTable('initramfs-stale', {
  valid: [
    { name: 'rebuilt in a later RUN', text: bootc(`COPY 99-fips.conf /usr/lib/dracut/dracut.conf.d/\nRUN ${DRACUT}`) },
    { name: 'rebuilt later in the same RUN', text: bootc(`RUN echo 'add_dracutmodules+=" fips "' > /etc/dracut.conf.d/fips.conf && ${DRACUT}`) },
    { name: 'prepare-root.conf then dracut with --kver', text: bootc('COPY prepare-root.conf /usr/lib/ostree/prepare-root.conf\nRUN KVER=$(ls /usr/lib/modules) && dracut --force --kver "$KVER" "/usr/lib/modules/$KVER/initramfs.img"') },
    { name: 'dracut writing the image\'s initramfs.img without --kver (dracut-kver reports that)', text: bootc('RUN printf \'hostonly=no\\n\' | tee /usr/lib/dracut/dracut.conf.d/30-build.conf && dracut --force "$(find /usr/lib/modules -maxdepth 1 -type d | tail -n 1)/initramfs.img"') },
    { name: 'a build script named for the initramfs runs afterwards', text: bootc("RUN --mount=type=bind,from=ctx,source=/,target=/ctx sed -i 's/ nvidia_peermem//' /usr/lib/dracut/dracut.conf.d/99-nvidia.conf && /ctx/build-initramfs && /ctx/finalize") },
    { name: 'initramfs generated indirectly, then moved over the image\'s', text: bootc('RUN echo \'add_dracutmodules+=" dmsquash-live "\' > /usr/lib/dracut/dracut.conf.d/20-live.conf && \\\n    kver="$(rpm -q kernel --qf \'%{VERSION}-%{RELEASE}.%{ARCH}\')" && args=$(lsinitrd "/lib/modules/$kver/initramfs.img" | sed -n \'s/^Arguments: //p\') && \\\n    bash <(echo "dracut $args") && \\\n    mv -v /boot/initramfs*.img "/lib/modules/${kver}/initramfs.img"') },
    { name: 'creating the directory only', text: bootc('RUN mkdir -p /etc/dracut.conf.d') },
    { name: 'removed again later', text: bootc('RUN echo x > /etc/dracut.conf.d/tmp.conf && rm -f /etc/dracut.conf.d/tmp.conf') },
    { name: 'kernel package installed afterwards', text: bootc('COPY 10-x.conf /usr/lib/dracut/dracut.conf.d/10-x.conf\nRUN dnf -y install kernel-rt && dnf clean all') },
    { name: 'other /usr/lib/ostree files', text: bootc('COPY repo.conf /usr/lib/ostree/repo.conf') },
    { name: 'builder stage', text: 'FROM quay.io/fedora/fedora:42 AS build\nCOPY x.conf /etc/dracut.conf.d/x.conf\nFROM quay.io/fedora/fedora-bootc:42\nCOPY --from=build /etc/hostname /etc/hostname\n' },
    { name: 'plain app Dockerfile', text: 'FROM fedora:42\nCOPY x.conf /etc/dracut.conf.d/x.conf\n' },
  ],
  invalid: [
    { name: 'initramfs.img moved elsewhere', text: bootc('RUN echo x > /etc/dracut.conf.d/x.conf && mv /tmp/initramfs.img /var/tmp/initramfs.img'), at: '/etc/dracut.conf.d/x.conf' },
    { name: 'COPY into dracut.conf.d', text: bootc('COPY 99-fips.conf /usr/lib/dracut/dracut.conf.d/'), at: '/usr/lib/dracut/dracut.conf.d/' },
    { name: 'redirect into /etc/dracut.conf.d', text: bootc('RUN set -eux; echo \'add_drivers+=" nvme "\' > /etc/dracut.conf.d/nvme.conf'), at: '/etc/dracut.conf.d/nvme.conf' },
    { name: 'prepare-root.conf, composefs', text: bootc("RUN printf '[composefs]\\nenabled = yes\\n[etc]\\ntransient = true\\n' > /usr/lib/ostree/prepare-root.conf"), at: '/usr/lib/ostree/prepare-root.conf' },
    { name: 'COPY prepare-root.conf into the directory', text: bootc('COPY prepare-root.conf /usr/lib/ostree/'), at: '/usr/lib/ostree/' },
    { name: 'sed -i on prepare-root.conf', text: bootc("RUN sed -i 's/^transient = false/transient = true/' /usr/lib/ostree/prepare-root.conf"), at: '/usr/lib/ostree/prepare-root.conf' },
    { name: 'dracut before the change', text: bootc(`RUN ${DRACUT}\nCOPY 10-x.conf /etc/dracut.conf.d/10-x.conf`), at: '/etc/dracut.conf.d/10-x.conf' },
    { name: 'dracut without a kernel version does not count', text: bootc('COPY 10-x.conf /etc/dracut.conf.d/10-x.conf\nRUN dracut -f'), at: '/etc/dracut.conf.d/10-x.conf' },
    { name: 'heredoc script with tee', text: bootc("RUN <<EOF\nset -e\necho 'hostonly=no' | tee /usr/lib/dracut/dracut.conf.d/50-nohostonly.conf\nEOF"), at: '/usr/lib/dracut/dracut.conf.d/50-nohostonly.conf' },
    { name: 'ARG destination', text: bootc('ARG DRACUT_DIR=/usr/lib/dracut/dracut.conf.d\nCOPY custom.conf ${DRACUT_DIR}/custom.conf'), at: '${DRACUT_DIR}/custom.conf' },
    { name: 'a dracut module', text: bootc('COPY 90mymodule/ /usr/lib/dracut/modules.d/90mymodule/'), at: '/usr/lib/dracut/modules.d/90mymodule/' },
    { name: 'inherited from a parent stage', text: 'FROM quay.io/centos-bootc/centos-bootc:stream9 AS base\nCOPY x.conf /etc/dracut.conf.d/x.conf\nFROM base\nRUN echo done\n', at: '/etc/dracut.conf.d/x.conf' },
  ],
});
