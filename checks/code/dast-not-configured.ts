import { findings } from '../../src/engine/helpers.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';
import { filesOf } from '../../src/files/code-check.js';
import { findFirst } from '../../src/files/ci.js';

const DAST_TOOLS: readonly RegExp[] = [
  /zaproxy\/action-(baseline|full-scan|api-scan|af)/i, /zap-(baseline|full-scan|api-scan)\.py/i, /zaproxy\/zaproxy|owasp\/zap2docker/i,
  /\bnuclei\b/i, /stackhawk|\bhawk\s+scan\b/i, /burp\s*suite\s*enterprise|burpsuite|portswigger/i,
];

export const check: Check = {
  id: 'code/dast-not-configured',
  layer: 'code',
  title: 'No dynamic probing in the pipeline',
  severity: 'info',
  description:
    'Looks through CI configuration for a dynamic application security testing step: OWASP ZAP (zaproxy/action-baseline, action-full-scan, zap-baseline.py, ' +
    'the ghcr.io/zaproxy/zaproxy image), Nuclei, StackHawk or Burp Suite Enterprise. Reports info when none is found. The TUI itself never sends attack traffic.',
  remediation: 'Run a baseline DAST scan (for example OWASP ZAP) against a staging deployment in the pipeline.',
  references: [ref.fourC('Dynamic probing attacks'), ref.doc('ZAP baseline scan', 'https://www.zaproxy.org/docs/docker/baseline-scan/')],
  needs: ['files'],
  evaluate: (snapshot) => {
    const ci = filesOf(snapshot, ['ci']);
    const hit = findFirst(ci, DAST_TOOLS);
    if (hit) return findings([], `dynamic testing found in ${hit.file.path}:${hit.line}`);
    return findings([{
      subject: { kind: 'Repository', name: snapshot.files?.root ?? '.', file: ci[0]?.path ?? '.' },
      severity: 'info',
      message: ci.length > 0 ? `no dynamic application security testing (ZAP, Nuclei, StackHawk, Burp) in the ${ci.length} CI file(s)` : 'no CI configuration, so no dynamic application security testing runs',
      evidence: [{ path: 'CI configuration', value: ci.length > 0 ? 'no DAST step' : 'absent' }],
      remediation: {
        why: 'The 4C\'s page recommends automated probing for SQL injection, CSRF and XSS against a running instance, which static analysis cannot see.',
        fix: 'Run a ZAP baseline scan against staging in the pipeline (zaproxy/action-baseline), e.g. docker run --rm -t ghcr.io/zaproxy/zaproxy:stable zap-baseline.py -t https://<staging-host>, and triage its alerts.',
      },
    }]);
  },
};
