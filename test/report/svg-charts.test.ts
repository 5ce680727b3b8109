import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bandChart } from '../../src/report/svg-charts.js';

test('bandChart: a band polygon, a line and points per series; decade ticks on a log axis', () => {
  const svg = bandChart([{ name: 'a', xs: [1e-4, 1e-2, 0.5], ys: [1, 0.8, 0.3], lo: [0.9, 0.7, 0.2], hi: [1, 0.9, 0.4] }], { title: 't', xLabel: 'x', yLabel: 'y', logX: true, reference: { y: 0.25, label: 'chance' } });
  assert.equal((svg.match(/<polygon /g) ?? []).length, 1);
  assert.equal((svg.match(/<circle /g) ?? []).length, 3);
  for (const tick of ['1e-4', '1e-3', '0.01', '0.1']) assert.ok(svg.includes(`>${tick}</text>`), `tick ${tick}`);
  assert.match(svg, /chance/);
  assert.match(svg, /x \(log\)/);
});

test('bandChart: non-finite points and x <= 0 on a log axis are left out, not drawn at NaN', () => {
  const svg = bandChart([{ name: 'b', xs: [0, 1, 10], ys: [1, NaN, 2], lo: [1, NaN, 2], hi: [1, NaN, 2] }], { title: 't', xLabel: 'x', yLabel: 'y', logX: true });
  assert.doesNotMatch(svg, /NaN/);
  assert.equal((svg.match(/<circle /g) ?? []).length, 1);
});
