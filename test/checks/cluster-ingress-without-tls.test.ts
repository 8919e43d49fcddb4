import { describe, expect, it } from 'vitest';
import { frontPlainHttp, frontTlsAnnotation, tlsHostCovers } from '../../checks/cluster/ingress-without-tls.js';

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

describe('frontPlainHttp (§7 trap 12: TLS in front, HTTP not redirected)', () => {
  const arn = { 'alb.ingress.kubernetes.io/certificate-arn': 'arn:aws:acm:eu-west-1:1:certificate/x' };
  it.each<[string, string, Record<string, string>, string | undefined]>([
    ['ALB certificate, default listener (HTTPS only)', 'alb.ingress.kubernetes.io/certificate-arn', arn, undefined],
    ['ALB with HTTP and HTTPS listeners, no redirect', 'alb.ingress.kubernetes.io/certificate-arn', { ...arn, 'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}, {"HTTPS": 443}]' }, 'alb.ingress.kubernetes.io/listen-ports'],
    ['ALB with HTTP and a redirect', 'alb.ingress.kubernetes.io/certificate-arn', { ...arn, 'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}, {"HTTPS": 443}]', 'alb.ingress.kubernetes.io/ssl-redirect': '443' }, undefined],
    ['GKE managed certificate, HTTP allowed by default', 'networking.gke.io/managed-certificates', { 'networking.gke.io/managed-certificates': 'c' }, 'kubernetes.io/ingress.allow-http'],
    ['GKE with allow-http false', 'networking.gke.io/managed-certificates', { 'networking.gke.io/managed-certificates': 'c', 'kubernetes.io/ingress.allow-http': 'false' }, undefined],
    ['GKE with a FrontendConfig', 'ingress.gcp.kubernetes.io/pre-shared-cert', { 'ingress.gcp.kubernetes.io/pre-shared-cert': 'c', 'networking.gke.io/v1beta1.FrontendConfig': 'redirect' }, undefined],
    ['Application Gateway without redirect', 'appgw.ingress.kubernetes.io/appgw-ssl-certificate', { 'appgw.ingress.kubernetes.io/appgw-ssl-certificate': 'kv' }, 'appgw.ingress.kubernetes.io/ssl-redirect'],
    ['Application Gateway with redirect', 'appgw.ingress.kubernetes.io/appgw-ssl-certificate', { 'appgw.ingress.kubernetes.io/appgw-ssl-certificate': 'kv', 'appgw.ingress.kubernetes.io/ssl-redirect': 'true' }, undefined],
    ['Traefik router.tls', 'traefik.ingress.kubernetes.io/router.tls', { 'traefik.ingress.kubernetes.io/router.tls': 'true' }, undefined],
  ])('%s', (_name, front, annotations, key) => expect(frontPlainHttp(front, annotations)?.key).toBe(key));
});
