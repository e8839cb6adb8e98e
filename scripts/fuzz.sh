#!/usr/bin/env bash
# Runs every fuzz target of the project for a while each.
#   scripts/fuzz.sh [DURATION]   e.g. scripts/fuzz.sh 2m (default 10s)
# CI runs it briefly; run it longer by hand after changing an importer.
set -euo pipefail
cd "$(dirname "$0")/.."
time=${1:-10s}
status=0
while IFS= read -r line; do
  file=${line%%:*}
  name=$(sed -E 's/^func (Fuzz[A-Za-z0-9_]*).*/\1/' <<<"${line#*:}")
  pkg=$(dirname "$file")
  echo "fuzz: $name in $pkg for $time"
  if ! go test -run '^$' -fuzz "^${name}\$" -fuzztime "$time" -fuzzminimizetime 10s "$pkg"; then
    echo "fuzz: $name FAILED (the failing input is under $pkg/testdata/fuzz/$name)"
    status=1
  fi
done < <(grep -rn --include='*_test.go' -E '^func Fuzz[A-Za-z0-9_]*\(f \*testing\.F\)' . | sed -E 's/^([^:]*):[0-9]+:/\1:/')
exit $status
