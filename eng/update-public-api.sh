#!/usr/bin/env bash
# Adds every symbol reported as RS0016 (not declared) to the project's PublicAPI.Unshipped.txt and removes
# RS0017 (declared but gone) entries. Review the diff before committing: the public API is a contract.
# Usage: bash eng/update-public-api.sh [solution-or-project]
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:-Npgsql.JwtSso.sln}"
log=$(mktemp)
dotnet build "$target" --no-incremental -nologo -p:TreatWarningsAsErrors=false >"$log" 2>&1 || true
python3 - "$log" <<'PY'
import re, sys, os, collections
add = collections.defaultdict(set); rem = collections.defaultdict(set)
for line in open(sys.argv[1], encoding='utf-8', errors='replace'):
    m = re.search(r"(RS0016|RS0017): Symbol '(.+?)' is (?:not part of the declared public API|part of the declared API, but is either not public or could not be found).*\[(.+?\.csproj)", line)
    if not m: continue
    code, sym, proj = m.groups()
    d = os.path.join(os.path.dirname(proj), 'PublicAPI.Unshipped.txt')
    (add if code == 'RS0016' else rem)[d].add(sym)
for d in set(add) | set(rem):
    lines = open(d).read().splitlines() if os.path.exists(d) else ['#nullable enable']
    body = [l for l in lines[1:] if l.strip() and l not in rem[d]]
    body = sorted(set(body) | add[d])
    open(d, 'w').write('\n'.join(['#nullable enable'] + body) + '\n')
    print(f"{d}: +{len(add[d])} -{len(rem[d])}")
PY
rm -f "$log"
