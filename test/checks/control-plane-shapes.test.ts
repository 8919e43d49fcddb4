/**
 * The D-CP checks on managed and embedded control planes (CHECKS.md §1.5, §7 trap 11): never
 * fail or pass because a pod is missing; the `unable` reason quotes the provider's command with
 * the cluster coordinates filled in (test/fixtures/shared/*-cluster.yaml).
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../checks/index.js';
import { runCheck } from '../../src/engine/run.js';
import { FIXTURES_DIR, loadFixture } from '../helpers/fixtures.js';

const SLUGS = [
  'apiserver-anonymous-auth', 'static-token-auth-file', 'apiserver-tls', 'apiserver-kubelet-tls', 'service-account-token-settings',
  'apiserver-authorization-mode', 'admission-always-admit', 'admission-node-restriction', 'admission-core-plugins-disabled', 'service-external-ips',
  'admission-event-rate-limit', 'admission-always-pull-images', 'control-plane-profiling', 'control-plane-bind-address', 'audit-logging',
  'secrets-encryption-at-rest',
];

const SHAPES: readonly (readonly [shape: string, command: string])[] = [
  ['eks', "aws eks describe-cluster --name 'prod-eu' --region 'eu-west-1'"],
  ['gke', "gcloud container clusters describe 'prod' --location 'europe-west1' --project 'acme-prod'"],
  ['aks', "az aks show -g 'prod-rg' -n 'prod-aks'"],
  ['k3s', '/etc/rancher/k3s/config.yaml'],
];

const cases = SLUGS.flatMap((slug) => SHAPES.map(([shape, cmd]) => [`cluster/${slug}`, shape, cmd] as const));

describe('control-plane checks on managed and embedded control planes', () => {
  it('covers every check of the family', () => {
    for (const slug of SLUGS) expect(CHECKS.some((c) => c.id === `cluster/${slug}`)).toBe(true);
  });

  it.each(cases)('%s on %s quotes %s', (id, shape, cmd) => {
    const check = CHECKS.find((c) => c.id === id);
    if (!check) throw new Error(`${id} not registered`);
    const dir = `${FIXTURES_DIR}${id}/`;
    // service-external-ips judges the Services on managed clusters (pass with a note); everything else is unable.
    const file = [`unable-${shape}-managed.yaml`, `pass-${shape}-managed-no-external-ips.yaml`, `unable-${shape}.yaml`].map((f) => dir + f).find((f) => existsSync(f));
    expect(file).toBeDefined();
    const { result, findings } = runCheck(check, loadFixture(id, file as string).snapshot);
    expect(findings).toHaveLength(0);
    const servicesOnly = id === 'cluster/service-external-ips' && shape !== 'k3s';
    expect(result.status).toBe(servicesOnly ? 'pass' : 'unable');
    // On a managed control plane the admission plugin part is out of scope (no provider command shows it).
    if (servicesOnly) expect(result.reason).toMatch(/no Service sets spec\.externalIPs; (Amazon EKS|Google GKE|Azure AKS) manages the API server/);
    else expect(result.reason).toContain(cmd);
  });

  it('quotes the row-specific provider fields', () => {
    const reason = (id: string, file: string): string => {
      const check = CHECKS.find((c) => c.id === id);
      if (!check) throw new Error(id);
      return runCheck(check, loadFixture(id, `${FIXTURES_DIR}${id}/${file}`).snapshot).result.reason ?? '';
    };
    expect(reason('cluster/audit-logging', 'unable-eks-managed.yaml')).toContain("--query 'cluster.logging'");
    expect(reason('cluster/audit-logging', 'unable-aks-managed.yaml')).toContain('az monitor diagnostic-settings list');
    expect(reason('cluster/audit-logging', 'unable-gke-managed.yaml')).toContain('Admin Activity audit logs');
    expect(reason('cluster/secrets-encryption-at-rest', 'unable-eks-managed.yaml')).toContain("--query 'cluster.encryptionConfig'");
    expect(reason('cluster/secrets-encryption-at-rest', 'unable-gke-managed.yaml')).toContain('value(databaseEncryption)');
    expect(reason('cluster/secrets-encryption-at-rest', 'unable-aks-managed.yaml')).toContain('securityProfile.azureKeyVaultKms');
    expect(reason('cluster/apiserver-anonymous-auth', 'unable-gke-managed.yaml')).toContain('--anonymous-authentication-config=LIMITED');
    expect(reason('cluster/apiserver-anonymous-auth', 'unable-eks-managed.yaml')).toContain('D-PROBE');
  });
});
