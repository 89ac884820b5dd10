#!/usr/bin/env bash
# Publishes tests/aot-smoke with native AOT, fails on any trim/AOT/single-file analysis warning (IL2xxx, IL3xxx) in the
# publish output, then runs the binary: it reads appsettings.json through the strict binder, logs in through the
# CockroachDB JWT-login emulator and runs one query. Needs clang and zlib1g-dev (.ci/run installs them).
# Usage: eng/check-aot.sh [output-dir]   (prints "aot: 0 warnings, smoke ok" on success)
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:-$(mktemp -d)}
log=$(mktemp)
rid=linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')

if ! command -v clang >/dev/null; then
  echo "aot: clang is missing (native AOT links with it); install clang and zlib1g-dev" >&2
  exit 1
fi

dotnet publish tests/aot-smoke/AotSmoke.csproj -c Release -r "$rid" -o "$out" -p:TreatWarningsAsErrors=false 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
# Each warning is printed twice by MSBuild (inline and in the summary): count distinct ones.
warnings=$(grep -oE 'warning (IL[23][0-9]{3}|IL[0-9]{4}).*' "$log" | sort -u)
count=$(printf '%s' "$warnings" | grep -c . || true)
rm -f "$log"
if [ "$rc" -ne 0 ]; then echo "aot: publish failed (exit $rc)" >&2; exit "$rc"; fi
if [ "$count" -ne 0 ]; then
  echo "aot: $count trim/AOT warning(s) in the publish output:" >&2
  printf '%s\n' "$warnings" >&2
  exit 1
fi

"$out/AotSmoke" || { echo "aot: the published app failed" >&2; exit 1; }
echo "aot: 0 warnings, smoke ok ($(du -k "$out/AotSmoke" | cut -f1) KB binary)"
