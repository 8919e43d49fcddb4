import { evidence, findings, notApplicable } from '../../src/engine/helpers.js';
import type { Ingress } from '../../src/engine/k8s.js';
import { isPublicAddress } from '../../src/engine/net.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import type { Check, Evidence, FindingDraft } from '../../src/engine/types.js';

/**
 * True when a `spec.tls[].hosts` entry covers a rule host. Comparison is case-insensitive; a
 * `*.example.com` entry covers exactly one extra label (`a.example.com`, not `example.com` or
 * `a.b.example.com`); a wildcard rule host is covered only by the same wildcard.
 */
export function tlsHostCovers(tlsHost: string, ruleHost: string): boolean {
  const tls = tlsHost.toLowerCase().replace(/\.$/, '');
  const host = ruleHost.toLowerCase().replace(/\.$/, '');
  if (tls === host) return true;
  if (!tls.startsWith('*.') || host.startsWith('*.')) return false;
  const suffix = tls.slice(1); // ".example.com"
  if (!host.endsWith(suffix)) return false;
  const label = host.slice(0, -suffix.length);
  return label.length > 0 && !label.includes('.');
}

/** Appendix C.6: TLS terminated in front of the controller. The annotation that says so, if any. */
export function frontTlsAnnotation(annotations: Readonly<Record<string, string>>): string | undefined {
  const nonEmpty = (k: string) => (annotations[k] ?? '').trim() !== '';
  for (const key of [
    'alb.ingress.kubernetes.io/certificate-arn',
    'networking.gke.io/managed-certificates',
    'ingress.gcp.kubernetes.io/pre-shared-cert',
    'appgw.ingress.kubernetes.io/appgw-ssl-certificate',
  ]) if (nonEmpty(key)) return key;
  if (/HTTPS/i.test(annotations['alb.ingress.kubernetes.io/listen-ports'] ?? '')) return 'alb.ingress.kubernetes.io/listen-ports';
  if ((annotations['traefik.ingress.kubernetes.io/router.tls'] ?? '').toLowerCase() === 'true') return 'traefik.ingress.kubernetes.io/router.tls';
  return undefined;
}

/**
 * TLS terminated in front of the controller, but plain HTTP still served without a redirect
 * (CHECKS.md §7 trap 12): the annotation and why, or undefined.
 */
export function frontPlainHttp(front: string, annotations: Readonly<Record<string, string>>): { key: string; value: string; why: string } | undefined {
  if (front.startsWith('alb.')) {
    const ports = annotations['alb.ingress.kubernetes.io/listen-ports'] ?? '';
    // Without listen-ports and with a certificate the ALB listens on HTTPS 443 only.
    if (/"HTTP"\s*:/i.test(ports) && (annotations['alb.ingress.kubernetes.io/ssl-redirect'] ?? '').trim() === '') {
      return { key: 'alb.ingress.kubernetes.io/listen-ports', value: ports, why: 'the ALB also listens on HTTP and alb.ingress.kubernetes.io/ssl-redirect is not set' };
    }
    return undefined;
  }
  if (front.startsWith('networking.gke.io/') || front.startsWith('ingress.gcp.')) {
    const allowHttp = (annotations['kubernetes.io/ingress.allow-http'] ?? '').trim().toLowerCase();
    if (allowHttp !== 'false' && (annotations['networking.gke.io/v1beta1.FrontendConfig'] ?? '').trim() === '') {
      return { key: 'kubernetes.io/ingress.allow-http', value: annotations['kubernetes.io/ingress.allow-http'] ?? '(unset, default true)', why: 'the GKE load balancer also serves HTTP and no FrontendConfig (redirectToHttps) is attached' };
    }
    return undefined;
  }
  if (front.startsWith('appgw.')) {
    if ((annotations['appgw.ingress.kubernetes.io/ssl-redirect'] ?? '').trim().toLowerCase() !== 'true') {
      return { key: 'appgw.ingress.kubernetes.io/ssl-redirect', value: annotations['appgw.ingress.kubernetes.io/ssl-redirect'] ?? '(unset)', why: 'Application Gateway also serves HTTP and appgw.ingress.kubernetes.io/ssl-redirect is not "true"' };
    }
  }
  return undefined;
}

/** A public address in status: a public IP, or a load-balancer host name that is not AWS's `internal-…`. */
function publicStatusAddress(ing: Ingress): string | undefined {
  for (const lb of ing.status?.loadBalancer?.ingress ?? []) {
    if (lb.ip && isPublicAddress(lb.ip)) return lb.ip;
    if (!lb.ip && lb.hostname && !lb.hostname.startsWith('internal-')) return lb.hostname;
  }
  return undefined;
}

export const check: Check = {
  id: 'cluster/ingress-without-tls',
  layer: 'cluster',
  title: 'Ingress serves hosts without TLS',
  severity: 'medium',
  description:
    'Inspects spec.tls[].hosts against spec.rules[].host of every Ingress (a "*.example.com" TLS host covers exactly one extra label; ' +
    'a TLS entry without hosts covers every host). Fails when spec.tls is absent or a rule host is not covered, unless an annotation says TLS is ' +
    'terminated in front of the controller (ALB certificate, GKE managed or pre-shared certificate, Application Gateway certificate, Traefik router.tls). ' +
    'High when status.loadBalancer.ingress has a public address. Warns (low) when TLS exists but plain HTTP is kept explicitly ' +
    '(ingress-nginx ssl-redirect: "false" without force-ssl-redirect, Traefik entrypoints "web" only) or when TLS is terminated in front but HTTP is ' +
    'not redirected (ALB listen-ports with HTTP and no ssl-redirect, GKE without allow-http "false" or a FrontendConfig, Application Gateway without ' +
    'ssl-redirect). Not applicable when there is no Ingress.',
  remediation: 'Add a spec.tls entry with a certificate Secret for every host the Ingress serves and redirect plain HTTP to HTTPS.',
  references: [
    ref.fourC('TLS for Kubernetes Ingress'), ref.kubescape('C-0263'), ref.polaris('tlsSettingsMissing'), ref.nsa('Network separation (Encryption)'),
  ],
  needs: ['ingresses'],
  evaluate: (snapshot) => {
    const ingresses = snapshot.list<Ingress>('ingresses');
    if (ingresses.length === 0) return notApplicable('no Ingress objects');
    const out: FindingDraft[] = [];
    const fronted: string[] = [];
    for (const ing of ingresses) {
      const ns = ing.metadata?.namespace ?? '';
      const name = ing.metadata?.name ?? '';
      const annotations = ing.metadata?.annotations ?? {};
      const rules = ing.spec?.rules ?? [];
      const tls = ing.spec?.tls ?? [];
      const id = `Ingress "${ns}/${name}"`;
      // A rule without host, or a default backend alone, serves any host name.
      const hosts = [...new Set(rules.map((r) => r.host ?? '*'))];
      if (hosts.length === 0 && ing.spec?.defaultBackend !== undefined) hosts.push('*');
      if (hosts.length === 0) continue;

      const catchAll = tls.some((t) => (t.hosts ?? []).length === 0);
      const uncovered = catchAll ? [] : hosts.filter((h) => !tls.some((t) => (t.hosts ?? []).some((th) => tlsHostCovers(th, h))));
      const front = frontTlsAnnotation(annotations);
      const publicAddress = publicStatusAddress(ing);
      const ev: Evidence[] = [];

      if (uncovered.length > 0) {
        if (front) {
          const plain = frontPlainHttp(front, annotations);
          if (!plain) {
            fronted.push(`${id} (${front})`);
            continue;
          }
          out.push({
            subject: { kind: 'Ingress', namespace: ns, name },
            severity: 'low',
            status: 'warn',
            discriminator: 'plain-http',
            message: `${id} has TLS terminated in front of the controller (metadata.annotations["${front}"]) but keeps plain HTTP: ${plain.why}`,
            evidence: [evidence(`metadata.annotations["${front}"]`, annotations[front] ?? ''), evidence(`metadata.annotations["${plain.key}"]`, plain.value)],
            remediation: {
              why: 'Clients that start on http:// (links, typed URLs) keep talking in clear unless HTTP redirects to HTTPS.',
              fix: front.startsWith('alb.')
                ? 'Add alb.ingress.kubernetes.io/ssl-redirect: "443" so the ALB redirects HTTP to HTTPS.'
                : front.startsWith('appgw.')
                  ? 'Set appgw.ingress.kubernetes.io/ssl-redirect: "true".'
                  : 'Attach a FrontendConfig with redirectToHttps enabled (annotation networking.gke.io/v1beta1.FrontendConfig), or set kubernetes.io/ingress.allow-http: "false".',
              command: front.startsWith('alb.')
                ? command`kubectl -n ${ns} annotate ingress ${name} --overwrite alb.ingress.kubernetes.io/ssl-redirect=443`
                : front.startsWith('appgw.')
                  ? command`kubectl -n ${ns} annotate ingress ${name} --overwrite appgw.ingress.kubernetes.io/ssl-redirect=true`
                  : command`kubectl -n ${ns} annotate ingress ${name} --overwrite kubernetes.io/ingress.allow-http=false`,
            },
          });
          continue;
        }
        ev.push(evidence('spec.tls', tls.length === 0 ? '(absent)' : tls.map((t) => t.hosts ?? []).flat()));
        rules.forEach((r, i) => {
          if (uncovered.includes(r.host ?? '*')) ev.push(evidence(`spec.rules[${i}].host`, r.host ?? '(any host)'));
        });
        if (publicAddress) ev.push(evidence('status.loadBalancer.ingress', publicAddress));
        const secret = `${name}-tls`;
        const named = uncovered.filter((h) => h !== '*');
        // A merge patch replaces the whole list: keep the existing entries.
        const newTls = [...tls, { hosts: named.length > 0 ? named : undefined, secretName: secret }];
        const hostText = uncovered.map((h) => (h === '*' ? 'any host (rule without host)' : `"${h}"`)).join(', ');
        out.push({
          subject: { kind: 'Ingress', namespace: ns, name },
          severity: publicAddress ? 'high' : 'medium',
          message: `${id} serves ${hostText} over plain HTTP: ${tls.length === 0 ? 'spec.tls is not set' : 'no spec.tls[].hosts entry covers it'}` +
            (publicAddress ? `; it is exposed at public address ${publicAddress}` : ''),
          evidence: ev,
          remediation: {
            why: 'Without TLS, credentials, session cookies and data cross networks in clear and can be read or changed on the way.',
            fix: 'Create a TLS Secret (or let cert-manager issue one with the annotation cert-manager.io/cluster-issuer) and list every host under spec.tls; then make sure HTTP redirects to HTTPS.',
            command: [
              command`kubectl -n ${ns} create secret tls ${secret} ${'--cert=<cert.pem>'} ${'--key=<key.pem>'}`,
              command`kubectl -n ${ns} patch ingress ${name} --type=merge -p ${JSON.stringify({ spec: { tls: newTls } })}`,
            ].join('\n'),
          },
        });
        continue;
      }

      // TLS covers every host: is plain HTTP still served on purpose?
      const sslRedirect = annotations['nginx.ingress.kubernetes.io/ssl-redirect'];
      const entrypoints = annotations['traefik.ingress.kubernetes.io/router.entrypoints'];
      const webOnly = entrypoints !== undefined && entrypoints.split(',').map((e) => e.trim()).filter(Boolean).every((e) => e === 'web');
      // force-ssl-redirect wins over ssl-redirect in ingress-nginx.
      const forced = (annotations['nginx.ingress.kubernetes.io/force-ssl-redirect'] ?? '').toLowerCase() === 'true';
      if ((sslRedirect?.toLowerCase() === 'false' && !forced) || webOnly) {
        const key = sslRedirect?.toLowerCase() === 'false' && !forced ? 'nginx.ingress.kubernetes.io/ssl-redirect' : 'traefik.ingress.kubernetes.io/router.entrypoints';
        out.push({
          subject: { kind: 'Ingress', namespace: ns, name },
          severity: 'low',
          status: 'warn',
          discriminator: 'plain-http',
          message: `${id} has TLS but keeps plain HTTP: metadata.annotations["${key}"] is "${annotations[key] ?? ''}"`,
          evidence: [evidence(`metadata.annotations["${key}"]`, annotations[key] ?? '')],
          remediation: {
            why: 'Clients that start on http:// (links, typed URLs) keep talking in clear unless HTTP redirects to HTTPS.',
            fix: key.startsWith('nginx')
              ? 'Remove the ssl-redirect: "false" annotation (ingress-nginx redirects to HTTPS by default when TLS is set) unless plain HTTP is required.'
              : 'Serve the router on the websecure entry point (and redirect web to websecure).',
            command: key.startsWith('nginx')
              ? command`kubectl -n ${ns} annotate ingress ${name} nginx.ingress.kubernetes.io/ssl-redirect-`
              : command`kubectl -n ${ns} annotate ingress ${name} --overwrite traefik.ingress.kubernetes.io/router.entrypoints=websecure`,
          },
        });
      }
    }
    return findings(out, fronted.length > 0 ? `TLS terminated in front of the controller for ${fronted.join(', ')}` : undefined);
  },
};
