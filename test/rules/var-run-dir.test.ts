import { bootc, ruleTable } from '../helpers/lint';

ruleTable('var-run-dir', {
  valid: [
    { name: 'mkdir under /var/run while it is the symlink (that is /run content)', text: bootc('RUN mkdir -p /var/run/app') },
    { name: 'removing /var/run alone (tmpfiles recreates the link)', text: bootc('RUN rm -rf /var/run') },
    { name: 'link recreated', text: bootc('RUN rm -rf /var/run && mkdir -p /var/run/app && rm -rf /var/run && ln -s ../run /var/run') },
    { name: 'link recreated in a later RUN', text: bootc('RUN rm -f /var/run\nRUN ln -sf ../run /var/run') },
    { name: 'directory removed again later', text: bootc('RUN rm /var/run && mkdir -p /var/run/x\nRUN rm -rf /var/run') },
    { name: 'mkdir -p /var/run itself while it is the symlink', text: bootc('RUN mkdir -p /var/run && chmod 755 /var/run') },
    { name: 'removing contents through the link', text: bootc('RUN rm -rf /var/run/* && mkdir -p /var/run/app') },
    { name: 'builder stage', text: 'FROM fedora:42 AS build\nRUN rm -rf /var/run && mkdir -p /var/run/x\nFROM quay.io/fedora/fedora-bootc:42\nCOPY --from=build /usr/bin/x /usr/bin/x\n' },
    { name: 'plain app Dockerfile', text: 'FROM debian\nRUN rm -rf /var/run && mkdir -p /var/run/sshd\n' },
  ],
  invalid: [
    { name: 'rm then mkdir -p', text: bootc('RUN rm /var/run && mkdir -p /var/run/app'), at: '/var/run/app' },
    { name: 'rm -rf then mkdir /var/run', text: bootc('RUN rm -rf /var/run && mkdir /var/run'), at: '/var/run' },
    { name: 'in a later RUN', text: bootc('RUN rm -rf /var/run\nRUN mkdir -p /var/run/sshd'), at: '/var/run/sshd' },
    { name: 'COPY after the removal', text: bootc('RUN rm -rf /var/run\nCOPY app.pid /var/run/'), at: '/var/run/' },
    { name: 'after rm -rf /var/*', text: bootc('RUN rm -rf /var/* && mkdir -p /var/run/app /var/lib'), at: '/var/run/app' },
    { name: 'brace expansion and heredoc script', text: bootc('RUN <<EOF\nrm -rf /var/{run,lock}\ninstall -d /var/run/app\nEOF'), at: '/var/run/app' },
    { name: 'bash -c string', text: bootc("RUN bash -c 'unlink /var/run && mkdir -p /var/run/x'"), at: '/var/run/x' },
    { name: 'inherited from a parent stage', text: 'FROM quay.io/centos-bootc/centos-bootc:stream9 AS base\nRUN rm /var/run && mkdir -p /var/run/x\nFROM base\n', at: '/var/run/x' },
  ],
});
