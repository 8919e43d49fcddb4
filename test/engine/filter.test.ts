import fc from 'fast-check';
import Fuse from 'fuse.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FindingIndex, SORT_MODES, filterBySeverity, parseQuery, rowLabel, sortFindings, type SearchHit } from '../../src/engine/filter.js';
import { SEVERITIES, atLeast, type Finding, type FindingSubject, type Layer, type Severity } from '../../src/engine/types.js';

interface Spec {
  readonly checkId?: string;
  readonly severity?: Severity;
  readonly title?: string;
  readonly message?: string;
  readonly subject?: FindingSubject;
}

const LAYER_OF: Readonly<Record<string, Layer>> = { container: 'container', cluster: 'cluster', cloud: 'cloud', code: 'code' };

let serial = 0;
function finding(spec: Spec = {}): Finding {
  const checkId = spec.checkId ?? 'container/privileged';
  const subject = spec.subject ?? { kind: 'Deployment', namespace: 'default', name: `app-${serial}` };
  serial += 1;
  return {
    key: `${checkId}|${subject.kind}|${subject.namespace ?? ''}|${subject.name}|${subject.container ?? ''}|${serial}`,
    checkId,
    layer: LAYER_OF[checkId.split('/')[0] ?? ''] ?? 'container',
    severity: spec.severity ?? 'high',
    status: 'fail',
    title: spec.title ?? 'Privileged container',
    message: spec.message ?? `${subject.kind} ${subject.namespace ?? ''}/${subject.name} has a problem`,
    subject,
    evidence: [],
    remediation: { why: 'why', fix: 'fix' },
    references: [],
    scope: 'workload',
    accepted: false,
  };
}

const CHECKS: readonly (readonly [string, Severity, string])[] = [
  ['container/privileged', 'critical', 'Privileged container'],
  ['container/host-network', 'high', 'Pod uses the host network namespace'],
  ['container/host-pid', 'high', 'Pod shares the host PID namespace'],
  ['container/image-latest-or-untagged', 'medium', 'Image uses latest or no tag'],
  ['container/run-as-root-uid', 'high', 'Explicit runAsUser 0'],
  ['cluster/rbac-cluster-admin-binding', 'high', 'Subjects bound to cluster-admin (or equivalent)'],
  ['cluster/secrets-as-env-vars', 'low', 'Secrets exposed as environment variables'],
  ['cluster/namespace-without-networkpolicy', 'medium', 'Namespace without any NetworkPolicy'],
  ['cloud/loadbalancer-unrestricted-source', 'medium', 'LoadBalancer Service open to any source'],
  ['code/dockerfile-root-user', 'info', 'Image runs as root'],
];
const WORDS = ['payments', 'checkout', 'billing', 'search', 'auth', 'gateway', 'ledger', 'orders', 'catalog', 'inventory', 'shipping', 'fraud'];
const ROLES = ['api', 'worker', 'web', 'cron', 'db', 'cache', 'queue', 'proxy'];
const KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Pod'];
const CONTAINERS = ['app', 'web', 'sidecar', 'istio-proxy', 'init-db'];

/** Deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Realistic-looking findings: checks of the catalog, a few hundred namespaces, unique-ish workload names. */
function synthetic(count: number, seed: number): Finding[] {
  const rnd = prng(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const namespaces = Array.from({ length: Math.max(4, Math.floor(count / 25)) }, (_, i) => `${pick(WORDS)}-${pick(['prod', 'stage', 'dev'])}-${i}`);
  return Array.from({ length: count }, (_, i) => {
    const [checkId, severity, title] = pick(CHECKS);
    const ns = pick(namespaces);
    const name = `${pick(WORDS)}-${pick(ROLES)}-${Math.floor(rnd() * 36 ** 5).toString(36).padStart(5, '0')}`;
    const layer = checkId.split('/')[0];
    const kind = layer === 'cloud' ? 'Service' : checkId.includes('networkpolicy') ? 'Namespace' : checkId.includes('rbac') ? 'ClusterRoleBinding' : layer === 'code' ? 'Dockerfile' : pick(KINDS);
    const container = layer === 'container' ? pick(CONTAINERS) : undefined;
    const subject: FindingSubject =
      kind === 'Namespace' ? { kind, name: ns }
        : kind === 'ClusterRoleBinding' ? { kind, name }
          : kind === 'Dockerfile' ? { kind, name: `src/${name}/Dockerfile`, file: `src/${name}/Dockerfile`, line: 1 + (i % 40) }
            : { kind, namespace: ns, name, ...(container ? { container } : {}) };
    const message = container
      ? `container "${container}" of ${kind} ${ns}/${name}: ${title.toLowerCase()} (image registry.example/${name}:1.${i % 9})`
      : `${kind} "${subject.name}" ${title.toLowerCase()}; seen at 203.0.113.${i % 250}`;
    return finding({ checkId, severity, title, message, subject });
  });
}

const keys = (hits: readonly SearchHit[]): string[] => hits.map((h) => h.finding.key);
const lowerLabel = (f: Finding): string => rowLabel(f).toLowerCase();

function expectWellFormedRanges(hits: readonly SearchHit[]): void {
  for (const hit of hits) {
    const length = rowLabel(hit.finding).length;
    let end = -1;
    for (const [s, e] of hit.ranges) {
      expect(Number.isInteger(s) && Number.isInteger(e)).toBe(true);
      expect(s).toBeGreaterThan(end); // sorted and merged: strictly after the previous range, not touching
      expect(e).toBeGreaterThan(s);
      expect(e).toBeLessThanOrEqual(length);
      end = e;
    }
  }
}

function expectNonDecreasingScores(hits: readonly SearchHit[]): void {
  for (let i = 1; i < hits.length; i += 1) expect((hits[i] as SearchHit).score).toBeGreaterThanOrEqual((hits[i - 1] as SearchHit).score);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('parseQuery', () => {
  it('splits field filters from the fuzzy text', () => {
    expect(parseQuery('  sev:high ns:payments kind:Deployment check:rbac layer:cluster  host  network ')).toEqual({
      text: 'host network',
      severities: ['high'],
      namespaces: ['payments'],
      kinds: ['deployment'],
      checks: ['rbac'],
      layers: ['cluster'],
    });
  });

  it('reads severity lists, comparisons and prefixes', () => {
    expect(parseQuery('sev:high,critical').severities).toEqual(['critical', 'high']);
    expect(parseQuery('sev:>=high').severities).toEqual(['critical', 'high']);
    expect(parseQuery('sev:>medium').severities).toEqual(['critical', 'high']);
    expect(parseQuery('sev:<=low').severities).toEqual(['low', 'info']);
    expect(parseQuery('sev:<medium').severities).toEqual(['low', 'info']);
    expect(parseQuery('severity:crit sev:info').severities).toEqual(['critical', 'info']);
    expect(parseQuery('SEV:HIGH').severities).toEqual(['high']);
  });

  it('keeps unknown fields and unreadable values in the text', () => {
    expect(parseQuery('foo:bar baz').text).toBe('foo:bar baz');
    expect(parseQuery('http://example.com').text).toBe('http://example.com');
    const bogus = parseQuery('sev:bogus web');
    expect(bogus.severities).toEqual([]);
    expect(bogus.text).toBe('sev:bogus web');
    expect(parseQuery('layer:c').text).toBe('layer:c'); // ambiguous: cloud, cluster, container, code
    expect(parseQuery('layer:clu').layers).toEqual(['cluster']);
  });

  it('ignores a field whose value is still being typed', () => {
    expect(parseQuery('sev: web')).toMatchObject({ text: 'web', severities: [] });
    expect(parseQuery('sev:>=')).toMatchObject({ text: '', severities: [] });
    expect(parseQuery('ns:')).toMatchObject({ text: '', namespaces: [] });
  });

  it('allows quoted values and quoted text', () => {
    const q = parseQuery('ns:"my ns" kind:"Deployment" "host network" check:"cluster/rbac"');
    expect(q.namespaces).toEqual(['my ns']);
    expect(q.kinds).toEqual(['deployment']);
    expect(q.checks).toEqual(['cluster/rbac']);
    expect(q.text).toBe('host network');
    expect(parseQuery('ns:"unterminated value').namespaces).toEqual(['unterminated value']);
  });

  it('collects repeated fields as alternatives', () => {
    expect(parseQuery('ns:a ns:b,c kind:Pod kind:Job').namespaces).toEqual(['a', 'b', 'c']);
    expect(parseQuery('kind:Pod kind:Job').kinds).toEqual(['pod', 'job']);
  });
});

describe('rowLabel', () => {
  it('is check, subject kind/ns/name[:container], title', () => {
    expect(rowLabel(finding({ subject: { kind: 'Deployment', namespace: 'payments', name: 'api', container: 'web' } }))).toBe(
      'container/privileged Deployment/payments/api:web Privileged container',
    );
    expect(rowLabel(finding({ checkId: 'cluster/rbac-cluster-admin-binding', title: 'Subjects bound to cluster-admin', subject: { kind: 'ClusterRoleBinding', name: 'admins' } }))).toBe(
      'cluster/rbac-cluster-admin-binding ClusterRoleBinding/admins Subjects bound to cluster-admin',
    );
  });

  it('strips terminal control sequences from untrusted parts', () => {
    const label = rowLabel(finding({ subject: { kind: 'Pod', namespace: 'x\u001b]52;c;aGk=\u0007y', name: 'evil\u001b[31mred\u001b[0m' } }));
    expect(label).toBe('container/privileged Pod/xy/evilred Privileged container');
    expect(label).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });
});

describe('sortFindings and filterBySeverity', () => {
  const a = finding({ checkId: 'container/privileged', severity: 'critical', subject: { kind: 'Pod', namespace: 'b', name: 'x' } });
  const b = finding({ checkId: 'cluster/rbac', severity: 'high', subject: { kind: 'ClusterRoleBinding', name: 'admins' } });
  const c = finding({ checkId: 'container/host-pid', severity: 'high', subject: { kind: 'Pod', namespace: 'a', name: 'y' } });
  const d = finding({ checkId: 'container/host-pid', severity: 'low', subject: { kind: 'Deployment', namespace: 'a', name: 'z' } });
  const all = [d, c, b, a];

  it('cycles severity, resource, check', () => {
    expect(SORT_MODES).toEqual(['severity', 'resource', 'check']);
  });

  it('sorts by severity, then check, then subject', () => {
    expect(sortFindings(all, 'severity')).toEqual([a, b, c, d]);
  });

  it('sorts by resource, then severity', () => {
    expect(sortFindings(all, 'resource')).toEqual([b, d, c, a]);
  });

  it('sorts by check id, then severity', () => {
    expect(sortFindings(all, 'check')).toEqual([b, c, d, a]);
  });

  it('is stable and does not mutate its input', () => {
    const twins = [0, 1, 2, 3].map(() => finding({ severity: 'medium', subject: { kind: 'Pod', namespace: 'same', name: 'same' } }));
    const input = [twins[2], a, twins[0], twins[3], twins[1]] as Finding[];
    const copy = [...input];
    for (const mode of SORT_MODES) {
      const sorted = sortFindings(input, mode).filter((f) => f !== a);
      expect(sorted).toEqual([twins[2], twins[0], twins[3], twins[1]]);
    }
    expect(input).toEqual(copy);
  });

  it('filters by a minimum severity', () => {
    expect(filterBySeverity(all, undefined)).toEqual(all);
    expect(filterBySeverity(all, undefined)).not.toBe(all);
    expect(filterBySeverity(all, 'high')).toEqual([c, b, a]);
    expect(filterBySeverity(all, 'critical')).toEqual([a]);
    expect(filterBySeverity(all, 'info')).toEqual(all);
  });
});

describe('FindingIndex', () => {
  const findings = synthetic(3000, 42);
  const index = new FindingIndex(findings);

  it('returns every finding in sort order, without ranges, for an empty query', () => {
    for (const mode of SORT_MODES) {
      const hits = index.search('', { sort: mode });
      expect(keys(hits)).toEqual(keys(sortFindings(findings, mode).map((f) => ({ finding: f, score: 0, ranges: [] }))));
      expect(hits.every((h) => h.ranges.length === 0 && h.score === 0)).toBe(true);
    }
    expect(index.search('   ', { limit: 7 })).toHaveLength(7);
  });

  it('answers field-only queries without consulting fuse', () => {
    const search = vi.spyOn(Fuse.prototype, 'search');
    const hits = index.search('sev:>=high ns:PAY kind:deployment,statefulset check:PRIV', { sort: 'resource' });
    const expected = sortFindings(findings, 'resource').filter(
      (f) => atLeast(f.severity, 'high') && (f.subject.namespace ?? '').includes('pay') && ['Deployment', 'StatefulSet'].includes(f.subject.kind) && f.checkId.includes('priv'),
    );
    expect(expected.length).toBeGreaterThan(5);
    expect(keys(hits)).toEqual(expected.map((f) => f.key));
    expect(index.search('layer:cloud').every((h) => h.finding.layer === 'cloud')).toBe(true);
    expect(index.search('kind:deploy')).toEqual([]); // kind is exact
    expect(search).not.toHaveBeenCalled();
  });

  it('never matches a cluster-scoped finding with a namespace filter', () => {
    expect(index.search('ns:a').some((h) => h.finding.subject.namespace === undefined)).toBe(false);
  });

  it('uses substring matching, not fuse, for one or two characters', () => {
    const search = vi.spyOn(Fuse.prototype, 'search');
    for (const text of ['p', 'db', 'DB', '0/']) {
      const hits = index.search(text);
      const lower = text.toLowerCase();
      const expected = findings.filter((f) => lowerLabel(f).includes(lower) || f.message.toLowerCase().includes(lower));
      expect(new Set(keys(hits))).toEqual(new Set(expected.map((f) => f.key)));
      expectWellFormedRanges(hits);
      expectNonDecreasingScores(hits);
    }
    expect(search).not.toHaveBeenCalled();
    // A whole field equal to the text comes first; a match at a word start before one inside a word.
    const small = new FindingIndex([
      finding({ subject: { kind: 'Pod', namespace: 'ns', name: 'xdbx' } }),
      finding({ subject: { kind: 'Pod', namespace: 'ns', name: 'x-db' } }),
      finding({ subject: { kind: 'Pod', namespace: 'ns', name: 'db' } }),
    ]);
    expect(small.search('db').map((h) => h.finding.subject.name)).toEqual(['db', 'x-db', 'xdbx']);
  });

  it('finds a word with a typo: privleged → container/privileged', () => {
    const hits = index.search('privleged');
    const privileged = findings.filter((f) => f.checkId === 'container/privileged');
    expect(privileged.length).toBeGreaterThan(250); // more than fuse ranks itself: the tail must be complete too
    expect(new Set(keys(hits))).toEqual(new Set(privileged.map((f) => f.key)));
    const first = hits[0] as SearchHit;
    const label = rowLabel(first.finding);
    expect(first.ranges.map(([s, e]) => label.slice(s, e).toLowerCase())).toContain('privileged');
    expectWellFormedRanges(hits);
  });

  it('requires every word to match somewhere (AND across fields)', () => {
    const wanted = finding({ checkId: 'container/host-network', title: 'Pod uses the host network namespace', subject: { kind: 'Pod', namespace: 'payments', name: 'api' } });
    const otherNamespace = finding({ checkId: 'container/host-network', title: 'Pod uses the host network namespace', subject: { kind: 'Pod', namespace: 'checkout', name: 'api' } });
    const otherCheck = finding({ checkId: 'container/privileged', title: 'Privileged container', subject: { kind: 'Pod', namespace: 'payments', name: 'api' } });
    const small = new FindingIndex([otherNamespace, otherCheck, wanted]);
    expect(small.search('host network payments').map((h) => h.finding)).toEqual([wanted]);
    expect(small.search('payments privileged').map((h) => h.finding)).toEqual([otherCheck]);
    expect(new Set(small.search('host network').map((h) => h.finding))).toEqual(new Set([wanted, otherNamespace]));
  });

  it('combines field filters with the text', () => {
    const hits = index.search('sev:high ns:pay root');
    expect(hits.length).toBeGreaterThan(0);
    for (const hit of hits) {
      expect(hit.finding.severity).toBe('high');
      expect(hit.finding.subject.namespace).toContain('pay');
    }
    const literal = findings.filter((f) => f.severity === 'high' && (f.subject.namespace ?? '').includes('pay') && /root/.test(`${lowerLabel(f)} ${f.message.toLowerCase()}`));
    expect(literal.length).toBeGreaterThan(0);
    expect(keys(hits)).toEqual(expect.arrayContaining(literal.map((f) => f.key)));
  });

  it('puts a finding whose name is the query first', () => {
    const target = findings[1234] as Finding;
    const hits = index.search(target.subject.name, { limit: 5 });
    expect(hits[0]?.finding).toBe(target);
    expect(hits[0]?.score).toBe(0);
    // Every word of the name is highlighted where the name is drawn.
    const label = rowLabel(target);
    const nameStart = label.indexOf(`/${target.subject.name}`) + 1;
    for (const m of target.subject.name.matchAll(/[a-z0-9]+/g)) {
      const [s, e] = [nameStart + m.index, nameStart + m.index + m[0].length];
      expect((hits[0] as SearchHit).ranges.some(([rs, re]) => rs <= s && e <= re)).toBe(true);
    }
  });

  it('puts the exact name first even among hundreds of equally literal matches', () => {
    const web = finding({ severity: 'info', checkId: 'code/dockerfile-root-user', title: 'Image runs as root', subject: { kind: 'Pod', namespace: 'zz', name: 'web' } });
    const crowded = [...findings, web];
    expect(crowded.filter((f) => /\bweb\b/.test(lowerLabel(f))).length).toBeGreaterThan(300);
    const hits = new FindingIndex(crowded).search('WEB', { limit: 3 });
    expect(hits[0]?.finding).toBe(web);
    // Then another label field equal to the text (container `web`) before mere word matches.
    expect(hits[1]?.finding.subject.container).toBe('web');
  });

  it('honours limit and keeps well-formed, best-first results', () => {
    // (`payments paym`, `shipping hip`: overlapping words, hundreds of hits past the fuse-ranked head.)
    for (const q of ['web', 'payments api', 'istio proxy', 'cluster-admin', 'latest tag', 'ns:prod sidecar', 'Namespace without', 'registry.example', 'payments paym', 'shipping hip']) {
      const all = index.search(q);
      expectWellFormedRanges(all);
      expectNonDecreasingScores(all);
      expect(keys(index.search(q, { limit: 10 }))).toEqual(keys(all.slice(0, 10)));
      expect(new Set(keys(all)).size).toBe(all.length);
    }
    expect(index.search('web', { limit: 0 })).toEqual([]);
  });

  it('gives the same result whether typed key by key or searched fresh', { timeout: 120_000 }, () => {
    const some = findings.slice(0, 1200);
    const typed = new FindingIndex(some);
    const sequences = ['pirvileged', 'payments api web', 'sev:high ns:pay root', 'host netwrk', 'db', 'istio-proxy sidecar'];
    for (const sequence of sequences) {
      const steps = [...Array(sequence.length).keys()].map((i) => sequence.slice(0, i + 1));
      steps.push(...steps.slice(0, -1).reverse()); // and backspacing
      for (const step of steps) {
        const incremental = typed.search(step);
        const fresh = new FindingIndex(some).search(step);
        expect(incremental.map((h) => [h.finding.key, h.score, h.ranges])).toEqual(fresh.map((h) => [h.finding.key, h.score, h.ranges]));
      }
    }
    // A typo early in the word: the longer query matches findings the shorter one did not.
    expect(typed.search('pirv')).toHaveLength(0);
    expect(typed.search('pirvileged').length).toBeGreaterThan(0);
  });

  it('accepts a parsed query', () => {
    expect(keys(index.search(parseQuery('sev:critical web')))).toEqual(keys(index.search('sev:critical web')));
  });

  it('indexes nothing gracefully', () => {
    const empty = new FindingIndex([]);
    expect(empty.search('')).toEqual([]);
    expect(empty.search('privileged')).toEqual([]);
    expect(empty.search('p')).toEqual([]);
  });
});

describe('FindingIndex properties', () => {
  const nameArb = fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,18}$/);

  it('a subject name finds itself in the top 5', () => {
    fc.assert(
      fc.property(fc.uniqueArray(nameArb, { minLength: 1, maxLength: 40 }), fc.nat(), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (names, pick, seed) => {
        const rnd = prng(seed);
        const findings = names.map((name) => {
          const [checkId, severity, title] = CHECKS[Math.floor(rnd() * CHECKS.length)] as (typeof CHECKS)[number];
          return finding({ checkId, severity, title, subject: { kind: KINDS[Math.floor(rnd() * KINDS.length)] as string, namespace: WORDS[Math.floor(rnd() * 3)] as string, name } });
        });
        const target = findings[pick % findings.length] as Finding;
        const top = new FindingIndex(findings).search(target.subject.name, { limit: 5 });
        expect(top.map((h) => h.finding)).toContain(target);
      }),
      { numRuns: 150 },
    );
  });

  it('every finding containing a word fragment of the text is found, and only filtered findings are', () => {
    const findings = synthetic(400, 7);
    const index = new FindingIndex(findings);
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.nat(), fc.constantFrom('', 'sev:>=high ', 'ns:pay ', 'kind:pod '), (which, from, length, filters) => {
        const source = findings[which % findings.length] as Finding;
        const words = lowerLabel(source).match(/[a-z0-9_]+/g) ?? [];
        const word = words[from % words.length] as string;
        const start = from % word.length;
        const fragment = word.slice(start, start + 1 + (length % (word.length - start)));
        const query = parseQuery(`${filters}${fragment}`);
        const passes = (f: Finding): boolean =>
          (query.severities.length === 0 || query.severities.includes(f.severity)) &&
          (query.namespaces.length === 0 || (f.subject.namespace ?? '').includes(query.namespaces[0] as string)) &&
          (query.kinds.length === 0 || f.subject.kind.toLowerCase() === query.kinds[0]);
        const hits = index.search(query);
        const found = new Set(keys(hits));
        for (const f of findings) {
          if (passes(f) && (lowerLabel(f).includes(fragment) || f.message.toLowerCase().includes(fragment))) expect(found.has(f.key)).toBe(true);
        }
        for (const hit of hits) expect(passes(hit.finding)).toBe(true);
        expectWellFormedRanges(hits);
      }),
      { numRuns: 150 },
    );
  });
});

describe('FindingIndex at 50,000 findings', () => {
  it('answers a handful of queries correctly (timing is measured by the benchmark, not here)', { timeout: 180_000 }, () => {
    const findings = synthetic(50_000, 2024);
    const index = new FindingIndex(findings);
    const search = vi.spyOn(Fuse.prototype, 'search');

    const all = index.search('');
    expect(all).toHaveLength(50_000);
    expect(keys(all.slice(0, 100))).toEqual(keys(sortFindings(findings, 'severity').slice(0, 100).map((f) => ({ finding: f, score: 0, ranges: [] }))));

    const fieldOnly = index.search('sev:critical kind:Deployment');
    expect(fieldOnly.length).toBe(findings.filter((f) => f.severity === 'critical' && f.subject.kind === 'Deployment').length);
    expect(search).not.toHaveBeenCalled();

    const typo = index.search('privleged');
    const privileged = findings.filter((f) => f.checkId === 'container/privileged');
    expect(new Set(keys(typo))).toEqual(new Set(privileged.map((f) => f.key)));
    expect(search).toHaveBeenCalled();

    const target = findings[31_337] as Finding;
    expect(index.search(target.subject.name, { limit: 5 })[0]?.finding).toBe(target);

    const combined = index.search('sev:high ns:payments root', { limit: 50 });
    expect(combined.length).toBe(50);
    for (const hit of combined) {
      expect(hit.finding.severity).toBe('high');
      expect(hit.finding.subject.namespace).toContain('payments');
    }

    const words = index.search('istio proxy');
    const literal = findings.filter((f) => /istio/.test(lowerLabel(f) + f.message.toLowerCase()) && /proxy/.test(lowerLabel(f) + f.message.toLowerCase()));
    expect(keys(words)).toEqual(expect.arrayContaining(literal.map((f) => f.key)));
    expectWellFormedRanges(words.slice(0, 500));
  });
});
