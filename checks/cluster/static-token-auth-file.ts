import { controlPlaneFix, describeInstance, evaluateControlPlane, flagEvidence, instanceFinding } from '../../src/engine/control-plane.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';

export const check: Check = {
  id: 'cluster/static-token-auth-file',
  layer: 'cluster',
  title: 'Static token file authentication enabled',
  severity: 'high',
  description:
    'Reads --token-auth-file of every kube-apiserver static pod (D-CP), one result per control-plane node. Fails when the flag is set to a file: ' +
    'the API server then accepts the bearer tokens listed in it, which never expire and can only be rotated by editing the file and restarting. ' +
    'Managed control planes are unable with the provider command.',
  remediation: 'Remove --token-auth-file and authenticate users with OIDC/structured authentication or short-lived credentials.',
  references: [ref.cis('1.2.2'), ref.kubescape('C-0114'), ref.trivy('KCV-0002'), ref.nsa('AuthN/AuthZ (Authentication)')],
  needs: ['pods'],
  optionalNeeds: ['nodes', 'namespaces', 'version', 'kubeconfig', 'system-configmaps'],
  evaluate: (snapshot) => evaluateControlPlane(snapshot, ['kube-apiserver'], (instance) => {
    const file = instance.flags.get('token-auth-file');
    if (file === undefined || file.trim() === '') return {};
    return {
      findings: [instanceFinding(instance, {
        message: `${describeInstance(instance)} accepts static bearer tokens from --token-auth-file=${file}`,
        evidence: [flagEvidence(instance, 'token-auth-file')],
        remediation: {
          why: 'Static tokens never expire, are stored in clear text on every control-plane node and can only be revoked by editing the file and restarting the API server.',
          fix: 'Move the users of these tokens to OIDC or structured authentication (--authentication-config), client certificates for break-glass only, or short-lived service-account tokens; then remove --token-auth-file (and its volume) and delete the file.',
          ...controlPlaneFix(snapshot, instance, [{ flag: 'token-auth-file', remove: true }]),
        },
      })],
    };
  }),
};
