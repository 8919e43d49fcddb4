import { describe, expect, it } from 'vitest';
import { bindScope, kubeProxyConfig, kubeletConfig, parseGoDuration, parseKubeProxyConfiguration, parseKubeletConfiguration } from '../../src/engine/kubelet.js';
import { snapshotFromObjects } from '../../src/engine/objects.js';

const cm = (name: string, key: string, text: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'kube-system' }, data: { [key]: text } });

describe('parseKubeletConfiguration', () => {
  it('applies the v1beta1 defaults to an empty configuration', () => {
    const r = parseKubeletConfiguration('apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const c = r.config;
    expect(c.authentication.anonymous.enabled).toBe(false);
    expect(c.authentication.webhook.enabled).toBe(true);
    expect(c.authentication.x509.clientCAFile).toBe('');
    expect(c.authorization.mode).toBe('Webhook');
    expect(c.readOnlyPort).toBe(0);
    expect(c.streamingConnectionIdleTimeoutMs).toBe(4 * 3_600_000);
    expect(c.makeIPTablesUtilChains).toBe(true);
    expect(c.podPidsLimit).toBe(-1);
    expect(c.seccompDefault).toBe(false);
    expect(c.protectKernelDefaults).toBe(false);
    expect(c.serverTLSBootstrap).toBe(false);
    expect(c.rotateCertificates).toBe(false);
    expect(c.defaulted.has('authorization.mode')).toBe(true);
    expect(c.defaulted.has('seccompDefault')).toBe(true);
  });

  it('keeps written values and marks them as not defaulted', () => {
    const r = parseKubeletConfiguration([
      'kind: KubeletConfiguration',
      'authentication: {anonymous: {enabled: true}}',
      'authorization: {mode: AlwaysAllow}',
      'readOnlyPort: 10255',
      'seccompDefault: true',
      'podPidsLimit: 4096',
      'streamingConnectionIdleTimeout: 1h30m',
      'featureGates: {RotateKubeletServerCertificate: false}',
      'tlsCipherSuites: [TLS_RSA_WITH_AES_128_CBC_SHA]',
    ].join('\n'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.authentication.anonymous.enabled).toBe(true);
    expect(r.config.authorization.mode).toBe('AlwaysAllow');
    expect(r.config.readOnlyPort).toBe(10255);
    expect(r.config.seccompDefault).toBe(true);
    expect(r.config.podPidsLimit).toBe(4096);
    expect(r.config.streamingConnectionIdleTimeoutMs).toBe(90 * 60_000);
    expect(r.config.featureGates).toEqual({ RotateKubeletServerCertificate: false });
    expect(r.config.tlsCipherSuites).toEqual(['TLS_RSA_WITH_AES_128_CBC_SHA']);
    expect(r.config.defaulted.has('authorization.mode')).toBe(false);
  });

  it('defaults a zero idle timeout to 4h, as the kubelet does (kubeadm renders unset durations as 0s)', () => {
    const r = parseKubeletConfiguration('kind: KubeletConfiguration\nstreamingConnectionIdleTimeout: 0s\n');
    expect(r.ok && r.config.streamingConnectionIdleTimeoutMs).toBe(4 * 3_600_000);
    expect(r.ok && r.config.streamingConnectionIdleTimeout).toBe('0s (defaulted to 4h0m0s)');
  });

  it.each([
    ['unclosed flow mapping', 'kind: KubeletConfiguration\nauthentication:\n  anonymous: {enabled: true\n', /not valid YAML/],
    ['tab indentation', 'kind: KubeletConfiguration\nauthentication:\n\tanonymous: true\n', /not valid YAML/],
    ['a list', '- a\n- b\n', /not a YAML mapping/],
    ['a scalar', 'just text', /not a YAML mapping/],
    ['empty text', '', /is empty/],
    ['another kind', 'kind: KubeProxyConfiguration\n', /expected kind KubeletConfiguration/],
    ['another apiVersion', 'apiVersion: v1\nkind: KubeletConfiguration\n', /expected apiVersion/],
    ['a string boolean', 'kind: KubeletConfiguration\nseccompDefault: "true"\n', /seccompDefault must be a boolean/],
    ['a port as text', 'kind: KubeletConfiguration\nreadOnlyPort: ten\n', /readOnlyPort must be an integer/],
    ['an out-of-range port', 'kind: KubeletConfiguration\nreadOnlyPort: 70000\n', /is not a port/],
    ['a bad duration', 'kind: KubeletConfiguration\nstreamingConnectionIdleTimeout: 4 hours\n', /must be a duration/],
    ['a scalar where a mapping belongs', 'kind: KubeletConfiguration\nauthentication: yes\n', /authentication must be a mapping, got "yes"/],
    ['duplicate keys', 'kind: KubeletConfiguration\nreadOnlyPort: 0\nreadOnlyPort: 10255\n', /not valid YAML/],
  ])('returns a clear error for %s, never throws', (_name, text, pattern) => {
    const r = parseKubeletConfiguration(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(pattern);
  });
});

describe('parseGoDuration', () => {
  it.each([['4h0m0s', 14_400_000], ['5m', 300_000], ['1h30m', 5_400_000], ['300ms', 300], ['1.5h', 5_400_000], ['0', 0], ['-1s', -1000]])('%s', (text, ms) =>
    expect(parseGoDuration(text)).toBe(ms));
  it.each(['4 hours', 'h', '1d', ''])('rejects %j', (text) => expect(parseGoDuration(text)).toBeUndefined());
});

describe('kubeletConfig(snapshot)', () => {
  it('reads kube-system/kubelet-config key kubelet', () => {
    const { snapshot } = snapshotFromObjects([cm('kubelet-config', 'kubelet', 'kind: KubeletConfiguration\nseccompDefault: true\n')]);
    const found = kubeletConfig(snapshot);
    expect(found.status).toBe('found');
    expect(found.status === 'found' && found.config.seccompDefault).toBe(true);
  });

  it('distinguishes absent, missing key, invalid and not collected', () => {
    expect(kubeletConfig(snapshotFromObjects([]).snapshot).status).toBe('absent');
    const noKey = kubeletConfig(snapshotFromObjects([cm('kubelet-config', 'config.yaml', 'kind: KubeletConfiguration')]).snapshot);
    expect(noKey).toEqual({ status: 'absent', reason: 'ConfigMap kube-system/kubelet-config has no key "kubelet"' });
    const invalid = kubeletConfig(snapshotFromObjects([cm('kubelet-config', 'kubelet', 'a: [')]).snapshot);
    expect(invalid.status).toBe('invalid');
    const forbidden = snapshotFromObjects([], { errors: { 'system-configmaps': { code: 'forbidden', status: 403, message: 'missing permission: get configmaps' } } }).snapshot;
    expect(kubeletConfig(forbidden)).toEqual({ status: 'not-collected', reason: 'ConfigMap kube-system/kubelet-config could not be read (missing permission: get configmaps)' });
  });
});

describe('kube-proxy', () => {
  it('defaults an empty metricsBindAddress to 127.0.0.1:10249', () => {
    const r = parseKubeProxyConfiguration('kind: KubeProxyConfiguration\nmetricsBindAddress: ""\n');
    expect(r).toEqual({ ok: true, config: { metricsBindAddress: '127.0.0.1:10249', metricsDefaulted: true } });
  });

  it('reads kube-system/kube-proxy key config.conf', () => {
    const found = kubeProxyConfig(snapshotFromObjects([cm('kube-proxy', 'config.conf', 'kind: KubeProxyConfiguration\nmetricsBindAddress: 0.0.0.0:10249\n')]).snapshot);
    expect(found.status === 'found' && found.config.metricsBindAddress).toBe('0.0.0.0:10249');
  });

  it.each([
    ['127.0.0.1:10249', 'loopback'], ['localhost:10249', 'loopback'], ['[::1]:10249', 'loopback'], ['127.0.0.1', 'loopback'], ['127.0.0.0/8', 'loopback'],
    ['0.0.0.0:10249', 'all-interfaces'], ['[::]:10249', 'all-interfaces'], ['::', 'all-interfaces'], [':10249', 'all-interfaces'], ['0.0.0.0/0', 'all-interfaces'],
    ['10.0.1.21:10249', 'non-loopback'], ['[fd00::5]:10249', 'non-loopback'], ['10.0.0.0/8', 'non-loopback'],
    ['node-1:10249', 'invalid'],
  ])('classifies %s as %s', (address, scope) => expect(bindScope(address).scope).toBe(scope));
});
