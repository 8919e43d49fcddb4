/** The kubelet / kube-proxy checks' `unable` reasons (not visible to fixture expectations) and their remediation. */
import { describe, expect, it } from 'vitest';
import { check as authn } from '../../checks/cluster/kubelet-authn-authz.js';
import { check as hardening } from '../../checks/cluster/kubelet-hardening-defaults.js';
import { check as readOnly } from '../../checks/cluster/kubelet-read-only-port.js';
import { check as proxy } from '../../checks/cluster/kube-proxy-metrics-bind.js';
import { loadFixture, FIXTURES_DIR } from '../helpers/fixtures.js';
import { runCheck } from '../../src/engine/run.js';
import { snapshotFromObjects } from '../../src/engine/objects.js';

const fixture = (id: string, name: string) => loadFixture(id, `${FIXTURES_DIR}${id}/${name}`).snapshot;

describe('kubelet checks without a readable configuration', () => {
  it('explain what command-line defaults would mean when the ConfigMap is absent', () => {
    const { result } = runCheck(authn, fixture('cluster/kubelet-authn-authz', 'unable-configmap-absent.yaml'));
    expect(result.status).toBe('unable');
    expect(result.reason).toContain('ConfigMap kube-system/kubelet-config does not exist: per-node kubelet config is not visible; a kubelet started with command-line defaults only has anonymous auth and AlwaysAllow enabled');
    expect(result.reason).toContain('/var/lib/kubelet/config.yaml');
  });

  it('quote the provider command on a managed cluster', () => {
    const { result } = runCheck(authn, fixture('cluster/kubelet-authn-authz', 'unable-eks-managed.yaml'));
    expect(result.reason).toContain("Amazon EKS manages the kubelet configuration — verify with: aws eks describe-cluster --name 'prod' --region 'eu-west-1'");
  });

  it('give the GKE read-only-port command', () => {
    const { result } = runCheck(readOnly, fixture('cluster/kubelet-read-only-port', 'unable-gke-managed.yaml'));
    expect(result.status).toBe('unable');
    expect(result.reason).toContain("gcloud container clusters update 'prod' --location 'europe-west1' --no-enable-insecure-kubelet-readonly-port");
  });

  it('report malformed YAML as unable with the parser message, not an error', () => {
    const { result } = runCheck(authn, fixture('cluster/kubelet-authn-authz', 'unable-malformed-yaml.yaml'));
    expect(result.status).toBe('unable');
    expect(result.reason).toMatch(/^ConfigMap kube-system\/kubelet-config key "kubelet": KubeletConfiguration is not valid YAML: /);
  });

  it('say which permission is missing', () => {
    const { result } = runCheck(hardening, fixture('cluster/kubelet-hardening-defaults', 'unable-configmaps-forbidden.yaml'));
    expect(result).toMatchObject({ status: 'unable', reason: 'missing permission: get configmaps' });
  });

  it('treat an absent kube-proxy ConfigMap as unable (kube-proxy replaced or managed)', () => {
    const { result } = runCheck(proxy, snapshotFromObjects([]).snapshot);
    expect(result.status).toBe('unable');
    expect(result.reason).toContain('ConfigMap kube-system/kube-proxy does not exist');
  });
});

describe('kubelet findings', () => {
  it('carry per-field evidence, mark defaults, and a YAML fragment to apply', () => {
    const { findings } = runCheck(hardening, fixture('cluster/kubelet-hardening-defaults', 'fail-kubeadm-defaults.yaml'));
    const f = findings[0];
    expect(f?.scope).toBe('workload');
    expect(f?.evidence).toContainEqual({ path: 'data.kubelet.podPidsLimit', value: '-1 (unset: v1beta1 default)' });
    expect(f?.evidence).toContainEqual({ path: 'data.kubelet.seccompDefault', value: 'false (unset: v1beta1 default)' });
    expect(f?.remediation.patch).toContain('podPidsLimit: 4096');
    expect(f?.remediation.command).toContain('kubectl -n kube-system edit configmap kubelet-config');
  });

  it('note that node flags may override the ConfigMap on a pass', () => {
    const { result } = runCheck(authn, fixture('cluster/kubelet-authn-authz', 'pass-kubeadm-config.yaml'));
    expect(result.reason).toContain('kubeadm-flags.env');
  });
});
