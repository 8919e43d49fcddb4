/**
 * `npm run bench` (DESIGN.md §8): serves a seeded synthetic cluster with the embedded API
 * server on loopback and measures, as medians of interleaved runs, every budgeted figure:
 * (a) full scan ÷ the raw floor, (b) first findings, (c) peak RSS, (d) catalog evaluation,
 * (e) cold start to first frame, (f) keystroke → frame in a big list, (g) search per keystroke.
 * Writes bench-results.json and prints a table. `--size small` is the CI smoke run (no budgets
 * asserted anywhere; the figures are reported).
 *
 *   npm run bench [-- --size reference|small] [--runs N] [--out FILE]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { startApiServer } from '../../src/server/api-server.js';
import { REFERENCE, SMALL, syntheticCluster } from './synthetic.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const CLI = join(ROOT, 'dist/bin/4c-tui.js');

interface Args { size: 'reference' | 'small'; runs: number; out: string }

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { size: 'reference', runs: 3, out: join(ROOT, 'bench-results.json') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--size') args.size = argv[++i] === 'small' ? 'small' : 'reference';
    else if (a === '--runs') args.runs = Math.max(1, Number(argv[++i]) || 3);
    else if (a === '--out') args.out = argv[++i] ?? args.out;
  }
  return args;
}

interface ChildResult { ms: number; stdout: string; stderr: string; code: number | null }

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: performance.now() - started, stdout, stderr, code }));
  });
}

/** The environment minus CI markers: under CI, Ink prints only the final frame, at exit. */
function withoutCi(): NodeJS.ProcessEnv {
  const { CI: _ci, CONTINUOUS_INTEGRATION: _cont, ...env } = process.env;
  return env;
}

/** Time until the TUI's first frame (the tab bar) appears in a pseudo-terminal. */
function firstFrame(): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('script', ['-qfec', `node ${CLI} --demo`, '/dev/null'], {
      env: { ...withoutCi(), TERM: 'xterm-256color', NODE_ENV: 'production', COLUMNS: '120', LINES: '40', XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), '4c-bench-cfg-')) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let seen = '';
    let done = false;
    const timer = setTimeout(() => finish(Number.NaN), 20_000);
    function finish(ms: number) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      if (Number.isNaN(ms)) reject(new Error(`no first frame within 20 s; output: ${JSON.stringify(seen.slice(0, 300))}`));
      else resolve(ms);
    }
    child.stdout.on('data', (c: Buffer) => {
      seen += c.toString();
      if (/Cloud/.test(seen) && /Container/.test(seen)) finish(performance.now() - started);
    });
    child.on('error', reject);
  });
}

const median = (xs: readonly number[]) => {
  const s = [...xs].filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const percentile = (xs: readonly number[], p: number) => {
  const s = [...xs].filter(Number.isFinite).sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (!existsSync(CLI)) throw new Error('dist/bin is missing: run `npm run build` first (npm run bench does)');
  const size = args.size === 'small' ? SMALL : REFERENCE;
  const log = (s: string) => process.stderr.write(`bench: ${s}\n`);

  log(`generating the ${args.size} cluster (${size.namespaces} namespaces, ${size.namespaces * size.podsPerNamespace} pods)…`);
  const objects = syntheticCluster(size);
  const token = 'bench-token-0123456789abcdef';
  const server = await startApiServer({ objects, tls: true, token, version: { major: '1', minor: '34', gitVersion: 'v1.34.2' } });
  const dir = mkdtempSync(join(tmpdir(), '4c-bench-'));
  const kubeconfig = join(dir, 'kubeconfig');
  await server.writeKubeconfig(kubeconfig);
  const caFile = join(dir, 'ca.crt');
  writeFileSync(caFile, Buffer.from(server.caData ?? '', 'base64'));
  const env = { XDG_CONFIG_HOME: join(dir, 'config'), NODE_ENV: 'production' };

  try {
    // Warm-up scan: also records exactly which lists a scan fetches, for the floor.
    log('warm-up scan…');
    server.requests.length = 0;
    const warm = await run(process.execPath, [CLI, 'scan', '--kubeconfig', kubeconfig, '--format', 'json', '--output', join(dir, 'report.json'), '--fail-on', 'none', '--timeout', '120'], env);
    if (warm.code !== 0) throw new Error(`the scan failed (exit ${warm.code}): ${warm.stderr.trim().split('\n')[0]}`);
    const lists = server.requests
      .filter((r) => r.method === 'GET' && /(^|&)limit=/.test(r.query) && !/(^|&)continue=/.test(r.query))
      .map((r) => ({ path: `${r.path}?${r.query}`, accept: r.accept }));
    const pathsFile = join(dir, 'paths.json');
    writeFileSync(pathsFile, JSON.stringify(lists));
    log(`${lists.length} list requests per scan`);

    const floor: number[] = [];
    const scanWall: number[] = [];
    const rss: number[] = [];
    const firstFindings: number[] = [];
    const evaluation: number[] = [];
    let slowest: { id: string; ms: number }[] = [];
    let findings = 0;
    for (let i = 0; i < args.runs; i++) {
      log(`run ${i + 1}/${args.runs}: floor, scan, evaluation…`);
      const f = await run(process.execPath, [join(ROOT, 'scripts/bench/floor.mjs'), server.url, token, caFile, pathsFile, '4']);
      if (f.code !== 0) throw new Error(`floor failed: ${f.stderr}`);
      floor.push(f.ms);
      const s = await run(process.execPath, ['--import', join(ROOT, 'scripts/bench/rss.mjs'), CLI, 'scan', '--kubeconfig', kubeconfig, '--format', 'json', '--output', join(dir, 'report.json'), '--fail-on', 'none', '--timeout', '120'], env);
      if (s.code !== 0) throw new Error(`scan failed: ${s.stderr}`);
      scanWall.push(s.ms);
      const r = /BENCH_RSS (\{.*\})/.exec(s.stderr);
      if (r) rss.push((JSON.parse(r[1]!) as { maxRssKb: number }).maxRssKb / 1024);
      const e = await run(process.execPath, [join(ROOT, 'scripts/bench/eval-child.mjs'), kubeconfig], env);
      if (e.code !== 0) throw new Error(`evaluation child failed: ${e.stderr}`);
      const ev = JSON.parse(e.stdout.trim().split('\n').at(-1) ?? '{}') as { firstFindingsMs: number; evalMs: number; slowest: { id: string; ms: number }[]; findings: number };
      firstFindings.push(ev.firstFindingsMs);
      evaluation.push(ev.evalMs);
      slowest = ev.slowest;
      findings = ev.findings;
    }

    log('cold start…');
    const nodeBare: number[] = [];
    const frame: number[] = [];
    for (let i = 0; i < Math.max(5, args.runs); i++) {
      nodeBare.push((await run(process.execPath, ['-e', '0'])).ms);
      frame.push(await firstFrame());
    }

    const uiSize = args.size === 'small' ? 2_000 : 50_000;
    // Ink decides at import whether it runs under CI (then it prints only the final frame): measure as a terminal user.
    delete process.env['CI'];
    delete process.env['CONTINUOUS_INTEGRATION'];
    // The UI is measured in this process: with React's production build, as the shipped bin runs it.
    process.env.NODE_ENV = 'production';
    const { measureUi } = await import('./ui.js');
    log(`keystrokes over ${uiSize} findings…`);
    const ui = await measureUi(uiSize, { presses: args.size === 'small' ? 15 : 60 });

    const floorMs = median(floor);
    const rows = [
      { figure: '(a) full scan ÷ floor', value: round(median(scanWall) / floorMs, 2), unit: '×', budget: 1.3, detail: `scan ${round(median(scanWall) / 1000, 2)} s, floor ${round(floorMs / 1000, 2)} s` },
      { figure: '(b) first findings visible', value: round(median(firstFindings)), unit: 'ms', budget: 1000, detail: 'evaluate() with onResult, from start' },
      { figure: '(c) peak RSS (scan process)', value: round(median(rss)), unit: 'MB', budget: 400, detail: '' },
      { figure: '(d) catalog evaluation', value: round(median(evaluation)), unit: 'ms', budget: 1000, detail: `slowest: ${slowest.map((s) => `${s.id} ${s.ms} ms`).join(', ')}` },
      { figure: '(d) slowest single check', value: round(slowest[0]?.ms ?? Number.NaN), unit: 'ms', budget: 50, detail: slowest[0]?.id ?? '' },
      { figure: '(e) first frame − node -e 0', value: round(median(frame) - median(nodeBare)), unit: 'ms', budget: 300, detail: `first frame ${round(median(frame))} ms, node -e 0 ${round(median(nodeBare))} ms` },
      { figure: '(f) navigation p50', value: round(median(ui.navigation)), unit: 'ms', budget: 16, detail: `${ui.findings} findings` },
      { figure: '(f) navigation p95', value: round(percentile(ui.navigation, 95)), unit: 'ms', budget: 33, detail: '' },
      { figure: '(f) key repeat p50', value: round(median(ui.navigationRepeat)), unit: 'ms', budget: 16, detail: '~30 keys/s' },
      { figure: '(f) key repeat p95', value: round(percentile(ui.navigationRepeat, 95)), unit: 'ms', budget: 33, detail: '' },
      { figure: '(g) search keystroke p50', value: round(median(ui.search)), unit: 'ms', budget: 33, detail: `${ui.findings} findings` },
      { figure: '(g) search keystroke p95', value: round(percentile(ui.search, 95)), unit: 'ms', budget: 50, detail: '' },
    ].map((r) => ({ ...r, met: Number.isFinite(r.value) && r.value <= r.budget }));

    const result = {
      size: args.size, runs: args.runs, date: new Date().toISOString(),
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? '', memoryGiB: round(totalmem() / 2 ** 30), node: process.version },
      cluster: { objects: objects.length, pods: size.namespaces * size.podsPerNamespace, namespaces: size.namespaces, listRequests: lists.length, findings },
      raw: { floorMs: floor, scanMs: scanWall, rssMb: rss, firstFindingsMs: firstFindings, evaluationMs: evaluation, firstFrameMs: frame, nodeBareMs: nodeBare, ui },
      figures: rows,
    };
    writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);
    const pad = (s: string, n: number) => s.padEnd(n);
    process.stdout.write(`\n4c-tui bench — ${args.size} cluster: ${result.cluster.pods} pods, ${result.cluster.objects} objects; ${args.runs} runs; ${result.machine.cpus} × ${result.machine.cpu}\n\n`);
    process.stdout.write(`${pad('figure', 30)}${pad('median', 12)}${pad('budget', 10)}${pad('met', 6)}detail\n`);
    for (const r of rows) process.stdout.write(`${pad(r.figure, 30)}${pad(`${r.value} ${r.unit}`, 12)}${pad(`${r.budget} ${r.unit}`, 10)}${pad(r.met ? 'yes' : 'NO', 6)}${r.detail}\n`);
    process.stdout.write(`\nresults: ${args.out}\n`);
  } finally {
    await server.close();
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
