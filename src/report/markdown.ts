/**
 * The Markdown report for people (a PR comment, a ticket): summary and score per layer, the
 * top findings, then each counted finding with its fix, commands in fenced blocks; new and
 * fixed findings against a baseline, accepted risks, and checks that could not run. Every
 * string from the cluster or a file is sanitised and escaped so a hostile name cannot break
 * out of a table cell or a code fence, or inject HTML or a link.
 */
import { sanitize } from '../engine/sanitize.js';
import { counts } from '../engine/summary.js';
import { LAYERS, SEVERITIES, type Finding } from '../engine/types.js';
import { utc } from './accept.js';
import type { ReportFinding, ScanReport } from './json.js';

/** Inline text: no control characters, Markdown punctuation escaped, pipes safe in tables. */
export function mdText(text: string, maxLength = 4096): string {
  return sanitize(text, { maxLength }).replace(/([\\`*_{}[\]#+!|<>~&])/g, '\\$1');
}

/** A fenced block whose fence is longer than any backtick run inside it. */
export function mdFence(code: string, lang = 'sh'): string {
  const body = sanitize(code, { multiline: true, maxLength: 20_000 });
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${body}\n${fence}`;
}

/** How many findings get a full section; the rest are in the JSON report. */
export const DETAILED_FINDINGS = 100;
/** Rows of the "Top findings" table. */
export const TOP_FINDINGS = 10;

const LAYER_NAME = { cloud: 'Cloud', cluster: 'Cluster', container: 'Container', code: 'Code' } as const;

export function subjectLabel(f: Pick<Finding, 'subject'>): string {
  const s = f.subject;
  const object = `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}${s.container !== undefined ? ` (container ${s.container})` : ''}`;
  if (s.file === undefined) return object;
  const file = `${s.file}${s.line !== undefined ? `:${s.line}` : ''}`;
  return s.kind === 'File' || s.name === s.file ? file : `${object} at ${file}`;
}

function findingSection(f: ReportFinding): string[] {
  const out = [`### ${f.severity.toUpperCase()}${f.new ? ' (new)' : ''} ${mdText(f.title)} — ${mdText(subjectLabel(f))}`, ''];
  out.push(`\`${f.checkId}\`${f.status === 'warn' ? ' · needs confirmation' : ''} · ${mdText(f.message)}`, '');
  if (f.evidence.length) out.push(...f.evidence.slice(0, 5).map((e) => `- ${mdText(e.path, 300)} = ${mdText(e.value, 300)}`), '');
  out.push(`**Why:** ${mdText(f.remediation.why)}`, '', `**Fix:** ${mdText(f.remediation.fix)}`, '');
  if (f.remediation.command) out.push(mdFence(f.remediation.command), '');
  if (f.remediation.patch) out.push(mdFence(f.remediation.patch, f.remediation.patch.trimStart().startsWith('{') || f.remediation.patch.trimStart().startsWith('[') ? 'json' : 'yaml'), '');
  if (f.references.length) out.push(...f.references.map((r) => `- [${mdText(r.title)}](<${encodeURI(sanitize(r.url)).replace(/[<>]/g, '')}>)`), '');
  return out;
}

export function renderMarkdown(report: ScanReport): string {
  const t = report.target;
  const out: string[] = ['# 4c-tui security report', ''];
  out.push(`- Context: ${mdText(t.context ?? '—')}${t.demo ? ' (demo cluster)' : ''}`);
  if (t.server) out.push(`- Server: ${mdText(t.server)}`);
  if (t.version) out.push(`- Kubernetes: ${mdText(t.version)}`);
  if (t.namespaces !== 'all') out.push(`- Namespaces: ${t.namespaces.map((n) => mdText(n)).join(', ')}`);
  if (t.manifests?.length) out.push(`- Manifests: ${t.manifests.map((m) => mdText(m)).join(', ')}`);
  if (t.code) out.push(`- Code: ${mdText(t.code)}`);
  out.push(`- Scanned: ${report.startedAt} (${(report.durationMs / 1000).toFixed(1)} s), 4c-tui ${mdText(report.tool.version)}`, '');

  const counted = report.findings.filter(counts);
  const bySeverity = SEVERITIES.map((s) => `${counted.filter((f) => f.severity === s).length} ${s}`).join(' · ');
  out.push('## Summary', '', `${counted.length} findings count: ${bySeverity}.`, '');
  out.push('| layer | score | checks | fail | warn | unable | findings counted |', '|---|---:|---:|---:|---:|---:|---:|');
  for (const layer of LAYERS) {
    const s = report.summary.layers[layer];
    out.push(`| ${LAYER_NAME[layer]} | ${s.score ?? '—'} | ${s.checks} | ${s.fail} | ${s.warn} | ${s.unable} | ${counted.filter((f) => f.layer === layer).length} |`);
  }
  out.push('', '_Score per layer: 100 × (1 − Σ weight × penalty ÷ Σ weight) over the checks that ran; weight by check severity (critical 10, high 6, medium 3, low 1); penalty 1 for a failing check, 0.5 for one with only warnings. Accepted and system-scope findings do not count._', '');

  if (report.baseline) {
    const b = report.baseline;
    const since = b.source === 'file' ? `the baseline report${b.at ? ` of ${b.at}` : ''}` : `the last scan${b.at ? ` (${b.at})` : ''}`;
    out.push('## Changes', '', `Compared with ${since}: ${b.new} new, ${b.fixed.length} fixed.`, '');
    const fresh = report.findings.filter((f) => f.new);
    if (fresh.length) out.push('New:', '', ...fresh.slice(0, 50).map((f) => `- ${f.severity} \`${f.checkId}\` ${mdText(subjectLabel(f))}`), ...(fresh.length > 50 ? [`- … and ${fresh.length - 50} more`] : []), '');
    if (b.fixed.length) out.push('Fixed:', '', ...b.fixed.slice(0, 50).map((x) => `- ${x.severity} ${mdText(x.checkId, 200)} ${mdText(x.key.slice(x.key.indexOf('@') + 1), 300)}`), ...(b.fixed.length > 50 ? [`- … and ${b.fixed.length - 50} more`] : []), '');
  }

  if (counted.length) {
    out.push('## Top findings', '', '| severity | check | subject | finding |', '|---|---|---|---|');
    for (const f of counted.slice(0, TOP_FINDINGS)) out.push(`| ${f.severity}${f.new ? ' (new)' : ''} | \`${f.checkId}\` | ${mdText(subjectLabel(f), 300)} | ${mdText(f.message, 300)} |`);
    out.push('');
  }

  out.push(`## Findings and remediation (${counted.length})`, '');
  if (counted.length === 0) out.push('No finding counts.', '');
  for (const f of counted.slice(0, DETAILED_FINDINGS)) out.push(...findingSection(f));
  if (counted.length > DETAILED_FINDINGS) out.push(`_${counted.length - DETAILED_FINDINGS} less severe findings are not shown here; the JSON report (\`--format json\`) has them all._`, '');

  const accepted = report.findings.filter((f) => f.accepted);
  if (accepted.length) {
    out.push(`## Accepted risks (${accepted.length})`, '', '| check | subject | reason | expires |', '|---|---|---|---|');
    for (const f of accepted.slice(0, 200)) out.push(`| \`${f.checkId}\` | ${mdText(subjectLabel(f), 300)} | ${mdText(f.acceptance?.reason ?? '', 300)} | ${f.acceptance ? utc(f.acceptance.expiresAt) : ''} |`);
    out.push('');
  }
  const system = report.findings.filter((f) => f.scope === 'system' && !f.accepted).length;
  if (system) out.push(`_${system} system-scope findings (expected infrastructure) are not listed and do not count._`, '');

  const notRun = report.checks.filter((c) => c.status === 'unable' || c.status === 'error');
  if (notRun.length) {
    out.push(`## Checks that could not decide (${notRun.length})`, '', '| check | status | reason |', '|---|---|---|');
    for (const c of notRun) out.push(`| \`${c.id}\` | ${c.status} | ${mdText(c.reason ?? '', 300)} |`);
    out.push('');
  }
  if (report.notices?.length) out.push('## Notices', '', ...report.notices.map((n) => `- ${mdText(n, 500)}`), '');
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
