import {
  controlPlaneFix, describeInstance, evaluateControlPlane, flagEvidence, instanceFinding, KUBEADM_PKI,
  type ComponentInstance, type FlagChange,
} from '../../src/engine/control-plane.js';
import { ref } from '../../src/engine/references.js';
import type { Check, Evidence, Severity } from '../../src/engine/types.js';
import { atLeast } from '../../src/engine/types.js';

interface Item { readonly severity: Severity; readonly text: string; readonly evidence: Evidence; readonly change: FlagChange }

function apiserverItems(i: ComponentInstance): Item[] {
  const f = i.flags;
  const out: Item[] = [];
  if (f.bool('service-account-lookup', true) === false) {
    out.push({ severity: 'medium', text: '--service-account-lookup=false (tokens of deleted service accounts stay valid)', evidence: flagEvidence(i, 'service-account-lookup'), change: { flag: 'service-account-lookup', value: 'true' } });
  }
  if ((f.get('service-account-key-file') ?? '').trim() === '') {
    out.push({ severity: 'medium', text: 'no --service-account-key-file (token verification keys are not set explicitly)', evidence: flagEvidence(i, 'service-account-key-file'), change: { flag: 'service-account-key-file', value: `${KUBEADM_PKI}/sa.pub` } });
  }
  if (f.bool('service-account-extend-token-expiration', true) !== false) {
    out.push({
      severity: 'low',
      text: `--service-account-extend-token-expiration ${f.has('service-account-extend-token-expiration') ? `is ${f.get('service-account-extend-token-expiration') ?? ''}` : 'is not set (default true)'}: projected tokens requested for 1 hour are valid for up to a year`,
      evidence: flagEvidence(i, 'service-account-extend-token-expiration', 'absent (default true)'),
      change: { flag: 'service-account-extend-token-expiration', value: 'false' },
    });
  }
  return out;
}

function controllerManagerItems(i: ComponentInstance): Item[] {
  const f = i.flags;
  const out: Item[] = [];
  if (f.bool('use-service-account-credentials', false) !== true) {
    out.push({
      severity: 'medium',
      text: `--use-service-account-credentials ${f.has('use-service-account-credentials') ? `is ${f.get('use-service-account-credentials') ?? ''}` : 'is not set (default false)'}: all controllers share the controller manager's own powerful identity`,
      evidence: flagEvidence(i, 'use-service-account-credentials', 'absent (default false)'),
      change: { flag: 'use-service-account-credentials', value: 'true' },
    });
  }
  if ((f.get('service-account-private-key-file') ?? '').trim() === '') {
    out.push({ severity: 'low', text: 'no --service-account-private-key-file', evidence: flagEvidence(i, 'service-account-private-key-file'), change: { flag: 'service-account-private-key-file', value: `${KUBEADM_PKI}/sa.key` } });
  }
  if ((f.get('root-ca-file') ?? '').trim() === '') {
    out.push({ severity: 'low', text: 'no --root-ca-file (pods cannot verify the API server from their service-account volume)', evidence: flagEvidence(i, 'root-ca-file'), change: { flag: 'root-ca-file', value: `${KUBEADM_PKI}/ca.crt` } });
  }
  return out;
}

export const check: Check = {
  id: 'cluster/service-account-token-settings',
  layer: 'cluster',
  title: 'Service-account token signing / validation settings',
  severity: 'medium',
  description:
    'Reads every kube-apiserver static pod (--service-account-lookup, --service-account-key-file, --service-account-extend-token-expiration) and every ' +
    'kube-controller-manager static pod (--use-service-account-credentials, --service-account-private-key-file, --root-ca-file), one finding per ' +
    'replica with per-flag evidence and the highest item\'s severity. Medium: lookup disabled, key file missing, controllers not using their own ' +
    'service-account credentials. Low: token expiration extension not disabled, private key file or root CA file missing. Managed control planes ' +
    'are unable with the provider command.',
  remediation: 'Validate service-account tokens against live accounts, stop extending their expiry, and run each controller under its own service account.',
  references: [
    ref.cis('1.2.21'), ref.cis('1.2.22'), ref.cis('1.2.30'), ref.cis('1.3.3'), ref.cis('1.3.4'), ref.cis('1.3.5'),
    ref.kubescape('C-0135'), ref.kubescape('C-0136'), ref.kubescape('C-0290'), ref.kubescape('C-0146'), ref.kubescape('C-0147'), ref.kubescape('C-0148'),
    ref.trivy('KCV-0024'), ref.trivy('KCV-0025'), ref.trivy('KCV-0035'), ref.trivy('KCV-0036'), ref.trivy('KCV-0037'),
  ],
  needs: ['pods'],
  optionalNeeds: ['nodes', 'namespaces', 'version', 'kubeconfig', 'system-configmaps'],
  evaluate: (snapshot) => evaluateControlPlane(snapshot, ['kube-apiserver', 'kube-controller-manager'], (instance) => {
    const items = instance.component === 'kube-apiserver' ? apiserverItems(instance) : controllerManagerItems(instance);
    if (items.length === 0) return {};
    const extendOnly = items.some((i) => i.change.flag === 'service-account-extend-token-expiration');
    return {
      findings: [instanceFinding(instance, {
        message: `${describeInstance(instance)}: ${items.map((i) => i.text).join('; ')}`,
        severity: items.map((i) => i.severity).reduce((a, b) => (atLeast(a, b) ? a : b)),
        evidence: items.map((i) => i.evidence),
        remediation: {
          why: 'Service-account tokens are the credentials of every workload: they must stop working when the account is deleted, must not outlive their requested lifetime, and controllers must not all share one cluster-wide identity.',
          fix: `Set the flags in the patch (kubeadm sets all of them except the expiration extension).${extendOnly ? ' Before disabling the expiration extension, make sure no client keeps a projected token longer than an hour (the apiserver metric serviceaccount_stale_tokens_total shows stale tokens still in use).' : ''}`,
          ...controlPlaneFix(snapshot, instance, items.map((i) => i.change)),
        },
      })],
    };
  }),
};
