import { bootc, ruleTable } from '../helpers/lint';

ruleTable('ignored-healthcheck', {
  valid: [
    bootc('RUN dnf -y install httpd && dnf clean all'),
    { name: 'builder stage', text: 'FROM golang AS build\nHEALTHCHECK CMD true\nFROM quay.io/fedora/fedora-bootc:42\nCOPY --from=build /out /usr/bin/app\n' },
    { name: 'plain app Dockerfile', text: 'FROM nginx\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n' },
  ],
  invalid: [
    { text: bootc('HEALTHCHECK CMD curl -f http://localhost/ || exit 1'), at: 'HEALTHCHECK CMD curl -f http://localhost/ || exit 1' },
    { name: 'options and exec form', text: bootc('HEALTHCHECK --interval=30s --timeout=3s CMD ["/usr/bin/check"]'), at: 'HEALTHCHECK --interval=30s --timeout=3s CMD ["/usr/bin/check"]' },
    { name: 'continued lines', text: bootc('HEALTHCHECK --interval=5m \\\n  CMD systemctl is-system-running'), at: 'HEALTHCHECK --interval=5m \\\n  CMD systemctl is-system-running' },
    { name: 'NONE', text: bootc('HEALTHCHECK NONE'), at: 'HEALTHCHECK NONE' },
    { name: 'inherited from a parent stage', text: 'FROM quay.io/centos-bootc/centos-bootc:stream9 AS base\nHEALTHCHECK CMD true\nFROM base\n', at: 'HEALTHCHECK CMD true' },
  ],
});
