import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { machineInfo } from '../../bench/machine-info.js';
import { runVerdictPower, type PowerResult } from '../../bench/verdict-power.js';
import { powerConfig } from '../../bench/verdict-power-config.js';
import { proportion, smallestDetected, wilsonInterval } from '../../bench/verdict-power-stats.js';

const dir = `${mkdtempSync(join(tmpdir(), 'neurochaos-verdict-power-'))}/`;
after(() => rmSync(dir, { recursive: true, force: true }));

describe('verdict-power bench', () => {
  it('the tiny form runs the null perturbation and a graded fault through the engine and writes the result files', async () => {
    const cfg = powerConfig('tiny');
    const lines: string[] = [];
    const r = await runVerdictPower(cfg, dir, 'vp', machineInfo(), 'npm run bench -- --suite verdict-power (tiny)', (l) => lines.push(l));
    const json = JSON.parse(readFileSync(`${dir}vp.json`, 'utf8')) as PowerResult;
    // One row per point and verdict size (judge.trials 1 and 2).
    assert.deepEqual(json.points.map((p) => `${p.id}/${p.pairsPerVerdict}`), ['aa-null/1', 'aa-null/2', 'dead-L4E-50/1', 'dead-L4E-50/2']);
    assert.equal(json.command, 'npm run bench -- --suite verdict-power (tiny)');
    assert.equal(json.machine.cores, r.machine.cores);
    assert.equal(json.loadAverageAtEnd.length, 3);
    for (const p of json.points) {
      assert.equal(p.trials.length, cfg.trials / p.pairsPerVerdict, p.id);
      assert.equal(p.rate.trials + p.notInjected, cfg.trials / p.pairsPerVerdict, p.id);
      if (p.rate.trials > 0) {
        assert.ok(p.rate.ci95 && p.rate.ci95[0] <= p.rate.rate! && p.rate.rate! <= p.rate.ci95[1], `${p.id}: the rate lies in its interval`);
        // Paired: the per-replica faults keep unfaulted control replicas in the batch.
        assert.deepEqual(p.controls, ['replicas'], p.id);
      }
      assert.equal(p.pooledRuns.length, 1, `${p.id}: ${cfg.trials} trials in one batched run`);
    }
    assert.equal(json.points[0].measures, 'false-alarm');
    // The null perturbation makes every judged pair diverge (else the A/A trial tests nothing).
    assert.equal(json.points[0].diverged?.successes, json.points[0].rate.trials);
    assert.equal(json.points[2].measures, 'detection');
    // Half of L4E dead lowers its rate in every judged trial.
    for (const t of json.points[2].trials) if (t.status === 'judged') assert.ok(t.focusEffect !== null && t.focusEffect < -0.2, `trial ${t.trial}: L4E effect ${t.focusEffect}`);
    assert.ok('dead-L4E, judge.trials 1' in json.smallestDetectedWith80Power);
    assert.deepEqual(Object.keys(json.targets.byPairsPerVerdict), ['1', '2']);
    const md = readFileSync(`${dir}vp.md`, 'utf8');
    assert.match(md, /^# Verdict power and false alarms \(tiny\)/);
    assert.match(md, /\| aa-null \| A\/A: one extra spike of one L4E neuron \| 1 \|/);
    assert.match(md, /## Smallest effect detected with 80% power/);
    assert.ok(lines.some((l) => l.includes('wrote bench/results/vp.json')));
  });
});

describe('verdict-power statistics', () => {
  it('Wilson intervals: textbook values, never outside [0, 1], exact at the ends', () => {
    // Brown, Cai & DasGupta (2001): n = 20, x = 0 -> [0, 0.161]; x = 10 -> [0.299, 0.701].
    const [lo0, hi0] = wilsonInterval(0, 20);
    assert.equal(lo0, 0);
    assert.ok(Math.abs(hi0 - 0.1611) < 1e-3, `${hi0}`);
    const [lo, hi] = wilsonInterval(10, 20);
    assert.ok(Math.abs(lo - 0.2993) < 1e-3 && Math.abs(hi - 0.7007) < 1e-3, `${lo} ${hi}`);
    assert.equal(wilsonInterval(40, 40)[1], 1);
    assert.throws(() => wilsonInterval(3, 2), RangeError);
    assert.deepEqual(proportion(0, 0), { successes: 0, trials: 0, rate: null, ci95: null });
  });

  it('the smallest grade detected with 80% power is the first in growing grade whose rate reaches 80%', () => {
    const at = (id: string, grade: number, k: number, n: number) => ({ id, grade, detection: proportion(k, n), meanFocusEffect: -grade });
    const s = smallestDetected([at('c', 0.5, 40, 40), at('a', 0.05, 2, 40), at('b', 0.2, 33, 40)]);
    assert.equal(s?.id, 'b');
    assert.equal(s?.lowerBoundMeetsPower, false);
    assert.equal(smallestDetected([at('a', 0.05, 2, 40)]), null);
  });
});
