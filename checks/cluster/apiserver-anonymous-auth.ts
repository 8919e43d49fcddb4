import {
  clusterMinor, controlPlaneFix, evaluateControlPlane, flagEvidence, instanceFinding, describeInstance,
  type ComponentInstance, type FlagChange, type InstanceVerdict,
} from '../../src/engine/control-plane.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import type { Snapshot } from '../../src/engine/snapshot.js';
import type { Check, Remediation } from '../../src/engine/types.js';

const AUTHN_DIR = '/etc/kubernetes/authn';
const AUTHN_FILE = `${AUTHN_DIR}/authentication-config.yaml`;

/** kubeadm's liveness/readiness/startup probes are unauthenticated HTTPS GETs: `--anonymous-auth=false` alone makes them fail with 401. */
function hasHttpProbes(instance: ComponentInstance): boolean {
  const c = instance.container as { livenessProbe?: { httpGet?: unknown }; readinessProbe?: { httpGet?: unknown }; startupProbe?: { httpGet?: unknown } };
  return [c.livenessProbe, c.readinessProbe, c.startupProbe].some((p) => p?.httpGet !== undefined);
}

function fix(snapshot: Snapshot, instance: ComponentInstance): Remediation {
  const minor = clusterMinor(snapshot);
  const why = 'Anonymous requests run as system:anonymous in group system:unauthenticated: one careless RBAC binding to either then opens the API to anyone who can reach it, without credentials.';
  // Anonymous endpoints in AuthenticationConfiguration: beta (on by default) in 1.32, GA in 1.34 (KEP-4633).
  if (minor === undefined || minor >= 32) {
    const apiVersion = minor !== undefined && minor < 34 ? 'apiserver.config.k8s.io/v1beta1' : 'apiserver.config.k8s.io/v1';
    const changes: FlagChange[] = [{ flag: 'authentication-config', value: AUTHN_FILE }];
    const kubeadm = Boolean(snapshot.systemConfigMap('kube-system', 'kubeadm-config'));
    if (instance.flags.has('anonymous-auth')) changes.push({ flag: 'anonymous-auth', remove: true });
    return {
      why,
      fix: 'Limit anonymous access to the health endpoints with an AuthenticationConfiguration (anonymous.enabled with conditions /livez, /readyz, /healthz) passed via --authentication-config ' +
        '(it cannot be combined with --anonymous-auth); plain --anonymous-auth=false also works but breaks kubeadm join discovery, and the kubelet\'s unauthenticated HTTP probes' +
        `${hasHttpProbes(instance) ? ' of this static pod' : ''} get 401 and must be changed to tcpSocket probes.`,
      ...controlPlaneFix(snapshot, instance, changes, {
        files: [{
          path: AUTHN_FILE,
          content: [
            `apiVersion: ${apiVersion}`, 'kind: AuthenticationConfiguration', 'anonymous:', '  enabled: true', '  conditions:', '  - path: /livez', '  - path: /readyz', '  - path: /healthz',
            ...(kubeadm ? ['  # kubeadm join (bootstrap-token discovery) reads this ConfigMap anonymously; drop it if nodes join with file discovery', '  - path: /api/v1/namespaces/kube-public/configmaps/cluster-info'] : []),
          ].join('\n'),
        }],
        mounts: [{ name: 'authn-config', hostPath: AUTHN_DIR, mountPath: AUTHN_DIR, readOnly: true }],
      }),
    };
  }
  return {
    why,
    fix: `Set --anonymous-auth=false${hasHttpProbes(instance) ? ' and change the static pod\'s httpGet probes to tcpSocket probes (the kubelet probes without credentials and would get 401)' : ''}.`,
    ...controlPlaneFix(snapshot, instance, [{ flag: 'anonymous-auth', value: 'false' }]),
  };
}

function visit(snapshot: Snapshot, instance: ComponentInstance): InstanceVerdict {
  const f = instance.flags;
  const explicit = f.has('anonymous-auth');
  const value = f.bool('anonymous-auth', true);
  if (explicit && value === false) return {};
  if (value === undefined) return { unable: `--anonymous-auth=${f.get('anonymous-auth') ?? ''} is not a boolean` };
  if (!explicit && f.has('authentication-config')) {
    // With an `anonymous` section in the file, --anonymous-auth must not be set; without one the default (enabled) applies.
    return { unable: `anonymous authentication is configured by --authentication-config=${f.get('authentication-config') ?? ''}, a file that is not visible (without an anonymous section the default, enabled, applies)` };
  }
  const state = explicit ? 'sets --anonymous-auth=true' : 'does not set --anonymous-auth (default true)';
  return {
    findings: [instanceFinding(instance, {
      message: `${describeInstance(instance)} accepts anonymous requests: it ${state} and has no --authentication-config limiting anonymous access to health endpoints`,
      evidence: [flagEvidence(instance, 'anonymous-auth', 'absent (default true)'), flagEvidence(instance, 'authentication-config')],
      remediation: fix(snapshot, instance),
    })],
  };
}

export const check: Check = {
  id: 'cluster/apiserver-anonymous-auth',
  layer: 'cluster',
  title: 'Anonymous requests accepted by the API server',
  severity: 'medium',
  description:
    'Reads --anonymous-auth and --authentication-config of every kube-apiserver static pod (D-CP), one result per control-plane node. Fails when ' +
    '--anonymous-auth is absent (default true) or true and no --authentication-config is set; when --authentication-config is set without the flag, ' +
    'the anonymous settings live in that file and the replica is unable. Managed control planes are unable with the provider command; the active ' +
    'probe (D-PROBE: an unauthenticated GET /api) that would classify them is an opt-in this version does not collect.',
  remediation: 'Disable anonymous authentication or limit it to the health endpoints with an AuthenticationConfiguration.',
  references: [ref.cis('1.2.1'), ref.kubescape('C-0113'), ref.trivy('KCV-0001'), ref.nsa('AuthN/AuthZ (Authentication)'), ref.fourC('Network access to API Server')],
  needs: ['pods'],
  optionalNeeds: ['nodes', 'namespaces', 'version', 'kubeconfig', 'system-configmaps'],
  evaluate: (snapshot) => evaluateControlPlane(snapshot, ['kube-apiserver'], (i) => visit(snapshot, i), {
    topic: 'authentication',
    unavailableNote: (p) => {
      const provider = p.id === 'aws' ? 'EKS keeps anonymous authentication on for health checks; '
        : p.id === 'gcp' ? `GKE keeps anonymous authentication on for health checks unless limited (${command`gcloud container clusters update ${p.cluster.name ?? '<cluster>'} --anonymous-authentication-config=LIMITED`}); ` : '';
      return `${provider}the active probe (D-PROBE: unauthenticated GET /api, 401 = disabled) would answer this on any cluster but is an opt-in this version does not collect yet`;
    },
    passNote: 'active probe (D-PROBE) not collected by this version',
  }),
};
