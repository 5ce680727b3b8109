import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { Journal } from '../../src/engine/journal.js';
import { comparisonHtml } from '../../src/report/comparison.js';
import { reportHtml } from '../../src/report/report-html.js';
import { sectionId } from '../../src/report/experiment-section.js';
import { runVerdict } from '../../src/report/run-verdict.js';

/**
 * The HTML report in a real browser: Debian's Chromium driven by
 * playwright-core. Renders the committed quick-tour journal (10 experiments)
 * and the 2 x 30 s journal, and checks what a reader sees first: the verdict
 * banner, the contents, one figure per experiment, light and dark mode, the
 * print style, and that nothing is fetched. Keeps screenshots in artifacts/.
 * Skipped only off CI when Chromium is missing; with CI=true a missing
 * Chromium fails (.ci/run installs it).
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = join(ROOT, 'artifacts');
const missing = !existsSync(CHROMIUM);
const onCi = process.env.CI === 'true';

const journal = (name: string) => JSON.parse(readFileSync(join(ROOT, 'test/fixtures', name), 'utf8')) as Journal;

describe('the HTML report in Chromium', { skip: missing && !onCi ? `no Chromium at ${CHROMIUM} (CI installs it: .ci/run)` : false }, () => {
  let ctx: BrowserContext;
  let dir: string;
  const external: string[] = [];

  before(async () => {
    assert.ok(!missing, `Chromium is missing at ${CHROMIUM} and CI=true: .ci/run must install it (apt-get install -y chromium)`);
    dir = mkdtempSync(join(tmpdir(), 'neurochaos-report-browser-'));
    ctx = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: CHROMIUM, args: ARGS, viewport: { width: 1100, height: 900 }, colorScheme: 'light', timeout: 60_000 });
    ctx.on('request', (r) => {
      if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) external.push(r.url());
    });
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  after(async () => {
    await ctx?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function open(name: string, html: string): Promise<Page> {
    const file = join(dir, name);
    writeFileSync(file, html);
    const page = await ctx.newPage();
    await page.goto(pathToFileURL(file).href);
    return page;
  }

  /** Checks the banner, the contents and one visible figure with drawn lines per experiment; returns the page. */
  async function checkReport(j: Journal, name: string): Promise<Page> {
    const page = await open(name, reportHtml(j, j.scenario.neurons, j.scenario.dtMs));
    const expected = runVerdict(j).outcome;
    const word = await page.locator('.banner .word').textContent();
    assert.equal(word, expected, 'the banner shows the run verdict');
    assert.ok(await page.locator('.banner').isVisible());
    const bannerBox = (await page.locator('.banner').boundingBox())!;
    assert.ok(bannerBox.y < 200, `the verdict is at the top (y ${bannerBox.y})`);
    // Contents: one link per experiment, each to a section that exists; the verdict list links the same sections.
    const links = await page.locator('nav.toc ol ol a').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
    assert.equal(links.length, j.experiments.length);
    for (const href of links) assert.equal(await page.locator(`section${href}`).count(), 1, `section ${href}`);
    assert.equal(await page.locator('ol.verdicts > li > a').count(), j.experiments.length);
    for (const e of j.experiments) {
      const section = page.locator(`section.experiment[id="${sectionId(e.id)}"]`);
      const fig = section.locator('figure.fig-rates svg');
      assert.equal(await fig.count(), 1, `${e.id}: one rates figure`);
      const box = (await fig.boundingBox())!;
      assert.ok(box.width > 300 && box.height > 100, `${e.id}: the figure is drawn (${box.width}x${box.height})`);
      assert.ok((await fig.locator('path.series').count()) >= Object.keys(e.samples[0].ratesHz).length, `${e.id}: a line per population`);
      assert.equal(await section.locator('figure.fig-raster svg').count(), 1, `${e.id}: a raster`);
      assert.match((await section.locator('h2 .badge').textContent())!, /PASS|FAIL|INTERRUPTED|NOT RUN/);
    }
    // A verdict link takes the reader to its section.
    const first = j.experiments[0].id;
    await page.locator(`ol.verdicts a[href="#${sectionId(first)}"]`).click();
    assert.equal(new URL(page.url()).hash, `#${sectionId(first)}`);
    await page.evaluate(() => window.scrollTo(0, 0));
    return page;
  }

  it("renders the quick tour's report: verdict banner, contents, one figure per experiment, light and dark, print", async () => {
    const j = journal('quick-journal.json');
    assert.equal(j.experiments.length, 10);
    const page = await checkReport(j, 'quick.html');
    await page.screenshot({ path: join(ARTIFACTS, 'report.png') });
    await page.locator('section.experiment').first().screenshot({ path: join(ARTIFACTS, 'report-experiment.png') });
    const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.notEqual(dark, light, 'dark mode changes the page colours');
    const faultFill = await page.locator('svg .fault-window').first().evaluate((el) => getComputedStyle(el).fill);
    assert.notEqual(faultFill, 'rgb(248, 208, 208)', 'charts follow dark mode');
    await page.screenshot({ path: join(ARTIFACTS, 'report-dark.png') });
    await page.emulateMedia({ colorScheme: 'dark', media: 'print' });
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(255, 255, 255)', 'printing is light');
    assert.equal(await page.locator('section.experiment').first().evaluate((el) => getComputedStyle(el).breakBefore), 'page', 'one experiment a page');
    await page.close();
  });

  it('renders a 2 x 30 s report with smoothed rates and the fault window short of the observation', async () => {
    const j = journal('long-run-journal.json');
    assert.equal(j.experiments.length, 2);
    const page = await checkReport(j, 'long.html');
    const caption = await page.locator('figure.fig-rates figcaption').first().textContent();
    assert.match(caption!, /averaged over \d+ ms windows/);
    // The storm lasts 10 s of a 30 s observation: its shaded window is about a third of the plotted span.
    const storm = page.locator('section.experiment').first().locator('figure.fig-rates svg g.panel').first();
    const panel = (await storm.boundingBox())!;
    const shade = (await storm.locator('rect.fault-window').boundingBox())!;
    assert.ok(shade.width > panel.width * 0.2 && shade.width < panel.width * 0.5, `fault window ${shade.width}px of a ${panel.width}px panel`);
    await page.locator('section.experiment').first().screenshot({ path: join(ARTIFACTS, 'report-long.png') });
    await page.close();
  });

  it('renders comparison.html with the plots side by side', async () => {
    const j = journal('quick-journal.json');
    const page = await open('comparison.html', comparisonHtml(j, j));
    assert.equal(await page.locator('.banner').count(), 2);
    const pair = page.locator('section.experiment').first().locator('.pair figure.fig-rates');
    assert.equal(await pair.count(), 2);
    const [a, b] = [(await pair.nth(0).boundingBox())!, (await pair.nth(1).boundingBox())!];
    assert.ok(b.x > a.x + a.width * 0.8 && Math.abs(a.y - b.y) < 5, 'defended and raw side by side');
    await page.close();
  });

  it('fetched nothing from the network', () => {
    assert.deepEqual(external, []);
  });
});
