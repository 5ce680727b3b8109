#!/usr/bin/env bash
# The tfjs-node-gpu path on a machine with a CUDA GPU and network access
# (UNTRIED: no GPU was lent while it was written). Installs the native
# package without saving it, runs the conformance suite on it and the batch
# bench, and prints a short table. Needs Linux x64, CUDA 11.2 + cuDNN 8.1
# (what libtensorflow 2.9 in tfjs-node-gpu 4.22 links against).
set -euo pipefail
cd "$(dirname "$0")/.."
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || { echo "gpu-check: no nvidia-smi / CUDA driver" >&2; exit 1; }
npm ci
npm install --no-save @tensorflow/tfjs-node-gpu@4.22.0
npx tsc -p tsconfig.json
node --input-type=module -e "
  const { loadTfjs } = await import('./dist/src/backends/tfjs/tfjs-runtime.js');
  const rt = await loadTfjs('tfjs');
  console.log('flavour:', rt.flavour, '| tf backend:', rt.tfBackend, '| cuda:', rt.cuda, '|', rt.reason);
  if (rt.flavour !== 'tfjs-node-gpu' || !rt.cuda) process.exit(1);
"
status=0
NEUROCHAOS_TFJS_FLAVOUR=tfjs-node-gpu node --test dist/test/conformance/ > /tmp/gpu-conformance.tap 2>&1 || status=$?
node dist/bench/run.js --suite tfjs-batch > /tmp/gpu-batch.txt
node bin/neurochaos.js simulate --backend tfjs-node-gpu --model microcircuit --scale 0.02 --duration 200 --json > /tmp/gpu-sim.json
node bin/neurochaos.js simulate --backend cpu --model microcircuit --scale 0.02 --duration 200 --json > /tmp/cpu-sim.json
echo
echo "| check | result |"
echo "|---|---|"
echo "| conformance (tfjs-node-gpu) | $(grep -c '^ok' /tmp/gpu-conformance.tap) suites ok, $(grep -c '^not ok' /tmp/gpu-conformance.tap) failed, skips: $(grep -c '# SKIP' /tmp/gpu-conformance.tap) |"
grep '^| tfjs' /tmp/gpu-batch.txt | awk -F'|' '{ printf "| batch %s steps/s |%s|\n", $4, $5 }'
node --input-type=module -e "
  import { readFileSync } from 'node:fs';
  const g = JSON.parse(readFileSync('/tmp/gpu-sim.json', 'utf8')), c = JSON.parse(readFileSync('/tmp/cpu-sim.json', 'utf8'));
  console.log('| microcircuit 0.02, 200 ms: RTF gpu / cpu | ' + g.rtf.toFixed(2) + ' / ' + c.rtf.toFixed(2) + ' |');
  console.log('| device bytes held | ' + g.device.bytes + ' |');
  for (const p of Object.keys(c.ratesHz)) console.log('| rate ' + p + ' gpu / cpu (Hz) | ' + g.ratesHz[p].toFixed(2) + ' / ' + c.ratesHz[p].toFixed(2) + ' |');
"
exit $status
