#!/usr/bin/env bash
# GPU check of the WebGPU backends (native WGSL `webgpu`, and `tfjs-webgpu`)
# for a GPU machine with no Node and no network: prepare gpucheck/webgpu/
# with bench/prepare-gpu-check-webgpu.sh and carry it. It unpacks Node and
# the compiled project, sets up the Vulkan loader when the machine has none,
# reports the machine and the WebGPU adapter, runs the conformance suite on
# the webgpu backends, then `bench --suite webgpu --quick`.
#
# Results go to $OUT (default ./gpucheck-out) as it goes, 6 files at most:
#   gpu-check-webgpu.log  everything printed
#   adapter.txt           machine, Vulkan loader and ICDs, the WebGPU adapter and its limits
#   conformance.tap       node --test output of the conformance suite (webgpu backends)
#   webgpu-quick.md/.json the bench (webgpu-quick-no-adapter.* when no adapter answered)
#   summary.md            one table: adapter, conformance counts, the bench rows
# Exit: 0 on a hardware adapter with the conformance suite passed; 3 when no
# hardware adapter was found (said in adapter.txt and summary.md, files
# still written); 1 when the conformance suite failed. It stays under 4
# minutes: every step has its own timeout (about 3.5 minutes in all).
# Usage: bash gpucheck/webgpu/gpu-check-webgpu.sh   (device tool: carry ["gpucheck/webgpu"], timeout_s ~ 300)
set -uo pipefail
start=$(date +%s)
OUT="${OUT:-$(pwd)/gpucheck-out}"
mkdir -p "$OUT"
exec > >(tee "$OUT/gpu-check-webgpu.log") 2>&1
here="$(cd "$(dirname "$0")" && pwd)"
bundle=""
for d in "$here" "$(pwd)/gpucheck/webgpu"; do [ -f "$d/bundle.tar.xz" ] && { bundle="$d"; break; }; done
elapsed() { echo "$(( $(date +%s) - start )) s"; }
summary() { echo "$1" >> "$OUT/summary.md"; }
echo "# WebGPU GPU check" > "$OUT/summary.md"
summary ""
summary "| check | result |"
summary "|---|---|"
if [ -z "$bundle" ]; then
  echo "no bundle: run bench/prepare-gpu-check-webgpu.sh here first and carry gpucheck/webgpu"
  summary "| bundle | missing: run bench/prepare-gpu-check-webgpu.sh |"
  exit 2
fi
work="$(mktemp -d)"
echo "== unpacking $bundle/bundle.tar.xz ($(elapsed))"
xz -dc "$bundle/bundle.tar.xz" | tar -C "$work" -xf - || { echo "the bundle did not unpack"; summary "| bundle | did not unpack |"; exit 2; }
export PATH="$work/bin:$PATH"
cd "$work"

echo "== machine and Vulkan ($(elapsed))"
{
  echo "date: $(date -u +%FT%TZ)"
  echo "node: $(node --version)"
  echo "kernel: $(uname -r)"
  echo "glibc: $(ldd --version 2>&1 | head -1)"
  libstdcxx=$(ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ { print $NF; exit }')
  if [ -n "$libstdcxx" ] && grep -q GLIBCXX_3.4.32 "$libstdcxx" 2>/dev/null; then echo "libstdc++: $libstdcxx has GLIBCXX_3.4.32 (Dawn's need)"; else echo "libstdc++: ${libstdcxx:-none} lacks GLIBCXX_3.4.32: Dawn's Node module will not load"; fi
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo "nvidia-smi: not found"
  if ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1'; then
    echo "Vulkan loader: the machine's ($(ldconfig -p | awk '/libvulkan.so.1/ { print $NF; exit }'))"
  else
    deb=$(ls "$bundle"/libvulkan1_*.deb 2>/dev/null | head -1)
    if [ -n "$deb" ]; then
      mkdir -p "$work/vk"
      if command -v dpkg-deb >/dev/null; then dpkg-deb -x "$deb" "$work/vk"; else (cd "$work/vk" && ar p "$deb" data.tar.xz | tar -xJf -); fi
      export LD_LIBRARY_PATH="$work/vk/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
      echo "Vulkan loader: carried $(basename "$deb"), unpacked to $work/vk (LD_LIBRARY_PATH)"
    else
      echo "Vulkan loader: none on the machine and none carried"
    fi
  fi
  icds=$(ls /usr/share/vulkan/icd.d/*.json /etc/vulkan/icd.d/*.json /usr/local/share/vulkan/icd.d/*.json 2>/dev/null)
  if [ -z "$icds" ] && [ -f /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json ]; then
    export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json VK_ICD_FILENAMES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
    icds="$VK_DRIVER_FILES (VK_DRIVER_FILES)"
  fi
  echo "Vulkan ICDs: ${icds:-none}" | tr '\n' ' '
  echo
} > "$OUT/adapter.txt" 2>&1   # a { } group runs in this shell: its exports reach the node runs below
cat "$OUT/adapter.txt"

echo "== WebGPU adapter ($(elapsed))"
timeout 30 node --input-type=module -e "
import { acquireDevice, describeAdapter } from './dist/src/backends/webgpu/device-provider.js';
import { BACKENDS } from './dist/src/backends/registered-backends.js';
let code = 3;
try {
  const got = await acquireDevice();
  const l = got.device.limits;
  console.log('adapter: ' + describeAdapter(got.adapter));
  console.log('passed over: ' + (got.adapter.passedOver.join('; ') || 'nothing'));
  console.log('limits: maxStorageBufferBindingSize ' + l.maxStorageBufferBindingSize + ', maxBufferSize ' + l.maxBufferSize + ', maxStorageBuffersPerShaderStage ' + l.maxStorageBuffersPerShaderStage + ', maxComputeWorkgroupsPerDimension ' + l.maxComputeWorkgroupsPerDimension);
  code = got.adapter.software ? 4 : 0;
  if (got.adapter.software) console.log('NO HARDWARE ADAPTER: only a software one answered (figures below are not GPU figures)');
} catch (e) {
  console.log('NO WEBGPU ADAPTER: ' + (e instanceof Error ? e.message : String(e)));
}
for (const name of ['webgpu', 'tfjs-webgpu']) {
  const a = await BACKENDS.get(name).isAvailable();
  console.log(name + ': ' + (a.available ? 'available' : 'not available') + ' (' + a.reason + ')');
}
process.exit(code);
" 2>&1 | tee -a "$OUT/adapter.txt"
adapter=${PIPESTATUS[0]}
case "$adapter" in
  0) summary "| adapter | hardware: $(grep -m1 '^adapter:' "$OUT/adapter.txt" | cut -c10-) |" ;;
  4) summary "| adapter | NO HARDWARE ADAPTER, software only: $(grep -m1 '^adapter:' "$OUT/adapter.txt" | cut -c10-) |" ;;
  *) summary "| adapter | NO WEBGPU ADAPTER: $(grep -m1 'NO WEBGPU ADAPTER' "$OUT/adapter.txt" | cut -c20- | cut -c1-300) |" ;;
esac

tests=3
if [ "$adapter" -eq 0 ] || [ "$adapter" -eq 4 ]; then
  echo "== conformance suite on the webgpu backends ($(elapsed))"
  NEUROCHAOS_REQUIRE_WEBGPU=1 timeout 75 node --test --test-reporter=tap --test-name-pattern='webgpu' dist/test/conformance/conformance.test.js > "$OUT/conformance.tap" 2>&1
  tests=$?
  tail -12 "$OUT/conformance.tap"
  summary "| conformance (webgpu, tfjs-webgpu) | exit $tests: $(grep -E '^# (pass|fail) ' "$OUT/conformance.tap" | tr '\n' ' ') |"
else
  echo "no WebGPU adapter: the conformance suite is not run" | tee "$OUT/conformance.tap"
  summary "| conformance | not run: no WebGPU adapter |"
fi

echo "== bench --suite webgpu --quick ($(elapsed); results to \$OUT as each case ends)"
rm -rf bench/results && mkdir -p bench && ln -s "$OUT" bench/results
NEUROCHAOS_WEBGPU_NO_DENO=1 timeout 130 node dist/bench/webgpu-run.js --quick
bench=$?
summary "| bench --suite webgpu --quick | exit $bench$([ "$bench" -eq 124 ] && echo ' (timed out: the cases finished are in the results)') |"
for f in "$OUT"/webgpu-quick.md "$OUT"/webgpu-quick-no-adapter.md; do
  [ -f "$f" ] && { summary ""; grep -E '^\| ' "$f" >> "$OUT/summary.md"; }
done
summary ""
summary "Finished in $(elapsed)."
echo "== done in $(elapsed): adapter $adapter, conformance $tests, bench $bench"
cat "$OUT/summary.md"
if [ "$adapter" -ne 0 ]; then exit 3; fi
[ "$tests" -eq 0 ] || exit 1
