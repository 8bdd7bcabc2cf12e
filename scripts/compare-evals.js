// Puts the results of several `srtune eval` folders over the same images side by side, as the paper's Tables II
// and IV do: per image and on average, each method's PSNR-Y and PS (LPIPS) at its end, with its iterations and
// seconds; the bicubic enlargement comes from the first folder, and each fine-tuned model's output before
// fine-tuning from the first folder of that model.
// A folder whose images estimated their kernel (eval --blur estimate) adds the kernel's error and time.
// Usage: node scripts/compare-evals.js "TITLE" LABEL=EVAL_DIR [LABEL=EVAL_DIR ...] > table.md
'use strict';
const fs = require('fs');
const path = require('path');

const [title, ...specs] = process.argv.slice(2);
if (!title || specs.length === 0 || specs.some((s) => !s.includes('='))) {
  console.error('usage: node scripts/compare-evals.js "TITLE" LABEL=EVAL_DIR [LABEL=EVAL_DIR ...]');
  process.exit(2);
}
const read = (f) => { try { return JSON.parse(fs.readFileSync(f, 'utf8')); } catch (e) { return null; } };
const fx = (x, d) => (typeof x === 'number' ? x.toFixed(d) : '–');
const mean = (xs) => (xs.length && xs.every((x) => typeof x === 'number')
  ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

const runs = specs.map((s) => {
  const i = s.indexOf('=');
  const dir = s.slice(i + 1);
  const results = read(path.join(dir, 'results.json'));
  const byName = {};
  for (const r of (results && results.images) || []) byName[r.image] = r;
  const kernels = {};
  for (const name of Object.keys(byName)) {
    const rep = read(path.join(dir, 'images', name, 'report.json'));
    const k = rep && rep.blur_estimate;
    if (k) {
      kernels[name] = { error: k.accuracy && k.accuracy.normalised_l2, seconds: k.estimator && k.estimator.seconds };
    }
  }
  return { label: s.slice(0, i), dir, results, byName, kernels,
    finetune: results && results.settings && results.settings.method !== 'zssr'
      && results.settings.method !== 'dip' };
});
const names = [];
for (const r of runs) for (const n of Object.keys(r.byName)) if (!names.includes(n)) names.push(n);
names.sort();
const bicubicRun = runs.find((r) => Object.keys(r.byName).length);
if (!bicubicRun) {
  console.error('compare-evals: none of the folders has a results.json with finished images; run srtune eval first.');
  process.exit(2);
}
// One 'before' column per fine-tuned model: its network's output does not depend on A (folders compared here are
// meant to share their LR images).
const startRuns = [];
for (const r of runs) {
  if (r.finetune && Object.keys(r.byName).length
    && !startRuns.some((o) => o.results.settings.model === r.results.settings.model)) startRuns.push(r);
}
const kernelRun = runs.find((r) => Object.keys(r.kernels).length);

const cols = ['bicubic'];
for (const r of startRuns) cols.push(`${path.basename(r.results.settings.model)} before fine-tuning`);
for (const r of runs) cols.push(r.label);
const lines = [`### ${title}`, '',
  'PSNR-Y (dB) / PS (LPIPS) of each method\'s result; the last row gives each method\'s mean iterations and '
  + 'seconds of optimisation per image.', '',
  '| image | ' + cols.join(' | ') + (kernelRun ? ' | kernel error (time) |' : ' |'),
  '|---|' + cols.map(() => '---|').join('') + (kernelRun ? '---|' : '')];
const cell = (q) => (q ? `${fx(q.psnr_y, 2)} / ${fx(q.lpips, 4)}` : '–');
const agg = {};
const push = (k, v) => { (agg[k] = agg[k] || []).push(v); };
for (const n of names) {
  const row = [];
  const b = bicubicRun.byName[n];
  row.push(cell(b && b.bicubic));
  push('b.p', b && b.bicubic.psnr_y); push('b.l', b && b.bicubic.lpips);
  startRuns.forEach((r, i) => {
    const e = r.byName[n];
    row.push(cell(e && e.start));
    push('s' + i + '.p', e && e.start.psnr_y); push('s' + i + '.l', e && e.start.lpips);
  });
  runs.forEach((r, i) => {
    const e = r.byName[n];
    row.push(cell(e && e.end));
    push(i + '.p', e && e.end.psnr_y); push(i + '.l', e && e.end.lpips);
    push(i + '.it', e && e.iterations); push(i + '.s', e && e.seconds);
  });
  let k = '';
  if (kernelRun) {
    const ke = kernelRun.kernels[n];
    k = ke ? ` | ${fx(ke.error, 3)} (${fx(ke.seconds, 0)} s)` : ' | –';
    push('k.e', ke && ke.error); push('k.s', ke && ke.seconds);
  }
  lines.push(`| ${n} | ${row.join(' | ')}${k} |`);
}
const m = (k, d) => fx(mean(agg[k] || []), d);
const meanRow = [`${m('b.p', 2)} / ${m('b.l', 4)}`];
startRuns.forEach((r, i) => meanRow.push(`${m('s' + i + '.p', 2)} / ${m('s' + i + '.l', 4)}`));
runs.forEach((r, i) => meanRow.push(`**${m(i + '.p', 2)}** / **${m(i + '.l', 4)}**`));
lines.push(`| **mean** | ${meanRow.join(' | ')}${kernelRun ? ` | ${m('k.e', 3)} (${m('k.s', 0)} s)` : ''} |`);
const costRow = ['', ...startRuns.map(() => '')];
runs.forEach((r, i) => costRow.push(`${m(i + '.it', 0)} it, ${m(i + '.s', 0)} s`));
lines.push(`| mean cost | ${costRow.join(' | ')}${kernelRun ? ' | ' : ''} |`, '');
lines.push('Folders: ' + runs.map((r) => `${r.label} = \`${r.dir}\``).join('; ') + '.');
if (kernelRun) {
  lines.push('', `Kernel error: normalised L2 of the kernel estimated from each LR (in \`${kernelRun.label}\`) `
    + 'against the true one, at the best shift within ±2 taps; time: one estimate.');
}
console.log(lines.join('\n'));
