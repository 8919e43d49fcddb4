import { webcrypto } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import 'reflect-metadata';
import { X509CertificateGenerator } from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import { clientCertificateGroups, loadKubeconfig } from '../../src/cluster/kubeconfig.js';

const dir = mkdtempSync(join(tmpdir(), '4c-cert-'));

async function pem(subject: string): Promise<string> {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const cert = await X509CertificateGenerator.createSelfSigned({
    serialNumber: '01', name: subject, notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 3_600_000), keys, signingAlgorithm: algorithm,
  });
  return cert.toString('pem');
}

function kubeconfig(name: string, user: string): string {
  const path = join(dir, name);
  writeFileSync(path, [
    'apiVersion: v1', 'kind: Config', 'current-context: c',
    'clusters: [{name: c, cluster: {server: "https://10.0.0.1:6443"}}]',
    'contexts: [{name: c, context: {cluster: c, user: u}}]',
    `users: [{name: u, user: ${user}}]`,
  ].join('\n'));
  return path;
}

describe('clientCertificateGroups', () => {
  it('reads every O= of an embedded certificate', async () => {
    const data = Buffer.from(await pem('CN=kubernetes-admin, O=system:masters, O=ops')).toString('base64');
    const { kc } = await loadKubeconfig({ path: kubeconfig('embedded.yaml', `{client-certificate-data: ${data}, client-key-data: QUJD}`), env: {} });
    expect(await clientCertificateGroups(kc)).toEqual(['system:masters', 'ops']);
  });

  it('reads the first certificate of a certificate file', async () => {
    const file = join(dir, 'client.crt');
    writeFileSync(file, (await pem('CN=alice, O=kubeadm:cluster-admins')) + (await pem('CN=intermediate, O=other')));
    const { kc } = await loadKubeconfig({ path: kubeconfig('file.yaml', `{client-certificate: ${file}, client-key: ${file}}`), env: {} });
    expect(await clientCertificateGroups(kc)).toEqual(['kubeadm:cluster-admins']);
  });

  it('is empty for a certificate without organisations and undefined when there is none or it cannot be read', async () => {
    const data = Buffer.from(await pem('CN=bob')).toString('base64');
    const plain = await loadKubeconfig({ path: kubeconfig('plain.yaml', `{client-certificate-data: ${data}, client-key-data: QUJD}`), env: {} });
    expect(await clientCertificateGroups(plain.kc)).toEqual([]);
    const garbage = await loadKubeconfig({ path: kubeconfig('garbage.yaml', '{client-certificate-data: QUJD, client-key-data: QUJD}'), env: {} });
    expect(await clientCertificateGroups(garbage.kc)).toBeUndefined();
    const token = await loadKubeconfig({ path: kubeconfig('token.yaml', '{token: abc}'), env: {} });
    expect(await clientCertificateGroups(token.kc)).toBeUndefined();
  });
});
