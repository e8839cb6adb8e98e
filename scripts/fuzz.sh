#!/usr/bin/env bash
# Runs every fuzz target of the project for a while each.
#   scripts/fuzz.sh [DURATION]   e.g. scripts/fuzz.sh 2m (default 10s)
# CI runs it briefly; run it longer by hand after changing an importer.
set -euo pipefail
cd "$(dirname "$0")/.."
time=${1:-10s}
status=0

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Minimizing is short: Go minimizes every new interesting input as well as
# crashers, and with its default of a minute a target spent most of its
# run minimizing (6,000 executions in a minute instead of 300,000). A
# failing input is written whole either way.

# fuzz_once PKG NAME runs one target, showing its output as it comes and
# leaving it in $out.
fuzz_once() {
  local rc=0
  go test -run '^$' -fuzz "^$2\$" -fuzztime "$time" -fuzzminimizetime 1s "$1" 2>&1 | tee "$log" || rc=$?
  out=$(<"$log")
  return $rc
}

# The Go fuzzing engine sometimes reports its own time limit as a failure
# ("context deadline exceeded") when the limit strikes while it talks to a
# worker (its coordinator compares the deadline error with a child context
# that may not be cancelled yet); no input is at fault then and none is
# written. Only that case is run again, up to three tries; any failure
# with an input fails the run.
toolchain_hiccup() {
  grep -q 'context deadline exceeded' <<<"$out" && ! grep -q 'Failing input written to' <<<"$out"
}

while IFS= read -r line; do
  file=${line%%:*}
  name=$(sed -E 's/^func (Fuzz[A-Za-z0-9_]*).*/\1/' <<<"${line#*:}")
  pkg=$(dirname "$file")
  echo "fuzz: $name in $pkg for $time"
  tries=1
  ok=false
  while true; do
    if fuzz_once "$pkg" "$name"; then
      ok=true
      break
    fi
    if ! toolchain_hiccup || [ $tries -ge 3 ]; then
      break
    fi
    tries=$((tries + 1))
    echo "fuzz: $name stopped on the fuzzing engine's own deadline with no failing input; running it again (try $tries of 3)"
  done
  if $ok; then
    continue
  fi
  if written=$(grep -o 'Failing input written to [^ ]*' <<<"$out"); then
    echo "fuzz: $name FAILED (${written#Failing input written to }, under $pkg)"
  else
    echo "fuzz: $name FAILED without a failing input (see the output above)"
  fi
  status=1
done < <(grep -rn --include='*_test.go' -E '^func Fuzz[A-Za-z0-9_]*\(f \*testing\.F\)' . | sed -E 's/^([^:]*):[0-9]+:/\1:/')
exit $status
