# Sourced by .ci/run: make sure the CI run uses the Node major in .node-version (the project's
# supported runtime). When the machine's node is older, the official Node build for this platform
# is taken from the npm registry (package node-<os>-<arch>, which ships the node binary) into a
# cache outside the repository and put first on PATH.
want=$(tr -d ' \n' < .node-version)
have=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$have" -lt "$want" ]; then
  case "$(uname -m)" in x86_64) arch=x64 ;; aarch64|arm64) arch=arm64 ;; *) arch=$(uname -m) ;; esac
  os=$(uname -s | tr 'A-Z' 'a-z')
  cache="${XDG_CACHE_HOME:-$HOME/.cache}/sentinel-ci/node-$os-$arch-$want"
  if [ ! -x "$cache/bin/node" ]; then
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "node-$os-$arch@$want" >/dev/null && tar xzf node-*.tgz) || { echo "cannot fetch Node $want (node-$os-$arch) from the npm registry"; rm -rf "$tmp"; return 1; }
    mkdir -p "$(dirname "$cache")" && rm -rf "$cache" && mv "$tmp/package" "$cache" && rm -rf "$tmp"
  fi
  export PATH="$cache/bin:$PATH"
fi
echo "node $(node --version)"
