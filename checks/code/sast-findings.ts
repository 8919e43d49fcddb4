import { findings, unable } from '../../src/engine/helpers.js';
import { ref } from '../../src/engine/references.js';
import type { Check, FindingDraft, Severity } from '../../src/engine/types.js';
import { isTestPath } from '../../src/files/classify.js';
import { scoreSeverity } from '../../src/files/vuln-report.js';

const CHECK_ID = 'code/sast-findings';
type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** SARIF severity: properties.security-severity (CVSS-like), else level (error → high, warning → medium, note → low). */
export function sarifSeverity(securitySeverity: unknown, level: unknown): Severity {
  const score = Number(securitySeverity);
  if (securitySeverity !== undefined && Number.isFinite(score)) return scoreSeverity(score);
  if (level === 'error') return 'high';
  if (level === 'note' || level === 'none') return 'low';
  return 'medium';
}

export const check: Check = {
  id: CHECK_ID,
  layer: 'code',
  title: 'Static-analysis findings',
  severity: 'medium',
  description:
    'Imports the results of static-analysis tools from SARIF files (*.sarif) in the scanned tree. One finding per result, at its file and line; ' +
    'severity from properties.security-severity (>= 9 critical, >= 7 high, >= 4 medium, else low) or the SARIF level (error high, warning medium, note low). ' +
    'Suppressed results are skipped. Unable when the tree holds no SARIF file.',
  remediation: 'Fix each reported issue in the code, or suppress it in the tool with a justification.',
  references: [ref.fourC('Static Code Analysis'), ref.doc('SARIF 2.1.0', 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html')],
  needs: ['files'],
  evaluate: (snapshot) => {
    const sarif = (snapshot.files?.files ?? []).filter((f) => /\.sarif(\.json)?$/i.test(f.path));
    if (sarif.length === 0) return unable('no SARIF results in the scanned tree — run a static analyser and save SARIF, e.g. semgrep scan --sarif -o semgrep.sarif . or codeql database analyze … --format=sarif-latest --output=codeql.sarif');
    const out: FindingDraft[] = [];
    const unreadable: string[] = [];
    for (const file of sarif) {
      let log: Json;
      try {
        log = obj(JSON.parse(file.text));
      } catch {
        unreadable.push(file.path);
        continue;
      }
      for (const run of arr(log.runs).map(obj)) {
        const driver = obj(obj(run.tool).driver);
        const tool = String(driver.name ?? 'SARIF');
        const rules = new Map(arr(driver.rules).map(obj).map((r) => [String(r.id ?? ''), r]));
        arr(run.results).map(obj).forEach((result, index) => {
          if (arr(result.suppressions).length > 0) return;
          const ruleId = String(result.ruleId ?? obj(result.rule).id ?? '');
          const rule = rules.get(ruleId) ?? (typeof result.ruleIndex === 'number' ? obj(arr(driver.rules)[result.ruleIndex]) : {});
          const location = obj(obj(arr(result.locations)[0]).physicalLocation);
          const uri = String(obj(location.artifactLocation).uri ?? file.path).replace(/^file:\/\//, '');
          const line = Number(obj(location.region).startLine) || undefined;
          const level = result.level ?? obj(rule.defaultConfiguration).level;
          let severity = sarifSeverity(obj(result.properties)['security-severity'] ?? obj(rule.properties)['security-severity'], level);
          const test = isTestPath(uri);
          if (test && severity !== 'info') severity = 'low';
          const text = String(obj(result.message).text ?? obj(rule.shortDescription).text ?? ruleId).split('\n')[0] ?? '';
          out.push({
            subject: { kind: 'File', name: uri, file: uri, ...(line ? { line } : {}) },
            status: 'fail',
            severity,
            message: `${uri}${line ? `:${line}` : ''}: ${tool} ${ruleId}: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}${test ? ' (test/example path)' : ''}`,
            evidence: [{ path: file.path, value: `${tool} ${ruleId}` }],
            remediation: { why: 'A static analyser found a coding pattern that is commonly exploitable (injection, unsafe deserialisation, weak crypto, …).', fix: String(obj(rule.help).text ?? 'Fix the code as the rule describes, or suppress the result in the tool with a justification.').split('\n')[0] ?? '' },
            discriminator: `${file.path}#${index}:${ruleId}`,
          });
        });
      }
    }
    if (out.length === 0 && unreadable.length === sarif.length) return unable(`SARIF file(s) could not be parsed: ${unreadable.join(', ')}`);
    return findings(out, `${sarif.length - unreadable.length} SARIF file(s) read${unreadable.length ? `; unreadable: ${unreadable.join(', ')}` : ''}`);
  },
};
