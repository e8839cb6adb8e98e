#!/usr/bin/env bash
# Runs the service in the foreground: memcached (unless something already
# listens on the address given) and lighttpd, which spawns the fcgi programs, which
# spawn the dispatchers, which spawn the converters. Ctrl-C, SIGTERM, or
# lighttpd stopping by itself stops all of them, and memcached if this
# script started it.
#
# It stops only its own processes, never by program name or path, so that
# several runs from one checkout (with their own PORT and DATA_DIR) stop
# independently: lighttpd runs in a session of its own with a random token
# in its environment (TRACKS_INSTANCE), which lighttpd passes on to the fcgi
# processes, and they on to the dispatchers and converters (own_pids).
#
# Environment (all optional): PORT (8080), BIND (127.0.0.1), DATA_DIR (./data),
# LOG_DIR ($DATA_DIR/log), BIN_DIR (bin/ of the repository), MEMCACHED
# (host:port, or the path of a unix socket; default $DATA_DIR/run/memcached.sock,
# a memcached of this run's own), UPLOAD_LIMIT (bytes, 64 MiB) and the other settings of
# README.md; unset ones are passed on empty, meaning "the default".
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

export PORT="${PORT:-8080}"
export BIND="${BIND:-127.0.0.1}"
DATA_DIR="${DATA_DIR:-./data}"
mkdir -p "$DATA_DIR"
export DATA_DIR="$(cd "$DATA_DIR" && pwd)"
export LOG_DIR="${LOG_DIR:-$DATA_DIR/log}"
export BIN_DIR="${BIN_DIR:-$root/bin}"
# memcached: by default one of this run's own, on a unix socket in DATA_DIR
# (cheaper per request than loopback TCP); 127.0.0.1:11211 if that path is
# too long for a socket.
mc_default="$DATA_DIR/run/memcached.sock"
(( ${#mc_default} <= 100 )) || mc_default="127.0.0.1:11211"
export MEMCACHED="${MEMCACHED:-$mc_default}"
upload_limit="${UPLOAD_LIMIT:-67108864}"
# lighttpd's own limit on the request body: the file plus the form around it.
export MAX_REQUEST_KB="$(( upload_limit / 1024 + 1024 ))"
for v in DB_PATH CONVERTERS JOB_TIMEOUT LEASE MAX_ATTEMPTS MAX_REQUEUES POLL GRACE \
         JOB_MEMORY JOB_OUTPUT_LIMIT UPLOAD_LIMIT RETENTION SMTP_ADDR SMTP_FROM ADMIN_EMAIL \
         SOURCE_DATE_EPOCH; do
  export "$v=${!v-}"
done

for p in fcgi worker converter; do
  if [[ ! -x "$BIN_DIR/$p" ]]; then
    echo "run-service: $BIN_DIR/$p is missing; run 'make build' first" >&2
    exit 1
  fi
done
find_bin() {
  command -v "$1" 2>/dev/null && return
  for d in /usr/sbin /usr/bin /usr/local/sbin /usr/local/bin; do
    [[ -x "$d/$1" ]] && { echo "$d/$1"; return; }
  done
  echo "run-service: $1 is not installed (apt-get install $1)" >&2
  return 1
}
lighttpd_bin="$(find_bin lighttpd)"
memcached_bin="$(find_bin memcached)"

mkdir -p "$DATA_DIR/tmp" "$DATA_DIR/run" "$DATA_DIR/errors" "$DATA_DIR/static" "$LOG_DIR"

# The token of this run: every process lighttpd starts, and every process
# those start, inherits it with the environment.
instance="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
# lighttpd gets a session of its own (setsid execs it in place: a
# background job of this script leads no process group), which its
# descendants keep unless they make their own.
launch=()
command -v setsid >/dev/null && launch=(setsid)
lt_sid=""

# own_pids lists the live processes of this run: those whose environment
# holds its token, and those in lighttpd's session that hold no token of
# another run (a program that cleared its environment). A process of
# another run from this checkout has the same executable but neither.
own_pids() {
  grep -lsxzF "TRACKS_INSTANCE=$instance" /proc/[0-9]*/environ | cut -d/ -f3
  [[ -n "$lt_sid" ]] || return 0
  local f line state sid
  for f in /proc/[0-9]*/stat; do
    # pid (comm) state ppid pgrp session ...; comm may hold anything.
    { read -r line < "$f"; } 2>/dev/null || continue
    read -r state _ _ sid _ <<< "${line##*) }"
    [[ "$sid" == "$lt_sid" && "$state" != Z ]] || continue
    f="${f%/stat}"
    grep -qszE "^TRACKS_INSTANCE=" "$f/environ" || echo "${f#/proc/}"
  done
}

mc_pid=""
lt_pid=""
cleanup() {
  trap - EXIT INT TERM
  if [[ -n "$lt_pid" ]] && kill -0 "$lt_pid" 2>/dev/null; then
    kill -TERM "$lt_pid" 2>/dev/null || true
    wait "$lt_pid" 2>/dev/null || true
  fi
  # The fcgi processes stop their dispatchers, which give running
  # converters a grace period: wait for them, bounded, then insist.
  # This also finds them when lighttpd died without stopping them.
  local grace="${GRACE:-10s}" deadline left
  deadline=$(( SECONDS + ${grace%%[!0-9]*} + 20 ))
  while left="$(own_pids)"; [[ -n "$left" ]] && (( SECONDS < deadline )); do
    sleep 0.2
  done
  if [[ -n "$left" ]]; then
    echo "run-service: killing processes still running:" $left >&2
    kill -KILL $left 2>/dev/null || true
  fi
  if [[ -n "$mc_pid" ]]; then
    kill -TERM "$mc_pid" 2>/dev/null || true
    wait "$mc_pid" 2>/dev/null || true
  fi
  echo "run-service: stopped"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ "$MEMCACHED" == /* ]]; then
  # A unix socket: this run's own memcached (the default, in DATA_DIR),
  # unless a socket is there already and not one this script left behind.
  # One thread: it serves one machine's status polls and converters.
  if [[ -S "$MEMCACHED" && "$MEMCACHED" != "$mc_default" ]]; then
    echo "run-service: using the memcached already listening on $MEMCACHED"
  else
    mc_args=(-s "$MEMCACHED" -a 0700 -m 64 -t 1)
    [[ "$(id -u)" == 0 ]] && mc_args+=(-u root) # memcached refuses root without -u
    "$memcached_bin" "${mc_args[@]}" &
    mc_pid=$!
    for _ in $(seq 50); do [[ -S "$MEMCACHED" ]] && break; sleep 0.05; done
  fi
else
  mc_host="${MEMCACHED%:*}"
  mc_port="${MEMCACHED##*:}"
  if (exec 3<>"/dev/tcp/$mc_host/$mc_port") 2>/dev/null; then
    echo "run-service: using the memcached already listening on $MEMCACHED"
  else
    mc_args=(-l "$mc_host" -p "$mc_port" -U 0 -m 64)
    [[ "$(id -u)" == 0 ]] && mc_args+=(-u root) # memcached refuses root without -u
    "$memcached_bin" "${mc_args[@]}" &
    mc_pid=$!
  fi
fi

TRACKS_INSTANCE="$instance" "${launch[@]}" "$lighttpd_bin" -D -f "$root/lighttpd.conf" &
lt_pid=$!
[[ ${#launch[@]} -eq 0 ]] || lt_sid=$lt_pid
echo "Tracksperanto is running at http://localhost:$PORT/ (data in $DATA_DIR; Ctrl-C stops it)"
wait "$lt_pid" || true
lt_pid=""
