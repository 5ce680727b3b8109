import { test } from 'node:test';
import assert from 'node:assert/strict';
import { curvesToCsv, curvesToMarkdown, point, type Curve } from '../../../bench/degradation/curve.js';
import { curvesToHtml } from '../../../bench/degradation/curve-html.js';

const curves: Curve[] = [
  { figure: 'weight corruption: task accuracy', series: 'bit-flip', defences: 'off', xLabel: 'fraction', yLabel: 'accuracy', logX: true, points: [point(1e-4, [1, 0.9, 0.95]), point(0.5, [0.25, 0.3, 0.2])], reference: { y: 0.25, label: 'chance' } },
  { figure: 'weight corruption: task accuracy', series: 'bit-flip', defences: 'on', xLabel: 'fraction', yLabel: 'accuracy', logX: true, points: [point(1e-4, [1, 1, 1]), point(0.5, [0.9, 0.95, 1])] },
  { figure: 'spike storm, "throughput"', series: '1e6 pA', defences: 'off', xLabel: 'rate', yLabel: 'ratio', logX: true, points: [point(100, [1])] },
];

test('CSV: one row per point with mean, interval, n and the trials; quoted where needed', () => {
  const lines = curvesToCsv(curves).trim().split('\n');
  assert.equal(lines[0], 'figure,series,defences,x_label,x,y_label,mean,ci95_lo,ci95_hi,sd,n,trials');
  assert.equal(lines.length, 1 + 5);
  const row = lines[1].split(',');
  assert.equal(row[0], 'weight corruption: task accuracy');
  assert.equal(row[4], '0.0001');
  assert.equal(Number(row[6]), 0.95);
  assert.ok(Number(row[7]) < 0.95 && Number(row[8]) > 0.95);
  assert.equal(row[10], '3');
  assert.equal(row[11], '1;0.9;0.95');
  assert.ok(lines[5].startsWith('"spike storm, ""throughput"""'));
});

test('Markdown: a table per figure, a column per series and defence setting', () => {
  const md = curvesToMarkdown(curves);
  assert.match(md, /### weight corruption: task accuracy: accuracy vs fraction/);
  assert.match(md, /\| fraction \| bit-flip \(def\. off\) \| bit-flip \(def\. on\) \|/);
  assert.match(md, /\| 1\.00e-4 \| 0\.95 \[/);
  assert.match(md, /Reference: chance = 0\.25/);
});

test('HTML: one SVG figure per family, with bands, dashed lines for defences off, and escaped text', () => {
  const html = curvesToHtml(curves, 'curves <test>', ['Machine: x & y']);
  assert.equal((html.match(/<svg /g) ?? []).length, 2);
  assert.equal((html.match(/<polygon /g) ?? []).length, 3, 'a band per curve (a single-trial curve has a flat one)');
  assert.match(html, /stroke-dasharray="5 3"/);
  assert.match(html, /curves &lt;test&gt;/);
  assert.match(html, /Machine: x &amp; y/);
  assert.doesNotMatch(html, /<script/);
});
