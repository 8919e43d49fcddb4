/** Small hand-made findings and reports for the renderer tests (hostile strings included). */
import { CHECKS } from '../../checks/index.js';
import type { CheckResult, Finding } from '../../src/engine/types.js';
import { buildReport, type ReportFinding, type ScanReport } from '../../src/report/json.js';

export const HOSTILE = 'evil\u001B]52;c;ZWNobyBwd25lZA==\u0007`|**[x](javascript:alert(1))**<img src=x>\n# heading\u202E';

const privileged = CHECKS.find((c) => c.id === 'container/privileged')!;
const dockerfile = CHECKS.find((c) => c.layer === 'code')!;

export function finding(overrides: Partial<ReportFinding> & Pick<Finding, 'key'>): ReportFinding {
  return {
    checkId: privileged.id, layer: privileged.layer, severity: 'critical', status: 'fail', title: privileged.title,
    message: 'container "web" of Deployment "shop/api" is privileged',
    subject: { kind: 'Deployment', namespace: 'shop', name: 'api', container: 'web' },
    evidence: [{ path: 'spec.template.spec.containers[name=web].securityContext.privileged', value: 'true' }],
    remediation: { why: 'full access to the node', fix: 'set privileged to false', command: "kubectl -n 'shop' patch deployment 'api' -p '{}'" },
    references: privileged.references, scope: 'workload', accepted: false,
    ...overrides,
  };
}

export function sampleReport(findings: readonly ReportFinding[], extra: Partial<Parameters<typeof buildReport>[0]> = {}): ScanReport {
  const ids = [...new Set([privileged.id, dockerfile.id, ...findings.map((f) => f.checkId)])];
  const results: CheckResult[] = ids.map((id) => {
    const c = CHECKS.find((x) => x.id === id)!;
    const mine = findings.filter((f) => f.checkId === id);
    return { id, layer: c.layer, title: c.title, severity: c.severity, status: mine.length ? 'fail' : 'pass', findings: mine.length, durationMs: 1 };
  });
  return buildReport({
    version: '0.1.0', target: { context: 'prod/eu', server: 'https://10.0.0.1:6443', namespaces: 'all', code: 'app' },
    startedAt: new Date('2026-01-02T03:04:05Z'), durationMs: 1234, results, findings, ...extra,
  });
}

export const CODE_CHECK = dockerfile;
