import { bootc, ruleTable } from '../helpers/lint';

ruleTable('opt-symlink-to-var', {
  valid: [
    { name: '/usr/local to /var/usrlocal is allowed', text: bootc('RUN rm -rf /usr/local && ln -s /var/usrlocal /usr/local') },
    { name: 'link inside an existing /opt', text: bootc('RUN ln -s /var/lib/app /opt/app-data') },
    { name: 'ln -s /var/opt /opt without removing /opt links inside it', text: bootc('RUN ln -s /var/opt /opt') },
    { name: '/opt recreated as a directory first', text: bootc('RUN rm -rf /opt && mkdir /opt && ln -s /var/opt /opt') },
    { name: 'emptying /opt only', text: bootc('RUN rm -rf /opt/* && ln -s /var/opt/x /opt/x') },
    { name: '/opt replaced with a link outside /var', text: bootc('RUN rm -rf /opt && ln -s /usr/lib/opt /opt') },
    { name: 'builder stage', text: 'FROM fedora AS build\nRUN rm -rf /opt && ln -s /var/opt /opt\nFROM quay.io/fedora/fedora-bootc:42\nCOPY --from=build /usr/bin/x /usr/bin/x\n' },
    { name: 'plain app Dockerfile', text: 'FROM fedora:40\nRUN rm -rf /opt && ln -s /var/opt /opt\n' },
  ],
  invalid: [
    { name: 'rm and ln in one RUN', text: bootc('RUN rm -rf /opt && ln -s /var/opt /opt'), at: '/opt' },
    { name: 'relative link target', text: bootc('RUN rm -rf /opt && ln -sf var/opt /opt'), at: '/opt' },
    { name: 'removal in an earlier RUN', text: bootc('RUN rm -rf /opt\nRUN ln -sf ../var/opt /opt'), at: '/opt' },
    { name: 'mv /opt into /var', text: bootc('RUN mv /opt /var/opt && ln -s /var/opt /opt'), at: '/opt' },
    { name: 'ln -T replaces the path', text: bootc('RUN ln -sfT /var/opt /opt'), at: '/opt' },
    { name: 'trailing slash on the removal', text: bootc('RUN set -eux; rm -rf /opt/ ; ln -s /var/opt /opt'), at: '/opt' },
    { name: 'heredoc script', text: bootc('RUN <<EOF\nrmdir /opt\nln -s /var/opt /opt\nEOF'), at: '/opt' },
    { name: 'bash -c', text: bootc("RUN bash -c 'rm -rf /opt && ln -s /var/opt /opt'"), at: '/opt' },
    { name: 'ARG target', text: bootc('ARG OPTDIR=/var/opt\nRUN rm -rf /opt && ln -s ${OPTDIR} /opt'), at: '/opt' },
    { name: 'inherited from a parent stage', text: 'FROM quay.io/fedora/fedora-bootc:42 AS base\nRUN rm -rf /opt && ln -s /var/opt /opt\nFROM base\nRUN true\n', at: '/opt' },
  ],
});
