/**
 * The benchmark's small size as a smoke test (issue 10): it runs end to end and reports every
 * figure. No timing is asserted here — budgets live in `npm run bench`, never in unit tests.
 * Needs the built bin (`npm run build`; CI builds first) and skips with a notice without it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../', import.meta.url).pathname;
const built = existsSync(join(ROOT, 'dist/bin/4c-tui.js'));
const script = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
if (!built) console.log('notice: dist/ is not built; skipping the benchmark smoke test (npm run build)');
if (!script) console.log('notice: `script` (util-linux) is missing; skipping the benchmark smoke test');

describe.skipIf(!built || !script)('npm run bench -- --size small', () => {
  it('measures every figure on a small synthetic cluster and exits 0', { timeout: 600_000 }, () => {
    const out = join(mkdtempSync(join(tmpdir(), '4c-bench-smoke-')), 'bench.json');
    const run = spawnSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/bench/index.ts'), '--size', 'small', '--runs', '1', '--out', out], {
      cwd: ROOT, encoding: 'utf8', timeout: 580_000,
    });
    expect(run.status, run.stderr).toBe(0);
    for (const figure of ['(a)', '(b)', '(c)', '(d)', '(e)', '(f)', '(g)']) expect(run.stdout).toContain(figure);
    const result = JSON.parse(readFileSync(out, 'utf8')) as { figures: { figure: string; value: number }[]; cluster: { pods: number; findings: number } };
    expect(result.cluster.pods).toBe(1000);
    expect(result.cluster.findings).toBeGreaterThan(0);
    expect(result.figures.length).toBeGreaterThanOrEqual(12);
    for (const f of result.figures) expect(Number.isFinite(f.value), f.figure).toBe(true);
  });
});
