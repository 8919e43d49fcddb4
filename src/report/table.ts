/**
 * The human report of `scan --format table`: per layer the checks with status and score,
 * then findings, most severe first, with the fix command. Every string that came from the
 * cluster or a file is sanitised; colour only when asked for.
 */
import { sanitize } from '../engine/sanitize.js';
import { counts } from '../engine/summary.js';
import { LAYERS, SEVERITIES, type CheckStatus, type Finding, type Severity } from '../engine/types.js';
import { utc } from './accept.js';
import type { ScanReport } from './json.js';

export interface TableOptions {
  readonly color: boolean;
}

const SGR = { reset: '\u001B[0m', bold: '\u001B[1m', dim: '\u001B[2m', red: '\u001B[31m', green: '\u001B[32m', yellow: '\u001B[33m', blue: '\u001B[34m', magenta: '\u001B[35m', cyan: '\u001B[36m' };
type Style = keyof typeof SGR;

const SEVERITY_STYLE: Readonly<Record<Severity, Style>> = { critical: 'magenta', high: 'red', medium: 'yellow', low: 'cyan', info: 'dim' };
const STATUS_STYLE: Readonly<Record<CheckStatus, Style>> = { pass: 'green', fail: 'red', warn: 'yellow', unable: 'blue', 'not-applicable': 'dim', error: 'magenta' };
const STATUS_LABEL: Readonly<Record<CheckStatus, string>> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', unable: 'UNABLE', 'not-applicable': 'N/A', error: 'ERROR' };

const clean = (text: string) => sanitize(text);

function subjectText(f: Finding): string {
  const s = f.subject;
  if (s.file !== undefined) return clean(`${s.file}${s.line !== undefined ? `:${s.line}` : ''}`);
  const id = s.namespace ? `${s.namespace}/${s.name}` : s.name;
  return clean(`${s.kind} ${id}${s.container !== undefined ? ` · ${s.container}` : ''}`);
}

export function renderTable(report: ScanReport, options: TableOptions): string {
  const paint = (style: Style, text: string) => (options.color ? `${SGR[style]}${text}${SGR.reset}` : text);
  const lines: string[] = [];
  const t = report.target;
  const where = [t.context && `context ${clean(t.context)}`, t.server && clean(t.server), t.version && clean(t.version), t.code && `code ${clean(t.code)}`].filter(Boolean).join('  ');
  lines.push(`${paint('bold', '4c-tui scan')}  ${where}${t.demo ? `  ${paint('yellow', 'DEMO CLUSTER')}` : ''}`);
  const c = report.summary.checks;
  const checkCounts = (Object.keys(STATUS_LABEL) as CheckStatus[]).filter((s) => c[s] > 0).map((s) => `${c[s]} ${STATUS_LABEL[s].toLowerCase()}`).join(' · ');
  const findingCounts = SEVERITIES.filter((s) => report.summary.findings[s] > 0).map((s) => paint(SEVERITY_STYLE[s], `${report.summary.findings[s]} ${s}`)).join(' · ');
  lines.push(`${report.checks.length} checks: ${checkCounts}   findings: ${findingCounts || 'none'}   ${(report.durationMs / 1000).toFixed(1)}s`);

  const idWidth = Math.max(...report.checks.map((r) => r.id.length), 10);
  for (const layer of LAYERS) {
    const checks = report.checks.filter((r) => r.layer === layer);
    if (checks.length === 0) continue;
    const score = report.summary.layers[layer].score;
    lines.push('', `${paint('bold', layer.toUpperCase())}  score ${score ?? '—'}`);
    for (const r of checks) {
      const status = paint(STATUS_STYLE[r.status], STATUS_LABEL[r.status].padEnd(6));
      const sev = paint(SEVERITY_STYLE[r.severity], r.severity.padEnd(8));
      const detail = r.findings > 0 ? String(r.findings) : r.reason ? paint('dim', clean(r.reason)) : '';
      lines.push(`  ${status} ${sev} ${r.id.padEnd(idWidth)}  ${r.title}  ${detail}`.trimEnd());
    }
  }

  const counted = report.findings.filter(counts);
  const system = report.findings.filter((f) => f.scope === 'system' && !f.accepted);
  if (counted.length > 0) {
    lines.push('', paint('bold', `FINDINGS (${counted.length})`));
    for (const f of counted) {
      lines.push(`${paint(SEVERITY_STYLE[f.severity], f.severity.toUpperCase().padEnd(9))}${f.checkId}  ${paint('bold', subjectText(f))}${f.status === 'warn' ? paint('yellow', '  (warn)') : ''}${f.new ? paint('yellow', '  NEW') : ''}`);
      lines.push(`         ${clean(f.message)}`);
      if (f.remediation.command) {
        const [first = '', ...rest] = sanitize(f.remediation.command, { multiline: true }).split('\n');
        lines.push(`         ${paint('dim', 'fix:')} ${first}`, ...rest.map((l) => `              ${l}`));
      } else {
        lines.push(`         ${paint('dim', 'fix:')} ${clean(f.remediation.fix)}`);
      }
    }
  }
  const accepted = report.findings.filter((f) => f.accepted);
  if (accepted.length > 0) {
    lines.push('', paint('dim', `ACCEPTED (${accepted.length}, not counted in scores or --fail-on)`));
    for (const f of accepted) lines.push(paint('dim', `  ${f.severity.padEnd(9)}${f.checkId}  ${subjectText(f)}  until ${f.acceptance ? utc(f.acceptance.expiresAt) : '?'}: ${clean(f.acceptance?.reason ?? '')}`));
  }
  if (report.baseline) {
    const b = report.baseline;
    lines.push('', `${b.source === 'file' ? 'against the baseline' : 'since the last scan'}${b.at ? ` (${b.at})` : ''}: ${b.new} new, ${b.fixed.length} fixed`);
  }
  if (system.length > 0) {
    lines.push('', paint('dim', `SYSTEM SCOPE (${system.length}, expected infrastructure; not counted in scores or --fail-on)`));
    for (const f of system) lines.push(paint('dim', `  ${f.severity.padEnd(9)}${f.checkId}  ${subjectText(f)}`));
  }
  return `${lines.join('\n')}\n`;
}
