/**
 * Acceptance (issue 7): `4c-tui scan --code . --layer code` over this repository completes,
 * reports nothing inside node_modules, and never prints a secret value it reports.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scanSecrets } from '../../src/files/secret-scan.js';
import { runCli } from '../helpers/cli.js';

interface Report {
  checks: { id: string; status: string }[];
  findings: { checkId: string; message: string; subject: { file?: string; line?: number }; evidence: { path: string; value: string }[] }[];
}

describe('scan --code . --layer code over this repository', () => {
  it('completes, stays out of node_modules and masks every secret', { timeout: 180_000 }, async () => {
    const run = await runCli(['scan', '--code', '.', '--layer', 'code', '--format', 'json', '--fail-on', 'none']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.checks).toHaveLength(20);
    expect(report.checks.filter((c) => c.status === 'error')).toEqual([]);
    expect(run.stdout).not.toMatch(/node_modules\//);

    const secrets = report.findings.filter((f) => f.checkId === 'code/hardcoded-secret');
    expect(secrets.length).toBeGreaterThan(0); // the test fixtures hold fake credentials
    for (const finding of secrets) {
      const file = finding.subject.file as string;
      const raw = scanSecrets(readFileSync(file, 'utf8')).filter((m) => m.line === finding.subject.line).map((m) => m.value);
      expect(raw.length).toBeGreaterThan(0);
      for (const value of raw) {
        // Neither the value nor what follows the shown prefix appears anywhere in the report.
        // (Values under 8 characters, like a 3-letter URL password, are too short to search for.)
        if (value.length >= 8) expect(run.stdout).not.toContain(value);
        if (value.length >= 12) expect(run.stdout).not.toContain(value.slice(4));
      }
      expect(finding.evidence[0]?.value).toMatch(/… \(\d+ chars, sha256:[0-9a-f]{8}\)$/);
    }
  });
});
