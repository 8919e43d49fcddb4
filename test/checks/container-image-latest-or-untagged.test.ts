import { describe, expect, it } from 'vitest';
import { mutableReason, parseImageReference } from '../../checks/container/image-latest-or-untagged.js';

describe('parseImageReference (digest first; tag only after the last "/")', () => {
  it.each([
    ['nginx', { repository: 'nginx' }],
    ['nginx:1.27', { repository: 'nginx', tag: '1.27' }],
    ['nginx:latest', { repository: 'nginx', tag: 'latest' }],
    ['registry:5000/app', { repository: 'registry:5000/app' }],
    ['registry:5000/team/app:2.1', { repository: 'registry:5000/team/app', tag: '2.1' }],
    ['localhost:5000/app@sha256:abc', { repository: 'localhost:5000/app', digest: 'sha256:abc' }],
    ['nginx:latest@sha256:abc', { repository: 'nginx', tag: 'latest', digest: 'sha256:abc' }],
    ['[2001:db8::1]:5000/app', { repository: '[2001:db8::1]:5000/app' }],
    ['[2001:db8::1]:5000/app:v1', { repository: '[2001:db8::1]:5000/app', tag: 'v1' }],
    ['ghcr.io/acme/latest', { repository: 'ghcr.io/acme/latest' }],
  ])('%s', (image, expected) => expect(parseImageReference(image)).toEqual(expected));
});

describe('mutableReason', () => {
  it.each([
    ['nginx', 'no tag'],
    ['registry:5000/app', 'no tag'],
    ['registry.local:5000/team/app', 'no tag'],
    ['nginx:latest', 'tag latest'],
    ['docker.io/library/nginx:latest', 'tag latest'],
    ['nginx:', 'no tag'],
  ] as const)('%s → %s', (image, reason) => expect(mutableReason(image)).toBe(reason));

  it.each([
    'nginx:1.27', 'registry:5000/app:1.0', 'nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31',
    'nginx:latest@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31', 'ghcr.io/acme/latest:2024.10', 'nginx:Latest',
  ])('%s is pinned', (image) => expect(mutableReason(image)).toBeUndefined());
});
