import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from '../../server/src/lint/fixes';
import { bootc, findingsOf, ruleTable } from '../helpers/lint';

ruleTable('sysusers', {
  valid: [
    { name: 'sysusers.d file and systemd-sysusers', text: bootc("RUN echo 'u app - \"App\" /var/lib/app' > /usr/lib/sysusers.d/app.conf && systemd-sysusers /usr/lib/sysusers.d/app.conf") },
    { name: 'COPY of a sysusers.d file', text: bootc('COPY app.conf /usr/lib/sysusers.d/app.conf\nRUN systemd-sysusers') },
    { name: 'usermod adding supplementary groups', text: bootc('RUN usermod -aG wheel core') },
    { name: 'useradd -D changes defaults only', text: bootc('RUN useradd -D -s /bin/bash') },
    { name: 'groupmod renaming', text: bootc('RUN groupmod -n devs developers') },
    { name: 'usermod changing the shell', text: bootc('RUN usermod -s /bin/zsh core') },
    { name: 'checking a user exists', text: bootc('RUN id -u app && getent group wheel') },
    { name: 'builder stage', text: 'FROM registry.fedoraproject.org/fedora:42 AS build\nRUN useradd builder && su builder -c make\nFROM quay.io/fedora/fedora-bootc:42\nCOPY --from=build /src/out /usr/bin/app\n' },
    { name: 'plain app Dockerfile', text: 'FROM node:20\nRUN groupadd -r app && useradd -r -g app app\nUSER app\n' },
    { name: 'the word useradd as data', text: bootc("RUN echo 'useradd is not used here' > /usr/share/doc/app/NOTES") },
  ],
  invalid: [
    {
      name: 'useradd with every translatable flag',
      text: bootc('RUN useradd -r -u 990 -g app -d /var/lib/app -s /sbin/nologin -c "App user" app'),
      at: 'useradd -r -u 990 -g app -d /var/lib/app -s /sbin/nologin -c "App user" app',
    },
    { name: 'groupadd in a chain', text: bootc('RUN dnf -y install foo && dnf clean all && groupadd -g 100 grp'), at: 'groupadd -g 100 grp' },
    { name: 'supplementary groups', text: bootc('RUN useradd -m -G wheel,docker bob'), at: 'useradd -m -G wheel,docker bob' },
    { name: 'groupadd then useradd', text: bootc('RUN groupadd -r app && \\\n    useradd -r -g app -M -N app'), count: 2, at: 'groupadd -r app' },
    { name: 'sudo', text: bootc('RUN sudo useradd --system --uid 990 --home-dir /var/lib/app svc'), at: 'sudo useradd --system --uid 990 --home-dir /var/lib/app svc' },
    { name: 'after ||', text: bootc('RUN getent passwd app >/dev/null || useradd -r app'), at: 'useradd -r app' },
    { name: 'inside bash -c (no fix)', text: bootc("RUN bash -c 'useradd -r app'"), at: 'useradd -r app' },
    { name: 'heredoc script', text: bootc('RUN <<EOF\nset -eux\nuseradd -r -s /sbin/nologin app\nEOF'), at: 'useradd -r -s /sbin/nologin app' },
    { name: 'exec form (no fix)', text: bootc('RUN ["useradd", "-r", "app"]'), at: '["useradd", "-r", "app"]' },
    { name: 'ARG substituted', text: bootc('ARG APP_UID=990\nRUN useradd -u ${APP_UID} app'), at: 'useradd -u ${APP_UID} app' },
    { name: 'dynamic values (no fix)', text: bootc('RUN useradd -u "$(id -u core)" app'), at: 'useradd -u "$(id -u core)" app' },
    { name: 'adduser', text: bootc('RUN adduser --system --home /var/lib/app app'), at: 'adduser --system --home /var/lib/app app' },
    { name: 'addgroup', text: bootc('RUN addgroup --system app'), at: 'addgroup --system app' },
    { name: 'newusers', text: bootc('RUN newusers /tmp/users.txt && rm /tmp/users.txt'), at: 'newusers /tmp/users.txt' },
    { name: 'usermod -u', text: bootc('RUN usermod -u 1500 core'), at: 'usermod -u 1500 core' },
    { name: 'groupmod -g', text: bootc('RUN groupmod -g 2000 docker'), at: 'groupmod -g 2000 docker' },
    { name: 'usermod --gid', text: bootc('RUN usermod --gid 1500 core'), at: 'usermod --gid 1500 core' },
    { name: 'inside if', text: bootc('RUN if ! id app; then useradd -r app; fi'), at: 'useradd -r app' },
    { name: 'password dropped by the fix', text: bootc("RUN useradd -p '$6$salt$hash' -m admin"), at: "useradd -p '$6$salt$hash' -m admin" },
    { name: 'inherited stage', text: 'FROM quay.io/centos-bootc/centos-bootc:stream10 AS base\nRUN groupadd -r svc\nFROM base\nRUN echo done\n', at: 'groupadd -r svc' },
  ],
});

const fixCases: Array<[string, string]> = [
  [
    'RUN useradd -r -u 990 -g app -d /var/lib/app -s /sbin/nologin -c "App user" app',
    `RUN echo 'u app 990:app "App user" /var/lib/app /sbin/nologin' > /usr/lib/sysusers.d/app.conf && systemd-sysusers /usr/lib/sysusers.d/app.conf`,
  ],
  ['RUN groupadd -g 100 grp', `RUN echo 'g grp 100' > /usr/lib/sysusers.d/grp.conf && systemd-sysusers /usr/lib/sysusers.d/grp.conf`],
  [
    'RUN useradd -m -G wheel,docker bob && echo ok',
    `RUN printf 'u bob -\\nm bob wheel\\nm bob docker\\n' > /usr/lib/sysusers.d/bob.conf && systemd-sysusers /usr/lib/sysusers.d/bob.conf && echo ok`,
  ],
  [
    'RUN getent passwd app || useradd -r app',
    `RUN getent passwd app || { echo 'u app -' > /usr/lib/sysusers.d/app.conf && systemd-sysusers /usr/lib/sysusers.d/app.conf; }`,
  ],
  ["RUN useradd -p 'x' -c admin admin", `RUN echo 'u admin - admin' > /usr/lib/sysusers.d/admin.conf && systemd-sysusers /usr/lib/sysusers.d/admin.conf`],
];

for (const [before, after] of fixCases) {
  test(`sysusers: fix of ${before}`, async () => {
    const text = bootc(before);
    const [finding] = await findingsOf(text, 'sysusers');
    assert.ok(finding?.fixes[0], 'has a fix');
    assert.equal(applyEdits(text, finding.fixes[0].edits), bootc(after));
  });
}

test('sysusers: no fix when options cannot be translated', async () => {
  for (const line of ['RUN useradd -e 2030-01-01 app', 'RUN useradd -u "$(id -u core)" app', "RUN bash -c 'useradd app'", 'RUN ["useradd", "app"]', 'RUN adduser -D -G wheel app', 'RUN useradd -c "it\'s me" app', 'RUN usermod -u 1500 core']) {
    const [finding] = await findingsOf(bootc(line), 'sysusers');
    assert.ok(finding, line);
    assert.equal(finding.fixes.length, 0, line);
  }
});
