import { describe, expect, it } from 'vitest';
import {
  credentialAssignments, describeFingerprint, fingerprint, isCredentialName, isPlaceholderValue, matchSecretFormats, normalizeName, SECRET_FORMATS,
} from '../../src/engine/secret-patterns.js';

const ids = (text: string) => matchSecretFormats(text).map((m) => m.format.id);

describe('matchSecretFormats', () => {
  it.each([
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIEow…', 'private-key'],
    ['-----BEGIN OPENSSH PRIVATE KEY-----', 'private-key'],
    ['-----BEGIN ENCRYPTED PRIVATE KEY-----', 'private-key'],
    ['-----BEGIN PGP PRIVATE KEY BLOCK-----', 'private-key'],
    ['---BEGIN OPENSSH PRIVATE KEY---', 'private-key'],
    ['AKIAIOSFODNN7EXAMPLE', 'aws-access-key-id'],
    ['key=ASIAY34FZKBOKMUTVV7A;', 'aws-access-key-id'],
    [`ghp_${'a'.repeat(36)}`, 'github-token'],
    [`github_pat_${'A1_'.repeat(10)}`, 'github-fine-grained-token'],
    ['glpat-abcdefghij0123456789', 'gitlab-token'],
    ['xoxb-1234567890-abcdefghij', 'slack-token'],
    [`AIza${'B'.repeat(35)}`, 'google-api-key'],
    [`sk_live_${'x1'.repeat(12)}`, 'stripe-live-key'],
    ['    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo=', 'kubeconfig-client-key'],
    ['    token: eyJhbGciOiJSUzI1NiIsImtpZCI6IjEyMyJ9abcdef', 'kubeconfig-token'],
    ['{"auths":{"ghcr.io":{"auth":"dXNlcjpwYXNzd29yZA=="}}}', 'docker-config-auth'],
    ['//registry.npmjs.org/:_authToken=npm_abcdefghijklmnop', 'npm-token'],
    ['postgres://app:hunter22@db:5432/app', 'url-password'],
  ])('finds %j as %s', (text, id) => {
    expect(ids(text)).toContain(id);
  });

  it('rates JWTs high and everything else critical', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    expect(matchSecretFormats(jwt).map((m) => m.format.severity)).toEqual(['high']);
    expect(SECRET_FORMATS.filter((f) => f.id !== 'jwt').every((f) => f.severity === 'critical')).toBe(true);
  });

  it.each([
    'postgres://app:${DB_PASSWORD}@db:5432/app',
    'https://user:<password>@example.com',
    '_authToken=${NPM_TOKEN}',
    'token: ${KUBE_TOKEN_VALUE_FROM_ENV}',
    'AKIA1234',
    '-----BEGIN CERTIFICATE-----',
    'https://example.com/path',
    'ghp_short',
  ])('ignores %j', (text) => {
    expect(ids(text)).toEqual([]);
  });

  it('reports the line of a match, most severe first, without the matched text', () => {
    const matches = matchSecretFormats('a: 1\njwt: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_X\nkey: AKIAIOSFODNN7EXAMPLE');
    expect(matches.map((m) => [m.format.id, m.line])).toEqual([['aws-access-key-id', 3], ['jwt', 2]]);
    expect(JSON.stringify(matches.map(({ index, line }) => ({ index, line })))).not.toContain('AKIA');
  });
});

describe('credential names', () => {
  it.each(['DB_PASSWORD', 'db_passwd', 'PGPASSWORD', 'MYSQL_PWD', 'CLIENT_SECRET', 'GITHUB_TOKEN', 'api-key', 'STRIPE_APIKEY', 'AWS_SECRET_ACCESS_KEY',
    'SSH_PRIVATE_KEY', 'GOOGLE_CREDENTIALS', 'BASIC_AUTH', 'HTTP_AUTHORIZATION', 'dbPassword', 'my_password', 'password',
    'AZURE_BATCH_KEY', 'OCI_CLI_KEY_CONTENT', 'JWT_SIGNING_KEY', 'DATA_ENCRYPTION_KEY'])('%s is credential-like', (name) => {
    expect(isCredentialName(name)).toBe(true);
  });

  it.each(['DB_PASSWORD_FILE', 'dbPasswordFile', 'TOKEN_PATH', 'SECRETS_DIR', 'OAUTH_TOKEN_URL', 'AUTH_ENDPOINT', 'AUTH_ENABLED', 'SECRET_NAME',
    'DB_USER', 'DB_USERNAME', 'AWS_ACCESS_KEY_ID', 'AUTH_MODE', 'TOKEN_TTL', 'AUTHOR', 'AUTHORITY', 'LOG_LEVEL', 'CACHE_KEY', 'PARTITION_KEY'])('%s is not', (name) => {
    expect(isCredentialName(name)).toBe(false);
  });

  it('normalizes camelCase, dots and dashes to underscores', () => {
    expect(normalizeName('client.secret-path')).toBe('client_secret_path');
    expect(normalizeName('tokenFile')).toBe('token_File');
  });
});

describe('placeholders', () => {
  it.each(['', '""', 'changeme', 'CHANGEME', '<password>', '${DB_PASSWORD}', '$(SECRET)', '$SECRET', '{{ .Values.password }}', 'true', 'False', '42', '3.5',
    '***', '/run/secrets/db', 'https://vault.example.com/v1/secret/db'])('%j is a placeholder', (v) => {
    expect(isPlaceholderValue(v)).toBe(true);
  });

  it.each(['abc123', 'hunter2', 'xxxxx', 'demo-password-placeholder', 'postgres://u:p4ss@db/x', 'S3cr3t!'])('%j is a value', (v) => {
    expect(isPlaceholderValue(v)).toBe(false);
  });
});

describe('credentialAssignments', () => {
  it('finds NAME=value and name: value lines with real values only', () => {
    const text = ['LOG_LEVEL=info', 'REDIS_PASSWORD=abcd1234', 'REDIS_PASSWORD_FILE=/etc/redis/pass', 'export API_TOKEN="t0k3n-value" # prod',
      'db:', '  password: hunter22', '  token: ${TOKEN}', 'client_secret: |', '"secret": "s3cr3t",'].join('\n');
    expect(credentialAssignments(text).map((a) => [a.name, a.line])).toEqual([
      ['REDIS_PASSWORD', 2], ['API_TOKEN', 4], ['password', 6], ['secret', 9],
    ]);
  });

  it('ignores empty and referenced values (trivy KSV-0109 good examples)', () => {
    expect(credentialAssignments('REDIS_PASSWORD=')).toEqual([]);
    expect(credentialAssignments('REDIS_PASSWORD=${REDIS_PASSWORD}')).toEqual([]);
  });
});

describe('fingerprint', () => {
  it('is the first 8 hex digits of SHA-256 and the length, never the value', () => {
    expect(fingerprint('abc')).toEqual({ sha256: 'ba7816bf', length: 3 });
    expect(describeFingerprint('hunter2')).toMatch(/^sha256:[0-9a-f]{8}, 7 chars$/);
    expect(describeFingerprint('hunter2')).not.toContain('hunter');
  });
});
