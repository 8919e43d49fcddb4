import { findings, unable } from '../../src/engine/helpers.js';
import { ref } from '../../src/engine/references.js';
import type { Check, FindingDraft, Severity } from '../../src/engine/types.js';
import { severityRank } from '../../src/engine/types.js';
import { parseVulnReport, type Vulnerability } from '../../src/files/vuln-report.js';

const CHECK_ID = 'code/dependency-vulnerabilities';
const WHY = 'The 4C\'s page asks to scan third-party libraries regularly: a known vulnerability in a locked dependency ships with every build until it is upgraded.';
export const PRODUCE =
  'no vulnerability results to read (this layer makes no network request) — produce one and pass it with --vuln-report FILE: ' +
  'npm audit --json > npm-audit.json, osv-scanner scan source -r --format json . > osv.json, or trivy fs --scanners vuln --format json -o trivy.json .';

function highest(vulns: readonly Vulnerability[]): Severity {
  return vulns.reduce<Severity>((best, v) => (severityRank(v.severity) < severityRank(best) ? v.severity : best), 'info');
}

export const check: Check = {
  id: CHECK_ID,
  layer: 'code',
  title: 'Vulnerable third-party dependencies',
  severity: 'high',
  description:
    'Reads the vulnerability results files passed with --vuln-report (npm audit --json, OSV-Scanner JSON or Trivy JSON); makes no network request. ' +
    'One finding per vulnerable package version: FAIL with the highest severity among its vulnerabilities that have a fixed version; WARN when ' +
    'none has a fix yet. Unable without a results file (the reason gives the commands that produce one).',
  remediation: 'Upgrade the vulnerable packages to fixed versions (npm audit fix, go get module@version, …) and re-lock.',
  references: [ref.fourC('3rd Party Dependency Security'), ref.nsa('Upgrading and application security practices'), ref.doc('OSV-Scanner', 'https://google.github.io/osv-scanner/')],
  needs: ['files'],
  evaluate: (snapshot) => {
    // --vuln-report files, and any non-SARIF results file the snapshot marks as a report.
    const reports = [...(snapshot.files?.reports ?? []), ...(snapshot.files?.files ?? []).filter((f) => f.kind === 'report' && !/\.sarif(\.json)?$/i.test(f.path))];
    if (reports.length === 0) return unable(PRODUCE);
    const out: FindingDraft[] = [];
    const problems: string[] = [];
    let packages = 0;
    for (const report of reports) {
      let parsed;
      try {
        parsed = parseVulnReport(report.text);
      } catch (error) {
        problems.push(`${report.path}: ${(error as Error).message}`);
        continue;
      }
      for (const pkg of parsed.packages) {
        packages += 1;
        const fixed = pkg.vulnerabilities.filter((v) => v.fixed);
        const status = fixed.length > 0 ? 'fail' : 'warn';
        const severity = highest(fixed.length > 0 ? fixed : pkg.vulnerabilities);
        const ids = pkg.vulnerabilities.map((v) => v.id).filter(Boolean);
        const fixTo = [...new Set(fixed.map((v) => v.fixed))].slice(0, 3).join(', ');
        const source = pkg.source || report.path;
        out.push({
          subject: { kind: 'Package', name: `${pkg.ecosystem ? `${pkg.ecosystem}:` : ''}${pkg.name}@${pkg.version}`, file: source },
          status,
          severity,
          message: `${pkg.name}@${pkg.version} (${source}) has ${pkg.vulnerabilities.length} known vulnerabilit${pkg.vulnerabilities.length === 1 ? 'y' : 'ies'} (${ids.slice(0, 4).join(', ')}${ids.length > 4 ? ', …' : ''})${status === 'fail' ? `; fixed in ${fixTo}` : '; no fixed version yet'} — from ${parsed.format} report ${report.path}`,
          evidence: pkg.vulnerabilities.slice(0, 10).map((v) => ({ path: `${report.path}: ${pkg.name}@${pkg.version}`, value: `${v.id} ${v.severity}${v.fixed ? ` fixed: ${v.fixed}` : ''}` })),
          remediation: {
            why: WHY,
            fix: status === 'fail' ? `Upgrade ${pkg.name} to a fixed version (${fixTo}) and re-lock.` : `No fix is published for ${pkg.name}@${pkg.version}: check whether the vulnerable code is reachable, mitigate, or replace the package.`,
          },
          discriminator: `${pkg.ecosystem}:${pkg.name}@${pkg.version}`,
        });
      }
    }
    if (out.length === 0 && problems.length > 0) return unable(`could not read --vuln-report: ${problems.join('; ')}`);
    const note = [`${packages === 0 ? 'no vulnerable package' : `${packages} vulnerable package(s)`} in ${reports.length - problems.length} report(s)`, ...problems].join('; ');
    return findings(out, note);
  },
};
