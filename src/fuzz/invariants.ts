import type { SimulationBackend } from '../backends/backend.js';
import { membraneBand, type MembraneBand } from './membrane-band.js';

export interface InvariantOptions {
  /** Guards are on with this input cap (pA): membranes must stay in the physical band. Absent: guards off, only the record is checked. */
  guardSaturationPa?: number;
  /** (replica * neurons + neuron) entries exempt from the membrane band (a neuron fault or a membrane storm put them there). */
  bandExempt?: Uint8Array;
  /** Entries exempt from the refractory bound (a drifted refractory period). */
  isiExempt?: Uint8Array;
  /** Delay rings may hold non-finite input (non-finite weights were delivered recently; the guards drop it on arrival). @defaultValue false */
  ringsMayBeNonFinite?: boolean;
  /** A precomputed band (saves recomputing it on every call). */
  band?: MembraneBand;
}

/** At most this many violations are listed (the first ones tell the story). */
const MAX_LISTED = 8;

/**
 * Invariants a healthy simulation holds between steps, whatever faults it
 * went through. Returns one line per violation (empty: all hold):
 * - with guards on, membranes and currents are finite, membranes within the
 *   physical band (see membraneBand), refractory counters not negative, and
 *   the delay rings finite unless non-finite weights were just delivered;
 * - no neuron fires again within its refractory period (rate <= 1/t_ref);
 * - the spike record has no duplicate, no out-of-order pair, nothing at or
 *   after the current step, and its per-neuron counts match the pairs.
 */
export function checkInvariants(backend: SimulationBackend, options: InvariantOptions = {}): string[] {
  const out: string[] = [];
  const say = (line: string) => {
    if (out.length < MAX_LISTED) out.push(line);
    else if (out.length === MAX_LISTED) out.push('...');
  };
  const net = backend.network;
  const n = net.neuronCount;
  const popOf = new Int32Array(n);
  for (const p of net.populations) popOf.fill(p.index, p.start, p.start + p.size);
  const band = options.band ?? membraneBand(net, options.guardSaturationPa);
  if (options.guardSaturationPa !== undefined) {
    const v = backend.buffer('membraneMv') as Float32Array;
    const iEx = backend.buffer('currentExcPa') as Float32Array;
    const iIn = backend.buffer('currentInhPa') as Float32Array;
    const ref = backend.buffer('refractorySteps') as Int32Array;
    for (let s = 0; s < v.length; s++) {
      const i = s % n;
      const p = popOf[i];
      if (!Number.isFinite(v[s]) || !Number.isFinite(iEx[s]) || !Number.isFinite(iIn[s])) say(`replica ${Math.floor(s / n)} neuron ${i}: non-finite state (V ${v[s]}, I_ex ${iEx[s]}, I_in ${iIn[s]}) with guards on`);
      else if (!options.bandExempt?.[s] && (v[s] < band.loMv[p] || v[s] > band.hiMv[p])) say(`replica ${Math.floor(s / n)} neuron ${i}: V = ${v[s]} mV outside the physical band [${band.loMv[p].toFixed(1)}, ${band.hiMv[p].toFixed(1)}] mV`);
      if (ref[s] < 0) say(`replica ${Math.floor(s / n)} neuron ${i}: refractory counter ${ref[s]} < 0`);
    }
    if (!options.ringsMayBeNonFinite) {
      for (const name of ['ringExcPa', 'ringInhPa'] as const) {
        const r = backend.buffer(name) as Float32Array;
        for (let k = 0; k < r.length; k++) if (!Number.isFinite(r[k])) say(`${name}[${k}] = ${r[k]}: non-finite pending input with no non-finite weight delivered`);
      }
    }
  }
  const last = new Float64Array(n);
  const counted = new Uint32Array(n);
  const now = backend.currentStep;
  const from = backend.recorder.countFromStep;
  for (let b = 0; b < backend.batch; b++) {
    const pairs = backend.recorder.stores[b].toPairs();
    last.fill(-Infinity);
    counted.fill(0);
    let ps = -1;
    let pn = -1;
    for (let k = 0; k < pairs.length; k += 2) {
      const step = pairs[k];
      const i = pairs[k + 1];
      if (step < ps || (step === ps && i <= pn)) say(`replica ${b}: record pair ${k / 2} (step ${step}, neuron ${i}) ${step === ps && i === pn ? 'duplicates' : 'comes before'} the previous one (step ${ps}, neuron ${pn})`);
      if (step >= now || step < 0) say(`replica ${b}: spike at step ${step}, but the simulation is at step ${now}`);
      if (i < 0 || i >= n) {
        say(`replica ${b}: spike of neuron ${i}, outside [0, ${n})`);
        continue;
      }
      const isi = step - last[i];
      if (isi < band.minIsiSteps[popOf[i]] && !options.isiExempt?.[b * n + i]) say(`replica ${b} neuron ${i}: spikes at steps ${last[i]} and ${step}, closer than its refractory period allows (${band.minIsiSteps[popOf[i]]} steps)`);
      last[i] = step;
      if (step >= from) counted[i]++;
      ps = step;
      pn = i;
    }
    const counts = backend.recorder.counts;
    for (let i = 0; i < n; i++) if (counts[b * n + i] !== counted[i]) say(`replica ${b} neuron ${i}: count ${counts[b * n + i]} but ${counted[i]} spikes recorded since step ${from}`);
  }
  return out;
}
