import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { check } from '../../checks/cluster/secrets-as-env-vars.js';
import { snapshotFromObjects } from '../../src/engine/objects.js';
import { runCheck } from '../../src/engine/run.js';

describe('cluster/secrets-as-env-vars', () => {
  const pod = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'api', namespace: 'shop' }, status: { phase: 'Running' },
    spec: {
      containers: [{
        name: 'api', image: 'shop/api:1',
        env: [
          { name: 'API_TOKEN', value: 'hunter2-literal-value' },
          { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
        ],
      }],
    },
  };

  it('names secrets and keys, never a value', () => {
    const { findings } = runCheck(check, snapshotFromObjects([pod]).snapshot);
    expect(findings).toHaveLength(1);
    const text = JSON.stringify(findings);
    expect(text).not.toContain('hunter2');
    expect(findings[0]?.message).toContain('Secret "db" key "password" as DB_PASSWORD');
    expect(findings[0]?.evidence).toEqual([{ path: 'spec.containers[name=api].env[name=DB_PASSWORD].valueFrom.secretKeyRef', value: 'db/password' }]);
  });

  it('suggests a secret volume as YAML placed at the pod spec path', () => {
    const { findings } = runCheck(check, snapshotFromObjects([pod]).snapshot);
    expect(parse(findings[0]?.remediation.patch ?? '')).toEqual({
      spec: {
        volumes: [{ name: 'secret-db', secret: { secretName: 'db' } }],
        containers: [{ name: 'api', volumeMounts: [{ name: 'secret-db', mountPath: '/etc/secrets/db', readOnly: true }] }],
      },
    });
  });
});
