import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  containerStatus, digestFromImageID, imagePath, imageRegistry, mutableReason, parseImageReference, pinnedDigest, registryEntryCovers,
  runningDigest, trustedBy,
} from '../../src/engine/images.js';
import type { Pod } from '../../src/engine/k8s.js';

const SHA = 'sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31';

describe('parseImageReference (digest first; tag only after the last "/")', () => {
  it.each([
    ['nginx', { repository: 'nginx' }],
    ['nginx:1.27', { repository: 'nginx', tag: '1.27' }],
    ['registry:5000/app', { repository: 'registry:5000/app' }],
    ['registry:5000/team/app:2.1', { repository: 'registry:5000/team/app', tag: '2.1' }],
    [`localhost:5000/app@${SHA}`, { repository: 'localhost:5000/app', digest: SHA }],
    [`nginx:latest@${SHA}`, { repository: 'nginx', tag: 'latest', digest: SHA }],
    ['[2001:db8::1]:5000/app:v1', { repository: '[2001:db8::1]:5000/app', tag: 'v1' }],
    ['app@', { repository: 'app' }],
  ])('%s', (image, expected) => expect(parseImageReference(image)).toEqual(expected));

  it('round-trips any well-formed reference', () => {
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
    const host = fc.tuple(fc.array(label, { minLength: 2, maxLength: 3 }), fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }))
      .map(([labels, port]) => `${labels.join('.')}${port !== undefined ? `:${port}` : ''}`);
    const path = fc.array(fc.stringMatching(/^[a-z0-9]+([._-][a-z0-9]+)*$/), { minLength: 1, maxLength: 3 }).map((p) => p.join('/'));
    const tag = fc.option(fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/), { nil: undefined });
    const digest = fc.option(fc.stringMatching(/^[0-9a-f]{64}$/).map((h) => `sha256:${h}`), { nil: undefined });
    fc.assert(fc.property(fc.option(host, { nil: undefined }), path, tag, digest, (h, p, t, d) => {
      const repository = h !== undefined ? `${h}/${p}` : p;
      const image = `${repository}${t !== undefined ? `:${t}` : ''}${d !== undefined ? `@${d}` : ''}`;
      expect(parseImageReference(image)).toEqual({ repository, ...(t !== undefined ? { tag: t } : {}), ...(d !== undefined ? { digest: d } : {}) });
      expect(pinnedDigest(image)).toBe(d);
    }));
  });
});

describe('mutableReason', () => {
  it.each([['nginx', 'no tag'], ['registry:5000/app', 'no tag'], ['nginx:latest', 'tag latest'], ['nginx:', 'no tag']] as const)(
    '%s → %s', (image, reason) => expect(mutableReason(image)).toBe(reason));
  it.each(['nginx:1.27', `nginx@${SHA}`, 'nginx:Latest'])('%s is not mutable', (image) => expect(mutableReason(image)).toBeUndefined());
});

describe('pinnedDigest: "@<algorithm>:<hex>" only', () => {
  it.each([
    [`nginx@${SHA}`, SHA],
    [`nginx:1.27@${SHA}`, SHA],
    [`registry.local:5000/team/app@${SHA}`, SHA],
    [`app@sha512:${'ab'.repeat(64)}`, `sha512:${'ab'.repeat(64)}`],
    ['nginx:1.27', undefined],
    ['app@latest', undefined],
    ['app@sha256:', undefined],
    ['app@sha256:xyz', undefined],
    ['app@sha256:abc', undefined],
  ])('%s → %s', (image, digest) => expect(pinnedDigest(image)).toBe(digest));
});

describe('digestFromImageID (suggestion only; trap 16)', () => {
  it.each([
    [`docker-pullable://nginx@${SHA}`, SHA],
    [`docker.io/library/nginx@${SHA}`, SHA],
    [`registry.local:5000/team/app@${SHA}`, SHA],
    [SHA, undefined], // an image config id, not a repository digest
    ['docker://sha256:abc', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%s → %s', (imageID, digest) => expect(digestFromImageID(imageID)).toBe(digest));

  it('finds init and ephemeral container statuses too', () => {
    const pod: Pod = {
      status: {
        containerStatuses: [{ name: 'app', imageID: `nginx@${SHA}` }],
        initContainerStatuses: [{ name: 'init', imageID: `busybox@${SHA.replace('0d', '1d')}` }],
        ephemeralContainerStatuses: [{ name: 'debug', imageID: `docker-pullable://busybox@${SHA.replace('0d', '2d')}` }],
      },
    };
    expect(runningDigest(pod, 'app')).toBe(SHA);
    expect(runningDigest(pod, 'init')).toBe(SHA.replace('0d', '1d'));
    expect(runningDigest(pod, 'debug')).toBe(SHA.replace('0d', '2d'));
    expect(containerStatus(pod, 'missing')).toBeUndefined();
    expect(runningDigest(undefined, 'app')).toBeUndefined();
  });
});

describe('imageRegistry: first component with "." or ":" or "localhost", else docker.io', () => {
  it.each([
    ['nginx', 'docker.io'],
    ['nginx:1.27', 'docker.io'],
    ['library/nginx', 'docker.io'],
    ['bitnami/redis:7', 'docker.io'],
    ['docker.io/library/nginx', 'docker.io'],
    ['ghcr.io/acme/api:1', 'ghcr.io'],
    ['GHCR.IO/acme/api:1', 'ghcr.io'],
    ['localhost/app', 'localhost'],
    ['localhost:5000/app', 'localhost:5000'],
    ['registry:5000/app', 'registry:5000'],
    ['registry/app', 'docker.io'],
    ['[2001:db8::1]:5000/app:v1', '[2001:db8::1]:5000'],
    [`k8s.gcr.io/pause@${SHA}`, 'k8s.gcr.io'],
  ])('%s → %s', (image, registry) => expect(imageRegistry(image)).toBe(registry));
});

describe('imagePath', () => {
  it.each([
    ['nginx', 'library/nginx'],
    ['docker.io/nginx:1', 'library/nginx'],
    ['bitnami/redis', 'bitnami/redis'],
    ['ghcr.io/acme/api:1', 'acme/api'],
    ['localhost/app', 'app'],
    ['registry:5000/team/app', 'team/app'],
  ])('%s → %s', (image, path) => expect(imagePath(image)).toBe(path));
});

describe('registryEntryCovers: host suffix on DNS labels, optional port and path prefix', () => {
  it.each([
    ['registry.example.com', 'registry.example.com/app:1', true],
    ['registry.example.com', 'mirror.registry.example.com/app:1', true],
    ['example.com', 'registry.example.com/app:1', true],
    ['registry.example.com', 'evilregistry.example.com/app:1', false],
    ['registry.example.com', 'registry.example.com.evil.io/app:1', false],
    ['*.example.com', 'registry.example.com/app:1', true],
    ['https://registry.example.com/', 'registry.example.com/app:1', true],
    ['Registry.Example.com', 'registry.example.com/app:1', true],
    ['registry.local', 'registry.local:5000/app', true],
    ['registry.local:5000', 'registry.local:5000/app', true],
    ['registry.local:5000', 'registry.local:5001/app', false],
    ['registry.local:5000', 'registry.local/app', false],
    ['ghcr.io/acme', 'ghcr.io/acme/api:1', true],
    ['ghcr.io/acme', 'ghcr.io/acme', true],
    ['ghcr.io/acme', 'ghcr.io/acme2/api:1', false],
    ['ghcr.io/acme', 'ghcr.io/other/acme:1', false],
    ['docker.io', 'nginx:1.27', true],
    ['docker.io', 'index.docker.io/library/nginx', true],
    ['index.docker.io', 'nginx', true],
    ['docker.io/library', 'nginx', true],
    ['docker.io/library', 'bitnami/redis', false],
    ['docker.io/bitnami', 'bitnami/redis', true],
    ['localhost', 'localhost/app', true],
    ['localhost', 'localhost:5000/app', true],
    ['gcr.io', 'k8s.gcr.io/pause:3.2', true],
    ['[2001:db8::1]:5000', '[2001:db8::1]:5000/app', true],
    ['', 'nginx', false],
    ['   ', 'nginx', false],
  ])('%s covers %s: %s', (entry, image, covered) => expect(registryEntryCovers(entry, image)).toBe(covered));

  it('trustedBy returns the first covering entry', () => {
    expect(trustedBy(['quay.io', 'ghcr.io/acme', 'ghcr.io'], 'ghcr.io/acme/api:1')).toBe('ghcr.io/acme');
    expect(trustedBy(['quay.io'], 'nginx')).toBeUndefined();
  });
});
