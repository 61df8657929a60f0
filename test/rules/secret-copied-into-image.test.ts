import { bootc, ruleTable } from '../helpers/lint';

ruleTable('secret-copied-into-image', {
  valid: [
    { name: 'secret used for a request only', text: bootc('RUN --mount=type=secret,id=token curl -fsSL -H @/run/secrets/token -o /usr/bin/tool https://example.com/tool') },
    { name: 'login with the secret', text: bootc('RUN --mount=type=secret,id=creds podman login --authfile /run/secrets/creds quay.io') },
    { name: 'copied to /tmp and removed', text: bootc('RUN --mount=type=secret,id=creds cp /run/secrets/creds /tmp/auth.json && \\\n    skopeo copy --authfile /tmp/auth.json docker://a oci:/tmp/a && rm -f /tmp/auth.json /tmp/a') },
    { name: 'repo file used and removed', text: bootc('RUN --mount=type=secret,id=repo cp /run/secrets/repo /etc/yum.repos.d/private.repo && dnf -y install app && rm /etc/yum.repos.d/private.repo && dnf clean all') },
    { name: 'secret fed to chpasswd', text: bootc('RUN --mount=type=secret,id=pw chpasswd < /run/secrets/pw') },
    { name: 'non-secret variable written', text: bootc('ARG VERSION=1\nRUN echo "$VERSION" > /usr/share/app/version') },
    { name: 'secret-like ARG used only on the command line', text: bootc('ARG GITHUB_TOKEN\nRUN curl -H "Authorization: token $GITHUB_TOKEN" -o /usr/bin/tool https://example.com/tool') },
    { name: 'builder stage', text: 'FROM golang:1.22 AS build\nRUN --mount=type=secret,id=netrc cp /run/secrets/netrc /root/.netrc && go build -o /out/app\nFROM quay.io/fedora/fedora-bootc:42\nCOPY --from=build /out/app /usr/bin/app\n' },
    { name: 'plain app Dockerfile', text: 'FROM node:20\nRUN --mount=type=secret,id=npmrc cp /run/secrets/npmrc /root/.npmrc\n' },
  ],
  invalid: [
    {
      name: 'documented pull-secret pattern',
      text: bootc('RUN --mount=type=secret,id=creds,required=true cp /run/secrets/creds /usr/lib/container-auth.json && \\\n    chmod 0600 /usr/lib/container-auth.json && \\\n    ln -sr /usr/lib/container-auth.json /etc/ostree/auth.json'),
      at: '/usr/lib/container-auth.json',
    },
    { name: 'install', text: bootc('RUN --mount=type=secret,id=auth install -D -m 0600 /run/secrets/auth /etc/ostree/auth.json'), at: '/etc/ostree/auth.json' },
    { name: 'cat redirect', text: bootc('RUN --mount=type=secret,id=key cat /run/secrets/key > /etc/app/license.key'), at: '/etc/app/license.key' },
    { name: 'piped through base64 and tee', text: bootc('RUN --mount=type=secret,id=key cat /run/secrets/key | base64 -d | tee /etc/app/key >/dev/null'), at: '/etc/app/key' },
    { name: 'custom target', text: bootc('RUN --mount=type=secret,id=auth,target=/tmp/auth.json cp /tmp/auth.json /etc/containers/auth.json'), at: '/etc/containers/auth.json' },
    { name: 'secret-like build arg echoed', text: bootc('ARG REGISTRY_TOKEN\nRUN echo "$REGISTRY_TOKEN" > /etc/app/token'), at: '/etc/app/token' },
    { name: 'secret-like build arg in sed -i', text: bootc('ARG API_KEY\nRUN sed -i "s/@KEY@/${API_KEY}/" /etc/app/app.conf'), at: '/etc/app/app.conf' },
    { name: 'heredoc with a build arg', text: bootc('ARG DB_PASSWORD\nRUN cat > /etc/app/db.conf <<EOF\npassword=${DB_PASSWORD}\nEOF'), at: '/etc/app/db.conf' },
    { name: 'sudo and bash -c', text: bootc(`RUN --mount=type=secret,id=creds bash -c 'sudo cp /run/secrets/creds /etc/ostree/auth.json'`), at: '/etc/ostree/auth.json' },
    { name: 'heredoc script', text: bootc('RUN --mount=type=secret,id=creds <<EOF\nset -eux\nmkdir -p /etc/ostree\ncp /run/secrets/creds /etc/ostree/auth.json\nEOF'), at: '/etc/ostree/auth.json' },
  ],
});
