import { evidence, findings, notApplicable, unable } from '../../src/engine/helpers.js';
import type { K8sObject, LabelSelector, Namespace } from '../../src/engine/k8s.js';
import { isPublicAddress, isIpAddress } from '../../src/engine/net.js';
import { NAMESPACE_NAME_LABEL, selectorMatches } from '../../src/engine/netpol.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import type { Check, FindingDraft } from '../../src/engine/types.js';

interface Listener {
  readonly name: string;
  readonly hostname?: string;
  readonly port?: number;
  readonly protocol?: string;
  readonly allowedRoutes?: { readonly namespaces?: { readonly from?: string; readonly selector?: LabelSelector } };
}

interface Gateway extends K8sObject {
  readonly spec?: { readonly gatewayClassName?: string; readonly listeners?: readonly Listener[] };
  readonly status?: { readonly addresses?: readonly { readonly type?: string; readonly value?: string }[] };
}

interface ParentRef {
  readonly group?: string;
  readonly kind?: string;
  readonly namespace?: string;
  readonly name: string;
  readonly sectionName?: string;
  readonly port?: number;
}

interface HttpRoute extends K8sObject {
  readonly spec?: {
    readonly parentRefs?: readonly ParentRef[];
    readonly hostnames?: readonly string[];
    readonly rules?: readonly { readonly filters?: readonly { readonly type?: string; readonly requestRedirect?: { readonly scheme?: string } }[] }[];
  };
}

const SECURE = new Set(['HTTPS', 'TLS']);

/**
 * Gateway API hostname matching: an absent hostname matches every name; `*.example.com` is a
 * suffix match (`a.example.com`, `a.b.example.com`, not `example.com`). True when every name
 * the HTTP listener accepts is also accepted by the secure listener.
 */
export function listenerHostCovers(secure: string | undefined, plain: string | undefined): boolean {
  if (secure === undefined || secure === '') return true;
  if (plain === undefined || plain === '') return false;
  const s = secure.toLowerCase();
  const p = plain.toLowerCase();
  if (s === p) return true;
  if (!s.startsWith('*.')) return false;
  const suffix = s.slice(1); // ".example.com"
  const name = p.startsWith('*.') ? p.slice(1) : p;
  return name.endsWith(suffix) && name.length > suffix.length;
}

/** A public address in status: a public IP, or a host name that is not an AWS `internal-…` load balancer. */
function publicAddress(gw: Gateway): string | undefined {
  for (const a of gw.status?.addresses ?? []) {
    const value = a.value ?? '';
    if (!value) continue;
    if (isIpAddress(value)) {
      if (isPublicAddress(value)) return value;
    } else if (!value.startsWith('internal-')) {
      return value;
    }
  }
  return undefined;
}

function parentIsGateway(ref: ParentRef, routeNs: string, gw: Gateway): boolean {
  const group = ref.group ?? 'gateway.networking.k8s.io';
  const kind = ref.kind ?? 'Gateway';
  return group === 'gateway.networking.k8s.io' && kind === 'Gateway' && ref.name === gw.metadata?.name && (ref.namespace ?? routeNs) === (gw.metadata?.namespace ?? '');
}

/** Routes attached to one listener: parentRef to the Gateway (section/port match) and allowed by the listener's allowedRoutes. */
function attachedRoutes(routes: readonly HttpRoute[], gw: Gateway, listener: Listener, nsLabels: ReadonlyMap<string, Readonly<Record<string, string>>>): HttpRoute[] {
  const gwNs = gw.metadata?.namespace ?? '';
  const from = listener.allowedRoutes?.namespaces?.from ?? 'Same';
  return routes.filter((route) => {
    const routeNs = route.metadata?.namespace ?? '';
    const refs = route.spec?.parentRefs ?? [];
    const matches = refs.some((ref) => parentIsGateway(ref, routeNs, gw)
      && (ref.sectionName === undefined || ref.sectionName === listener.name)
      && (ref.port === undefined || ref.port === listener.port));
    if (!matches) return false;
    if (from === 'All') return true;
    if (from === 'Same') return routeNs === gwNs;
    if (from === 'Selector') {
      const labels = { [NAMESPACE_NAME_LABEL]: routeNs, ...nsLabels.get(routeNs) };
      return selectorMatches(listener.allowedRoutes?.namespaces?.selector ?? {}, labels);
    }
    return false;
  });
}

function redirectsToHttps(rule: NonNullable<NonNullable<HttpRoute['spec']>['rules']>[number]): boolean {
  return (rule.filters ?? []).some((f) => f.type === 'RequestRedirect' && f.requestRedirect?.scheme?.toLowerCase() === 'https');
}

function describeListener(l: Listener): string {
  return `listener "${l.name}" (HTTP${l.port !== undefined ? ` port ${l.port}` : ''}, ${l.hostname ? `hostname ${l.hostname}` : 'any hostname'})`;
}

export const check: Check = {
  id: 'cluster/gateway-plaintext-listener',
  layer: 'cluster',
  title: 'Gateway API listener without TLS',
  severity: 'medium',
  description:
    'Inspects Gateway API Gateways (gateway.networking.k8s.io/v1, when served): spec.listeners[].{protocol,hostname,port}, status.addresses and ' +
    'the HTTPRoutes attached to each listener (parentRefs with sectionName/port, allowedRoutes.namespaces). Fails (medium) when a Gateway with a ' +
    'public address has an HTTP listener for a hostname that no HTTPS or TLS listener covers (absent hostname = every name; "*.example.com" is a ' +
    'suffix match); warns (low) for the same on a Gateway without a public address. Warns (low) when the hostname also has an HTTPS/TLS listener ' +
    'but an attached HTTPRoute serves content over HTTP or no attached HTTPRoute redirects to scheme https. Not applicable when the Gateway API is ' +
    'not served or no Gateway exists.',
  remediation: 'Add an HTTPS listener with tls.certificateRefs for every hostname and redirect plain HTTP to HTTPS with a RequestRedirect filter.',
  references: [
    ref.fourC('TLS for Kubernetes Ingress'), ref.kubescape('C-0266'), ref.nsa('Network separation (Encryption)'),
    ref.doc('Gateway API: HTTP redirects', 'https://gateway-api.sigs.k8s.io/guides/http-redirect-rewrite/'),
  ],
  needs: ['namespaces'],
  optionalNeeds: ['gateways', 'httproutes'],
  evaluate: (snapshot) => {
    const gwError = snapshot.error('gateways');
    if (gwError?.code === 'not-served') return notApplicable(gwError.message);
    if (gwError) return unable(gwError.message);
    if (!snapshot.has('gateways')) return unable('not collected: gateways');
    const gateways = snapshot.list<Gateway>('gateways');
    if (gateways.length === 0) return notApplicable('no Gateway objects');
    const routesReadable = snapshot.has('httproutes');
    const routes = snapshot.list<HttpRoute>('httproutes');
    const nsLabels = new Map(snapshot.list<Namespace>('namespaces').map((n) => [n.metadata?.name ?? '', n.metadata?.labels ?? {}]));

    const out: FindingDraft[] = [];
    for (const gw of gateways) {
      const ns = gw.metadata?.namespace ?? '';
      const name = gw.metadata?.name ?? '';
      const id = `Gateway "${ns}/${name}"`;
      const listeners = gw.spec?.listeners ?? [];
      const secure = listeners.filter((l) => SECURE.has((l.protocol ?? '').toUpperCase()));
      const address = publicAddress(gw);
      listeners.forEach((l, i) => {
        if ((l.protocol ?? '').toUpperCase() !== 'HTTP') return;
        const path = `spec.listeners[name=${l.name}]`;
        const ev = [evidence(`${path}.protocol`, l.protocol ?? ''), evidence(`${path}.hostname`, l.hostname ?? '(any)')];
        const cover = secure.find((s) => listenerHostCovers(s.hostname, l.hostname));
        if (!cover) {
          const names = new Set(listeners.map((x) => x.name));
          let httpsName = 'https';
          for (let n = 2; names.has(httpsName); n++) httpsName = `https-${n}`;
          const listener = {
            name: httpsName, protocol: 'HTTPS', port: 443, ...(l.hostname ? { hostname: l.hostname } : {}),
            tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: `${name}-tls` }] },
          };
          if (address) ev.push(evidence('status.addresses', address));
          out.push({
            subject: { kind: 'Gateway', namespace: ns, name },
            discriminator: `listener-${i}`,
            severity: address ? 'medium' : 'low',
            status: address ? 'fail' : 'warn',
            message: `${id} ${describeListener(l)} serves plain HTTP and no HTTPS/TLS listener covers ${l.hostname ? `hostname ${l.hostname}` : 'its hostnames'}` +
              (address ? `; it is exposed at public address ${address}` : '; no public address in status (internal traffic in clear)'),
            evidence: ev,
            remediation: {
              why: 'Traffic to an HTTP-only listener, including credentials and session cookies, crosses the network in clear and can be read or changed on the way.',
              fix: `Create a TLS Secret, add an HTTPS listener for ${l.hostname ?? 'the same hostnames'} with tls.certificateRefs, then redirect the HTTP listener to https (or remove it).`,
              command: [
                command`kubectl -n ${ns} create secret tls ${`${name}-tls`} ${'--cert=<cert.pem>'} ${'--key=<key.pem>'}`,
                command`kubectl -n ${ns} patch gateway ${name} --type=json -p ${JSON.stringify([{ op: 'add', path: '/spec/listeners/-', value: listener }])}`,
              ].join('\n'),
            },
          });
          return;
        }
        // An HTTPS/TLS listener covers the hostname: is plain HTTP redirected?
        const attached = attachedRoutes(routes, gw, l, nsLabels);
        const plain = attached.filter((r) => {
          const rules = r.spec?.rules ?? [];
          return rules.length === 0 || rules.some((rule) => !redirectsToHttps(rule));
        });
        const redirecting = attached.filter((r) => (r.spec?.rules ?? []).some(redirectsToHttps));
        if (plain.length === 0 && redirecting.length > 0) return;
        const routeNames = plain.map((r) => `"${r.metadata?.namespace ?? ''}/${r.metadata?.name ?? ''}"`);
        let reason: string;
        if (!routesReadable) reason = `HTTPRoutes could not be read (${snapshot.error('httproutes')?.message ?? 'not collected'}), so a redirect to https cannot be confirmed`;
        else if (plain.length > 0) reason = `HTTPRoute(s) ${routeNames.slice(0, 3).join(', ')}${routeNames.length > 3 ? ` and ${routeNames.length - 3} more` : ''} serve content on it without a RequestRedirect to https`;
        else reason = 'no attached HTTPRoute redirects it to https';
        const redirect = [
          'apiVersion: gateway.networking.k8s.io/v1',
          'kind: HTTPRoute',
          'metadata:',
          `  name: ${JSON.stringify(`${name}-${l.name}-https-redirect`)}`,
          `  namespace: ${JSON.stringify(ns)}`,
          'spec:',
          '  parentRefs:',
          `  - name: ${JSON.stringify(name)}`,
          `    sectionName: ${JSON.stringify(l.name)}`,
          ...(l.hostname ? [`  hostnames: [${JSON.stringify(l.hostname)}]`] : []),
          '  rules:',
          '  - filters:',
          '    - type: RequestRedirect',
          '      requestRedirect: {scheme: https, statusCode: 301}',
          '',
        ].join('\n');
        out.push({
          subject: { kind: 'Gateway', namespace: ns, name },
          discriminator: `redirect-${i}`,
          severity: 'low',
          status: 'warn',
          message: `${id} ${describeListener(l)} sits next to HTTPS listener "${cover.name}" but keeps plain HTTP: ${reason}`,
          evidence: [...ev, evidence(`spec.listeners[name=${cover.name}].protocol`, cover.protocol ?? '')],
          remediation: {
            why: 'Clients that start on http:// (links, typed URLs) keep talking in clear unless the HTTP listener redirects to HTTPS.',
            fix: `Attach an HTTPRoute with a RequestRedirect filter (scheme https) to listener "${l.name}", and attach the application routes only to the HTTPS listener (parentRefs sectionName).`,
            command: `kubectl apply -f - <<'EOF'\n${redirect}EOF`,
            patch: redirect,
          },
        });
      });
    }
    return findings(out);
  },
};
