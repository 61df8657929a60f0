#!/bin/sh
# Records that this device is alive: the time and boot id, in the service's state folder
# (/var/lib/heartbeat), and posts them to HEARTBEAT_URL when /etc/heartbeat.conf sets one
# (cloud-init writes that file per device; see user-data.yaml).
set -eu

state_dir="${STATE_DIRECTORY:-/var/lib/heartbeat}"
now="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
boot_id="$(cat /proc/sys/kernel/random/boot_id)"
host="$(cat /proc/sys/kernel/hostname)"

printf '%s %s %s\n' "$now" "$host" "$boot_id" > "$state_dir/last"
echo "heartbeat: $host alive at $now"

if [ -n "${HEARTBEAT_URL:-}" ]; then
    curl --fail --silent --show-error --max-time 20 \
        --data-urlencode "host=$host" \
        --data-urlencode "time=$now" \
        --data-urlencode "boot_id=$boot_id" \
        "$HEARTBEAT_URL"
fi
