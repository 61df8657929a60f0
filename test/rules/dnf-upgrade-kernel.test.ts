import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bootc, checkFix, findingsOf, ruleTable } from '../helpers/lint';

ruleTable('dnf-upgrade-kernel', {
  valid: [
    bootc("RUN dnf -y upgrade --exclude='kernel*' && dnf clean all"),
    bootc('RUN dnf -y upgrade --exclude=kernel* && dnf clean all'),
    bootc("RUN dnf -y -x 'kernel*' update && dnf clean all"),
    bootc('RUN dnf -y --excludepkgs=kernel,kernel-core,kernel-modules* distro-sync && dnf clean all'),
    bootc('RUN dnf -y --setopt=exclude=kernel* upgrade && dnf clean all'),
    { name: 'package names given', text: bootc('RUN dnf -y upgrade openssl glibc && dnf clean all') },
    { name: 'kernel excluded in dnf.conf', text: bootc("RUN echo 'exclude=kernel*' >> /etc/dnf/dnf.conf\nRUN dnf -y upgrade && dnf clean all") },
    { name: 'versionlock', text: bootc('RUN dnf -y install python3-dnf-plugin-versionlock && dnf versionlock add kernel kernel-core && dnf -y upgrade && dnf clean all') },
    { name: 'old kernel removed afterwards', text: bootc('RUN dnf -y upgrade && dnf -y remove --oldinstallonly kernel && dnf clean all') },
    { name: 'microdnf is not dnf', text: bootc('RUN microdnf -y upgrade && microdnf clean all') },
    { name: 'other subcommands', text: bootc('RUN dnf -y install vim && dnf check-update; dnf clean all') },
    { name: 'not a known bootc base (label only)', text: 'FROM quay.io/fedora/fedora:42\nRUN dnf -y upgrade && dnf clean all\nLABEL containers.bootc=1\n' },
    { name: 'builder stage', text: 'FROM quay.io/fedora/fedora-bootc:42 AS build\nRUN dnf -y upgrade\nFROM quay.io/fedora/fedora-bootc:42\nCOPY --from=build /out /usr/lib/x\n' },
    { name: 'plain app Dockerfile', text: 'FROM fedora:42\nRUN dnf -y upgrade\n' },
  ],
  invalid: [
    { text: bootc('RUN dnf -y upgrade && dnf clean all'), at: 'dnf -y upgrade' },
    { name: 'update', text: bootc('RUN dnf update -y && dnf clean all'), at: 'dnf update -y' },
    { name: 'up with refresh', text: bootc('RUN dnf -y up --refresh && dnf clean all'), at: 'dnf -y up --refresh' },
    { name: 'distro-sync', text: bootc('RUN dnf -y distro-sync && dnf clean all'), at: 'dnf -y distro-sync' },
    { name: 'dsync', text: bootc('RUN dnf5 -y dsync && dnf5 clean all'), at: 'dnf5 -y dsync' },
    { name: 'yum', text: bootc('RUN yum -y update && yum clean all', 'quay.io/centos-bootc/centos-bootc:stream9'), at: 'yum -y update' },
    { name: 'other excludes only', text: bootc('RUN dnf -y upgrade --exclude=firefox && dnf clean all'), at: 'dnf -y upgrade --exclude=firefox' },
    { name: 'continuation lines', text: bootc('RUN set -eux; \\\n    dnf -y upgrade \\\n    && dnf -y install vim \\\n    && dnf clean all'), at: 'dnf -y upgrade' },
    { name: 'bash -c', text: bootc("RUN bash -c 'dnf -y upgrade && dnf clean all'"), at: 'dnf -y upgrade' },
    { name: 'bash -c double quotes', text: bootc('RUN bash -c "dnf -y upgrade && dnf clean all"'), at: 'dnf -y upgrade' },
    { name: 'heredoc script', text: bootc('RUN <<EOF\nset -eux\ndnf -y upgrade\ndnf clean all\nEOF'), at: 'dnf -y upgrade' },
    { name: 'without -y: both fixes apply', text: bootc('RUN dnf upgrade && dnf clean all'), at: 'dnf upgrade' },
    { name: 'ublue base', text: bootc('RUN dnf -y upgrade && dnf clean all', 'ghcr.io/ublue-os/silverblue-main:42'), at: 'dnf -y upgrade' },
  ],
});

test('dnf-upgrade-kernel: the fix adds the exclude after the subcommand', async () => {
  const fix = async (text: string) => checkFix(text, 'dnf-upgrade-kernel', (await findingsOf(text, 'dnf-upgrade-kernel'))[0]);
  assert.equal(await fix(bootc('RUN dnf -y upgrade && dnf clean all')), bootc("RUN dnf -y upgrade --exclude='kernel*' && dnf clean all"));
  assert.equal(await fix(bootc("RUN bash -c 'dnf -y upgrade && dnf clean all'")), bootc("RUN bash -c 'dnf -y upgrade --exclude=kernel\\* && dnf clean all'"));
});
