import { evidence, findings, WORKLOAD_OWNERS } from '../../src/engine/helpers.js';
import type { Namespace } from '../../src/engine/k8s.js';
import { podSecurityEngines, POD_SECURITY_ENGINE_NEEDS } from '../../src/engine/pod-security-engines.js';
import { labelCommand, namespacePssPolicy, pinnedVersion, plural, pssReadiness, PSA_PREFIX, readinessAdvice, workloadsByNamespace } from '../../src/engine/pss-readiness.js';
import { ref } from '../../src/engine/references.js';
import type { Check, Evidence, FindingDraft } from '../../src/engine/types.js';

const DEFAULTS_NOTE = 'cluster-wide PSA defaults in the AdmissionConfiguration are not visible; an unlabelled namespace may still be covered';

export const check: Check = {
  id: 'cluster/pss-enforce-missing',
  layer: 'cluster',
  title: 'Namespace does not enforce a Pod Security level',
  severity: 'medium',
  description:
    'Inspects the pod-security.kubernetes.io/enforce label of every non-system namespace. Fails when it is absent or privileged (PSA then admits ' +
    'any pod, unless the invisible AdmissionConfiguration defaults say otherwise); warns instead when another engine may enforce pod security there ' +
    '(Kyverno podSecurity or Pod Security category rules in Enforce mode, the Gatekeeper validating webhook, a ValidatingAdmissionPolicyBinding with ' +
    'Deny whose policy matches pods, Kubewarden pod-security policies in protect mode). Each finding carries enforcement readiness: the namespace\'s ' +
    'workloads evaluated with the PSS evaluator at baseline and restricted at the cluster\'s own policy version, the highest level that would reject ' +
    'none of them, and the label command for it (or the warn/audit labels and a server-side dry run when even baseline would reject some).',
  remediation: 'Label each namespace with the strictest Pod Security level its workloads already meet, pinned to the cluster version.',
  references: [
    ref.cis('5.2.1'), ref.kubescape('C-0192'), ref.nsa('Pod security (Pod security enforcement)'),
    ref.doc('Pod Security Admission', 'https://kubernetes.io/docs/concepts/security/pod-security-admission/'),
    ref.doc('Enforce Pod Security Standards with namespace labels', 'https://kubernetes.io/docs/tasks/configure-pod-container/enforce-standards-namespace-labels/'),
  ],
  needs: ['namespaces'],
  optionalNeeds: ['pods', ...WORKLOAD_OWNERS, 'version', ...POD_SECURITY_ENGINE_NEEDS],
  evaluate: (snapshot) => {
    const engines = podSecurityEngines(snapshot);
    const version = pinnedVersion(snapshot);
    const podsKnown = snapshot.has('pods');
    const byNamespace = podsKnown ? workloadsByNamespace(snapshot) : new Map();
    const system: string[] = [];
    const out: FindingDraft[] = [];

    for (const ns of snapshot.list<Namespace>('namespaces')) {
      const name = ns.metadata?.name ?? '';
      if (name === '' || ns.status?.phase === 'Terminating') continue;
      if (snapshot.isSystemNamespace(name)) {
        system.push(name);
        continue;
      }
      const labels = ns.metadata?.labels ?? {};
      const policy = namespacePssPolicy(labels);
      const raw = labels[`${PSA_PREFIX}enforce`];
      // An invalid enforce level fails closed (restricted): cluster/pss-label-invalid reports it.
      if (raw !== undefined && raw !== 'privileged') continue;

      const ev: Evidence[] = [evidence(`namespaces[name=${name}].metadata.labels["${PSA_PREFIX}enforce"]`, raw ?? '<absent>')];
      const others = (['warn', 'audit'] as const).filter((m) => policy[m].levelLabelled && policy[m].level !== 'privileged').map((m) => `${m}=${policy[m].level}`);
      const state = raw === undefined
        ? `has no ${PSA_PREFIX}enforce label${others.length ? ` (only ${others.join(', ')}: reported, not blocked)` : ''}, so PSA admits privileged pods (${DEFAULTS_NOTE})`
        : `sets ${PSA_PREFIX}enforce=privileged${others.length ? ` (${others.join(', ')}: reported, not blocked)` : ''}, so PSA admits privileged pods`;

      const covering = engines.covering(name, labels);
      for (const c of covering) ev.push(evidence(c.path, c.product));
      const engineText = covering.length > 0
        ? `; another engine may enforce pod security here (not proven equivalent to PSS): ${covering.map((c) => `${c.product} ${c.source}${c.note ? ` — ${c.note}` : ''}`).join('; ')}`
        : engines.unreadable.length > 0 ? `; other policy engines could not be checked (${engines.unreadable.join('; ')})` : '';

      let readiness: string;
      let command: string;
      let fix: string;
      let patchLevel: 'baseline' | 'restricted' = 'baseline';
      if (podsKnown) {
        const r = pssReadiness(name, byNamespace.get(name) ?? [], version);
        patchLevel = r.safeLevel ?? 'baseline';
        const advice = readinessAdvice(r, policy);
        readiness = `; readiness: ${advice.summary}`;
        command = advice.command;
        fix = advice.fix;
        // The evaluator's verdict per level, so the readiness can be checked against the workloads it names.
        for (const level of ['baseline', 'restricted'] as const) {
          const rejected = r.rejected[level];
          ev.push(evidence(`PSS ${level}:${version.evaluated} over ${plural(r.workloads.length, 'workload')} of namespace ${name}`,
            rejected.length === 0 ? 'none rejected' : `rejects ${rejected.map((v) => `${v.workload.kind}/${v.workload.name}`).join(', ')}`));
        }
      } else {
        readiness = `; readiness unknown: pods could not be read (${snapshot.error('pods')?.message ?? 'not collected'})`;
        command = [
          '# preview: the API server warns about each existing pod baseline would reject, and changes nothing',
          labelCommand(name, [['enforce', 'baseline']], version.pin, { dryRun: true }),
        ].join('\n');
        fix = `Preview with the server-side dry run, fix what it reports, then enforce baseline (or restricted) pinned to ${version.pin}.`;
      }

      out.push({
        subject: { kind: 'Namespace', name },
        status: covering.length > 0 ? 'warn' : 'fail',
        scope: 'workload',
        message: `Namespace "${name}" ${state}${engineText}${readiness}`,
        evidence: ev,
        remediation: {
          why: 'Without an enforced Pod Security level, anyone who can create pods (directly or through a controller) in the namespace can run privileged containers, share host namespaces and mount the node\'s filesystem.',
          fix: covering.length > 0 ? `${fix} Keep the other engine's policies if you rely on them; PSA labels add a built-in, version-pinned baseline.` : fix,
          command,
          patch: [
            'apiVersion: v1', 'kind: Namespace', 'metadata:', `  name: ${JSON.stringify(name)}`, '  labels:',
            `    ${PSA_PREFIX}enforce: ${patchLevel}`, `    ${PSA_PREFIX}enforce-version: ${version.pin}`,
            `    ${PSA_PREFIX}warn: restricted`, `    ${PSA_PREFIX}warn-version: ${version.pin}`,
            `    ${PSA_PREFIX}audit: restricted`, `    ${PSA_PREFIX}audit-version: ${version.pin}`, '',
          ].join('\n'),
        },
      });
    }

    const notes: string[] = [];
    if (system.length > 0) notes.push(`system namespaces skipped (${system.sort().join(', ')})`);
    if (engines.unreadable.length > 0) notes.push(`other policy engines could not be read (${engines.unreadable.join('; ')})`);
    notes.push(DEFAULTS_NOTE);
    return findings(out, `every non-system namespace enforces baseline or restricted; ${notes.join('; ')}`);
  },
};
