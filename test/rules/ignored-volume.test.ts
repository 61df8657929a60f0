import { bootc, ruleTable } from '../helpers/lint';

ruleTable('ignored-volume', {
  valid: [
    bootc('RUN dnf -y install postgresql-server && dnf clean all'),
    { name: 'builder stage', text: 'FROM golang AS build\nVOLUME /go/pkg\nFROM quay.io/fedora/fedora-bootc:42\nCOPY --from=build /out /usr/bin/app\n' },
    { name: 'plain app Dockerfile', text: 'FROM postgres:16\nVOLUME /var/lib/postgresql/data\n' },
    { name: 'comment mentioning VOLUME', text: bootc('# VOLUME /var/lib/app\nRUN true') },
  ],
  invalid: [
    { text: bootc('VOLUME /var/lib/app'), at: 'VOLUME /var/lib/app' },
    { name: 'JSON form', text: bootc('VOLUME ["/var/lib/app", "/var/log/app"]'), at: 'VOLUME ["/var/lib/app", "/var/log/app"]' },
    { name: 'variable', text: bootc('ARG DATA=/var/lib/app\nVOLUME ${DATA}'), at: 'VOLUME ${DATA}' },
    { name: 'lower-case keyword', text: bootc('volume /data'), at: 'volume /data' },
    { name: 'two volumes', text: bootc('VOLUME /a\nRUN true\nVOLUME /b'), count: 2 },
    { name: 'inherited from a parent stage', text: 'FROM quay.io/centos-bootc/centos-bootc:stream9 AS base\nVOLUME /srv\nFROM base\nRUN true\n', at: 'VOLUME /srv' },
    { name: 'target stage', text: 'FROM quay.io/fedora/fedora-bootc:42 AS os\nVOLUME /srv\nFROM alpine AS tools\nRUN true\n', at: 'VOLUME /srv', options: { target: 'os' } },
  ],
});
