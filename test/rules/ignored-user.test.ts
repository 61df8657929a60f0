import { bootc, ruleTable } from '../helpers/lint';

ruleTable('ignored-user', {
  valid: [
    bootc('USER root'),
    bootc('USER 0'),
    bootc('USER root:root'),
    bootc('USER 0:0'),
    { name: 'unprivileged build step that switches back to root', text: bootc('USER builder\nRUN make -C /src\nUSER root\nRUN dnf -y install httpd && dnf clean all') },
    { name: 'variable resolving to root', text: bootc('ARG RUNAS=root\nUSER ${RUNAS}') },
    { name: 'unknown variable', text: bootc('ARG RUNAS\nUSER $RUNAS') },
    { name: 'builder stage', text: 'FROM golang AS build\nUSER 1000\nRUN go build ./...\nFROM quay.io/fedora/fedora-bootc:42\nCOPY --from=build /out /usr/bin/app\n' },
    { name: 'plain app Dockerfile', text: 'FROM node:20\nUSER node\nCMD ["node", "app.js"]\n' },
  ],
  invalid: [
    { text: bootc('USER app'), at: 'USER app' },
    { name: 'numeric uid and gid', text: bootc('USER 1000:1000'), at: 'USER 1000:1000' },
    { name: 'later RUN steps', text: bootc('USER core\nRUN dnf -y install vim && dnf clean all'), at: 'USER core' },
    { name: 'from an ARG', text: bootc('ARG USERNAME=core\nUSER ${USERNAME}'), at: 'USER ${USERNAME}' },
    { name: 'root group is not root user', text: bootc('USER app:root'), at: 'USER app:root' },
    { name: 'two non-root users', text: bootc('USER a\nRUN true\nUSER b'), count: 2 },
    { name: 'inherited from a parent stage', text: 'FROM quay.io/centos-bootc/centos-bootc:stream9 AS base\nUSER 1001\nFROM base\n', at: 'USER 1001' },
    { name: 'after a switch to root', text: bootc('USER root\nRUN dnf -y install httpd && dnf clean all\nUSER apache'), at: 'USER apache' },
  ],
});
