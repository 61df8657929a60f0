import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bootc, checkFix, findingsOf, ruleTable } from '../helpers/lint';

ruleTable('dnf-missing-clean', {
  valid: [
    bootc('RUN dnf -y install httpd && dnf clean all'),
    bootc('RUN dnf5 -y install httpd && dnf5 clean all'),
    bootc('RUN yum -y install httpd && yum clean all'),
    bootc('RUN microdnf install -y httpd && microdnf clean all'),
    bootc('RUN dnf -y install httpd && dnf clean metadata packages dbcache'),
    bootc('RUN set -eux; dnf -y install httpd; rm -rf /var/cache/dnf'),
    bootc('RUN dnf -y install httpd && rm -rf /var/cache/libdnf5'),
    bootc('RUN dnf -y install httpd && rm -rf /var/cache/{dnf,yum,libdnf5} /var/log/dnf*'),
    bootc('RUN dnf -y install httpd && rm -rf /var/cache/*'),
    bootc('RUN dnf -y install httpd && rm -rf /var/cache /var/log/*'),
    bootc('RUN dnf -y install httpd && cd /var/cache && rm -rf libdnf5'),
    { name: 'cache mount', text: bootc('RUN --mount=type=cache,target=/var/cache/libdnf5 dnf -y install httpd') },
    { name: 'cache mount on /var/cache', text: bootc('RUN --mount=type=cache,target=/var/cache,sharing=locked dnf -y install httpd') },
    { name: 'tmpfs mount', text: bootc('RUN --mount=type=tmpfs,target=/var/cache/dnf dnf -y install httpd') },
    { name: 'leading && continuation', text: bootc('RUN dnf -y install \\\n      httpd \\\n    && dnf clean all') },
    { name: 'bash -c', text: bootc("RUN bash -c 'dnf -y install httpd && dnf clean all'") },
    { name: 'clean inside bash -c after the install', text: bootc("RUN dnf -y install httpd && sh -c \"dnf clean all\"") },
    { name: 'heredoc script', text: bootc('RUN <<EOF\nset -eux\ndnf -y install httpd\ndnf clean all\nEOF') },
    { name: 'clean on one branch', text: bootc('RUN dnf -y install httpd && if [ -d /var/cache/dnf ]; then dnf clean all; fi') },
    { name: 'ostree container commit empties /var/cache', text: bootc('RUN dnf -y install httpd && ostree container commit') },
    { name: 'non-installing subcommands', text: bootc('RUN dnf -y remove nano && dnf repolist && dnf config-manager --set-enabled crb') },
    { name: 'installroot with a separate value', text: bootc('RUN dnf -y --installroot /sysroot --releasever 40 install httpd') },
    { name: 'installroot (not the image cache)', text: 'FROM quay.io/fedora/fedora-bootc:42\nRUN dnf -y --installroot=/sysroot install httpd\n' },
    { name: 'builder stage', text: 'FROM quay.io/fedora/fedora:42 AS build\nRUN dnf -y install gcc\nFROM quay.io/fedora/fedora-bootc:42\nCOPY --from=build /out /usr/bin/app\n' },
    { name: 'plain app Dockerfile', text: 'FROM fedora:42\nRUN dnf -y install httpd\n' },
  ],
  invalid: [
    { text: bootc('RUN dnf -y install httpd'), at: 'dnf -y install httpd' },
    { name: 'dnf5', text: bootc('RUN dnf5 install -y httpd'), at: 'dnf5 install -y httpd' },
    { name: 'yum update', text: bootc('RUN yum -y update'), at: 'yum -y update' },
    { name: 'microdnf', text: bootc('RUN microdnf install -y httpd'), at: 'microdnf install -y httpd' },
    { name: 'global options and /usr/bin path', text: bootc('RUN /usr/bin/dnf --setopt=install_weak_deps=False --nodocs --enablerepo crb -y install httpd'), at: '/usr/bin/dnf --setopt=install_weak_deps=False --nodocs --enablerepo crb -y install httpd' },
    { name: 'group install', text: bootc('RUN dnf -y group install "Development Tools"'), at: 'dnf -y group install "Development Tools"' },
    { name: 'groupinstall', text: bootc('RUN yum -y groupinstall base'), at: 'yum -y groupinstall base' },
    { name: 'module install', text: bootc('RUN dnf -y module install nodejs:20'), at: 'dnf -y module install nodejs:20' },
    { name: 'builddep / distro-sync / swap / reinstall / downgrade', text: bootc('RUN dnf -y distro-sync'), at: 'dnf -y distro-sync' },
    { name: 'swap', text: bootc('RUN dnf -y swap nano vim'), at: 'dnf -y swap nano vim' },
    { name: 'releasever with a separate value', text: bootc('RUN dnf --releasever 40 -x kernel* -y up'), at: 'dnf --releasever 40 -x kernel* -y up' },
    { name: 'groups install', text: bootc('RUN dnf5 -y groups install development-tools'), at: 'dnf5 -y groups install development-tools' },
    { name: 'dsync', text: bootc('RUN dnf -y dsync --allowerasing'), at: 'dnf -y dsync --allowerasing' },
    { name: 'builddep', text: bootc('RUN dnf -y builddep /tmp/app.spec'), at: 'dnf -y builddep /tmp/app.spec' },
    { name: 'sudo', text: bootc('RUN sudo dnf -y in httpd'), at: 'sudo dnf -y in httpd' },
    { name: 'clean before the install', text: bootc('RUN dnf clean all && dnf -y install httpd'), at: 'dnf -y install httpd' },
    { name: 'only packages cleaned', text: bootc('RUN dnf -y install httpd && dnf clean packages'), at: 'dnf -y install httpd' },
    { name: 'second install after the clean', text: bootc('RUN dnf -y install a && dnf clean all && dnf -y install b'), at: 'dnf -y install b' },
    { name: 'several installs: one finding', text: bootc('RUN dnf -y install a && dnf -y install b'), at: 'dnf -y install a' },
    { name: 'clean in a later RUN does not shrink this layer', text: bootc('RUN dnf -y install httpd\nRUN dnf clean all'), at: 'dnf -y install httpd' },
    { name: 'bind mount elsewhere', text: bootc('RUN --mount=type=bind,source=.,target=/src dnf -y install /src/app.rpm'), at: 'dnf -y install /src/app.rpm' },
    { name: 'leading && continuation layout', text: bootc('RUN set -eux \\\n    && dnf -y install \\\n      httpd \\\n    && systemctl enable httpd'), at: 'dnf -y install \\\n      httpd' },
    { name: 'trailing && continuation layout', text: bootc('RUN dnf -y install httpd && \\\n    systemctl enable httpd'), at: 'dnf -y install httpd' },
    { name: 'bash -c', text: bootc("RUN bash -c 'dnf -y install httpd'"), at: 'dnf -y install httpd' },
    { name: 'heredoc script', text: bootc('RUN <<EOF\nset -eux\ndnf -y install httpd\nsystemctl enable httpd\nEOF'), at: 'dnf -y install httpd' },
    { name: 'variable package', text: bootc('ARG PKGS="httpd mod_ssl"\nRUN dnf -y install ${PKGS}'), at: 'dnf -y install ${PKGS}' },
    { name: 'inherited stage', text: 'FROM quay.io/centos-bootc/centos-bootc:stream9 AS base\nRUN dnf -y install httpd\nFROM base\nRUN bootc container lint\n', at: 'dnf -y install httpd' },
  ],
});

test('dnf-missing-clean: the fix keeps the layout and a final bootc container lint last', async () => {
  const fix = async (text: string) => checkFix(text, 'dnf-missing-clean', (await findingsOf(text, 'dnf-missing-clean'))[0]);
  assert.equal(await fix(bootc('RUN dnf -y install httpd')), bootc('RUN dnf -y install httpd && dnf clean all'));
  assert.equal(await fix(bootc('RUN set -eux \\\n    && dnf -y install httpd \\\n    && systemctl enable httpd')), bootc('RUN set -eux \\\n    && dnf -y install httpd \\\n    && systemctl enable httpd \\\n    && dnf clean all'));
  assert.equal(await fix(bootc('RUN dnf -y install httpd && \\\n    systemctl enable httpd')), bootc('RUN dnf -y install httpd && \\\n    systemctl enable httpd && \\\n    dnf clean all'));
  assert.equal(await fix(bootc('RUN <<EOF\nset -eux\ndnf -y install httpd\nEOF')), bootc('RUN <<EOF\nset -eux\ndnf -y install httpd\ndnf clean all\nEOF'));
  assert.equal(await fix(bootc('RUN microdnf install -y httpd')), bootc('RUN microdnf install -y httpd && microdnf clean all'));
  assert.equal(await fix(bootc('RUN dnf -y install httpd && bootc container lint')), bootc('RUN dnf -y install httpd && dnf clean all && bootc container lint'));
});
