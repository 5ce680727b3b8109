import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { ChaosEngine } from '../../src/engine/chaos-engine.js';
import { loadScenario } from '../../src/engine/load-scenario.js';

const QUICK = fileURLToPath(new URL('../../../scenarios/quick.yaml', import.meta.url));

describe("quick.yaml's partition against its paired controls (issue 16's first example)", () => {
  it('spikes from L4 to L23 dropped: the rate probes of L23E and L23I fail (Holm-corrected), L23E neurons fall silent, health drops, and the verdict names them', async () => {
    const quick = loadScenario(QUICK);
    const partition = quick.experiments.find((e) => e.id === 'partition')!;
    // The experiment as shipped (fault, observation, trials), on the reference backend; a shorter recovery window
    // and no recording keep the test short (neither changes the fault window the probes judge).
    const scenario = { ...quick, backend: 'cpu' as const, defences: { ...quick.defences, recording: 'off' as const }, experiments: [{ ...partition, recoveryTimeoutMs: 60 }] };
    const e = (await new ChaosEngine(scenario).run()).experiments[0];
    assert.equal(e.hypothesis.before, true);
    const j = e.judge!;
    assert.equal(j.controls, 'replicas', 'judged against its paired controls');
    for (const id of ['rate.L23E', 'rate.L23I']) {
      const p = j.probes.find((x) => x.id === id && x.when === 'during')!;
      assert.equal(p.outcome, 'fail', `${id}: ${p.reason}`);
      assert.ok(p.effect! < -0.3 && p.effectCi95![1] < -0.1, `${id} fell: effect ${p.effect}, CI ${p.effectCi95}`);
      assert.ok(p.pValue! < 0.05);
      assert.ok(p.expectedSpikesPerWindow! >= 200);
      assert.ok(e.verdict.reasons.some((r) => r.startsWith(`probe ${id} failed during the fault (${j.treatedSpanMs[0]}-${j.treatedSpanMs[1]} ms, against control replicas)`)), e.verdict.reasons.join('\n'));
    }
    // L23's neurons fall silent too, and health reads the failing probes (it read 1.00 from the steady-state bands).
    const silenced = j.probes.find((x) => x.id === 'active-fraction.L23E' && x.when === 'during')!;
    assert.equal(silenced.outcome, 'fail', silenced.reason);
    assert.ok(e.scores.health! < 0.9, `health ${e.scores.health}`);
    assert.equal(e.verdict.outcome, 'fail');
  });
});
