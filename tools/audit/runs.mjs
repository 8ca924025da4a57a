// Lighthouse runs for `make audit` (tools/audit.py), in one Node process and one Chromium:
// starting both anew for each run costs several seconds a run, and the audit makes hundreds.
//
//   node runs.mjs < jobs.json > results.jsonl
//
// jobs.json: {"chrome": path, "flags": [...], "jobs": [{"id": ..., "url": ..., "categories":
// [...]}, ...]}, run in the order given (the caller interleaves the sites it compares, so
// that a busy spell of the machine falls on both). One JSON line per run: its id, the
// categories' scores, the metrics, the bytes moved, the main thread's work by kind, the
// audits below 1 and how fast the machine ran (Lighthouse's benchmark index). Lighthouse's
// default (mobile) settings, simulated throttling; Chromium's storage is cleared before each
// run (Lighthouse's default), so every load is a first visit.
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const {chrome: chromePath, flags, jobs} = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const chrome = await chromeLauncher.launch({chromePath, chromeFlags: ['--headless=new', ...flags]});
// Stopped (Ctrl-C, or the caller giving up): take Chromium down too, not leave it running.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => { await chrome.kill(); process.exit(1); });
}
const numeric = (report, id) => report.audits[id]?.numericValue ?? null;
try {
  for (const job of jobs) {
    let line;
    const t0 = Date.now();
    try {
      const result = await lighthouse(job.url, {
        port: chrome.port, output: 'json', logLevel: 'error',
        onlyCategories: job.categories,
        // A diagnostic without weight whose check loads the page a second time.
        skipAudits: ['bf-cache'],
      });
      const report = result.lhr;
      if (report.runtimeError) throw new Error(report.runtimeError.message);
      const scores = Object.fromEntries(job.categories.map(c => [c, report.categories[c].score]));
      const breakdown = Object.fromEntries(
        (report.audits['mainthread-work-breakdown']?.details?.items ?? [])
          .map(item => [item.group, Math.round(item.duration)]));
      const bootup = (report.audits['bootup-time']?.details?.items ?? [])
        .map(item => [item.url, Math.round(item.scripting), Math.round(item.total)]);
      const failing = Object.values(report.audits)
        .filter(a => a.score !== null && a.score < 1
          && ['binary', 'numeric'].includes(a.scoreDisplayMode))
        .map(a => a.id);
      line = {
        id: job.id, url: job.url, scores, failing, breakdown, bootup,
        tbt: numeric(report, 'total-blocking-time'),
        fcp: numeric(report, 'first-contentful-paint'),
        lcp: numeric(report, 'largest-contentful-paint'),
        si: numeric(report, 'speed-index'),
        cls: numeric(report, 'cumulative-layout-shift'),
        bytes: numeric(report, 'total-byte-weight'),
        requests: report.audits['network-requests']?.details?.items?.length ?? null,
        dom: numeric(report, 'dom-size'),
        seconds: (Date.now() - t0) / 1000,
        benchmark: report.environment?.benchmarkIndex ?? null,
        long: (report.audits['long-tasks']?.details?.items ?? [])
          .map(item => [item.url.split('/').slice(-2).join('/'), Math.round(item.startTime), Math.round(item.duration)]),
      };
    } catch (error) {
      line = {id: job.id, url: job.url, error: String(error && error.message || error)};
    }
    process.stdout.write(JSON.stringify(line) + '\n');
  }
} finally {
  await chrome.kill();
}
