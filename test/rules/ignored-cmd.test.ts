import { bootc, ruleTable } from '../helpers/lint';

ruleTable('ignored-cmd', {
  valid: [
    bootc('CMD ["/sbin/init"]'),
    bootc('CMD /sbin/init'),
    bootc('CMD ["/usr/sbin/init"]'),
    bootc('CMD /usr/lib/systemd/systemd'),
    bootc('CMD ["/lib/systemd/systemd", "--log-level=debug"]'),
    bootc('CMD ["/bin/sh", "-c", "/sbin/init"]'),
    { name: 'init from an ENV variable', text: bootc('ENV INIT=/sbin/init\nCMD $INIT') },
    { name: 'empty CMD', text: bootc('CMD []') },
    bootc('RUN dnf -y install httpd && dnf clean all'),
    { name: 'builder stage', text: 'FROM golang AS build\nCMD ["go", "run", "."]\nFROM quay.io/fedora/fedora-bootc:42\nCOPY --from=build /out /usr/bin/app\n' },
    { name: 'plain app Dockerfile', text: 'FROM node:20\nCMD ["node", "app.js"]\n' },
  ],
  invalid: [
    { text: bootc('CMD ["/usr/bin/app", "--serve"]'), at: 'CMD ["/usr/bin/app", "--serve"]' },
    { name: 'shell form', text: bootc('CMD /usr/bin/app --serve'), at: 'CMD /usr/bin/app --serve' },
    { name: 'a shell', text: bootc('CMD ["/bin/bash"]'), at: 'CMD ["/bin/bash"]' },
    { name: 'sh -c running an app', text: bootc('CMD ["sh", "-c", "exec /usr/bin/app"]'), at: 'CMD ["sh", "-c", "exec /usr/bin/app"]' },
    { name: 'continued lines', text: bootc('CMD ["/usr/bin/app", \\\n     "--port", "80"]'), at: 'CMD ["/usr/bin/app", \\\n     "--port", "80"]' },
    { name: 'inherited from a parent stage', text: 'FROM quay.io/centos-bootc/centos-bootc:stream9 AS base\nCMD ["/usr/bin/app"]\nFROM base\n', at: 'CMD ["/usr/bin/app"]' },
    { name: 'bootc by label', text: 'FROM registry.example.com/os:1\nLABEL containers.bootc=1\nCMD ["python3", "-m", "http.server"]\n', at: 'CMD ["python3", "-m", "http.server"]' },
    { name: 'after init CMD, the app CMD wins', text: bootc('CMD ["/sbin/init"]\nCMD ["/usr/bin/app"]'), at: 'CMD ["/usr/bin/app"]' },
  ],
});
