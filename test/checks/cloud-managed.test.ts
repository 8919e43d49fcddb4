/**
 * Honesty on managed clusters (CHECKS.md §1.5, §7 trap 11): over EKS-, GKE- and AKS-shaped
 * fixture clusters (test/fixtures/shared/*-cluster.yaml: provider node labels and providerIDs,
 * provider version suffixes, no control-plane static pods) every etcd/API-server check of the
 * catalog is `unable` with the provider's command — never pass, never fail — and the cloud
 * checks that can still look (nodes, Services, workloads) run normally.
 */
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../checks/index.js';
import { detectProvider } from '../../src/engine/provider.js';
import { runCheck } from '../../src/engine/run.js';
import type { Snapshot } from '../../src/engine/snapshot.js';
import { FIXTURES_DIR, loadFixture } from '../helpers/fixtures.js';
import { deepFreeze } from '../helpers/freeze.js';

/** An EKS/GKE/AKS shape through a fixture that only includes it. */
function shape(name: 'eks' | 'gke' | 'aks' | 'k3s'): Snapshot {
  const file = name === 'k3s' ? 'unable-k3s.yaml' : `unable-${name}-managed.yaml`;
  const { snapshot } = loadFixture('cloud/etcd-client-tls', `${FIXTURES_DIR}cloud/etcd-client-tls/${file}`);
  deepFreeze(snapshot);
  return snapshot;
}

/** Checks that read etcd or kube-apiserver flags (D-CP). */
const CONTROL_PLANE = CHECKS.filter((c) => /(^|\/|-)(etcd|apiserver)(-|$)/.test(c.id));

const GUIDANCE = {
  eks: "aws eks describe-cluster --name 'prod-eu' --region 'eu-west-1'",
  gke: "gcloud container clusters describe 'prod' --location 'europe-west1' --project 'acme-prod'",
  aks: "az aks show -g 'prod-rg' -n 'prod-aks'",
  k3s: '/etc/rancher/k3s/config.yaml',
} as const;

describe('etcd and API-server checks on managed clusters', () => {
  it('covers the cloud etcd checks and the API-server checks of the catalog', () => {
    const ids = CONTROL_PLANE.map((c) => c.id);
    for (const id of ['cloud/etcd-client-tls', 'cloud/etcd-peer-tls', 'cloud/etcd-dedicated-ca', 'cloud/apiserver-etcd-tls', 'cloud/etcd-network-exposure', 'cloud/etcd-disk-encryption']) {
      expect(ids).toContain(id);
    }
    expect(ids.some((id) => id.startsWith('cluster/apiserver-'))).toBe(true);
  });

  it('detects the providers as managed control planes (k3s: embedded, not hosted)', () => {
    expect(detectProvider(shape('eks'))).toMatchObject({ id: 'aws', hosted: true, managedControlPlane: true, cluster: { name: 'prod-eu', region: 'eu-west-1' } });
    expect(detectProvider(shape('gke'))).toMatchObject({ id: 'gcp', hosted: true, managedControlPlane: true });
    expect(detectProvider(shape('aks'))).toMatchObject({ id: 'azure', hosted: true, managedControlPlane: true });
    expect(detectProvider(shape('k3s'))).toMatchObject({ id: 'k3s', hosted: false });
  });

  describe.each(['eks', 'gke', 'aks', 'k3s'] as const)('%s-shaped cluster', (name) => {
    const snapshot = shape(name);
    it.each(CONTROL_PLANE.map((c) => [c.id, c] as const))('%s is unable with the provider guidance', (_id, check) => {
      const { result, findings } = runCheck(check, snapshot);
      expect(findings).toEqual([]);
      expect(result.status).toBe('unable');
      expect(result.reason).toContain(GUIDANCE[name]);
    });
  });

  it('says etcd is operated by AWS on EKS', () => {
    const check = CHECKS.find((c) => c.id === 'cloud/etcd-client-tls');
    const { result } = runCheck(check!, shape('eks'));
    expect(result.reason).toContain('etcd is operated by the provider and not reachable from workloads');
  });

  it('runs the whole cloud layer on EKS without errors, and no etcd/API-server check passes or fails', () => {
    const snapshot = shape('eks');
    for (const check of CHECKS.filter((c) => c.layer === 'cloud')) {
      const { result } = runCheck(check, snapshot);
      expect(result.status, check.id).not.toBe('error');
      if (CONTROL_PLANE.includes(check)) expect(result.status, check.id).toBe('unable');
    }
  });
});
