import { evidence, findings, WORKLOAD_OWNERS } from '../../src/engine/helpers.js';
import type { Namespace } from '../../src/engine/k8s.js';
import { MAX_PSS_MINOR, parsePssVersion, PSS_CHECKS } from '../../src/engine/pss/index.js';
import {
  evaluateWorkload, isPssPolicyLevel, listVerdicts, namespacePssPolicy, pinnedVersion, plural, PSA_MODES, PSA_PREFIX, workloadsByNamespace,
  type PsaMode,
} from '../../src/engine/pss-readiness.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import type { Check, FindingDraft } from '../../src/engine/types.js';

/** A pin more than this many minors below the server is stale (CHECKS.md §3D). */
const STALE_MINORS = 3;

/** PSS rules added or changed in (from, to]: `hostProbesAndHostLifecycle (new in v1.34)`, `sysctls (v1.27, v1.29)`. */
export function rulesChangedSince(from: number, to: number): string[] {
  const out: string[] = [];
  for (const check of PSS_CHECKS) {
    const first = check.versions[0]?.minimumMinor ?? 0;
    const minors = check.versions.map((v) => v.minimumMinor).filter((m) => m > from && m <= to);
    if (minors.length === 0) continue;
    out.push(first > from ? `${check.id} (new in v1.${first})` : `${check.id} (v1.${minors.join(', v1.')})`);
  }
  return out;
}

function levelWhat(mode: PsaMode): string {
  return mode === 'enforce'
    ? 'PSA enforces restricted instead (fail closed) and records an error annotation'
    : `PSA uses privileged for ${mode} instead (fail open): no ${mode === 'warn' ? 'warnings' : 'audit annotations'} are produced`;
}

export const check: Check = {
  id: 'cluster/pss-label-invalid',
  layer: 'cluster',
  title: 'Pod Security labels invalid or stale',
  severity: 'low',
  description:
    'Parses the pod-security.kubernetes.io/{enforce,audit,warn} and -version labels of every namespace as PSA\'s api.PolicyToEvaluate does. Warns on ' +
    'a level that is not exactly privileged, baseline or restricted (PSA then enforces restricted — fail closed — but audits and warns at ' +
    'privileged — fail open), on a version that is neither latest nor v1.<minor> (treated as latest), and on a version pinned more than 3 minors ' +
    'below the cluster\'s minor, which misses the policy changes since (listed from the evaluator\'s rule table); for a stale enforce pin it says ' +
    'which running workloads raising it would reject.',
  remediation: 'Correct the label value, and pin Pod Security versions to the cluster\'s minor after each upgrade.',
  references: [
    ref.doc('Pod Security Admission labels', 'https://kubernetes.io/docs/concepts/security/pod-security-admission/#pod-security-admission-labels-for-namespaces'),
    ref.doc('PSA api.PolicyToEvaluate', 'https://github.com/kubernetes/pod-security-admission/blob/master/api/helpers.go'),
    ref.cis('5.2.1'),
  ],
  needs: ['namespaces'],
  optionalNeeds: ['version', 'pods', ...WORKLOAD_OWNERS],
  evaluate: (snapshot) => {
    const version = pinnedVersion(snapshot);
    const serverMinor = version.serverMinor;
    const workloads = snapshot.has('pods') ? workloadsByNamespace(snapshot) : undefined;
    const target = version.pin;
    const out: FindingDraft[] = [];
    let labelled = 0;

    for (const ns of snapshot.list<Namespace>('namespaces')) {
      const name = ns.metadata?.name ?? '';
      const labels = ns.metadata?.labels ?? {};
      if (!Object.keys(labels).some((k) => k.startsWith(PSA_PREFIX))) continue;
      labelled++;
      const policy = namespacePssPolicy(labels);
      const scope = snapshot.isSystemNamespace(name) ? 'system' as const : 'workload' as const;
      const why = 'PSA silently replaces a malformed label value (restricted for enforce, privileged for audit/warn, latest for versions), so the namespace does not get the policy its owners think it has; a stale pin misses the checks added since.';

      for (const e of policy.errors) {
        const path = `namespaces[name=${name}].metadata.labels["${e.label}"]`;
        if (e.kind === 'level') {
          const normal = e.value.trim().toLowerCase();
          const suggested = isPssPolicyLevel(normal) ? normal : 'restricted';
          out.push({
            subject: { kind: 'Namespace', name },
            status: 'warn',
            scope,
            discriminator: e.label,
            message: `Namespace "${name}" label ${e.label}=${JSON.stringify(e.value)} is not a valid level (privileged, baseline or restricted): ${levelWhat(e.mode)}`,
            evidence: [evidence(path, e.value)],
            remediation: {
              why,
              fix: `Set ${e.label} to exactly privileged, baseline or restricted (lower case).`,
              command: `kubectl label --overwrite ns ${command`${name} ${`${e.label}=${suggested}`}`}`,
            },
          });
        } else {
          const evaluated = serverMinor === undefined ? `the evaluator's newest policy` : `v1.${Math.min(serverMinor, MAX_PSS_MINOR)}, this cluster's newest policy`;
          out.push({
            subject: { kind: 'Namespace', name },
            status: 'warn',
            scope,
            discriminator: e.label,
            message: `Namespace "${name}" label ${e.label}=${JSON.stringify(e.value)} is not "latest" or "v1.<minor>": PSA treats it as latest (${evaluated}) and records an error annotation`,
            evidence: [evidence(path, e.value)],
            remediation: {
              why,
              fix: `Pin ${e.label} to the cluster's minor (${target}) or set it to latest.`,
              command: `kubectl label --overwrite ns ${command`${name} ${`${e.label}=${target}`}`}`,
            },
          });
        }
      }

      if (serverMinor === undefined) continue;
      for (const mode of PSA_MODES) {
        const label = `${PSA_PREFIX}${mode}-version`;
        const raw = labels[label];
        const parsed = raw === undefined ? undefined : parsePssVersion(raw);
        if (parsed === undefined || parsed === 'latest' || serverMinor - parsed.minor <= STALE_MINORS) continue;
        const changed = rulesChangedSince(parsed.minor, Math.min(serverMinor, MAX_PSS_MINOR));
        const level = policy[mode].level;
        let impact = '';
        const lines: string[] = [];
        if (mode === 'enforce' && level !== 'privileged' && workloads) {
          const list = workloads.get(name) ?? [];
          const rejected = list.map((w) => evaluateWorkload(w, level, version.evaluated, serverMinor)).filter((v) => !v.result.allowed);
          impact = rejected.length === 0
            ? `; raising it to ${target} would ${list.length === 1 ? 'not reject its only workload' : `reject none of the namespace's ${plural(list.length, 'workload')}`}`
            : `; raising it to ${target} would reject ${plural(rejected.length, 'workload')}: ${listVerdicts(rejected, 3)}`;
          lines.push('# preview: the API server warns about each existing pod the new version would reject', `kubectl label --dry-run=server --overwrite ns ${command`${name} ${`${label}=${target}`}`}`);
        }
        lines.push(`kubectl label --overwrite ns ${command`${name} ${`${label}=${target}`}`}`);
        out.push({
          subject: { kind: 'Namespace', name },
          status: 'warn',
          scope,
          discriminator: label,
          message: `Namespace "${name}" pins ${label}=${raw ?? ''}, ${serverMinor - parsed.minor} minors below the cluster (v1.${serverMinor}): ` +
            `${mode} ${level} misses the policy changes since${changed.length > 0 ? ` (${changed.join(', ')})` : ''}${impact}`,
          evidence: [evidence(`namespaces[name=${name}].metadata.labels["${label}"]`, raw ?? ''), evidence('version.minor', String(serverMinor))],
          remediation: {
            why,
            fix: `Raise ${label} to ${target}${mode === 'enforce' ? ' after the dry run reports no violating pod' : ''}, and update it with each cluster upgrade (or use latest if you accept new checks arriving with upgrades).`,
            command: lines.join('\n'),
          },
        });
      }
    }

    const note = serverMinor === undefined ? '; cluster version unknown, so stale pins were not checked' : '';
    return findings(out, `${plural(labelled, 'namespace')} with Pod Security labels, all valid${serverMinor === undefined ? '' : ` and pinned within ${STALE_MINORS} minors of v1.${serverMinor}`}${note}`);
  },
};
