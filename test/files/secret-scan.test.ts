// 4c-tui:ignore-file code/hardcoded-secret (test data)
import { describe, expect, it } from 'vitest';
import { entropy, isPlaceholder, maskSecret, scanSecrets } from '../../src/files/secret-scan.js';

describe('scanSecrets', () => {
  it.each([
    ['AWS access key ID', "key = 'AKIA2OGYBAH6STMJRQXY'"],
    ['private key block', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ'],
    ['private key block', '-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\n\nlQOYBF0AbCdEfGhIjKlMnOpQrSt'],
    ['private key block', '{"key": "-----BEGIN RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEAu1SU1LfVLPHC\\n-----END RSA PRIVATE KEY-----"}'],
    ['GitHub token', 'GH_TOKEN=ghp_R8x2kLm4Qp7Zt9Wv3Ys6Hb1Nc5Jd0Fg2Ae4Uo'],
    ['GitHub fine-grained token', 'token: github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuv'],
    ['GitLab personal access token', 'CI_TOKEN=glpat-x9Yz8Wv7Ut6Sr5Qp4On3'],
    ['Slack token', "slack('xoxb-2741234567-1234567890123-AbCdEfGhIjKlMnOp')"],
    ['Google API key', 'key=AIzaSyD3kL9mN8pQ7rS6tU5vW4xY3zA2bC1dE0f'],
    ['Stripe live key', 'STRIPE=sk_live_51H8xYzAbCdEfGhIjKlMnOpQr'],
    ['kubeconfig token', '    token: eyJhbGciOiJSUzI1NiIsImtpZCI6IjEyMyJ9abcdefgh'],
    ['Docker registry auth', '{"auths": {"ghcr.io": {"auth": "dXNlcjpwYXNzd29yZDEyMw=="}}}'],
    ['npm auth token', '//registry.npmjs.org/:_authToken=npm_Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78'],
    ['URL with an inline password', 'DATABASE_URL=postgres://app:S3cr3tPassw0rd@db:5432/app'],
    ['JSON Web Token', "const t = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'"],
    ['hard-coded password', 'password: "Zq7!pL2#xW9@"'],
  ])('finds a %s', (type, line) => {
    expect(scanSecrets(line).map((m) => m.type)).toContain(type);
  });

  it.each([
    "password = os.environ['DB_PASSWORD']",
    'password: "${DB_PASSWORD}"',
    'token: "{{ .Values.token }}"',
    "apiKey: '<your-api-key>'",
    "secret = 'changeme123'",
    "key = 'AKIAIOSFODNN7EXAMPLE'",
    'password: "aaaaaaaaaaaa"',
    "'cert-manager.io/inject-ca-from-secret': 'cert-manager/cert-manager-webhook-ca'",
    "startApiServer({ tls: true, token: randomBytes(24).toString('base64url') })",
    'Look for a `-----BEGIN RSA PRIVATE KEY-----` header in the file.',
    'token = getToken()',
    'password: "password"',
  ])('ignores %s', (line) => expect(scanSecrets(line)).toEqual([]));

  it('reports line and column', () => {
    expect(scanSecrets('a\nb  AKIA2OGYBAH6STMJRQXY\n')).toMatchObject([{ line: 2, column: 4 }]);
  });
});

describe('maskSecret', () => {
  it('shows at most 4 characters and at most a quarter of the value, the length and a hash', () => {
    const value = 'ghp_R8x2kLm4Qp7Zt9Wv3Ys6Hb1Nc5Jd0Fg2Ae4Uo';
    const masked = maskSecret(value);
    expect(masked).toMatch(/^ghp_… \(41 chars, sha256:[0-9a-f]{8}\)$/);
    expect(maskSecret('Zq7!pL2#')).toMatch(/^Zq… \(8 chars/);
    expect(masked).not.toContain(value.slice(4, 8));
  });
  it('entropy and placeholders', () => {
    expect(entropy('aaaa')).toBe(0);
    expect(entropy('abcd')).toBe(2);
    expect(isPlaceholder('xxxx-xxxx')).toBe(true);
    expect(isPlaceholder('k8Qz1pW3')).toBe(false);
  });
});
