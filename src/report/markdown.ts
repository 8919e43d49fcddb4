/**
 * The Markdown report: summary per layer, findings most severe first, fixes in fenced
 * blocks. Every string from the cluster or a file is sanitised and escaped so a hostile
 * name cannot break out of a table cell or a code fence.
 */
import { sanitize } from '../engine/sanitize.js';
import { counts } from '../engine/summary.js';
import { LAYERS } from '../engine/types.js';
import type { ScanReport } from './json.js';

/** Inline text: no control characters, Markdown punctuation escaped, pipes safe in tables. */
export function mdText(text: string): string {
  return sanitize(text).replace(/([\\`*_{}[\]()#+!|<>~])/g, '\\$1');
}

/** A fenced block whose fence is longer than any backtick run inside it. */
export function mdFence(code: string, lang = 'sh'): string {
  const body = sanitize(code, { multiline: true, maxLength: 20_000 });
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${body}\n${fence}`;
}

export function renderMarkdown(report: ScanReport): string {
  const t = report.target;
  const out: string[] = ['# 4c-tui security report', ''];
  out.push(`- Context: ${mdText(t.context ?? '—')}${t.demo ? ' (demo cluster)' : ''}`);
  if (t.server) out.push(`- Server: ${mdText(t.server)}`);
  if (t.version) out.push(`- Kubernetes: ${mdText(t.version)}`);
  out.push(`- Scanned: ${report.startedAt}`, '');
  out.push('| layer | score | failing checks | findings |', '|---|---|---|---|');
  for (const layer of LAYERS) {
    const s = report.summary.layers[layer];
    out.push(`| ${layer} | ${s.score ?? '—'} | ${s.fail} | ${s.findings} |`);
  }
  const counted = report.findings.filter(counts);
  out.push('', `## Findings (${counted.length})`, '');
  for (const f of counted) {
    const s = f.subject;
    const subject = s.file !== undefined ? `${s.file}${s.line !== undefined ? `:${s.line}` : ''}` : `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}${s.container !== undefined ? ` (container ${s.container})` : ''}`;
    out.push(`### ${f.severity.toUpperCase()} ${mdText(f.title)} — ${mdText(subject)}`, '', mdText(f.message), '', `**Why:** ${mdText(f.remediation.why)}`, '', `**Fix:** ${mdText(f.remediation.fix)}`, '');
    if (f.remediation.command) out.push(mdFence(f.remediation.command), '');
    if (f.remediation.patch) out.push(mdFence(f.remediation.patch, 'yaml'), '');
    if (f.references.length) out.push(...f.references.map((r) => `- [${mdText(r.title)}](${encodeURI(r.url)})`), '');
  }
  const accepted = report.findings.filter((f) => f.accepted).length;
  const system = report.findings.filter((f) => f.scope === 'system' && !f.accepted).length;
  if (accepted || system) out.push(`_${accepted} accepted and ${system} system-scope findings are not listed._`, '');
  return `${out.join('\n')}\n`;
}
