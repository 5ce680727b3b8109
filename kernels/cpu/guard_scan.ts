/**
 * Guards as two tight passes around LifStep, so the neuron update itself
 * stays unchanged: before it, SanitizeInputs caps the input arriving in this
 * step's ring slot at +-capPa and drops non-finite input; after it,
 * ContainNonFinite resets and quarantines any neuron whose membrane or
 * currents are not finite. Both return how many they touched. No allocation.
 */
export function sanitizeInputs(ringEx: Float32Array, ringIn: Float32Array, ringOffset: number, from: number, to: number, capPa: number): number {
  let touched = 0;
  for (let i = ringOffset + from; i < ringOffset + to; i++) {
    const e = ringEx[i];
    const n = ringIn[i];
    // NaN fails both comparisons and is caught here too.
    if (!(Math.abs(e) <= capPa && Math.abs(n) <= capPa)) {
      ringEx[i] = e !== e ? 0 : e > capPa ? capPa : e < -capPa ? -capPa : e;
      ringIn[i] = n !== n ? 0 : n > capPa ? capPa : n < -capPa ? -capPa : n;
      touched++;
    }
  }
  return touched;
}

export function containNonFinite(
  v: Float32Array,
  iEx: Float32Array,
  iIn: Float32Array,
  refractory: Int32Array,
  stateOffset: number,
  from: number,
  to: number,
  resetMv: number,
  quarantineSteps: number,
): number {
  let contained = 0;
  for (let s = stateOffset + from; s < stateOffset + to; s++) {
    const sum = v[s] + iEx[s] + iIn[s];
    if (sum - sum !== 0) {
      v[s] = resetMv;
      iEx[s] = 0;
      iIn[s] = 0;
      refractory[s] = quarantineSteps;
      contained++;
    }
  }
  return contained;
}
