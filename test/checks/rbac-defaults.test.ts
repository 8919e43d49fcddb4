/**
 * A fresh kubeadm cluster's default roles and bindings (test/fixtures/shared/kubeadm-default-rbac.yaml)
 * are not findings for any RBAC check (CHECKS.md §1.8, §7 trap 10).
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../checks/index.js';
import type { K8sObject } from '../../src/engine/k8s.js';
import { snapshotFromObjects } from '../../src/engine/objects.js';
import { runCheck } from '../../src/engine/run.js';
import { FIXTURES_DIR } from '../helpers/fixtures.js';
import { deepFreeze } from '../helpers/freeze.js';

const objects = parseAllDocuments(readFileSync(`${FIXTURES_DIR}shared/kubeadm-default-rbac.yaml`, 'utf8'))
  .map((d) => d.toJS() as K8sObject | null)
  .filter((o): o is K8sObject => o !== null);

const RBAC_CHECKS = CHECKS.filter((c) => /^cluster\/(rbac-.*|.*-binding)$/.test(c.id));

describe('kubeadm default RBAC', () => {
  it('holds the bootstrap policy and kubeadm objects', () => {
    expect(objects.filter((o) => o.kind === 'ClusterRoleBinding').map((o) => o.metadata?.name)).toEqual(expect.arrayContaining([
      'cluster-admin', 'kubeadm:cluster-admins', 'system:node-proxier', 'system:controller:certificate-controller', 'system:controller:persistent-volume-binder',
    ]));
    expect(RBAC_CHECKS.length).toBeGreaterThanOrEqual(12);
  });

  it.each(RBAC_CHECKS.map((c) => [c.id, c] as const))('%s reports nothing', (_id, check) => {
    const { snapshot } = snapshotFromObjects(objects, { version: { major: '1', minor: '33', gitVersion: 'v1.33.4' } });
    deepFreeze(snapshot);
    const { result, findings } = runCheck(check, snapshot);
    expect(findings.map((f) => f.message)).toEqual([]);
    expect(result.status).toBe('pass');
  });
});
