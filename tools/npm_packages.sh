# Sourced by tools/fetch_npm_fixtures.sh and tools/fetch_bench_packages.sh: fetches pinned npm
# packages with `npm pack NAME@VERSION` into a cache folder (kept: later runs need no network)
# and unpacks each into MODULES/NAME, once per version.
# Usage: fetch_npm_packages WHO CACHE MODULES NAME@VERSION...
#   WHO names the caller in error messages.
fetch_npm_packages() {
  who="$1" cache="$2" modules="$3"
  shift 3
  mkdir -p "$cache" "$modules"
  for spec in "$@"; do
    name="${spec%@*}"
    version="${spec##*@}"
    tarball="$cache/$name-$version.tgz"
    if [ ! -f "$tarball" ]; then
      command -v npm >/dev/null || {
        echo "$who: npm is needed to fetch $spec (apt-get install npm)" >&2
        return 1
      }
      (cd "$cache" && npm pack --silent "$spec" >/dev/null) || {
        echo "$who: 'npm pack $spec' failed: the npm registry must be reachable once;" \
             "the package is cached in $cache afterwards" >&2
        return 1
      }
    fi
    stamp="$modules/$name/.v8snap-$version"
    if [ ! -f "$stamp" ]; then
      rm -rf "$modules/$name"
      mkdir -p "$modules/$name"
      tar xzf "$tarball" -C "$modules/$name" --strip-components=1
      touch "$stamp"
    fi
  done
}
