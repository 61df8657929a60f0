import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from '../../server/src/lint/fixes';
import { bootc, findingsOf, ruleTable } from '../helpers/lint';

ruleTable('secret-in-image', {
  valid: [
    { name: 'secret mount read with a redirect', text: bootc('RUN --mount=type=secret,id=pw chpasswd < /run/secrets/pw') },
    { name: 'secret mount piped', text: bootc('RUN --mount=type=secret,id=pw cat /run/secrets/pw | chpasswd') },
    { name: 'secret mount in a substitution', text: bootc('RUN --mount=type=secret,id=pw echo "root:$(cat /run/secrets/pw)" | chpasswd') },
    { name: 'custom secret target', text: bootc('RUN --mount=type=secret,id=pw,target=/tmp/pw passwd --stdin root < /tmp/pw') },
    { name: 'ARG naming a secret mount', text: bootc('ARG PULL_SECRET=pull-secret\nRUN --mount=type=secret,id=${PULL_SECRET} podman login --authfile /run/secrets/${PULL_SECRET} quay.io') },
    { name: 'ARG without default used in id=', text: bootc('ARG REGISTRY_TOKEN\nRUN --mount=type=secret,id=$REGISTRY_TOKEN cat /run/secrets/$REGISTRY_TOKEN > /dev/null') },
    { name: 'names that hold a location or a name', text: bootc('ARG TOKEN_FILE=/run/secrets/token\nARG SECRET_NAME=db\nARG SECRETS_DIR=/etc/app\nARG CLIENT_SECRET_PATH=/x\nARG AWS_ACCESS_KEY_ID=AKIA\nARG TOKEN_URL=https://example.com/token') },
    { name: 'words that only contain a pattern', text: bootc('ARG TOKENIZERS_PARALLELISM=false\nARG SECRETARY=bob\nARG KEYBOARD=us\nARG MAX_TOKENS=4096') },
    { name: 'public keys and certificates', text: bootc('COPY id_rsa.pub /usr/share/keys/\nCOPY ca.pem cert.pem /etc/pki/ca-trust/source/anchors/\nCOPY RPM-GPG-KEY-app /etc/pki/rpm-gpg/\nCOPY repo-gpg.key /etc/pki/rpm-gpg/repo.key') },
    { name: 'credential-like names that are not credentials', text: bootc('COPY link-podman-credentials.conf /usr/lib/tmpfiles.d/\nCOPY config.json /etc/app/config.json') },
    { name: 'useradd -p with a variable hashed from a secret mount', text: bootc('RUN --mount=type=secret,id=pw pass=$(mkpasswd -m sha-512 -s < /run/secrets/pw) && useradd -p "$pass" admin') },
    { name: 'useradd -p with a variable hashed from a build-time random value', text: bootc('RUN pw=$(head -c 12 /dev/urandom | base64) && pass=$(mkpasswd -m sha-512 "$pw") && useradd -p "$pass" admin') },
    { name: 'locking or deleting passwords', text: bootc("RUN passwd -d root && passwd -l core && useradd -p '!' app && usermod -p '*' core") },
    { name: 'heredoc with an unknown shell variable', text: bootc('RUN PW="$(cat /run/secrets/pw)" && chpasswd <<EOF\nroot:$PW\nEOF') },
    { name: 'unknown shell variable', text: bootc('RUN PW=$(cat /run/secrets/pw 2>/dev/null) && echo "root:$PW" | chpasswd') },
    { name: 'builder stage', text: 'FROM golang:1.22 AS build\nARG GITHUB_TOKEN\nCOPY .netrc /root/.netrc\nRUN echo "root:pw" | chpasswd\nFROM quay.io/fedora/fedora-bootc:42\nCOPY --from=build /out/app /usr/bin/app\n' },
    { name: 'plain app Dockerfile', text: 'FROM node:20\nARG NPM_TOKEN\nENV API_KEY=abc\nCOPY .npmrc id_rsa /root/\n' },
  ],
  invalid: [
    { name: 'auth.json', text: bootc('COPY auth.json /etc/ostree/auth.json'), at: 'auth.json' },
    { name: '.docker/config.json', text: bootc('COPY .docker/config.json /root/.docker/config.json'), at: '.docker/config.json' },
    { name: 'SSH key into a directory', text: bootc('COPY id_ed25519 /root/.ssh/'), at: 'id_ed25519' },
    { name: 'id_rsa from a path', text: bootc('ADD keys/id_rsa /home/core/.ssh/id_rsa'), at: 'keys/id_rsa' },
    { name: '.netrc', text: bootc('COPY .netrc /root/.netrc'), at: '.netrc' },
    { name: 'aws credentials', text: bootc('COPY aws/credentials /root/.aws/credentials'), at: 'aws/credentials' },
    { name: 'private key .key', text: bootc('COPY secureboot/MOK.key /etc/pki/mok/MOK.key'), at: 'secureboot/MOK.key' },
    { name: 'private key .pem', text: bootc('COPY tls/server-key.pem /etc/pki/tls/private/'), at: 'tls/server-key.pem' },
    { name: 'ARG token', text: bootc('ARG GITHUB_TOKEN\nRUN echo build'), at: 'GITHUB_TOKEN' },
    { name: 'ARG with default', text: bootc('ARG DB_PASSWORD=changeme'), at: 'DB_PASSWORD' },
    { name: 'ENV secret', text: bootc('ENV PATH=/usr/bin API_KEY=abc123'), at: 'API_KEY' },
    { name: 'ENV private key and credentials', text: bootc('ENV SSH_PRIVATE_KEY="..."\nENV AWS_CREDENTIALS=x'), count: 2, at: 'SSH_PRIVATE_KEY' },
    { name: 'ARG in a parent stage', text: 'FROM quay.io/fedora/fedora-bootc:42 AS base\nARG REGISTRY_PASSWD\nFROM base\n', at: 'REGISTRY_PASSWD' },
    { name: 'echo | chpasswd', text: bootc("RUN echo 'root:hunter2' | chpasswd"), at: 'chpasswd' },
    { name: 'sudo and set -eux', text: bootc('RUN set -eux; echo "core:s3cret" | sudo chpasswd'), at: 'sudo chpasswd' },
    { name: 'chpasswd here-string', text: bootc("RUN chpasswd <<< 'root:hunter2'"), at: "chpasswd <<< 'root:hunter2'" },
    { name: 'chpasswd heredoc', text: bootc('RUN cat <<EOF | chpasswd\nroot:hunter2\nEOF'), at: 'chpasswd' },
    { name: 'chpasswd heredoc with a build arg', text: bootc('ARG ROOT_PASSWORD\nRUN chpasswd <<EOF\nroot:${ROOT_PASSWORD}\nEOF'), count: 2, at: 'ROOT_PASSWORD' },
    { name: 'passwd --stdin', text: bootc('RUN echo hunter2 | passwd --stdin root'), at: 'passwd --stdin root' },
    { name: 'chpasswd from a build arg', text: bootc('ARG ROOT_PW_HASH_VALUE\nRUN echo "root:${ROOT_PW_HASH_VALUE}" | chpasswd -e'), at: 'chpasswd -e' },
    { name: 'useradd -p hash', text: bootc("RUN useradd -m -p '$6$abc$def' admin"), at: "'$6$abc$def'" },
    { name: 'useradd -p with a variable holding a hash of a literal', text: bootc('RUN pass=$(mkpasswd --method=SHA-512 --rounds=4096 changeme) && useradd -m -G wheel admin -p $pass'), at: '$pass' },
    { name: 'usermod -p with a variable from openssl passwd', text: bootc('RUN <<EOF\nset -eux\nhash="$(openssl passwd -6 -salt abc s3cret)"\nusermod -p "$hash" root\nEOF'), at: '"$hash"' },
    { name: 'useradd -p mkpasswd', text: bootc('RUN useradd -p "$(mkpasswd -m sha-512 hunter2)" admin'), at: '"$(mkpasswd -m sha-512 hunter2)"' },
    { name: 'usermod --password openssl', text: bootc('RUN usermod --password "$(openssl passwd -6 hunter2)" root'), at: '"$(openssl passwd -6 hunter2)"' },
    { name: 'bash -c', text: bootc(`RUN bash -c "echo 'root:pw' | chpasswd"`), at: 'chpasswd' },
    { name: 'heredoc script', text: bootc("RUN <<EOF\nset -eux\necho 'root:pw' | chpasswd\nEOF"), at: 'chpasswd' },
  ],
});

test('secret-in-image: the COPY fix installs from a secret mount', async () => {
  const text = bootc('COPY auth.json /etc/ostree/');
  const [finding] = await findingsOf(text, 'secret-in-image');
  assert.equal(
    applyEdits(text, finding.fixes[0].edits),
    bootc('# bootc-lint ignore=secret-copied-into-image\nRUN --mount=type=secret,id=auth.json install -D -m 0600 /run/secrets/auth.json /etc/ostree/auth.json'),
  );
});

test('secret-in-image: no fix for globs, several sources, --from or --chown', async () => {
  for (const line of ['COPY keys/*.key /etc/pki/', 'COPY id_rsa id_rsa.pub /root/.ssh/', 'COPY --from=keys /id_rsa /root/.ssh/', 'COPY --chown=core id_rsa /var/home/core/.ssh/']) {
    const [finding] = await findingsOf(bootc(line), 'secret-in-image');
    assert.ok(finding, line);
    assert.equal(finding.fixes.length, 0, line);
  }
});
