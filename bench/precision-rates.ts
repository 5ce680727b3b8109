import { parseArgs } from 'node:util';
import { mean, sampleStandardDeviation } from 'simple-statistics';
import { PRECISIONS } from '../src/backends/precision.js';
import { simulate } from '../src/simulate.js';

/**
 * Is single precision scientifically harmless? Population rates of a model
 * in float64 and float32 (SimulationOptions.precision) over several seeds on
 * the `cpu` backend: per population the mean and sample sd over seeds in
 * each precision, and the difference of the means in units of the float64
 * seeds' sd. The two precisions part spike for spike after a while (chaotic
 * dynamics), so each run is another realisation: the question is whether
 * float32 moves the rates by more than a change of seed does.
 *
 *   node dist/bench/precision-rates.js [--model cuba|microcircuit:0.1] [--seeds 4] [--duration 1000]
 *
 * Prints a Markdown table (rates in Hz). Seconds per run: CUBA about 0.1,
 * microcircuit 0.1 about 0.5 on the project's machine.
 */
const { values } = parseArgs({ options: { model: { type: 'string', default: 'cuba' }, seeds: { type: 'string', default: '4' }, duration: { type: 'string', default: '1000' } } });
const [name, scaleText] = values.model.split(':');
if (name !== 'cuba' && name !== 'microcircuit') throw new Error(`--model: cuba or microcircuit:SCALE (got ${values.model})`);
const seeds = Number(values.seeds);
if (!(Number.isInteger(seeds) && seeds >= 2 && seeds <= 100)) throw new Error(`--seeds: an integer in [2, 100] (got ${values.seeds})`);
const durationMs = Number(values.duration);
const rates: Record<string, Record<string, number[]>> = {};
for (let seed = 1; seed <= seeds; seed++) {
  for (const precision of PRECISIONS) {
    const r = await simulate({ model: name, scale: scaleText === undefined ? undefined : Number(scaleText), durationMs, backend: 'cpu', seed, precision });
    for (const [pop, hz] of Object.entries(r.ratesHz)) ((rates[pop] ??= {})[precision] ??= []).push(hz);
  }
}
const f = (x: number) => x.toFixed(3);
process.stdout.write(`${values.model}, ${durationMs} ms, seeds 1-${seeds}, cpu backend\n\n| population | float64 mean (sd over seeds) | float32 mean (sd) | float32 - float64 | in float64 seed sds |\n|---|---|---|---|---|\n`);
for (const [pop, by] of Object.entries(rates)) {
  const m64 = mean(by.float64);
  const m32 = mean(by.float32);
  const sd = sampleStandardDeviation(by.float64);
  process.stdout.write(`| ${pop} | ${f(m64)} (${f(sd)}) | ${f(m32)} (${f(sampleStandardDeviation(by.float32))}) | ${(m32 - m64 >= 0 ? '+' : '') + f(m32 - m64)} (${(((m32 - m64) / m64) * 100).toFixed(1)}%) | ${sd > 0 ? ((m32 - m64) / sd).toFixed(2) : 'n/a'} |\n`);
}
