/**
 * A throw-away CA and server certificate for the embedded API server, made at start with
 * EC P-256 through Node's WebCrypto (RSA key generation would cost seconds; P-256 costs
 * milliseconds). The certificates satisfy Go's verifier too, so kubectl trusts the CA.
 */
import { KeyObject, randomBytes, webcrypto } from 'node:crypto';

export interface TlsMaterial {
  /** PEM. */
  readonly caCert: string;
  readonly cert: string;
  readonly key: string;
}

/** Positive 128-bit serial (Go rejects negative serials, i.e. a set high bit). */
const serialNumber = (): string => {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] as number) & 0x7f) | 0x01;
  return bytes.toString('hex');
};

export async function makeTlsMaterial(): Promise<TlsMaterial> {
  // Loaded on demand: the library costs a few hundred ms to import and plain-HTTP runs never
  // need it. Its dependency tsyringe needs the Reflect metadata API, so that loads first.
  await import('reflect-metadata');
  const x509 = await import('@peculiar/x509');
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const generate = (): Promise<webcrypto.CryptoKeyPair> => webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const [caKeys, serverKeys] = await Promise.all([generate(), generate()]);
  // An hour of slack for clock skew; a year is how long kubeadm's certificates live.
  const notBefore = new Date(Date.now() - 3_600_000);
  const notAfter = new Date(Date.now() + 365 * 86_400_000);

  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: 'CN=4c-tui-demo-ca',
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const server = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: 'CN=kube-apiserver',
    issuer: ca.subject,
    notBefore,
    notAfter,
    publicKey: serverKeys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
        { type: 'ip', value: '::1' },
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  return {
    caCert: ca.toString('pem'),
    cert: server.toString('pem'),
    key: KeyObject.from(serverKeys.privateKey).export({ type: 'pkcs8', format: 'pem' }) as string,
  };
}
