import { Box, Text } from 'ink';
import { sanitize } from '../src/engine/sanitize.js';
import type { FindingRow } from './derive.js';
import { SEVERITY_LABEL, type Theme } from './theme.js';

export interface DetailLine {
  readonly text: string;
  readonly style?: 'title' | 'heading' | 'code' | 'muted' | 'mark';
}

/** Wraps a paragraph to `width` columns on spaces (long words are cut). */
function wrap(text: string, width: number, indent = ''): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(' ')) {
      if (line && (line + ' ' + word).length > width) {
        out.push(line);
        line = indent + word;
      } else {
        line = line ? `${line} ${word}` : indent + word;
      }
      while (line.length > width) {
        out.push(line.slice(0, width));
        line = indent + line.slice(width);
      }
    }
    out.push(line);
  }
  return out;
}

/** Everything the detail pane shows, as lines, so it can be windowed and tested without Ink. */
export function detailLines(row: FindingRow, width: number): DetailLine[] {
  const f = row.finding;
  const clean = (s: string) => sanitize(s, { maxLength: 2000 });
  const multi = (s: string) => sanitize(s, { multiline: true, maxLength: 20_000 });
  const s = f.subject;
  const subject = s.file !== undefined
    ? `${s.file}${s.line !== undefined ? `:${s.line}` : ''}`
    : `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}${s.container !== undefined ? `  container ${s.container}` : ''}`;
  const lines: DetailLine[] = [
    { text: clean(f.title), style: 'title' },
    { text: `${SEVERITY_LABEL[f.severity]} · ${f.status}${f.scope === 'system' ? ' · system scope (not counted)' : ''} · ${f.checkId}`, style: 'muted' },
  ];
  if (row.mark === 'fixed') lines.push({ text: 'FIXED: gone since the check ran again', style: 'mark' });
  if (row.mark === 'new') lines.push({ text: 'NEW: appeared when the check ran again', style: 'mark' });
  if (row.acceptance) lines.push({ text: `ACCEPTED until ${row.acceptance.expiresAt.slice(0, 10)}: ${clean(row.acceptance.reason)}  (u removes)`, style: 'mark' });
  lines.push({ text: '' }, { text: 'Subject', style: 'heading' }, ...wrap(clean(subject), width, '  ').map((t) => ({ text: `  ${t.trimStart()}` })));
  lines.push({ text: '' }, ...wrap(clean(f.message), width).map((text) => ({ text })));
  if (f.evidence.length > 0) {
    lines.push({ text: '' }, { text: 'Evidence', style: 'heading' });
    for (const e of f.evidence) lines.push(...wrap(`${clean(e.path)} = ${clean(e.value)}`, width - 2).map((t) => ({ text: `  ${t}`, style: 'code' as const })));
  }
  lines.push({ text: '' }, { text: 'Why', style: 'heading' }, ...wrap(clean(f.remediation.why), width - 2).map((t) => ({ text: `  ${t}` })));
  lines.push({ text: '' }, { text: 'Fix', style: 'heading' }, ...wrap(clean(f.remediation.fix), width - 2).map((t) => ({ text: `  ${t}` })));
  if (f.remediation.command) {
    lines.push({ text: '' }, { text: 'Command (c copies)', style: 'heading' });
    for (const l of multi(f.remediation.command).split('\n')) lines.push(...wrap(l, width - 2).map((t) => ({ text: `  ${t}`, style: 'code' as const })));
  }
  if (f.remediation.patch) {
    lines.push({ text: '' }, { text: 'Patch (y copies)', style: 'heading' });
    for (const l of multi(f.remediation.patch).split('\n')) lines.push({ text: `  ${l}`.slice(0, width), style: 'code' });
  }
  if (f.references.length > 0) {
    lines.push({ text: '' }, { text: 'References', style: 'heading' });
    for (const r of f.references) lines.push(...wrap(`${r.title} — ${r.url}`, width - 2).map((t) => ({ text: `  ${t}`, style: 'muted' as const })));
  }
  lines.push({ text: '' }, { text: `key ${clean(f.key)}`, style: 'muted' });
  return lines;
}

export interface FindingDetailProps {
  readonly lines: readonly DetailLine[];
  readonly offset: number;
  readonly height: number;
  readonly width: number;
  readonly theme: Theme;
  readonly severityColor?: string;
}

export function FindingDetail({ lines, offset, height, width, theme, severityColor }: FindingDetailProps) {
  const visible = lines.slice(offset, offset + height);
  return (
    <Box flexDirection="column" width={width} height={height}>
      {visible.map((line, i) => {
        const key = offset + i;
        switch (line.style) {
          case 'title': return <Text key={key} bold color={severityColor} wrap="truncate">{line.text}</Text>;
          case 'heading': return <Text key={key} bold color={theme.accent} wrap="truncate">{line.text}</Text>;
          case 'code': return <Text key={key} color={theme.success} wrap="truncate">{line.text}</Text>;
          case 'muted': return <Text key={key} color={theme.muted} wrap="truncate">{line.text}</Text>;
          case 'mark': return <Text key={key} bold color={theme.warning} wrap="truncate">{line.text}</Text>;
          default: return <Text key={key} wrap="truncate">{line.text || ' '}</Text>;
        }
      })}
    </Box>
  );
}
