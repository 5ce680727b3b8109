import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { etaSeconds, formatSeconds, RATE_WINDOW_MS, RateWindow, RunProgress } from '../../src/cli/progress-line.js';

/** A non-TTY stream that keeps its lines. */
function sink() {
  const lines: string[] = [];
  const stream = { isTTY: false, write: (s: string) => (lines.push(...String(s).split('\n').filter(Boolean)), true) } as unknown as NodeJS.WritableStream & { isTTY?: boolean };
  return { stream, lines };
}

describe('ETA arithmetic', () => {
  it('remaining simulated ms over the rate measured in the window; null before a rate; 0 when nothing remains', () => {
    const w = new RateWindow();
    assert.equal(etaSeconds(w, 1000), null, 'no rate yet: no ETA rather than a wrong one');
    w.push({ wallMs: 0, doneMs: 0 });
    assert.equal(etaSeconds(w, 1000), null);
    w.push({ wallMs: 2000, doneMs: 400 });
    assert.equal(w.rateMsPerSecond(), 200, '400 simulated ms in 2 wall s');
    assert.equal(etaSeconds(w, 1000), 5);
    assert.equal(etaSeconds(w, 0), 0);
    w.clear();
    w.push({ wallMs: 0, doneMs: 0 });
    w.push({ wallMs: 1000, doneMs: 0 });
    assert.equal(etaSeconds(w, 1000), null, 'no progress in the window: no rate');
  });

  it('follows a change of speed: points older than the window are dropped', () => {
    const w = new RateWindow();
    // 100 simulated ms per wall s for 60 s, then 10 per s for 30 s.
    for (let t = 0; t <= 60_000; t += 1000) w.push({ wallMs: t, doneMs: t / 10 });
    for (let t = 61_000; t <= 90_000; t += 1000) w.push({ wallMs: t, doneMs: 6000 + (t - 60_000) / 100 });
    const rate = w.rateMsPerSecond()!;
    assert.ok(Math.abs(rate - 10) < 1, `the rate of the last ${RATE_WINDOW_MS} ms (${rate}), not the run's mean`);
    assert.ok(Math.abs(etaSeconds(w, 100)! - 10) < 1);
  });

  it('formats seconds as s, m and h', () => {
    assert.deepEqual([formatSeconds(4.4), formatSeconds(65), formatSeconds(3725), formatSeconds(Number.POSITIVE_INFINITY)], ['4s', '1m05s', '1h02m', '?']);
  });
});

describe('RunProgress off a terminal', () => {
  const plan = [
    { id: 'a', kind: 'spike-storm', plannedMs: 1000 },
    { id: 'b', kind: 'neuron-fault', plannedMs: 1000 },
  ];

  it('writes a line per experiment that stays and a plain progress line every logEveryMs, overall in simulated ms', () => {
    let now = 0;
    const { stream, lines } = sink();
    const p = new RunProgress(stream, plan, { now: () => now, logEveryMs: 10_000 });
    p.start(0);
    assert.deepEqual(lines, ['[1/2] a (spike-storm): 1000 ms simulated at most']);
    for (let k = 1; k <= 25; k++) {
      now = k * 1000;
      p.update(k * 20, 1000, 'observe');
    }
    // At 10 s and 20 s of wall time: 200 and 400 of 2000 simulated ms.
    assert.deepEqual(lines.slice(1), [
      'progress 10% (200 of 2000 simulated ms, a: observe), 10s elapsed, eta <= 1m30s',
      'progress 20% (400 of 2000 simulated ms, a: observe), 20s elapsed, eta <= 1m20s',
    ]);
    // a recovers early at 600 ms: its unused 400 ms leave the total, the percentage does not stall.
    now = 26_000;
    p.update(600, 1000, 'recovery');
    p.end('pass');
    assert.equal(lines.at(-1), '[1/2] a: pass, 600 ms simulated in 26.0 s');
    assert.equal(p.totalMs(), 1600);
    assert.equal(p.doneMs(), 600);
    // The rate over the last 15 s: (600 - 220) simulated ms from 11 s to 26 s = 25.3 ms per s; 1000 ms of b left: 39 s.
    assert.equal(p.statusLine(), 'progress 38% (600 of 1600 simulated ms), 26s elapsed, eta <= 39s');
    p.start(1);
    assert.equal(lines.at(-1), '[2/2] b (neuron-fault): 1000 ms simulated at most');
    p.stop();
  });

  it('--quiet: nothing at all', () => {
    let now = 0;
    const { stream, lines } = sink();
    const p = new RunProgress(stream, plan, { now: () => now, quiet: true, logEveryMs: 1 });
    p.start(0);
    for (let k = 1; k <= 5; k++) {
      now = k * 1000;
      p.update(k * 100, 1000, 'observe');
    }
    p.end('fail');
    p.stop();
    assert.deepEqual(lines, []);
  });
});
