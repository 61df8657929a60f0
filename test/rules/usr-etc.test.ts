import { bootc, ruleTable } from '../helpers/lint';

ruleTable('usr-etc', {
  valid: [
    { name: 'COPY to /etc', text: bootc('COPY app.conf /etc/app.conf') },
    { name: 'whole components: /usr/etc-system', text: bootc('RUN mkdir -p /usr/etc-system && cp a.conf /usr/etc-system/') },
    { name: 'vendor defaults in /usr/lib', text: bootc('COPY app.conf /usr/lib/app/app.conf') },
    { name: 'reading /usr/etc', text: bootc('RUN cat /usr/etc/os-release && ls /usr/etc') },
    { name: 'removed in the same RUN', text: bootc('RUN cp -a /etc/. /usr/etc/ && diff -r /etc /usr/etc; rm -rf /usr/etc') },
    { name: 'builder stage', text: 'FROM fedora AS build\nRUN mkdir -p /usr/etc && touch /usr/etc/x\nFROM quay.io/fedora/fedora-bootc:42\nCOPY --from=build /usr/etc/x /etc/x\n' },
    { name: 'plain app Dockerfile', text: 'FROM alpine\nCOPY app.conf /usr/etc/app.conf\n' },
    { name: 'bind mount on /usr/etc', text: bootc('RUN --mount=type=bind,target=/usr/etc,source=etc ls /usr/etc && touch /usr/etc/x') },
  ],
  invalid: [
    { name: 'COPY a file', text: bootc('COPY app.conf /usr/etc/app.conf'), at: '/usr/etc/app.conf' },
    { name: 'COPY a directory', text: bootc('COPY etc/ /usr/etc/'), at: '/usr/etc/' },
    { name: 'ADD', text: bootc('ADD files/sshd_config /usr/etc/ssh/sshd_config'), at: '/usr/etc/ssh/sshd_config' },
    { name: 'COPY --from', text: 'FROM fedora AS build\nRUN touch /x\nFROM quay.io/fedora/fedora-bootc:42\nCOPY --from=build /x /usr/etc/x\n', at: '/usr/etc/x' },
    { name: 'WORKDIR relative destination', text: bootc('WORKDIR /usr\nCOPY etc/ etc/'), at: 'etc/' },
    { name: 'ARG destination (no fix)', text: bootc('ARG CONFDIR=/usr/etc\nCOPY app.conf ${CONFDIR}/app.conf'), at: '${CONFDIR}/app.conf' },
    { name: 'quoted destination', text: bootc('COPY a.conf "/usr/etc/a.conf"'), at: '"/usr/etc/a.conf"' },
    { name: 'exec-form COPY (no fix)', text: bootc('COPY ["a.conf", "/usr/etc/a.conf"]'), at: '["a.conf", "/usr/etc/a.conf"]' },
    { name: 'mkdir', text: bootc('RUN mkdir -p /usr/etc/containers'), at: '/usr/etc/containers' },
    { name: 'redirect in a heredoc script', text: bootc('RUN <<EOF\nset -eux\necho "x=1" > /usr/etc/app.conf\nEOF'), at: '/usr/etc/app.conf' },
    { name: 'cp in bash -c', text: bootc("RUN bash -c 'cp -a /etc/. /usr/etc/'"), at: '/usr/etc/' },
    { name: 'one finding per instruction, file preferred', text: bootc('RUN mkdir -p /usr/etc/app && \\\n    tee /usr/etc/app/x.conf < x'), at: '/usr/etc/app/x.conf' },
    { name: 'symlink', text: bootc('RUN ln -s ../etc /usr/etc'), at: '/usr/etc' },
    { name: 'sudo in an || branch', text: bootc('RUN test -d /usr/etc || sudo install -D -m 0644 a.conf /usr/etc/a.conf'), at: '/usr/etc/a.conf' },
  ],
});
