#!/usr/bin/env bash
# GPU check of the gpujs backend, for a GPU machine with no Node and no
# network (prepare gpucheck/bundle.tar.xz with bench/prepare-gpu-check-gpujs.sh
# and carry it). Unpacks Node and the compiled project, says what the machine
# offers (GPU, Vulkan loader, glibc), asks gpu.js for each mode, then runs the
# gpujs conformance tests and the gpujs bench in webgpu mode. Everything it
# prints also goes to $OUT/gpu-check-gpujs.log; bench results to $OUT/.
# Exit 0 when the webgpu conformance tests passed, 3 when webgpu was not
# usable (the reason is printed), 1 when they ran and failed.
# Usage: bash bench/gpu-check-gpujs.sh   (device tool: carry ["gpucheck"], timeout_s ~ 420)
set -uo pipefail
OUT="${OUT:-$(pwd)/gpucheck-out}"
mkdir -p "$OUT"
exec > >(tee "$OUT/gpu-check-gpujs.log") 2>&1
work="$(mktemp -d)"
echo "== unpacking gpucheck/bundle.tar.xz"
xz -dc gpucheck/bundle.tar.xz | tar -C "$work" -xf - || { echo "no bundle: run bench/prepare-gpu-check-gpujs.sh first"; exit 2; }
export PATH="$work/bin:$PATH"
cd "$work"
echo "== machine"
node --version
ldd --version 2>&1 | head -1
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -2 || echo 'no nvidia-smi'
ls /usr/lib/x86_64-linux-gnu/libvulkan.so.1 /usr/lib64/libvulkan.so.1 2>/dev/null || echo "no libvulkan.so.1 (Dawn needs the Vulkan loader and the NVIDIA Vulkan ICD)"
ls /usr/share/vulkan/icd.d /etc/vulkan/icd.d 2>/dev/null
echo "== gpu.js modes (auto selection, with why each better one was not used)"
node --input-type=module -e "
import { chooseGpujsMode } from './dist/src/backends/gpujs/gpujs-mode.js';
const c = await chooseGpujsMode();
for (const p of c.probes) console.log(p.mode.padEnd(11), p.usable ? 'USABLE ' : 'no     ', p.reason);
console.log('chosen:', c.mode);
c.gpu.destroy();
process.exit(c.mode === 'webgpu' ? 0 : 3);
"
modes=$?
if [ "$modes" -ne 0 ]; then
  echo "== webgpu is not usable here (see above: e.g. 'no WebGPU adapter' = no Vulkan adapter); the gpujs tests in cpu mode as a control"
  NEUROCHAOS_GPUJS_MODE=cpu timeout 240 node --test dist/test/backends/gpujs-conformance.test.js dist/test/backends/gpujs-mode.test.js
  exit 3
fi
echo "== conformance tests in webgpu mode (exact tests skip: float32; rates within 2%)"
NEUROCHAOS_GPUJS_MODE=webgpu timeout 300 node --test dist/test/backends/gpujs-conformance.test.js dist/test/backends/gpujs-mode.test.js
tests=$?
echo "== throughput in webgpu mode (results in \$OUT)"
mkdir -p bench/results
NEUROCHAOS_GPUJS_MODE=webgpu timeout 200 node dist/bench/run.js --suite gpujs && cp bench/results/gpujs-webgpu.* "$OUT/"
echo "== done: conformance exit $tests"
[ "$tests" -eq 0 ] || exit 1
