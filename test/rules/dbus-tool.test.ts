import { bootc, ruleTable } from '../helpers/lint';

ruleTable('dbus-tool', {
  valid: [
    { name: 'firewall-offline-cmd', text: bootc('RUN firewall-offline-cmd --add-service=http && firewall-offline-cmd --zone=public --add-port=8080/tcp') },
    { name: 'system dconf database', text: bootc("RUN mkdir -p /etc/dconf/db/local.d && printf '[org/gnome/desktop/interface]\\ncolor-scheme=\"prefer-dark\"\\n' > /etc/dconf/db/local.d/01-dark && dconf update") },
    { name: 'dconf compile and gsettings get', text: bootc('RUN dconf compile /etc/dconf/db/local /etc/dconf/db/local.d && gsettings get org.gnome.desktop.interface color-scheme') },
    { name: 'nmcli --offline', text: bootc('RUN nmcli --offline connection add type ethernet ifname eth0 > /usr/lib/NetworkManager/system-connections/eth0.nmconnection') },
    { name: '--help and --version', text: bootc('RUN firewall-cmd --version && hostnamectl --help') },
    { name: 'offline list verbs', text: bootc('RUN localectl list-locales && timedatectl list-timezones > /usr/share/zones.txt') },
    { name: 'timezone link', text: bootc('RUN ln -sf ../usr/share/zoneinfo/UTC /etc/localtime') },
    { name: 'heredoc body is data', text: bootc("RUN cat > /usr/share/doc/fw.txt <<'EOF'\nfirewall-cmd --add-port=1/tcp\nEOF") },
    { name: 'builder stage', text: 'FROM quay.io/fedora/fedora:42 AS build\nRUN hostnamectl set-hostname x\nFROM quay.io/fedora/fedora-bootc:42\nRUN echo ok\n' },
    { name: 'plain app Dockerfile', text: 'FROM fedora:42\nRUN firewall-cmd --permanent --add-service=http\n' },
  ],
  invalid: [
    { name: 'firewall-cmd --permanent (fix)', text: bootc('RUN firewall-cmd --permanent --add-service=http'), at: 'firewall-cmd --permanent --add-service=http' },
    { name: 'firewall-cmd with zone, line continuation (fix)', text: bootc('RUN dnf -y install firewalld && dnf clean all && \\\n    firewall-cmd --permanent --zone=public \\\n      --add-port=9090/tcp'), at: 'firewall-cmd --permanent --zone=public \\\n      --add-port=9090/tcp' },
    { name: '--permanent alone on a continued line (fix drops the line)', text: bootc('RUN firewall-cmd \\\n    --permanent \\\n    --add-service=http'), at: 'firewall-cmd \\\n    --permanent \\\n    --add-service=http' },
    { name: 'firewall-cmd --reload (no fix)', text: bootc('RUN firewall-cmd --reload'), at: 'firewall-cmd --reload' },
    { name: 'hostnamectl', text: bootc('RUN hostnamectl set-hostname bootc-host'), at: 'hostnamectl set-hostname bootc-host' },
    { name: 'timedatectl with sudo', text: bootc('RUN sudo timedatectl set-timezone Europe/Berlin'), at: 'timedatectl set-timezone Europe/Berlin' },
    { name: 'localectl', text: bootc('RUN localectl set-locale LANG=en_US.UTF-8'), at: 'localectl set-locale LANG=en_US.UTF-8' },
    { name: 'nmcli', text: bootc('RUN nmcli connection add type ethernet con-name eth0 ifname eth0'), at: 'nmcli connection add type ethernet con-name eth0 ifname eth0' },
    { name: 'gsettings set', text: bootc("RUN gsettings set org.gnome.desktop.interface color-scheme 'prefer-dark'"), at: "gsettings set org.gnome.desktop.interface color-scheme 'prefer-dark'" },
    { name: 'gsettings through dbus-launch', text: bootc('RUN dbus-launch --exit-with-session gsettings set org.gnome.desktop.interface clock-format 24h'), at: 'gsettings set org.gnome.desktop.interface clock-format 24h' },
    { name: 'dconf write in bash -c', text: bootc("RUN bash -c 'dconf write /org/gnome/x true'"), at: 'dconf write /org/gnome/x true' },
    { name: 'heredoc script, || true', text: bootc('RUN <<EOF\nset -e\nfirewall-cmd --add-port=22/tcp || true\nEOF'), at: 'firewall-cmd --add-port=22/tcp' },
    { name: 'inherited from a parent stage', text: 'FROM quay.io/centos-bootc/centos-bootc:stream9 AS base\nRUN hostnamectl hostname x\nFROM base\n', at: 'hostnamectl hostname x' },
  ],
});
