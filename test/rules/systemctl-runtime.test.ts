import { bootc, ruleTable } from '../helpers/lint';

ruleTable('systemctl-runtime', {
  valid: [
    { name: 'enable', text: bootc('RUN systemctl enable httpd.service') },
    { name: 'disable, mask, unmask, preset', text: bootc('RUN systemctl disable bootc-fetch-apply-updates.timer && systemctl mask systemd-remount-fs.service && systemctl unmask tmp.mount && systemctl preset-all') },
    { name: 'set-default and add-wants', text: bootc('RUN systemctl set-default graphical.target && systemctl add-wants multi-user.target app.service') },
    { name: 'enable --now (the enable part is what the image keeps)', text: bootc('RUN systemctl enable --now podman.socket') },
    { name: '--root= works offline', text: bootc('RUN systemctl --root=/ start foo.service && systemctl --root / daemon-reload') },
    { name: 'is-enabled and cat are offline', text: bootc('RUN systemctl is-enabled sshd || systemctl cat sshd') },
    { name: 'global user unit enable', text: bootc('RUN systemctl --global enable app.service') },
    { name: 'heredoc body is data', text: bootc("RUN cat > /usr/share/doc/app.txt <<'EOF'\nsystemctl start app\nEOF") },
    { name: 'builder stage', text: 'FROM quay.io/fedora/fedora:42 AS build\nRUN systemctl start foo\nFROM quay.io/fedora/fedora-bootc:42\nRUN systemctl enable foo\n' },
    { name: 'plain app Dockerfile', text: 'FROM fedora:42\nRUN systemctl start httpd\n' },
  ],
  invalid: [
    { name: 'start (fix: enable)', text: bootc('RUN systemctl start httpd.service'), at: 'systemctl start httpd.service' },
    { name: 'restart in a chain (fix: enable)', text: bootc('RUN dnf -y install nginx && dnf clean all && systemctl restart nginx'), at: 'systemctl restart nginx' },
    { name: 'stop', text: bootc('RUN systemctl stop firewalld'), at: 'systemctl stop firewalld' },
    { name: 'daemon-reload after || true', text: bootc('RUN systemctl daemon-reload || true'), at: 'systemctl daemon-reload' },
    { name: 'status', text: bootc('RUN systemctl status sshd --no-pager'), at: 'systemctl status sshd --no-pager' },
    { name: 'is-active in an if', text: bootc('RUN if systemctl is-active --quiet sshd; then echo up; fi'), at: 'systemctl is-active --quiet sshd' },
    { name: 'isolate', text: bootc('RUN systemctl isolate multi-user.target'), at: 'systemctl isolate multi-user.target' },
    { name: 'reload with options first', text: bootc('RUN systemctl --no-block -q reload httpd'), at: 'systemctl --no-block -q reload httpd' },
    { name: 'try-restart', text: bootc('RUN systemctl try-restart sshd'), at: 'systemctl try-restart sshd' },
    { name: 'sudo, set -eux, line continuation', text: bootc('RUN set -eux; \\\n    sudo systemctl start podman.socket'), at: 'systemctl start podman.socket' },
    { name: 'bash -c (fix)', text: bootc("RUN bash -c 'systemctl start app'"), at: 'systemctl start app' },
    { name: 'heredoc script', text: bootc('RUN <<EOF\nsystemctl enable app\nsystemctl start app\nEOF'), at: 'systemctl start app' },
    { name: 'exec form (no fix)', text: bootc('RUN ["systemctl", "start", "app"]') },
    { name: 'user manager', text: bootc('RUN systemctl --user start app'), at: 'systemctl --user start app' },
    { name: 'inherited from a parent stage', text: 'FROM quay.io/centos-bootc/centos-bootc:stream9 AS base\nRUN systemctl start x\nFROM base\n', at: 'systemctl start x' },
  ],
});
