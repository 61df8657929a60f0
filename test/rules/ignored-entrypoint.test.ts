import { bootc, ruleTable } from '../helpers/lint';

ruleTable('ignored-entrypoint', {
  valid: [
    bootc('RUN dnf -y install httpd && dnf clean all'),
    { name: 'builder stage', text: 'FROM golang AS build\nENTRYPOINT ["/bin/sh"]\nFROM quay.io/fedora/fedora-bootc:42\nCOPY --from=build /out /usr/bin/app\n' },
    { name: 'plain app Dockerfile', text: 'FROM node:20\nENTRYPOINT ["node", "app.js"]\n' },
  ],
  invalid: [
    { text: bootc('ENTRYPOINT ["/usr/bin/app"]'), at: 'ENTRYPOINT ["/usr/bin/app"]' },
    { name: 'inherited from a parent stage', text: 'FROM quay.io/centos-bootc/centos-bootc:stream9 AS base\nENTRYPOINT /app\nFROM base\n', at: 'ENTRYPOINT /app' },
  ],
});
