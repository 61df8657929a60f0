import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectBootc } from '../server/src/lint/detect';
import { isKnownBootcImage } from '../server/src/lint/images';
import { parseContainerfile } from '../server/src/lint/model/containerfile';
import type { LintConfig } from '../server/src/lint/types';
import { linter } from './helpers/lint';

async function detect(text: string, config?: LintConfig) {
  await linter(); // loads the shell parser
  return detectBootc(parseContainerfile(text), config);
}

test('bootc image names: "bootc" as a word of the repository path', () => {
  for (const image of [
    'registry.redhat.io/rhel9/rhel-bootc:9.4',
    'quay.io/fedora/fedora-bootc:42',
    'quay.io/fedora/fedora-bootc-44-minimal',
    'registry.example.com/microshift-bootc-rhel9:latest',
    'example.com/rhel9-rhel_bootc',
    'quay.io/centos-bootc/centos-bootc-dev:stream9',
    'quay.io/centos-bootc/centos-bootc@sha256:0123456789abcdef',
    'localhost/bootc',
    'ghcr.io/ublue-os/bazzite:stable',
    'ghcr.io/projectbluefin/dakota',
    'quay.io/fedora-ostree-desktops/silverblue:42',
    'ghcr.io/bootcrew/arch-bootc',
    'quay.io/fedora/fedora-coreos:stable',
    'quay.io/fedora/fedora-silverblue:41',
    'quay.io/fedora/fedora-kinoite',
    'quay.io/okd/centos-stream-coreos-9:4.12-x86_64',
  ])
    assert.equal(isKnownBootcImage(image), true, image);
  for (const image of [
    'quay.io/centos-bootc/bootc-image-builder:latest',
    'registry.redhat.io/rhel9/bootc-image-builder',
    'node:20',
    'quay.io/fedora/fedora:42',
    'example.com/bootcamp/app',
    'example.com/mybootc',
    'bootc.example.com/team/app',
    'quay.io/fedora/fedora-coreos-config',
    'ghcr.io/ublue-os/arch-toolbox@sha256:9c346c4e5cfcfd93242e05e8ac5f93c7f75c36e8cf6c6e9da59797ec48dcb9a5',
    'ghcr.io/ublue-os/fedora-toolbox:latest',
    'ghcr.io/ublue-os/akmods-nvidia-open:main-42',
    'ghcr.io/ublue-os/coreos-stable-kernel:42',
    '${BASE}',
  ])
    assert.equal(isKnownBootcImage(image), false, image);
});

test('final-stage lineage and ARG defaults in FROM decide detection', async () => {
  assert.equal((await detect('ARG BASE=quay.io/fedora/fedora-bootc:42\nFROM ${BASE}\n')).enabled, true);
  assert.equal((await detect('ARG VARIANT\nFROM quay.io/fedora-ostree-desktops/${VARIANT:-silverblue}:42\n')).enabled, true);
  assert.equal((await detect('ARG VARIANT=kinoite\nFROM quay.io/fedora/fedora-${VARIANT}\n')).enabled, true);
  // Nested defaults, as ublue-style files write them.
  assert.equal((await detect('ARG A=silverblue\nARG S="${S:-${A}-main}"\nFROM ghcr.io/ublue-os/${S}:40\n')).enabled, true);
  assert.equal((await detect('FROM quay.io/fedora/fedora-bootc:42 AS base\nRUN true\nFROM base AS final\nRUN true\n')).enabled, true);
  // The final stage is an app image; the bootc stage is only a builder.
  assert.equal((await detect('FROM quay.io/fedora/fedora-bootc:42 AS tools\nFROM node:20\nCOPY --from=tools /usr/bin/x /x\n')).enabled, false);
  // The builder of disk images is not a bootc base.
  assert.equal((await detect('FROM quay.io/centos-bootc/bootc-image-builder:latest\nRUN true\n')).enabled, false);
  // --target selects the stage.
  const multi = 'FROM quay.io/fedora/fedora-bootc:42 AS os\nRUN true\nFROM node:20 AS app\nRUN true\n';
  assert.equal(detectBootc(parseContainerfile(multi, 'os')).enabled, true);
  assert.equal(detectBootc(parseContainerfile(multi)).enabled, false);
});

test('labels, bootc container lint, comments, config and mode', async () => {
  assert.equal((await detect('FROM corp.example.com/soe:latest\nLABEL containers.bootc=1\n')).enabled, true);
  assert.equal((await detect('FROM corp.example.com/soe:latest\nLABEL "ostree.bootable"="1"\n')).enabled, true);
  assert.equal((await detect("FROM corp.example.com/soe:latest\nLABEL containers.bootc='1'\n")).enabled, true);
  assert.equal((await detect('FROM corp.example.com/soe:latest\nLABEL containers.bootc=0\n')).enabled, false);
  assert.equal((await detect('FROM corp.example.com/soe:latest\nRUN dnf -y install x && bootc container lint\n')).enabled, true);
  assert.equal((await detect('FROM corp.example.com/soe:latest\nRUN <<EOF\nset -e\nbootc container lint --fatal-warnings\nEOF\n')).enabled, true);
  assert.equal((await detect('# bootc-lint: enable\nFROM corp.example.com/soe:latest\n')).enabled, true);
  assert.equal((await detect('# bootc-lint: disable\nFROM quay.io/fedora/fedora-bootc:42\nLABEL containers.bootc=1\n')).enabled, false);
  assert.equal((await detect('FROM corp.example.com/soe:latest\n', { bootcImages: ['corp.example.com/soe*'] })).enabled, true);
  assert.equal((await detect('FROM corp.example.com/soe:latest\n', { bootcImages: ['corp.example.com/other'] })).enabled, false);
  assert.equal((await detect('FROM node:20\n', { mode: 'always' })).enabled, true);
  assert.equal((await detect('FROM quay.io/fedora/fedora-bootc:42\n', { mode: 'never' })).enabled, false);
  // Labels and lint make it a bootc build, but not a *known bootc base* (rules such as kernel-swap need that).
  const labelled = await detect('FROM corp.example.com/soe:latest\nLABEL containers.bootc=1\n');
  assert.equal(labelled.knownBootcBase, false);
  assert.equal((await detect('FROM quay.io/fedora/fedora-bootc:42\n')).knownBootcBase, true);
});

test('a plain application Dockerfile gets no bootc findings at all', async () => {
  const result = (await linter()).lint('FROM node:20\nENV NODE_ENV=production\nUSER node\nEXPOSE 3000\nVOLUME /data\nRUN mkdir -p /var/lib/app && useradd app\nENTRYPOINT ["node", "app.js"]\n');
  assert.equal(result.bootc.enabled, false);
  assert.deepEqual(result.findings, []);
});
