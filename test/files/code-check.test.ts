import { describe, expect, it } from 'vitest';
import { classesOf, CodeFindings, isCommentLine, isSuppressed } from '../../src/files/code-check.js';
import { offlineRemediation } from '../../src/files/manifest-scan.js';

describe('code check helpers', () => {
  it('classifies by path, whatever kind the snapshot gives', () => {
    expect([...classesOf({ path: '.github/workflows/ci.yml', kind: 'manifest', text: '' })]).toEqual(['ci']);
    expect([...classesOf({ path: 'deploy/app.yaml', kind: 'manifest', text: '' })]).toEqual(['k8s']);
    expect([...classesOf({ path: 'web/package.json', kind: 'other', text: '' })]).toEqual(['lock']);
    expect([...classesOf({ path: 'svc/Dockerfile.prod', kind: 'other', text: '' })]).toEqual(['docker']);
    expect([...classesOf({ path: 'osv.json', kind: 'report', text: '' })]).toEqual([]);
  });

  it('suppresses on the same or previous line, or for the whole file from its head', () => {
    const lines = ['a', '// 4c-tui:ignore code/x', 'b', 'c'];
    expect(isSuppressed(lines, 3, 'code/x')).toBe(true);
    expect(isSuppressed(lines, 2, 'code/x')).toBe(true);
    expect(isSuppressed(lines, 4, 'code/x')).toBe(false);
    expect(isSuppressed(lines, 3, 'code/y')).toBe(false);
    expect(isSuppressed(['# 4c-tui:ignore-file code/y', ...Array(50).fill('z')], 40, 'code/y')).toBe(true);
    expect(isSuppressed([...Array(20).fill('z'), '# 4c-tui:ignore-file code/y', 'z'], 22, 'code/y')).toBe(false);
  });

  it('caps test/example paths at low and marks them; counts suppressions', () => {
    const out = new CodeFindings('code/x', 'critical');
    const remediation = { why: 'w', fix: 'f' };
    out.add({ file: { path: 'src/a.ts', kind: 'source', text: 'x\n' }, line: 1, message: 'm', value: 'v', remediation });
    out.add({ file: { path: 'examples/a.ts', kind: 'source', text: 'x\n' }, line: 1, message: 'm', value: 'v', remediation });
    out.add({ file: { path: 'src/b.ts', kind: 'source', text: '// 4c-tui:ignore code/x\nx\n' }, line: 2, message: 'm', value: 'v', remediation });
    expect(out.drafts.map((d) => [d.severity, d.message])).toEqual([['critical', 'src/a.ts:1: m'], ['low', 'examples/a.ts:1: m (test/example path)']]);
    expect(out.note()).toBe('1 finding(s) suppressed by 4c-tui:ignore comments');
  });

  it('recognises comment lines', () => {
    expect(['// x', '  # x', ' * x', '<!-- x', '-- x'].every(isCommentLine)).toBe(true);
    expect(isCommentLine('x = 1 // y')).toBe(false);
  });

  it('turns a live-cluster remediation into a file fix', () => {
    expect(offlineRemediation({ why: 'w', fix: 'Set it.', command: "kubectl -n '' patch x", patch: 'p' }, 'k8s/a.yaml', 7))
      .toEqual({ why: 'w', fix: 'In k8s/a.yaml (line 7): Set it.', patch: 'p' });
  });
});
