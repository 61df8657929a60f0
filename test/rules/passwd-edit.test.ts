import { bootc, ruleTable } from '../helpers/lint';

ruleTable('passwd-edit', {
  valid: [
    { name: 'reading /etc/passwd', text: bootc('RUN cat /etc/passwd && grep -q app /etc/group && cut -d: -f1 /etc/passwd | sort') },
    { name: 'copying it out', text: bootc('RUN cp /etc/passwd /tmp/passwd.bak && rm /tmp/passwd.bak') },
    { name: 'sysusers.d instead', text: bootc("RUN echo 'u app -' > /usr/lib/sysusers.d/app.conf && systemd-sysusers") },
    { name: 'other /etc files', text: bootc('COPY passwdqc.conf /etc/passwdqc.conf\nRUN echo x >> /etc/group.conf && sed -i s/a/b/ /etc/security/group.conf') },
    { name: 'chmod of /etc/shadow', text: bootc('RUN chmod 0000 /etc/shadow') },
    { name: 'builder stage', text: 'FROM registry.fedoraproject.org/fedora:42 AS build\nRUN echo "b:x:1000:1000::/:/bin/sh" >> /etc/passwd\nFROM quay.io/fedora/fedora-bootc:42\nCOPY --from=build /out /usr/bin/app\n' },
    { name: 'plain app Dockerfile', text: 'FROM alpine:3\nRUN echo "app:x:1000:1000::/:/bin/sh" >> /etc/passwd\n' },
    { name: 'a file called passwd elsewhere', text: bootc('COPY passwd /usr/share/app/passwd') },
  ],
  invalid: [
    { name: 'COPY to /etc/passwd', text: bootc('COPY passwd /etc/passwd'), at: '/etc/passwd' },
    { name: 'COPY into /etc/ keeping the name', text: bootc('COPY group /etc/'), at: '/etc/' },
    { name: 'COPY --from into /etc/shadow', text: 'FROM fedora:42 AS users\nRUN true\nFROM quay.io/fedora/fedora-bootc:42\nCOPY --from=users /etc/shadow /etc/shadow\n', at: '/etc/shadow' },
    { name: 'append redirect', text: bootc("RUN echo 'app:x:990:990::/:/sbin/nologin' >> /etc/passwd"), at: '/etc/passwd' },
    { name: 'sed -i', text: bootc("RUN sed -i 's/^root:[^:]*:/root::/' /etc/shadow"), at: '/etc/shadow' },
    { name: 'tee -a with sudo', text: bootc('RUN echo "docker:x:990:" | sudo tee -a /etc/group'), at: '/etc/group' },
    { name: 'cp over gshadow', text: bootc('RUN cp /tmp/gshadow /etc/gshadow'), at: '/etc/gshadow' },
    { name: 'cp into /etc/', text: bootc('RUN cp /tmp/build/passwd /etc/'), at: '/etc/' },
    { name: 'heredoc RUN', text: bootc('RUN <<EOF\nset -e\ncat >> /etc/group <<GRP\nwheel:x:10:core\nGRP\nEOF'), at: '/etc/group' },
    { name: 'bash -c', text: bootc('RUN bash -c "echo app:x:990: >> /etc/group"'), at: '/etc/group' },
    { name: 'WORKDIR /etc and relative path', text: bootc('WORKDIR /etc\nRUN sed -i -e s/x/y/ passwd'), at: 'passwd' },
    { name: 'variable destination', text: bootc('ARG ETC=/etc\nCOPY shadow ${ETC}/shadow'), at: '${ETC}/shadow' },
    { name: 'two files edited', text: bootc('RUN sed -i /^games/d /etc/passwd /etc/shadow'), count: 2, at: '/etc/passwd' },
  ],
});
