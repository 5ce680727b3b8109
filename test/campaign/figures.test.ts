import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Curve } from '../../src/campaign/curves.js';
import { familyFigures, MAX_LINES_PER_PANEL } from '../../src/campaign/figures.js';

function curve(series: string, range: Curve['range'], lo: number, hi: number): Curve {
  return { family: 's/k', sweep: 's', key: 'k', series, defences: 'on', xLabel: 'fraction', yLabel: 'y', range, logX: true, categorical: false, points: [0.01, 0.1, 1].map((x) => ({ x, mean: (lo + hi) / 2, lo, hi, n: 3, method: 'bootstrap' as const })) };
}

test('a family of more than 8 lines is split into panels of at most 8; every legend entry is drawn inside the figure', () => {
  const curves = Array.from({ length: 19 }, (_, i) => curve(`series number ${i}`, 'nonneg', 0, 2));
  const figs = familyFigures(curves);
  assert.equal(figs.length, 3);
  for (const f of figs) {
    const lines = f.svg.match(/<polyline /g)?.length ?? 0;
    assert.ok(lines <= MAX_LINES_PER_PANEL);
    const h = Number(/height="(\d+)"/.exec(f.svg)![1]);
    const legendYs = [...f.svg.matchAll(/<text class="fg" x="96" y="([\d.]+)"/g)].map((m) => Number(m[1]));
    assert.equal(legendYs.length, lines);
    assert.ok(legendYs.every((y) => y < h), 'legend inside the figure');
  }
});

test('figures set their background and text colours for light and dark, and proportions span [0, 1]', () => {
  const [f] = familyFigures([curve('a', 'proportion', 0.2, 0.4)]);
  assert.match(f.svg, /<rect class="bg"/);
  assert.match(f.svg, /\.bg\{fill:#ffffff\}/);
  assert.match(f.svg, /prefers-color-scheme: dark\)\{\.bg\{fill:#121212\}\.fg\{fill:#e8e8e8\}/);
  const ticks = [...f.svg.matchAll(/text-anchor="end" font-size="10">([^<]+)</g)].map((m) => m[1]);
  assert.equal(ticks[0], '0');
  assert.equal(ticks[ticks.length - 1], '1');
});
