import { bootc, ruleTable } from '../helpers/lint';

ruleTable('ignored-stopsignal', {
  valid: [
    bootc('RUN dnf -y install httpd && dnf clean all'),
    { name: 'builder stage', text: 'FROM golang AS build\nSTOPSIGNAL SIGINT\nFROM quay.io/fedora/fedora-bootc:42\nCOPY --from=build /out /usr/bin/app\n' },
    { name: 'plain app Dockerfile', text: 'FROM nginx\nSTOPSIGNAL SIGQUIT\n' },
    { name: 'SIGRTMIN+3 with CMD booting systemd (rootfs built FROM scratch)', text: 'FROM quay.io/fedora/fedora-bootc:42 AS builder\nRUN /usr/libexec/bootc-base-imagectl build-rootfs --manifest=minimal /target\nFROM scratch\nCOPY --from=builder /target/ /\nLABEL containers.bootc=1\nSTOPSIGNAL SIGRTMIN+3\nCMD ["/sbin/init"]\n' },
  ],
  invalid: [
    { text: bootc('STOPSIGNAL SIGRTMIN+3'), at: 'STOPSIGNAL SIGRTMIN+3' },
    { name: 'number', text: bootc('STOPSIGNAL 9'), at: 'STOPSIGNAL 9' },
    { name: 'SIGRTMIN+3 with an application CMD', text: bootc('STOPSIGNAL SIGRTMIN+3\nCMD ["/usr/bin/app"]'), at: 'STOPSIGNAL SIGRTMIN+3' },
    { name: 'other signal with CMD booting systemd', text: bootc('STOPSIGNAL SIGTERM\nCMD ["/sbin/init"]'), at: 'STOPSIGNAL SIGTERM' },
    { name: 'variable', text: bootc('ARG SIG=SIGTERM\nSTOPSIGNAL $SIG'), at: 'STOPSIGNAL $SIG' },
    { name: 'inherited from a parent stage', text: 'FROM quay.io/centos-bootc/centos-bootc:stream9 AS base\nSTOPSIGNAL SIGINT\nFROM base\n', at: 'STOPSIGNAL SIGINT' },
  ],
});
