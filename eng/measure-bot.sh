#!/usr/bin/env bash
# The JIT bot and the AOT bot side by side, in one run: examples/BotConsole published framework-dependent (JIT) and
# with native AOT, then each started RUNS times in turn against the same local stack (kept up by tests/aot-smoke
# --serve-stack, so its start-up is not counted). Start-to-first-query = wall time from exec to exit of
# `BotConsole <connection> <token-file> 1 0` (process start, token file read, TLS login through the emulator, one query).
# Prints the median and the publish size of each. Usage: eng/measure-bot.sh [runs=7]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-7}
rid=linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')
work=$(mktemp -d)
trap 'exec 3>&- 2>/dev/null || true; rm -rf "$work"' EXIT

echo "measure: load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
dotnet publish examples/BotConsole -c Release -o "$work/jit" >"$work/jit.log" || { cat "$work/jit.log" >&2; exit 1; }
dotnet publish examples/BotConsole -c Release -r "$rid" -p:PublishAot=true -p:InvariantGlobalization=true -p:TreatWarningsAsErrors=false \
  -o "$work/aot" >"$work/aot.log" || { cat "$work/aot.log" >&2; exit 1; }
aot_warnings=$( (grep -oE 'warning IL[0-9]{4}.*' "$work/aot.log" || true) | sort -u | wc -l)
dotnet build tests/aot-smoke -c Release >/dev/null

# The stack: started once, kept up while fd 3 (its stdin) is open.
mkfifo "$work/stdin"
dotnet run --no-build -c Release --project tests/aot-smoke -- --serve-stack <"$work/stdin" >"$work/stack.out" 2>"$work/stack.err" &
exec 3>"$work/stdin"
for _ in $(seq 1 3000); do grep -q '^TOKEN_FILE=' "$work/stack.out" 2>/dev/null && break; sleep 0.1; done
connection=$(sed -n 's/^CONNECTION=//p' "$work/stack.out")
token_file=$(sed -n 's/^TOKEN_FILE=//p' "$work/stack.out")
[ -n "$token_file" ] || { echo "measure: the local stack did not start" >&2; cat "$work/stack.err" >&2; exit 1; }

time_one() { # prints milliseconds from exec to exit
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }

: >"$work/jit.ms"; : >"$work/aot.ms"
# One untimed run each (disk cache), then alternate so both see the same machine load.
"$work/jit/BotConsole" "$connection" "$token_file" 1 0 >/dev/null
"$work/aot/BotConsole" "$connection" "$token_file" 1 0 >/dev/null
for _ in $(seq 1 "$runs"); do
  time_one "$work/jit/BotConsole" "$connection" "$token_file" 1 0 >>"$work/jit.ms"
  time_one "$work/aot/BotConsole" "$connection" "$token_file" 1 0 >>"$work/aot.ms"
done

echo "measure: load average at end: $(cut -d' ' -f1-3 /proc/loadavg); distinct IL warnings in the AOT publish: $aot_warnings" >&2
size_mb() { du -sk "$1" | awk '{printf "%.1f", $1 / 1024}'; }
echo "bot | publish | size (MB) | start-to-first-query, median of $runs (ms) | runs (ms)"
echo "JIT | framework-dependent, needs the .NET runtime | $(size_mb "$work/jit") | $(median <"$work/jit.ms") | $(paste -sd' ' "$work/jit.ms")"
echo "AOT | native AOT, $rid, self-contained | $(size_mb "$work/aot") (binary $(du -k "$work/aot/BotConsole" | awk '{printf "%.1f", $1 / 1024}'), symbols BotConsole.dbg $(du -k "$work/aot/BotConsole.dbg" | awk '{printf "%.1f", $1 / 1024}')) | $(median <"$work/aot.ms") | $(paste -sd' ' "$work/aot.ms")"
