import { bootc, ruleTable } from '../helpers/lint';

ruleTable('api-dir-removed', {
  valid: [
    { name: 'removing contents', text: bootc('RUN rm -rf /var/cache/* /tmp/* /run/* /var/tmp/*') },
    { name: 'removing and recreating /var', text: bootc('RUN rm -rf /var && mkdir -p /var') },
    { name: 'recreated by mkdir -p of a child', text: bootc('RUN rm -rf /tmp && mkdir -p -m 1777 /tmp && rm -rf /var && mkdir -p /var/lib/x /var/tmp') },
    { name: 'subdirectories', text: bootc('RUN rm -rf /var/lib/dnf /var/log /run/dnf /dev/shm/x /var/run') },
    { name: 'find -delete of contents', text: bootc('RUN find /tmp -mindepth 1 -delete') },
    { name: 'only on one branch', text: bootc('RUN if [ -L /tmp ]; then rm -f /tmp; fi') },
    { name: 'removal of the tmpfs mounted there', text: bootc('RUN --mount=type=tmpfs,target=/tmp rm -rf /tmp') },
    { name: 'dynamic path', text: bootc('RUN rm -rf "$TMPDIR"') },
    { name: 'builder stage', text: 'FROM fedora:42 AS build\nRUN rm -rf /var /tmp\nFROM quay.io/fedora/fedora-bootc:42\nCOPY --from=build /usr/bin/x /usr/bin/x\n' },
    { name: 'plain app Dockerfile', text: 'FROM alpine\nRUN rm -rf /var /tmp\n' },
  ],
  invalid: [
    { name: 'rm -rf /var', text: bootc('RUN rm -rf /var'), at: '/var' },
    { name: 'rm -rf /tmp with trailing slash', text: bootc('RUN dnf -y install x && dnf clean all && rm -rf /tmp/'), at: '/tmp/' },
    { name: 'brace expansion', text: bootc('RUN rm -rf /{tmp,run}'), at: '/{tmp,run}', count: 2 },
    { name: 'replaced with a symlink', text: bootc('RUN rm -rf /tmp && ln -s /var/tmp /tmp'), at: '/tmp' },
    { name: 'replaced with a file', text: bootc('RUN rm -rf /run && touch /run'), at: '/run' },
    { name: 'recreated only in a later RUN', text: bootc('RUN rm -rf /var\nRUN mkdir -p /var'), at: '/var' },
    { name: 'moved away', text: bootc('RUN mv /var /usr/var'), at: '/var' },
    { name: '/proc, /sys, /dev', text: bootc('RUN rm -rf /proc /sys /dev'), at: '/proc', count: 3 },
    { name: 'relative to the working directory', text: bootc('RUN cd / && rm -rf tmp'), at: 'tmp' },
    { name: 'sudo, set -eux and continuation', text: bootc('RUN set -eux; \\\n    sudo rm -rf /tmp'), at: '/tmp' },
    { name: 'heredoc script', text: bootc('RUN <<EOF\nrm -rf /var\nEOF'), at: '/var' },
    { name: 'bash -c string', text: bootc("RUN bash -c 'rm -rf /tmp'"), at: '/tmp' },
    { name: 'inherited from a parent stage', text: 'FROM quay.io/centos-bootc/centos-bootc:stream9 AS base\nRUN rm -rf /tmp\nFROM base\n', at: '/tmp' },
  ],
});
