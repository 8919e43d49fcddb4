import { describeWorkload, evidence, findings, workloadSubject, WORKLOAD_OWNERS } from '../../src/engine/helpers.js';
import type { Namespace } from '../../src/engine/k8s.js';
import { formatPssMessage, type PssLevel, resolvePssMinor } from '../../src/engine/pss/index.js';
import { evaluateWorkload, namespacePssPolicy, pinnedVersion, plural, PSA_PREFIX, workloadsByNamespace, type ModePolicy, type PsaMode } from '../../src/engine/pss-readiness.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import type { Check, Evidence, FindingDraft } from '../../src/engine/types.js';

interface Target {
  readonly modes: readonly PsaMode[];
  readonly level: PssLevel;
  /** As PSA prints it (`latest`, `v1.25`). */
  readonly version: string;
}

/**
 * The (level, version) pairs to check in a namespace: enforce, then audit/warn unless they
 * resolve to the same rules as an earlier pair (PSA reuses that evaluation too).
 */
function targets(modes: Readonly<Record<PsaMode, ModePolicy>>, serverMinor: number | undefined): Target[] {
  const out: (Target & { key: string })[] = [];
  const options = serverMinor === undefined ? {} : { serverMinor };
  for (const mode of ['enforce', 'audit', 'warn'] as const) {
    const p = modes[mode];
    if (p.level === 'privileged') continue;
    const key = `${p.level}:${resolvePssMinor(p.version, options)}`;
    const same = out.find((t) => t.key === key);
    if (same) {
      if (same.modes[0] !== 'enforce') out[out.indexOf(same)] = { ...same, modes: [...same.modes, mode] };
      continue;
    }
    out.push({ key, modes: [mode], level: p.level, version: p.version });
  }
  return out;
}

const RESTARTABLE = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

export const check: Check = {
  id: 'cluster/pss-existing-violations',
  layer: 'cluster',
  title: 'Running pods violate their namespace\'s Pod Security level',
  severity: 'high',
  description:
    'Resolves each namespace\'s Pod Security policy from its labels as PSA does (invalid enforce level → restricted, warn inherits a stricter ' +
    'enforce level) and evaluates every live pod spec, once per top-level workload, with the PSS evaluator at that level and version (capped at the ' +
    'cluster\'s minor). A workload failing the enforce level fails high: PSA does not evict existing pods, so they were created before the label, by ' +
    'an exempt user or with an exempt runtime class (possibly exempt). A workload failing only an audit/warn level warns medium. Messages use PSA\'s ' +
    'form: violates PodSecurity "level:version": reasons. Static control-plane pods and controllers without pods are not evaluated.',
  remediation: 'Fix the violating workloads and restart them, or relax the namespace level consciously.',
  references: [
    ref.cis('5.2.2'), ref.cis('5.2.12'), ref.kubescape('C-0193'), ref.kubescape('C-0204'), ref.nsa('Pod security (Pod security enforcement)'),
    ref.doc('Pod Security Admission', 'https://kubernetes.io/docs/concepts/security/pod-security-admission/'),
  ],
  needs: ['namespaces', 'pods'],
  optionalNeeds: [...WORKLOAD_OWNERS, 'version'],
  evaluate: (snapshot) => {
    const version = pinnedVersion(snapshot);
    const byNamespace = workloadsByNamespace(snapshot);
    const out: FindingDraft[] = [];
    let evaluated = 0;

    for (const ns of snapshot.list<Namespace>('namespaces')) {
      const name = ns.metadata?.name ?? '';
      const policy = namespacePssPolicy(ns.metadata?.labels);
      const checks = targets(policy, version.serverMinor);
      if (checks.length === 0) continue;
      // Live pods only: templates have not been admitted (and PSA never evaluates them for enforce).
      const live = (byNamespace.get(name) ?? []).filter((w) => w.source === 'pods');
      for (const w of live) {
        evaluated++;
        let enforced = false;
        for (const t of checks) {
          const verdict = evaluateWorkload(w, t.level, t.version, version.serverMinor);
          if (verdict.result.allowed) continue;
          const isEnforce = t.modes.includes('enforce');
          // A workload already rejected by enforce is reported once; a stricter audit/warn level adds nothing new to fix first.
          if (!isEnforce && enforced) continue;
          enforced ||= isEnforce;
          const psa = formatPssMessage(t.level, t.version, verdict.result.violations);
          const where = t.modes.map((m) => `${m}`).join('/');
          const ev: Evidence[] = t.modes.map((m) => evidence(`namespaces[name=${name}].metadata.labels["${PSA_PREFIX}${m}"]`, policy[m].inherited ? `${t.level} (inherited from enforce)` : ns.metadata?.labels?.[`${PSA_PREFIX}${m}`] ?? t.level));
          ev.push(...verdict.result.violations.map((v) => evidence(`${w.specPath} [PSS ${v.check}]`, v.detail || v.reason)));
          const revision = verdict.olderRevisionOnly ? ' (older revision still running)' : '';
          out.push({
            subject: workloadSubject(w),
            status: isEnforce ? 'fail' : 'warn',
            severity: isEnforce ? 'high' : 'medium',
            discriminator: where,
            message: isEnforce
              ? `${describeWorkload(w)} ${psa}${revision}, although namespace "${name}" enforces it: its pods predate the label or were admitted by an exempt user or runtime class (possibly exempt); they will be rejected when recreated`
              : `${describeWorkload(w)} would ${psa.replace(/^violates /, 'violate ')}${revision} (namespace "${name}" ${where} level: reported, not blocked)`,
            evidence: ev,
            remediation: {
              why: isEnforce
                ? 'The namespace promises a Pod Security level its running pods do not meet: they keep the forbidden privileges, and the next rollout, reschedule or eviction will fail admission.'
                : `The namespace's ${where} level reports these pods; they are the work left before that level can be enforced.`,
              fix: `Fix ${plural(verdict.result.violations.length, 'violation')} (${verdict.result.violations.map((v) => v.reason).join(', ')}; see the matching container checks), then restart the workload; or relax the namespace's ${where} level consciously.`,
              command: [
                '# what the API server reports for this namespace at this level (dry run: nothing changes)',
                command`kubectl label --dry-run=server --overwrite ns ${name} ${`${PSA_PREFIX}enforce=${t.level}`} ${`${PSA_PREFIX}enforce-version=${t.version}`}`,
                '# after fixing the workload, replace its pods so they are admitted again',
                RESTARTABLE.has(w.kind)
                  ? command`kubectl -n ${w.namespace} rollout restart ${w.kind.toLowerCase()} ${w.name}`
                  : command`kubectl -n ${w.namespace} get ${w.kind.toLowerCase()} ${w.name} -o yaml` + ' # edit, then: kubectl replace --force -f FILE',
              ].join('\n'),
            },
          });
        }
      }
    }
    return findings(out, `${plural(evaluated, 'running workload')} evaluated against ${'their namespace\'s'} Pod Security levels at ${version.evaluated}${version.note ? ` (${version.note})` : ''}`);
  },
};
