import { bootc, ruleTable } from '../helpers/lint';

ruleTable('chcon', {
  valid: [
    { name: 'semanage fcontext and restorecon', text: bootc("RUN semanage fcontext -a -t httpd_sys_content_t '/srv/www(/.*)?' && restorecon -R /srv/www") },
    { name: 'heredoc body is data', text: bootc("RUN cat > /usr/share/doc/se.txt <<'EOF'\nchcon -t x /y\nEOF") },
    { name: 'chcon --help', text: bootc('RUN chcon --help') },
    { name: 'builder stage', text: 'FROM quay.io/fedora/fedora:42 AS build\nRUN chcon -t bin_t /out/app\nFROM quay.io/fedora/fedora-bootc:42\nCOPY --from=build /out/app /usr/bin/app\n' },
    { name: 'plain app Dockerfile', text: 'FROM fedora:42\nRUN chcon -t bin_t /usr/bin/app\n' },
  ],
  invalid: [
    { name: 'chcon -t', text: bootc('RUN chcon -t bin_t /usr/bin/app'), at: 'chcon -t bin_t /usr/bin/app' },
    { name: 'chcon -R in a chain', text: bootc('RUN mkdir -p /srv/www && chcon -R -t httpd_sys_content_t /srv/www'), at: 'chcon -R -t httpd_sys_content_t /srv/www' },
    { name: 'full context, sudo, continuation', text: bootc('RUN set -eux; \\\n    sudo chcon system_u:object_r:container_file_t:s0 /usr/lib/app'), at: 'chcon system_u:object_r:container_file_t:s0 /usr/lib/app' },
    { name: 'bash -c', text: bootc("RUN bash -c 'chcon --reference=/usr/bin/ls /usr/bin/app'"), at: 'chcon --reference=/usr/bin/ls /usr/bin/app' },
    { name: 'heredoc script, || true', text: bootc('RUN <<EOF\nchcon -t bin_t /usr/local/bin/x || true\nEOF'), at: 'chcon -t bin_t /usr/local/bin/x' },
    { name: 'exec form', text: bootc('RUN ["chcon", "-t", "bin_t", "/usr/bin/app"]') },
    { name: 'two commands', text: bootc('RUN chcon -t a /x && chcon -t b /y'), count: 2, at: 'chcon -t a /x' },
    { name: 'inherited from a parent stage', text: 'FROM quay.io/centos-bootc/centos-bootc:stream9 AS base\nRUN chcon -t bin_t /usr/bin/app\nFROM base\n', at: 'chcon -t bin_t /usr/bin/app' },
  ],
});
