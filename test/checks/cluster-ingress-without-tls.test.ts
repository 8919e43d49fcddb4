import { describe, expect, it } from 'vitest';
import { frontTlsAnnotation, tlsHostCovers } from '../../checks/cluster/ingress-without-tls.js';

describe('tlsHostCovers', () => {
  it.each([
    ['shop.example.com', 'shop.example.com', true],
    ['Shop.Example.com', 'shop.example.COM', true],
    ['*.example.com', 'api.example.com', true],
    ['*.example.com', 'example.com', false],
    ['*.example.com', 'a.b.example.com', false],
    ['*.example.com', '*.example.com', true],
    ['*.example.com', '*.a.example.com', false],
    ['*.example.com', 'apiexample.com', false],
    ['*.example.com', '.example.com', false],
    ['example.com', 'api.example.com', false],
    ['api.example.com', '*.example.com', false],
    ['shop.example.com.', 'shop.example.com', true],
  ] as const)('%s covers %s: %s', (tls, host, expected) => expect(tlsHostCovers(tls, host)).toBe(expected));
});

describe('frontTlsAnnotation (Appendix C.6)', () => {
  it.each([
    [{ 'alb.ingress.kubernetes.io/certificate-arn': 'arn:aws:acm:…' }, 'alb.ingress.kubernetes.io/certificate-arn'],
    [{ 'alb.ingress.kubernetes.io/listen-ports': '[{"HTTPS":443}]' }, 'alb.ingress.kubernetes.io/listen-ports'],
    [{ 'ingress.gcp.kubernetes.io/pre-shared-cert': 'cert-1' }, 'ingress.gcp.kubernetes.io/pre-shared-cert'],
    [{ 'appgw.ingress.kubernetes.io/appgw-ssl-certificate': 'kv-cert' }, 'appgw.ingress.kubernetes.io/appgw-ssl-certificate'],
    [{ 'traefik.ingress.kubernetes.io/router.tls': 'true' }, 'traefik.ingress.kubernetes.io/router.tls'],
  ])('%o', (annotations, key) => expect(frontTlsAnnotation(annotations)).toBe(key));

  it.each([
    [{ 'cert-manager.io/cluster-issuer': 'letsencrypt' }],
    [{ 'alb.ingress.kubernetes.io/certificate-arn': '' }],
    [{ 'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80}]' }],
    [{ 'traefik.ingress.kubernetes.io/router.tls': 'false' }],
  ])('%o does not count', (annotations) => expect(frontTlsAnnotation(annotations)).toBeUndefined());
});
