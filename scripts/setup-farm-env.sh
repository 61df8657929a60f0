#!/usr/bin/env bash
# The test environment of the multi-architecture (podman farm) tests. Debian 12's podman 4.3
# has no `podman farm` (podman 4.9+), so this makes a podman 5 out of Debian 13 "trixie".
# Everything lives OUTSIDE the repository, under /var/cache/vscode-bootc (VSCODE_BOOTC_FARM_BASE):
#
#   trixie/     a `debootstrap --variant=minbase trixie` chroot with podman, runc, netavark,
#               nftables and iptables; its own container storage (/var/lib/containers inside it)
#   share/      the only host folder the chroot sees: tests put the Containerfiles and build
#               contexts the farm client must read here. Read-only inside, at the same path.
#   farm-env/   this script's state: the client wrapper `podman`, pid files, logs, the
#               registry's data and configuration, the lock
#
#   the namespace  one process ("vscode-bootc-farm-ns") holding a PRIVATE mount namespace in
#               which the chroot's mounts exist: the chroot onto itself (podman pivots its
#               root), a fresh proc, /sys, a tmpfs /dev with the few device nodes podman needs,
#               a devpts instance, tmpfs /dev/shm and /run, and share/ read-only. The host's
#               mount table never shows any of them, so nothing that walks trixie/ from the host
#               (rm -rf, git clean, find) can go through a mount; they vanish with the namespace.
#               No repository path and not /tmp are ever mounted inside.
#   the farm NODE  `podman system service` in the chroot, in that namespace, on
#               unix:///run/podman/podman.sock (inside), added as the system connection
#               "farm-node" and put in the farm "test-farm"
#   the client  farm-env/podman: enters the namespace and the chroot and runs podman 5 there
#               (the tests' bootc.podman.path), in the caller's folder when it is under share/
#   a registry  Debian's docker-registry on 127.0.0.1:$FARM_REGISTRY_PORT (plain HTTP, marked
#               insecure in the chroot's registries.conf.d)
#   a network   the chroot's default network is the bridge bootcfarm0 on $FARM_SUBNET, apart
#               from the host podman's cni-podman0 on 10.88.0.0/16
#
#   scripts/setup-farm-env.sh [up]  set up (idempotent: about 50 s from nothing, under a second
#                                   when all runs); prints KEY=VALUE lines on stdout, timings
#                                   on stderr
#   scripts/setup-farm-env.sh down  stop the node, the registry and the namespace (its mounts
#                                   go with it); the chroot stays for the next `up`
#   scripts/setup-farm-env.sh status  exit 0 (prints "up") when the node and the registry answer
#   scripts/setup-farm-env.sh purge   `down`, then delete the chroot, refusing while anything is
#                                   mounted below it in any mount namespace
#
# Root only (debootstrap, chroot, unshare, mount). debootstrap and apt-get also run in private
# mount namespaces of their own, so that their mounts never reach the host's mount table either.
set -euo pipefail
SELF=$(realpath -- "$0")
REPO=$(cd "$(dirname "$SELF")/.." && pwd -P)
BASE=$(realpath -m -- "${VSCODE_BOOTC_FARM_BASE:-/var/cache/vscode-bootc}")
ROOT=$(realpath -m -- "${VSCODE_BOOTC_FARM_ROOT:-$BASE/trixie}")
STATE=$(realpath -m -- "${VSCODE_BOOTC_FARM_STATE:-$BASE/farm-env}")
SHARE=$(realpath -m -- "${VSCODE_BOOTC_FARM_SHARE:-$BASE/share}")
PORT="${FARM_REGISTRY_PORT:-5311}"
SUBNET="${FARM_SUBNET:-10.89.207.0/24}"
MIRROR="${FARM_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
CONNECTION=farm-node
FARM=test-farm
SOCKET=/run/podman/podman.sock
BRIDGE=bootcfarm0
HOLDER_NAME=vscode-bootc-farm-ns
# Raise when the chroot's packages or configuration change: the chroot is then set up again.
RECIPE=3
# The environment of every podman inside the chroot.
CHROOT_ENV=(PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TMPDIR=/var/tmp PODMAN_IGNORE_CGROUPSV1_WARNING=1 CONTAINERS_CONF=/etc/containers/farm-test.conf)

log() { printf 'setup-farm-env: %s\n' "$*" >&2; }
die() {
  log "$*"
  exit 1
}
now() { date +%s.%N; }
timed() { # timed LABEL COMMAND...: runs it, logs how long it took
  local label=$1 start
  shift
  start=$(now)
  "$@"
  log "$label: $(awk -v a="$start" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }')"
}

# True when PATH is DIR or lies below it.
is_within() { [[ "$1/" == "$2/"* ]]; }

# The folders this script creates, mounts and may delete: refuse any that a mistake in an
# environment variable could turn into a repository, /tmp or a system folder.
check_paths() {
  local dir forbidden
  for dir in "$ROOT" "$STATE" "$SHARE"; do
    [[ "$dir" =~ ^(/[A-Za-z0-9._-]+){2,}$ ]] || die "refusing $dir: it must be an absolute path of two or more plain components"
    for forbidden in /work /tmp /home /root /proc /sys /dev /run "$REPO"; do
      is_within "$dir" "$forbidden" && die "refusing $dir: it lies in $forbidden"
    done
    is_within "$REPO" "$dir" && die "refusing $dir: it holds the repository"
  done
  case "$ROOT" in /usr | /usr/* | /etc | /etc/* | /var | /var/lib | /var/lib/containers* | /var/cache) die "refusing $ROOT as the chroot" ;; esac
  for dir in "$STATE" "$SHARE"; do
    is_within "$dir" "$ROOT" && die "refusing $dir: it lies in the chroot $ROOT"
    is_within "$ROOT" "$dir" && die "refusing $ROOT: it lies in $dir"
  done
  return 0
}

# Every mount point at or below DIR, in this mount namespace and in every other one (one
# process of each namespace is read; paths as that process sees them, so a chrooted process
# shows its own root: see rooted_processes for those).
mounts_below() {
  local dir=$1 pid ns
  local -A seen=()
  findmnt -R -rn -o TARGET -- "$dir" 2>/dev/null || true
  for pid in /proc/self /proc/[0-9]*; do
    ns=$(readlink "$pid/ns/mnt" 2>/dev/null) || continue
    [ -n "${seen[$ns]:-}" ] && continue
    seen[$ns]=1
    # Field 5 of mountinfo is the mount point, with blanks escaped as octal.
    awk -v dir="$dir" '$5 == dir || index($5, dir "/") == 1 { print $5 }' "$pid/mountinfo" 2>/dev/null || true
  done
}

# Processes whose root directory is the chroot or lies in it (the node, clients, conmon).
rooted_processes() {
  local pid root
  for pid in /proc/[0-9]*; do
    root=$(readlink "$pid/root" 2>/dev/null) || continue
    if is_within "$root" "$ROOT"; then echo "${pid#/proc/}"; fi
  done
}

# The only way this script deletes the chroot: after checking that no mount lies below it in
# any mount namespace and no process runs in it. `--one-file-system` alone would not protect
# anything here: a bind mount of a folder of the same file system has the same device.
remove_chroot() {
  check_paths
  [ -e "$ROOT" ] || return 0
  local mounts processes
  mounts=$(mounts_below "$ROOT" | sort -u)
  processes=$(rooted_processes | tr '\n' ' ')
  if [ -n "$mounts" ]; then
    log "not deleting $ROOT: mounted below it: $(echo "$mounts" | tr '\n' ' ')(run: $SELF down)"
    return 1
  fi
  if [ -n "$processes" ]; then
    log "not deleting $ROOT: processes run in it: $processes(run: $SELF down)"
    return 1
  fi
  holder_pid >/dev/null && {
    log "not deleting $ROOT: its namespace holder still runs (run: $SELF down)"
    return 1
  }
  log "deleting $ROOT"
  rm -rf --one-file-system -- "$ROOT"
}

# The mounts of the chroot, made INSIDE a private mount namespace (the holder's, or apt-get's).
mount_inside() {
  [ -n "${FARM_OUTER_MNT_NS:-}" ] && [ "$(readlink /proc/self/ns/mnt)" != "$FARM_OUTER_MNT_NS" ] || die "mount_inside must run in a private mount namespace"
  mount --make-rprivate /
  mount --bind "$ROOT" "$ROOT"
  mount -t proc -o nosuid,nodev,noexec proc "$ROOT/proc"
  # /sys with its cgroup hierarchies: podman's cgroupfs manager writes there.
  mount --rbind /sys "$ROOT/sys"
  mount -t tmpfs -o mode=0755,nosuid dev "$ROOT/dev"
  local node
  for node in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
    IFS=: read -r name major minor <<<"$node"
    mknod -m 0666 "$ROOT/dev/$name" c "$major" "$minor"
  done
  mkdir "$ROOT/dev/pts" "$ROOT/dev/shm"
  mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts "$ROOT/dev/pts"
  ln -s pts/ptmx "$ROOT/dev/ptmx"
  ln -s /proc/self/fd "$ROOT/dev/fd"
  mount -t tmpfs -o mode=1777,nosuid,nodev shm "$ROOT/dev/shm"
  mount -t tmpfs -o mode=0755,nosuid,nodev run "$ROOT/run"
  mkdir -p "$ROOT$SHARE"
  mount --bind "$SHARE" "$ROOT$SHARE"
  mount -o remount,bind,ro "$ROOT$SHARE"
}

in_chroot() { chroot "$ROOT" /usr/bin/env -i "${CHROOT_ENV[@]}" "$@"; }

# The holder: sets up the mounts in its own namespace, says it is ready, then waits.
holder_main() {
  mount_inside
  echo $$ >"$STATE/holder.pid.new"
  mv "$STATE/holder.pid.new" "$STATE/holder.pid"
  exec -a "$HOLDER_NAME" sleep infinity
}

# The pid of the running holder (checked by its name, so a stale pid file is never trusted).
holder_pid() {
  local pid
  pid=$(cat "$STATE/holder.pid" 2>/dev/null) || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [ "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" = "$HOLDER_NAME infinity " ] || return 1
  echo "$pid"
}

start_holder() {
  holder_pid >/dev/null && return 0
  rm -f "$STATE/holder.pid"
  # fd 9 is the lock: a daemon that kept it would hold the lock for ever.
  setsid unshare --mount --propagation private -- bash "$SELF" __holder </dev/null >"$STATE/holder.log" 2>&1 9>&- &
  for _ in $(seq 100); do
    holder_pid >/dev/null && return 0
    kill -0 $! 2>/dev/null || break
    sleep 0.05
  done
  log "the mount namespace could not be set up:"
  tail -5 "$STATE/holder.log" >&2
  return 1
}

stop_pid() { # stop_pid PID...: SIGTERM, then SIGKILL after 5 s
  [ "$#" -gt 0 ] || return 0
  kill "$@" 2>/dev/null || true
  for _ in $(seq 50); do
    kill -0 "$@" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -9 "$@" 2>/dev/null || true
}

# The pid in FILE when that process still runs the command named by PATTERN.
pid_of() { # pid_of FILE PATTERN
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$2" || return 1
  echo "$pid"
}

registry_up() { curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/v2/" 2>/dev/null; }

node_up() {
  local holder
  holder=$(holder_pid) || return 1
  nsenter --target "$holder" --mount -- curl -fsS -o /dev/null --max-time 2 --unix-socket "$ROOT$SOCKET" http://d/_ping 2>/dev/null
}

down() {
  check_paths
  local holder pids=() pid ns
  holder=$(holder_pid) || holder=
  pid=$(pid_of "$STATE/node.pid" 'podman system service') && pids+=("$pid")
  pid=$(pid_of "$STATE/registry.pid" 'docker-registry serve') && pids+=("$pid")
  # Every process in the holder's namespace (the node, conmon, netavark, clients still running)
  # and every process whose root is the chroot.
  if [ -n "$holder" ]; then
    ns=$(readlink "/proc/$holder/ns/mnt")
    for pid in /proc/[0-9]*; do
      [ "$(readlink "$pid/ns/mnt" 2>/dev/null)" = "$ns" ] && [ "${pid#/proc/}" != "$holder" ] && pids+=("${pid#/proc/}")
    done
  fi
  mapfile -t -O "${#pids[@]}" pids < <(rooted_processes)
  stop_pid "${pids[@]}"
  [ -n "$holder" ] && stop_pid "$holder"
  rm -f "$STATE/node.pid" "$STATE/registry.pid" "$STATE/holder.pid"
  log "stopped the node, the registry and the mount namespace of $ROOT"
}

host_packages() {
  local missing=() package
  for package in debootstrap docker-registry curl util-linux; do
    dpkg-query -W -f='${Status}\n' "$package" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$package")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
}

bootstrap() {
  [ -f "$ROOT/.bootstrapped" ] && return 0
  # A chroot left half made by an interrupted debootstrap.
  remove_chroot
  mkdir -p "$ROOT"
  unshare --mount --propagation private -- debootstrap --variant=minbase trixie "$ROOT" "$MIRROR" >"$STATE/debootstrap.log" 2>&1 ||
    { tail -20 "$STATE/debootstrap.log" >&2; return 1; }
  touch "$ROOT/.bootstrapped"
}

# Inside a private mount namespace of its own (see apt_main).
install_podman() {
  [ "$(cat "$ROOT/.recipe" 2>/dev/null)" = "$RECIPE" ] && return 0
  unshare --mount --propagation private -- bash "$SELF" __apt 9>&-
  echo "$RECIPE" >"$ROOT/.recipe"
}

apt_main() {
  mount_inside
  # No services may start inside the chroot while packages install.
  printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
  chmod 755 "$ROOT/usr/sbin/policy-rc.d"
  in_chroot sh -c 'export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq --no-install-recommends podman runc crun conmon netavark aardvark-dns nftables iptables ca-certificates curl >/var/tmp/farm-apt.log 2>&1 || { tail -20 /var/tmp/farm-apt.log; exit 1; }; apt-get clean'
}

# The chroot's containers.conf (as ENVIRONMENT.md's for the host: rlimits this sandbox allows,
# runc, cgroupfs; plus a file events log, since no journald runs), the insecure registry, and
# the default network on its own bridge and subnet (the host podman's is 10.88.0.0/16).
configure() {
  local nofile gateway
  nofile=$(ulimit -Hn)
  gateway="${SUBNET%.*}.1"
  mkdir -p "$ROOT/etc/containers/registries.conf.d" "$ROOT/etc/containers/networks"
  write_if_changed "$ROOT/etc/containers/farm-test.conf" <<EOF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=32768:32768"]
log_driver = "k8s-file"
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
  write_if_changed "$ROOT/etc/containers/registries.conf.d/50-farm-test.conf" <<EOF
[[registry]]
location = "127.0.0.1:$PORT"
insecure = true
EOF
  write_if_changed "$ROOT/etc/containers/networks/podman.json" <<EOF
{
  "name": "podman",
  "id": "2f259bab93aaaaa2542ba43ef33eb990d0999ee1b9924b557b7be53c0b7a1bb9",
  "driver": "bridge",
  "network_interface": "$BRIDGE",
  "created": "2026-01-01T00:00:00Z",
  "subnets": [{ "subnet": "$SUBNET", "gateway": "$gateway" }],
  "ipv6_enabled": false,
  "internal": false,
  "dns_enabled": false,
  "ipam_options": { "driver": "host-local" }
}
EOF
}

# Writes stdin to FILE unless FILE already holds it (a warm `up` writes nothing).
write_if_changed() {
  local text
  text=$(cat)
  [ -f "$1" ] && [ "$(cat "$1")" = "$text" ] && return 0
  printf '%s\n' "$text" >"$1.new"
  mv "$1.new" "$1"
}

write_wrapper() {
  # The client: podman 5 in the holder's namespace and the chroot, with the chroot's own HOME
  # and configuration, in the caller's folder when the chroot sees it (share/), else in /.
  write_if_changed "$STATE/podman" <<EOF
#!/bin/sh
# The podman 5 of the farm test environment (scripts/setup-farm-env.sh). Test use only.
holder=\$(cat "$STATE/holder.pid" 2>/dev/null)
if [ -z "\$holder" ] || [ "\$(tr '\0' ' ' <"/proc/\$holder/cmdline" 2>/dev/null)" != "$HOLDER_NAME infinity " ]; then
  echo "Error: the farm test environment is not running (run: $SELF up)" >&2
  exit 125
fi
exec nsenter --target "\$holder" --mount -- chroot "$ROOT" /usr/bin/env -i ${CHROOT_ENV[*]} TERM="\${TERM:-dumb}" /bin/sh -c 'cd "\$0" 2>/dev/null || cd /; exec /usr/bin/podman "\$@"' "\$(pwd -P)" "\$@"
EOF
  chmod 755 "$STATE/podman"
}

start_registry() {
  registry_up && return 0
  stop_pid $(pid_of "$STATE/registry.pid" 'docker-registry serve' || true)
  mkdir -p "$STATE/registry-data"
  write_if_changed "$STATE/registry.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $STATE/registry-data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$PORT
EOF
  setsid docker-registry serve "$STATE/registry.yml" </dev/null >"$STATE/registry.log" 2>&1 9>&- &
  echo $! >"$STATE/registry.pid"
  for _ in $(seq 100); do
    registry_up && return 0
    sleep 0.1
  done
  log "the registry did not answer on 127.0.0.1:$PORT:"
  tail -5 "$STATE/registry.log" >&2
  return 1
}

start_node() {
  node_up && return 0
  stop_pid $(pid_of "$STATE/node.pid" 'podman system service' || true)
  local holder
  holder=$(holder_pid)
  setsid nsenter --target "$holder" --mount -- chroot "$ROOT" /usr/bin/env -i "${CHROOT_ENV[@]}" \
    /bin/sh -c "mkdir -p ${SOCKET%/*} && exec /usr/bin/podman system service --time=0 unix://$SOCKET" </dev/null >"$STATE/node.log" 2>&1 9>&- &
  echo $! >"$STATE/node.pid"
  for _ in $(seq 100); do
    node_up && return 0
    sleep 0.1
  done
  log "the farm node did not answer on $SOCKET in the chroot:"
  tail -5 "$STATE/node.log" >&2
  return 1
}

# The connection and the farm, as a user would make them (the tests make their own farms too).
connect() {
  "$STATE/podman" system connection list --format '{{.Name}}' | grep -qx "$CONNECTION" ||
    "$STATE/podman" system connection add "$CONNECTION" "unix://$SOCKET" >/dev/null
  "$STATE/podman" farm list --format '{{.Name}}' | grep -qx "$FARM" ||
    "$STATE/podman" farm create "$FARM" "$CONNECTION" >/dev/null
}

up() {
  timed "host packages" host_packages
  timed "debootstrap trixie" bootstrap
  mkdir -p "$SHARE"
  chmod 1777 "$SHARE"
  timed "podman in the chroot" install_podman
  configure
  write_wrapper
  timed "mount namespace" start_holder
  timed "registry" start_registry
  timed "farm node" start_node
  timed "connection and farm" connect
  cat <<EOF
PODMAN=$STATE/podman
REGISTRY=127.0.0.1:$PORT
CONNECTION=$CONNECTION
SOCKET=unix://$SOCKET
FARM=$FARM
SHARE=$SHARE
VERSION=$("$STATE/podman" --version | awk '{ print $3 }')
EOF
}

# One setup or teardown at a time: test files running in parallel all call `up`.
lock() {
  mkdir -p "$STATE"
  exec 9>"$STATE/lock"
  flock -w 900 9 || die "waited 15 minutes for $STATE/lock"
}

need_root() { [ "$(id -u)" = 0 ] || { log "needs root (debootstrap, chroot, unshare, mount)"; exit 2; }; }

check_paths
# The caller's mount namespace, by which the private ones (__holder, __apt) know they are private.
[ -n "${FARM_OUTER_MNT_NS:-}" ] || FARM_OUTER_MNT_NS=$(readlink /proc/self/ns/mnt)
export FARM_OUTER_MNT_NS
case "${1:-up}" in
  up) need_root && lock && up ;;
  down) need_root && lock && down ;;
  purge) need_root && lock && down && remove_chroot ;;
  status) if registry_up && node_up; then echo up; else echo down; exit 1; fi ;;
  __holder) holder_main ;;
  __apt) apt_main ;;
  *) echo "usage: $0 [up|down|status|purge]" >&2; exit 2 ;;
esac
