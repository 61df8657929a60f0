import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from '../../server/src/lint/fixes';
import { bootc, findingsOf, ruleTable } from '../helpers/lint';

ruleTable('ignored-expose', {
  valid: [
    bootc('RUN dnf -y install firewalld && dnf clean all && firewall-offline-cmd --add-port=8080/tcp'),
    { name: 'builder stage', text: 'FROM golang AS build\nEXPOSE 8080\nFROM quay.io/fedora/fedora-bootc:42\nCOPY --from=build /out /usr/bin/app\n' },
    { name: 'plain app Dockerfile', text: 'FROM nginx\nEXPOSE 80 443\n' },
  ],
  invalid: [
    { text: bootc('EXPOSE 8080'), at: 'EXPOSE 8080' },
    { name: 'protocol', text: bootc('EXPOSE 53/udp'), at: 'EXPOSE 53/udp' },
    { name: 'several ports', text: bootc('EXPOSE 80 443/tcp 53/udp'), at: 'EXPOSE 80 443/tcp 53/udp' },
    { name: 'port range', text: bootc('EXPOSE 8000-8010'), at: 'EXPOSE 8000-8010' },
    { name: 'variable', text: bootc('ARG PORT=9090\nEXPOSE ${PORT}'), at: 'EXPOSE ${PORT}' },
    { name: 'unknown variable (no fix)', text: bootc('EXPOSE ${PORT}'), at: 'EXPOSE ${PORT}' },
    { name: 'after bootc container lint', text: bootc('RUN dnf -y install firewalld && dnf clean all\nRUN bootc container lint\nEXPOSE 8080'), at: 'EXPOSE 8080' },
    { name: 'inherited from a parent stage', text: 'FROM quay.io/centos-bootc/centos-bootc:stream9 AS base\nEXPOSE 22\nFROM base\n', at: 'EXPOSE 22' },
  ],
});

async function fixed(text: string): Promise<string> {
  const [finding] = await findingsOf(text, 'ignored-expose');
  return applyEdits(text, finding.fixes[0].edits);
}

test('ignored-expose: the fix opens each port with firewall-offline-cmd, tcp by default', async () => {
  assert.equal(await fixed(bootc('EXPOSE 80 53/UDP')), bootc('RUN firewall-offline-cmd --add-port=80/tcp --add-port=53/udp'));
  assert.equal(await fixed(bootc('ARG PORT=9090\nEXPOSE ${PORT}/tcp')), bootc('ARG PORT=9090\nRUN firewall-offline-cmd --add-port=9090/tcp'));
});

test('ignored-expose: the fix keeps bootc container lint the last RUN', async () => {
  assert.equal(
    await fixed(bootc('RUN bootc container lint\nEXPOSE 8080')),
    bootc('RUN firewall-offline-cmd --add-port=8080/tcp\nRUN bootc container lint\n'),
  );
});

test('ignored-expose: no fix when the port is unknown', async () => {
  const [finding] = await findingsOf(bootc('EXPOSE ${PORT}'), 'ignored-expose');
  assert.equal(finding.fixes.length, 0);
});
