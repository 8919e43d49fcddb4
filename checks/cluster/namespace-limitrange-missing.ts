import { findings } from '../../src/engine/helpers.js';
import { activeNamespaces, livePodsByNamespace, type LimitRange } from '../../src/engine/qos.js';
import { ref } from '../../src/engine/references.js';
import type { Check, FindingDraft } from '../../src/engine/types.js';

/** R-LR (CHECKS.md Appendix A) for one namespace; the name is a YAML-quoted scalar. */
export function limitRangePatch(namespace: string): string {
  return [
    'apiVersion: v1',
    'kind: LimitRange',
    'metadata:',
    '  name: container-defaults',
    `  namespace: ${JSON.stringify(namespace)}`,
    'spec:',
    '  limits:',
    '  - type: Container',
    '    defaultRequest: {cpu: 100m, memory: 128Mi}',
    '    default: {memory: 512Mi}',
    '    max: {memory: 4Gi}',
    '',
  ].join('\n');
}

/** A LimitRange item that gives containers defaults or a ceiling. */
function isEffective(lr: LimitRange): boolean {
  return (lr.spec?.limits ?? []).some((item) => item.type === 'Container' && [item.default, item.defaultRequest, item.max].some((m) => m !== undefined && Object.keys(m).length > 0));
}

export const check: Check = {
  id: 'cluster/namespace-limitrange-missing',
  layer: 'cluster',
  title: 'Namespace without LimitRange defaults',
  severity: 'low',
  description:
    'Inspects every non-system namespace that has live pods and its LimitRanges. Fails when no LimitRange has a type: Container item with ' +
    'default, defaultRequest or max: containers created without resources then stay unbounded (BestEffort). System namespaces are skipped.',
  remediation: 'Create a LimitRange with Container defaultRequest, default and max values in each application namespace.',
  references: [
    ref.trivy('KSV-0039'), ref.nsa('Network separation (Resource policies)'),
    ref.doc('Limit ranges', 'https://kubernetes.io/docs/concepts/policy/limit-range/'),
  ],
  needs: ['namespaces', 'limitranges', 'pods'],
  evaluate: (snapshot) => {
    const pods = livePodsByNamespace(snapshot);
    const byNs = new Map<string, LimitRange[]>();
    for (const lr of snapshot.list<LimitRange>('limitranges')) {
      const ns = lr.metadata?.namespace ?? '';
      byNs.set(ns, [...(byNs.get(ns) ?? []), lr]);
    }
    let skipped = 0;
    const out: FindingDraft[] = [];
    for (const ns of activeNamespaces(snapshot)) {
      const count = pods.get(ns) ?? 0;
      const ranges = byNs.get(ns) ?? [];
      if (count === 0 || ranges.some(isEffective)) continue;
      if (snapshot.isSystemNamespace(ns)) {
        skipped++;
        continue;
      }
      const patch = limitRangePatch(ns);
      const others = ranges.map((lr) => `"${lr.metadata?.name ?? ''}"`);
      out.push({
        subject: { kind: 'Namespace', name: ns },
        message: `Namespace "${ns}" runs ${count} ${count === 1 ? 'pod' : 'pods'} and has no LimitRange with container defaults or maximums${others.length > 0 ? ` (LimitRange ${others.join(', ')} sets neither)` : ''}`,
        evidence: [
          { path: `namespaces[name=${ns}].limitranges`, value: String(ranges.length) },
          { path: `namespaces[name=${ns}].pods`, value: String(count) },
        ],
        remediation: {
          why: 'Without LimitRange defaults every container created without resources runs unbounded and BestEffort, and nothing stops a single container from asking for a whole node.',
          fix: 'Apply a LimitRange with defaults sized for the namespace (adjust the values below); it applies to pods created afterwards, so restart existing workloads to pick it up.',
          command: `kubectl apply -f - <<'EOF'\n${patch}EOF`,
          patch,
        },
      });
    }
    return findings(out, skipped > 0 ? `skipped ${skipped} system namespace(s) without LimitRange` : undefined);
  },
};
