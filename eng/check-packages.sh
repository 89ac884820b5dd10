#!/usr/bin/env bash
# Packs every library/tool project under src/ and checks each nupkg's metadata the way NuGet users see it:
# repository URL + commit (SourceLink), project URL, licence, readme, package-specific tags, release notes; the tool's
# runtimeconfig rolls forward to newer major runtimes; a package that uses another package's internals
# (InternalsVisibleTo) depends on exactly that package's version, not on an open range.
#
#   bash eng/check-packages.sh                          # pack (Release) into a temporary folder, then check
#   bash eng/check-packages.sh --no-build -c Debug      # extra arguments go to every `dotnet pack` (used by the test)
#
# PACKAGES_OUT=<dir> keeps the packages. Exit code 0 = every package passed; each problem is printed on one line.
set -uo pipefail
cd "$(dirname "$0")/.."
command -v unzip >/dev/null || { echo "check-packages: 'unzip' is required (apt-get install unzip)" >&2; exit 2; }

out=${PACKAGES_OUT:-$(mktemp -d)}
mkdir -p "$out"
problems=0
fail() { echo "FAIL $1: $2"; problems=$((problems + 1)); }

projects=(src/*/*.csproj)
for csproj in "${projects[@]}"; do
  if ! dotnet pack "$csproj" -o "$out" --nologo -v quiet "$@" >"$out/pack.log" 2>&1; then
    cat "$out/pack.log"; fail "$(basename "$csproj" .csproj)" "dotnet pack failed"; continue
  fi
done

common_tags="npgsql cockroachdb jwt"
declare -A tags_seen=()
checked=0
for csproj in "${projects[@]}"; do
  name=$(basename "$csproj" .csproj)
  id=$(sed -n 's:.*<PackageId>\(.*\)</PackageId>.*:\1:p' "$csproj"); id=${id:-$name}
  nupkg=$(ls "$out/$id".[0-9]*.nupkg 2>/dev/null | head -1)
  if [ -z "$nupkg" ]; then fail "$id" "no package produced"; continue; fi
  nuspec=$(unzip -p "$nupkg" '*.nuspec' | tr -d '\r')
  checked=$((checked + 1))

  grep -qE '<repository type="git" url="https://[^"]+"[^>]* commit="[0-9a-f]{40}"' <<<"$nuspec" \
    || fail "$id" "nuspec has no <repository url=... commit=...> (PublishRepositoryUrl / SourceLink)"
  grep -qE '<projectUrl>https://[^<]+</projectUrl>' <<<"$nuspec" || fail "$id" "nuspec has no <projectUrl> (PackageProjectUrl)"
  grep -qE '<license type="expression">[^<]+</license>' <<<"$nuspec" || fail "$id" "nuspec has no licence expression (PackageLicenseExpression)"
  readme=$(sed -n 's:.*<readme>\(.*\)</readme>.*:\1:p' <<<"$nuspec")
  if [ -z "$readme" ] || ! unzip -l "$nupkg" "$readme" >/dev/null 2>&1; then fail "$id" "no readme in the package (PackageReadmeFile)"; fi
  grep -qE '<releaseNotes>[^<]+</releaseNotes>' <<<"$nuspec" || fail "$id" "nuspec has no <releaseNotes> (PackageReleaseNotes)"

  tags=$(sed -n 's:.*<tags>\(.*\)</tags>.*:\1:p' <<<"$nuspec")
  own=$(tr ' ' '\n' <<<"$tags" | grep -vxF -f <(tr ' ' '\n' <<<"$common_tags") | sort | tr '\n' ' ')
  if [ -z "${own// /}" ]; then fail "$id" "tags '$tags' name nothing specific to this package (PackageTags in its csproj)"
  elif [ -n "${tags_seen[$own]:-}" ]; then fail "$id" "same package-specific tags as ${tags_seen[$own]} (PackageTags in its csproj)"
  else tags_seen[$own]=$id; fi

  if grep -q '<packageType name="DotnetTool"' <<<"$nuspec"; then
    config=$(unzip -Z1 "$nupkg" | grep -E '^tools/.*\.runtimeconfig\.json$' | head -1)
    if [ -z "$config" ] || ! unzip -p "$nupkg" "$config" | grep -qE '"rollForward": *"Major"'; then
      fail "$id" "tool runtimeconfig does not roll forward to newer runtimes (RollForward=Major in its csproj)"
    fi
  fi

  # Shipping packages use core's public API only. The one exception is a preset package built on another package's
  # internal hooks (Okta on OAuth): it must pin that package's exact version ([x.y.z], ExactVersionProjectReferences).
  for friend in $(sed -n 's:.*<InternalsVisibleTo Include="\([^"]*\)".*:\1:p' "$csproj"); do
    if [ -f "src/$friend/$friend.csproj" ] || grep -qs "<AssemblyName>$friend</AssemblyName>" src/*/*.csproj; then
      if [ "$id" = "Npgsql.JwtSso" ]; then
        fail "$id" "lets the shipping package $friend see core's internals (InternalsVisibleTo); give it a public API instead"
      elif ! grep -qs "<ExactVersionProjectReferences>[^<]*$id" "src/$friend/$friend.csproj"; then
        fail "$id" "lets $friend see its internals, but $friend does not pin it exactly (ExactVersionProjectReferences)"
      else
        friendpkg=$(ls "$out/$friend".[0-9]*.nupkg 2>/dev/null | head -1)
        if [ -n "$friendpkg" ] && ! unzip -p "$friendpkg" "$friend.nuspec" | grep -qE "<dependency id=\"$id\" version=\"\[[^],]+\]\""; then
          fail "$friend" "uses $id's internals but its nuspec does not depend on exactly one version of it ([x.y.z])"
        fi
      fi
    fi
  done
  echo "checked $id"
done

echo "check-packages: $checked packages checked, $problems problem(s)"
[ -z "${PACKAGES_OUT:-}" ] && rm -rf "$out"
[ "$problems" -eq 0 ] && [ "$checked" -eq "${#projects[@]}" ]
