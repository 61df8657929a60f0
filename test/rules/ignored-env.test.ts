import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from '../../server/src/lint/fixes';
import { bootc, checkFix, findingsOf, ruleTable } from '../helpers/lint';

ruleTable('ignored-env', {
  valid: [
    bootc('ARG DNF_OPTS=--setopt=install_weak_deps=False\nRUN dnf -y install $DNF_OPTS httpd && dnf clean all'),
    { name: 'builder stage', text: 'FROM golang AS build\nENV CGO_ENABLED=0\nRUN go build -o /out ./...\nFROM quay.io/fedora/fedora-bootc:42\nCOPY --from=build /out /usr/bin/app\n' },
    { name: 'plain app Dockerfile', text: 'FROM node:20\nENV NODE_ENV=production\n' },
    { name: 'container=oci with CMD booting systemd', text: 'FROM quay.io/fedora/fedora-bootc:42 AS builder\nRUN /usr/libexec/bootc-base-imagectl build-rootfs --manifest=minimal /target\nFROM scratch\nCOPY --from=builder /target/ /\nLABEL containers.bootc=1\nENV container=oci\nSTOPSIGNAL SIGRTMIN+3\nCMD ["/sbin/init"]\n' },
    { name: 'drop-in written already', text: bootc("RUN mkdir -p /usr/lib/systemd/system.conf.d && printf '[Manager]\\nDefaultEnvironment=\"A=1\"\\n' > /usr/lib/systemd/system.conf.d/50-env.conf") },
  ],
  invalid: [
    { text: bootc('ENV LANG=C.UTF-8'), at: 'ENV LANG=C.UTF-8' },
    { name: 'several pairs', text: bootc('ENV APP_HOME=/usr/share/app APP_PORT=8080'), at: 'ENV APP_HOME=/usr/share/app APP_PORT=8080' },
    { name: 'legacy form', text: bootc('ENV GREETING hello world'), at: 'ENV GREETING hello world' },
    { name: 'quoted value', text: bootc('ENV MOTD="Welcome to $HOSTNAME"'), at: 'ENV MOTD="Welcome to $HOSTNAME"' },
    { name: 'PATH extension', text: bootc('ENV PATH=/opt/app/bin:$PATH'), at: 'ENV PATH=/opt/app/bin:$PATH' },
    { name: 'used by a later step', text: bootc('ENV APPDIR=/usr/share/app\nCOPY app ${APPDIR}/\nRUN ls $APPDIR'), at: 'ENV APPDIR=/usr/share/app' },
    { name: 'continued lines', text: bootc('ENV A=1 \\\n    B=2'), at: 'ENV A=1 \\\n    B=2' },
    { name: 'after bootc container lint', text: bootc('RUN bootc container lint\nENV EDITOR=vim'), at: 'ENV EDITOR=vim' },
    { name: 'two ENVs', text: bootc('ENV A=1\nENV B=2'), count: 2 },
    { name: 'inherited from a parent stage', text: 'FROM quay.io/centos-bootc/centos-bootc:stream9 AS base\nENV container=oci\nFROM base\nRUN echo $container\n', at: 'ENV container=oci' },
    { name: 'container=oci next to another variable', text: bootc('ENV container=oci LANG=C.UTF-8\nCMD ["/sbin/init"]'), at: 'ENV container=oci LANG=C.UTF-8' },
    { name: 'bootc by label', text: 'FROM registry.example.com/os:1\nLABEL containers.bootc=1\nENV TZ=UTC\n', at: 'ENV TZ=UTC' },
  ],
});

async function fixes(text: string): Promise<string[]> {
  const [finding] = await findingsOf(text, 'ignored-env');
  return finding.fixes.map((f) => applyEdits(text, f.edits));
}

test('ignored-env: convert to ARG keeps the pairs', async () => {
  assert.equal((await fixes(bootc('ENV A=1 B="two words"')))[0], bootc('ARG A=1\nARG B="two words"'));
  assert.equal((await fixes(bootc('ENV GREETING hello world')))[0], bootc('ARG GREETING="hello world"'));
});

test('ignored-env: move into a systemd drop-in', async () => {
  const [, dropIn] = await fixes(bootc('ENV A=1 B="two words"'));
  assert.equal(
    dropIn,
    bootc(`RUN mkdir -p /usr/lib/systemd/system.conf.d && printf '%s\\n' '[Manager]' 'DefaultEnvironment="A=1" "B=two words"' > /usr/lib/systemd/system.conf.d/50-env.conf`),
  );
});

test('ignored-env: drop-in resolves build variables and keeps values later steps use', async () => {
  const [, dropIn] = await fixes(bootc('ARG PREFIX=/usr/share\nENV APPDIR=${PREFIX}/app\nCOPY app ${APPDIR}/'));
  assert.equal(
    dropIn,
    bootc(`ARG PREFIX=/usr/share\nARG APPDIR=\${PREFIX}/app\nRUN mkdir -p /usr/lib/systemd/system.conf.d && printf '%s\\n' '[Manager]' 'DefaultEnvironment="APPDIR=/usr/share/app"' > /usr/lib/systemd/system.conf.d/50-env.conf\nCOPY app \${APPDIR}/`),
  );
});

test('ignored-env: no drop-in for values that are not static', async () => {
  assert.equal((await fixes(bootc('ENV PATH=/opt/app/bin:$PATH'))).length, 1);
});

test('ignored-env: a second drop-in gets its own file', async () => {
  const text = bootc(`RUN mkdir -p /usr/lib/systemd/system.conf.d && printf '%s\\n' '[Manager]' 'DefaultEnvironment="A=1"' > /usr/lib/systemd/system.conf.d/50-env.conf\nENV B=2`);
  assert.match((await fixes(text))[1], /51-env\.conf/);
});

test('ignored-env: every fix leaves no new finding', async () => {
  for (const text of [
    bootc('ENV A=1 B=2'),
    bootc('RUN bootc container lint\nENV EDITOR=vim'),
    bootc('ARG PREFIX=/usr/share\nENV APPDIR=${PREFIX}/app\nCOPY app ${APPDIR}/'),
    'FROM quay.io/centos-bootc/centos-bootc:stream9 AS base\nENV A=1\nFROM base\nRUN true\n',
  ]) {
    const [finding] = await findingsOf(text, 'ignored-env');
    for (const fix of finding.fixes) await checkFix(text, 'ignored-env', { ...finding, fixes: [fix] });
  }
});

test('ignored-env: no ARG conversion when a stage built FROM this one uses the variable', async () => {
  const text = 'FROM quay.io/centos-bootc/centos-bootc:stream9 AS base\nENV APPDIR=/usr/share/app\nFROM base\nCOPY app ${APPDIR}/\n';
  const [finding] = await findingsOf(text, 'ignored-env');
  assert.equal(finding.fixes.length, 0);
});
