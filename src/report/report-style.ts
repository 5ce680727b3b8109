/**
 * The report's CSS: light by default, dark under `prefers-color-scheme: dark`,
 * and a print style (light colours, no navigation chrome, figures kept whole
 * on a page). The charts' SVG elements carry classes styled here, so one set of
 * colour variables restyles text, tables and charts alike.
 */
export const REPORT_CSS = `
:root{color-scheme:light dark;--fg:#1d1d1f;--bg:#fff;--muted:#5f6368;--card:#f5f6f8;--border:#d0d4da;--line:#1f5fa8;--fault:#f8d0d0;--band:#cfe8cf;--alert:#d9822b;--ok:#1d7a36;--bad:#b3261e;--warn:#8a5a00;--grid:#e6e6e6;--axis:#666;--inh:#c0392b}
@media (prefers-color-scheme:dark){:root{--fg:#e6e6e9;--bg:#15171c;--muted:#a0a4ab;--card:#1f2229;--border:#3a3f48;--line:#7fb3ff;--fault:#5b2b2e;--band:#23462d;--alert:#f0a054;--ok:#5cc97a;--bad:#ff7a6e;--warn:#e0b050;--grid:#2c3038;--axis:#9aa0a8;--inh:#ff8a7a}}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg);max-width:1000px;margin:1.5em auto;padding:0 1em}
h1{font-size:1.6em;margin:.2em 0}h2{margin-top:1.8em;border-bottom:1px solid var(--border);padding-bottom:.2em}h3{margin-bottom:.3em}
a{color:var(--line)}
.muted,figcaption{color:var(--muted)}
table{border-collapse:collapse;font-size:13px;margin:.6em 0}td,th{border:1px solid var(--border);padding:3px 7px;text-align:left;vertical-align:top}th{background:var(--card)}
caption{text-align:left;font-weight:600;padding:.2em 0}
.bad{color:var(--bad)}.good{color:var(--ok)}
.banner{display:flex;gap:1em;align-items:center;border-radius:8px;padding:.8em 1.1em;margin:1em 0;border:2px solid var(--border);background:var(--card)}
.banner .word{font-size:2em;font-weight:800;letter-spacing:.04em}
.banner.v-pass{border-color:var(--ok)}.banner.v-pass .word{color:var(--ok)}
.banner.v-fail{border-color:var(--bad)}.banner.v-fail .word{color:var(--bad)}
.banner.v-interrupted{border-color:var(--warn)}.banner.v-interrupted .word{color:var(--warn)}
.banner.v-not-run .word{color:var(--muted)}
.banner ul{margin:.2em 0;padding-left:1.2em}
.badge{display:inline-block;min-width:4.2em;text-align:center;font-size:.75em;font-weight:700;border-radius:4px;padding:.05em .4em;border:1px solid currentColor;vertical-align:middle}
.badge.v-pass{color:var(--ok)}.badge.v-fail{color:var(--bad)}.badge.v-interrupted{color:var(--warn)}.badge.v-not-run{color:var(--muted)}
ol.verdicts{padding-left:1.4em}ol.verdicts>li{margin:.35em 0}ol.verdicts ul{margin:.1em 0;padding-left:1.2em;font-size:.92em}
nav.toc{background:var(--card);border:1px solid var(--border);border-radius:6px;padding:.4em 1em;font-size:.93em}
nav.toc ol{margin:.2em 0;padding-left:1.3em}nav.toc ol ol{columns:2;column-gap:2em}
ul.compact{margin:.2em 0;font-size:.92em}
figure{margin:1.2em 0;break-inside:avoid}
figcaption{font-size:.88em;margin-top:.2em}
.key{white-space:nowrap;margin-right:.6em}.swatch{display:inline-block;width:1.1em;height:.8em;margin-right:.25em;vertical-align:middle;border:1px solid var(--border)}
.swatch.fault-window{background:var(--fault)}.swatch.band{background:var(--band)}.swatch.recovered{border:0;border-left:2px dashed var(--ok);width:.6em}.swatch.alert{background:var(--alert);clip-path:polygon(0 0,100% 0,50% 100%);border:0}
svg.chart{max-width:100%;height:auto;display:block}
svg .fault-window{fill:var(--fault)}svg .band{fill:var(--band)}svg .series.treated{stroke:var(--line)}svg .series.control{stroke:var(--muted)}svg .series.raw{stroke:var(--bad)}
svg .tick,svg .label,svg .panel-title{fill:var(--fg)}svg .axis{stroke:var(--axis)}svg .grid{stroke:var(--grid)}
svg .alert{fill:var(--alert)}svg .recovered{stroke:var(--ok)}svg .recovered-label{fill:var(--ok)}
svg .spikes.exc{stroke:var(--fg)}svg .spikes.inh{stroke:var(--inh)}
svg .dot.control{fill:var(--muted)}svg .dot.treated{fill:var(--line)}svg .mean.control{stroke:var(--muted)}svg .mean.treated{stroke:var(--line)}
svg .outcome-fail{fill:var(--bad)}svg .outcome-pass{fill:var(--ok)}svg .outcome-no-data{fill:var(--muted)}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1em}.pair>div>h4{margin:.4em 0}
tr.diff td{background:rgba(255,200,0,.18)}
pre{white-space:pre-wrap;background:var(--card);padding:.6em;font-size:12px}
@media print{
 :root{--fg:#000;--bg:#fff;--muted:#444;--card:#f3f3f3;--border:#999;--line:#1f5fa8;--fault:#f6cccc;--band:#d3ead3;--alert:#c46a10;--ok:#176b2c;--bad:#a51d16;--grid:#ddd;--axis:#555;--inh:#b0281b}
 body{max-width:none;margin:0;font-size:11pt}
 nav.toc ol ol{columns:3}
 a{color:inherit;text-decoration:none}
 section.experiment{break-before:page}
 figure,table,.banner{break-inside:avoid}
 details:not([open]){display:none}
}
`;
