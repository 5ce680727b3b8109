import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import type { Journal } from '../../src/engine/journal.js';
import { comparisonHtml } from '../../src/report/comparison.js';
import { populationLayout } from '../../src/report/population-layout.js';
import { reportHtml } from '../../src/report/report-html.js';

const fixture = (name: string) => JSON.parse(readFileSync(fileURLToPath(new URL(`../../../test/fixtures/${name}`, import.meta.url)), 'utf8')) as Journal;
const quick = fixture('quick-journal.json');
const long = fixture('long-run-journal.json');
const html = (j: Journal) => reportHtml(j, j.scenario.neurons, j.scenario.dtMs);

/** The text of every `<text class="tick">` inside `svg`. */
const ticks = (svg: string) => [...svg.matchAll(/<text class="tick"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
/** The part of `page` from the first match of `start` to the next `</section>` or `</figure>`. */
function slice(page: string, start: string, end = '</figure>'): string {
  const a = page.indexOf(start);
  assert.ok(a >= 0, `${start} in the page`);
  return page.slice(a, page.indexOf(end, a) + end.length);
}

describe('reportHtml', () => {
  it('opens on the run verdict with its reasons, then each experiment verdict linked to its section, and contents', () => {
    const page = html(quick);
    const failed = quick.experiments.filter((e) => e.verdict.outcome === 'fail').map((e) => e.id);
    assert.ok(failed.length > 0, 'the quick-tour fixture has a failing experiment');
    const banner = slice(page, '<div class="banner', '</ul>');
    assert.match(banner, /<div class="word">FAIL<\/div>/);
    assert.ok(banner.includes(`failed: ${failed.join(', ')}`), 'the banner names the failing experiments');
    assert.ok(page.indexOf('class="banner') < page.indexOf('<nav class="toc"'), 'verdict first, then contents');
    for (const e of quick.experiments) {
      assert.ok(page.includes(`<section class="experiment" id="exp-${e.id}">`), `${e.id} has a section`);
      assert.ok(page.includes(`<li><a href="#exp-${e.id}">${e.id}</a>`), `${e.id} in the contents`);
      assert.ok(page.includes(`<a href="#exp-${e.id}">${e.id}</a> <span class="muted">`), `${e.id} in the verdict list`);
      for (const r of e.verdict.reasons) assert.ok(page.includes(r.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')), `reason shown: ${r}`);
    }
    assert.match(page, /probe rate\.L23E failed during the fault \(400-500 ms/, 'a reason names the probe, the effect and the window');
    assert.doesNotMatch(page, /NaN|undefined|<script|https?:\/\//);
  });

  it('draws per experiment the rates as small multiples with bands, the real fault window, alerts and the recovery point', () => {
    const page = html(quick);
    const storm = quick.experiments[0];
    const fig = slice(page, `<figure id="exp-${storm.id}-rates"`);
    const pops = Object.keys(storm.samples[0].ratesHz);
    assert.equal((fig.match(/<g class="panel"/g) ?? []).length, pops.length, 'one panel per population');
    assert.equal((fig.match(/<rect class="band"/g) ?? []).length, pops.length, 'a band per population');
    assert.equal((fig.match(/<rect class="fault-window"/g) ?? []).length, pops.length);
    assert.match(fig, /fault acting 400 to 500 ms/, 'shaded to when the storm stopped acting (500 ms), not to the rollback (550 ms)');
    assert.equal((fig.match(/<path class="alert"/g) ?? []).length, storm.alerts.length * pops.length, 'every alert on every panel');
    assert.equal((fig.match(/<line class="recovered"/g) ?? []).length, pops.length);
    assert.match(fig, /One point per 20 ms sample/);
    // d3's nice ticks: the steps between labels are 1, 2 or 5 times a power of ten.
    for (const panel of fig.split('<g class="panel"').slice(1)) {
      const ys = ticks(panel).map((t) => Number(t.replace(/,/g, ''))).filter((v) => v <= 1e6);
      const step = Math.abs(ys[1] - ys[0]);
      const mantissa = step / 10 ** Math.floor(Math.log10(step));
      assert.ok([1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-9), `nice step ${step} in ${ys.join(' ')}`);
    }
    assert.match(slice(page, `<figure id="exp-${storm.id}-network"`), /synchrony \(Fano factor\)/);
    assert.match(slice(page, `<figure id="exp-${storm.id}-probes"`), /rate\.L23E <tspan class="outcome-fail">fail \+475%/, 'treated vs control per probe');
    assert.match(slice(page, '<table class="defences">', '</table>'), /<th scope="row">weight scrubbing<\/th><td>on<\/td>/);
  });

  it('labels the raster by population and smooths a 2 x 30 s run to a stated window', () => {
    const layout = populationLayout(quick)!;
    assert.deepEqual(layout.map((p) => p.name), ['L23E', 'L23I', 'L4E', 'L4I', 'L5E', 'L5I', 'L6E', 'L6I']);
    assert.equal(layout.at(-1)!.to, quick.scenario.neurons);
    const raster = slice(html(quick), '<figure id="exp-spike_storm-raster"');
    for (const p of layout) assert.ok(raster.includes(`>${p.name}</text>`), `label ${p.name}`);
    const page = html(long);
    const fig = slice(page, '<figure id="exp-storm_10s-rates"');
    assert.match(fig, /Rates averaged over 500 ms windows \(samples every 20 ms\)/);
    const points = (fig.match(/<path class="series treated" d="([^"]*)"/)![1].match(/[ML]/g) ?? []).length;
    assert.ok(points <= 70, `${points} points for 31 s at 500 ms`);
    assert.match(fig, /fault acting 1200 to 11200 ms/, 'the 10 s storm, not the 30 s observation');
    assert.ok(ticks(fig).includes('10') && ticks(fig).includes('20'), 'seconds on a 30 s axis');
  });

  it('comparison.html: both verdicts, contents, the same plots side by side on shared y scales', () => {
    const page = comparisonHtml(quick, long);
    assert.equal((page.match(/<div class="banner/g) ?? []).length, 2);
    assert.match(page, /<nav class="toc"/);
    const section = slice(page, '<section class="experiment" id="exp-spike_storm">', '</section>');
    assert.match(section, /<div class="pair">/);
    assert.equal((section.match(/<figure id="exp-spike_storm-on-rates"/g) ?? []).length, 1);
    assert.match(section, /<h4><span class="badge v-fail">FAIL<\/span> defences on<\/h4>/);
    assert.match(section, /defences off<\/h4><p>not in the raw run<\/p>/, 'an experiment the raw run lacks says so');
    const self = comparisonHtml(quick, quick);
    const on = slice(self, '<figure id="exp-dead_neurons-on-rates"');
    const off = slice(self, '<figure id="exp-dead_neurons-off-rates"');
    assert.deepEqual(ticks(on), ticks(off), 'one y scale per pair');
    assert.doesNotMatch(self, /NaN|undefined|<script|https?:\/\//);
  });
});

describe('summaryMarkdown', () => {
  it("starts with the run's verdict and its reasons", async () => {
    const { summaryMarkdown } = await import('../../src/report/summary-md.js');
    assert.match(summaryMarkdown(quick), /^# Quick tour of every fault kind\n\nVerdict \*\*FAIL\*\*: 1 of 10 experiment\(s\) failed: spike_storm\.\n/);
    assert.match(summaryMarkdown(long), /Verdict \*\*FAIL\*\*: 2 of 2 experiment\(s\) failed: storm_10s, dead_l4e\./);
  });
});
