import { flagValue } from '../../src/engine/cni.js';
import { WORKLOAD_OWNERS, describeWorkload, evidence, findings, kindResource, notApplicable, workloadSubject } from '../../src/engine/helpers.js';
import { imagePath, parseImageReference } from '../../src/engine/images.js';
import type { ConfigMap, Container, Ingress, K8sObject } from '../../src/engine/k8s.js';
import { ref } from '../../src/engine/references.js';
import { command, literal } from '../../src/engine/shell.js';
import type { Snapshot, Workload } from '../../src/engine/snapshot.js';
import type { Check, FindingDraft } from '../../src/engine/types.js';

export const INGRESS_NGINX_CONTROLLER = 'k8s.io/ingress-nginx';
const DEFAULT_PREFIX = 'nginx.ingress.kubernetes.io';
/** Annotations that paste raw NGINX configuration (CVE-2021-25742 class). */
const SNIPPETS = ['configuration-snippet', 'server-snippet', 'auth-snippet', 'stream-snippet', 'modsecurity-snippet'];

interface IngressClass extends K8sObject {
  readonly spec?: { readonly controller?: string };
}

/**
 * Controller images of kubernetes/ingress-nginx (not F5's nginx/nginx-ingress): `upstream` for the
 * project's own image (any registry mirror), `vendor` for downstream rebuilds such as RKE2's
 * rancher/nginx-ingress-controller, whose maintenance follows the vendor's policy.
 */
export function ingressNginxImage(image: string | undefined): 'upstream' | 'vendor' | undefined {
  if (!image) return undefined;
  const path = imagePath(image).toLowerCase();
  if (/(^|\/)ingress-nginx\/controller(-chroot)?$/.test(path) || /(^|\/)kubernetes-ingress-controller\/nginx-ingress-controller$/.test(path)) return 'upstream';
  if (/(^|\/)(nginx-ingress-controller|ingress-nginx-controller)(-fips)?$/.test(path)) return 'vendor';
  return undefined;
}

/** `v1.11.3` → [1, 11, 3]; undefined when the tag is not a version. */
export function parseVersion(text: string | undefined): [number, number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec((text ?? '').trim());
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

/** CVE-2025-1974 (and CVE-2025-24514/1097/1098/1974 family): fixed in v1.11.5 and v1.12.1 (kubernetes/ingress-nginx#13082). */
export function vulnerableToIngressNightmare(v: readonly [number, number, number]): boolean {
  const [major, minor, patch] = v;
  if (major !== 1) return major < 1;
  if (minor < 11) return true;
  if (minor === 11) return patch < 5;
  if (minor === 12) return patch < 1;
  return false;
}

interface Controller {
  readonly workload: Workload;
  readonly container: Container;
  readonly build: 'upstream' | 'vendor';
  readonly version?: [number, number, number];
  readonly versionText: string;
}

function controllers(snapshot: Snapshot): Controller[] {
  const out: Controller[] = [];
  for (const w of snapshot.workloads()) {
    const spec = w.revisions[0]?.spec;
    const container = (spec?.containers ?? []).find((c) => ingressNginxImage(c.image) !== undefined);
    if (!container) continue;
    const build = ingressNginxImage(container.image) ?? 'upstream';
    const tag = parseImageReference(container.image ?? '').tag;
    const fromLabel = w.labels['app.kubernetes.io/version'] ?? w.revisions[0]?.meta.labels?.['app.kubernetes.io/version'];
    const version = parseVersion(tag) ?? parseVersion(fromLabel);
    out.push({ workload: w, container, build, ...(version ? { version } : {}), versionText: tag ?? (fromLabel ? `v${fromLabel.replace(/^v/, '')}` : 'unknown') });
  }
  return out;
}

/** `--configmap=$(POD_NAMESPACE)/name` → namespace/name. */
function configMapRef(c: Controller): { namespace: string; name: string } | undefined {
  const value = flagValue(c.container, '--configmap');
  if (!value) return undefined;
  const resolved = value.replace(/\$\(POD_NAMESPACE\)/g, c.workload.namespace);
  const slash = resolved.indexOf('/');
  return slash >= 0 ? { namespace: resolved.slice(0, slash), name: resolved.slice(slash + 1) } : { namespace: c.workload.namespace, name: resolved };
}

function patchDeploymentCommand(w: Workload, container: string, image: string): string {
  return command`kubectl -n ${w.namespace} set image ${literal(kindResource(w.kind))}/${w.name} ${`${container}=${image}`}`;
}

export const check: Check = {
  id: 'cluster/ingress-nginx-risky-configuration',
  layer: 'cluster',
  title: 'ingress-nginx snippets or vulnerable controller',
  severity: 'high',
  description:
    'Applies when ingress-nginx is detected (an IngressClass with spec.controller k8s.io/ingress-nginx, or a registry.k8s.io/ingress-nginx/controller ' +
    'image). Fails (high) when an Ingress served by it uses the configuration-snippet, server-snippet, auth-snippet, stream-snippet or ' +
    'modsecurity-snippet annotation, or the controller ConfigMap (named by --configmap; readable only with the ConfigMap-contents opt-in) sets ' +
    'allow-snippet-annotations "true". Fails (critical) when the controller version is below v1.11.5, or v1.12.0 (CVE-2025-1974, unauthenticated ' +
    'RCE through the admission webhook; high when the webhook is disabled). Warns (medium) that upstream ingress-nginx is retired (best-effort ' +
    'maintenance ended March 2026). Not applicable when ingress-nginx is not installed.',
  remediation: 'Remove snippet annotations, set allow-snippet-annotations to "false", upgrade the controller to v1.12.1 or later, and plan the migration to a maintained controller or Gateway API.',
  references: [
    ref.kubescape('C-0059'), ref.kubescape('C-0292'), ref.trivy('KCV-0093'),
    ref.doc('kubernetes/ingress-nginx#13082: CVE-2025-1974', 'https://github.com/kubernetes/ingress-nginx/issues/13082'),
    ref.doc('Ingress NGINX retirement', 'https://kubernetes.io/blog/2025/11/11/ingress-nginx-retirement/'),
  ],
  needs: ['ingresses', 'ingressclasses'],
  // ConfigMap contents are read only with the opt-in (snapshot.config.configMapContents).
  optionalNeeds: ['pods', ...WORKLOAD_OWNERS, 'configmaps'],
  evaluate: (snapshot) => {
    const classes = snapshot.list<IngressClass>('ingressclasses');
    const nginxClasses = classes.filter((c) => c.spec?.controller === INGRESS_NGINX_CONTROLLER);
    const ctrls = controllers(snapshot);
    if (nginxClasses.length === 0 && ctrls.length === 0) {
      return notApplicable('ingress-nginx is not installed (no IngressClass with controller k8s.io/ingress-nginx and no ingress-nginx controller image)');
    }
    const out: FindingDraft[] = [];

    // Which Ingresses ingress-nginx serves: its classes by name, the legacy class annotation, or no class with an ingress-nginx default class.
    const classByName = new Map(classes.map((c) => [c.metadata?.name ?? '', c]));
    const legacyNames = new Set(['nginx', ...ctrls.map((c) => flagValue(c.container, '--ingress-class')).filter((v): v is string => v !== undefined)]);
    const defaultIsNginx = nginxClasses.some((c) => c.metadata?.annotations?.['ingressclass.kubernetes.io/is-default-class'] === 'true');
    const served = (ing: Ingress): boolean => {
      const className = ing.spec?.ingressClassName ?? ing.metadata?.annotations?.['kubernetes.io/ingress.class'];
      if (className === undefined) return defaultIsNginx || nginxClasses.length === 0;
      const cls = classByName.get(className);
      if (cls) return cls.spec?.controller === INGRESS_NGINX_CONTROLLER;
      return legacyNames.has(className);
    };
    const prefixes = new Set([DEFAULT_PREFIX, ...ctrls.map((c) => flagValue(c.container, '--annotations-prefix')).filter((v): v is string => v !== undefined && v !== '')]);

    for (const ing of snapshot.list<Ingress>('ingresses')) {
      if (!served(ing)) continue;
      const annotations = ing.metadata?.annotations ?? {};
      const used = Object.keys(annotations).filter((key) => {
        const slash = key.indexOf('/');
        return slash > 0 && prefixes.has(key.slice(0, slash)) && SNIPPETS.includes(key.slice(slash + 1));
      }).sort();
      if (used.length === 0) continue;
      const ns = ing.metadata?.namespace ?? '';
      const name = ing.metadata?.name ?? '';
      out.push({
        subject: { kind: 'Ingress', namespace: ns, name },
        discriminator: 'snippets',
        severity: 'high',
        message: `Ingress "${ns}/${name}" injects raw NGINX configuration through ${used.map((k) => `metadata.annotations["${k}"]`).join(', ')}: whoever can edit Ingresses here can read the controller's service-account token and every Secret it can see`,
        // Names only: snippet bodies may carry credentials (auth headers, upstream passwords).
        evidence: used.map((k) => evidence(`metadata.annotations["${k}"]`, `(${(annotations[k] ?? '').length} characters)`)),
        remediation: {
          why: 'Snippet annotations paste text into the controller\'s nginx.conf: a user allowed to create Ingresses can run Lua or read files as the controller, whose service account reads Secrets cluster-wide (CVE-2021-25742 class).',
          fix: 'Replace the snippets with dedicated annotations or a controller-wide ConfigMap setting, remove them, and keep allow-snippet-annotations "false".',
          command: command`kubectl -n ${ns} annotate ingress ${name}` + used.map((k) => ' ' + command`${`${k}-`}`).join(''),
        },
      });
    }

    const configMapsVisible = snapshot.config.configMapContents && snapshot.has('configmaps');
    const notes: string[] = [];
    for (const c of ctrls) {
      const w = c.workload;
      const who = describeWorkload(w);
      const imageEv = evidence(`${w.specPath}.containers[name=${c.container.name}].image`, c.container.image ?? '');
      const cmRef = configMapRef(c);
      let cmNote = '';
      if (cmRef) {
        if (configMapsVisible) {
          const cm = snapshot.list<ConfigMap>('configmaps').find((x) => x.metadata?.namespace === cmRef.namespace && x.metadata?.name === cmRef.name);
          const allow = cm?.data?.['allow-snippet-annotations'];
          const defaultTrue = allow === undefined && c.version !== undefined && (c.version[0] < 1 || (c.version[0] === 1 && c.version[1] < 9));
          if (allow?.trim().toLowerCase() === 'true' || defaultTrue) {
            out.push({
              subject: workloadSubject(w),
              discriminator: 'allow-snippet-annotations',
              severity: 'high',
              scope: 'workload',
              message: `${who} allows snippet annotations: ConfigMap "${cmRef.namespace}/${cmRef.name}" ${allow !== undefined ? `sets allow-snippet-annotations: "${allow}"` : `does not set allow-snippet-annotations, whose default before v1.9.0 (running ${c.versionText}) is "true"`}`,
              evidence: [evidence(`configmaps[namespace=${cmRef.namespace},name=${cmRef.name}].data["allow-snippet-annotations"]`, allow ?? '(unset)'), imageEv],
              remediation: {
                why: 'With snippet annotations allowed, anyone who can create an Ingress can inject NGINX configuration and read the controller\'s service-account token and Secrets.',
                fix: 'Set allow-snippet-annotations to "false" in the controller ConfigMap (or the Helm value controller.allowSnippetAnnotations=false) after removing the snippets in use.',
                command: command`kubectl -n ${cmRef.namespace} patch configmap ${cmRef.name} --type=merge -p ${'{"data":{"allow-snippet-annotations":"false"}}'}`,
              },
            });
          }
        } else {
          cmNote = `; allow-snippet-annotations in ConfigMap "${cmRef.namespace}/${cmRef.name}" is not visible (ConfigMap contents are an opt-in)`;
        }
      }

      if (c.version && vulnerableToIngressNightmare(c.version)) {
        const webhook = flagValue(c.container, '--validating-webhook');
        const webhookOn = webhook !== undefined && webhook !== '' && webhook !== 'false';
        const fixed = c.version[1] === 12 ? 'v1.12.1' : 'v1.11.5';
        const image = `registry.k8s.io/ingress-nginx/controller:${fixed}`;
        out.push({
          subject: workloadSubject(w),
          discriminator: 'version',
          // A vendor rebuild may carry a backported fix under the old version number: ask to verify.
          severity: webhookOn && c.build === 'upstream' ? 'critical' : 'high',
          status: c.build === 'upstream' ? 'fail' : 'warn',
          scope: 'workload',
          message: `${who} runs ingress-nginx controller ${c.versionText}, affected by CVE-2025-1974 (fixed in v1.11.5 and v1.12.1)` +
            (webhookOn ? ': its admission webhook lets anyone who reaches it from the pod network run code as the controller' : '; the admission webhook is disabled, which blocks the unauthenticated path, but the annotation-injection CVEs remain') +
            (c.build === 'vendor' ? `; ${c.container.image ?? ''} is a vendor build that may carry a backported fix — check the vendor's advisory` : '') + cmNote,
          evidence: [imageEv, evidence(`${w.specPath}.containers[name=${c.container.name}].args[--validating-webhook]`, webhook ?? '(unset)')],
          remediation: {
            why: 'CVE-2025-1974 ("IngressNightmare") gives unauthenticated remote code execution in the controller, whose service account reads every Secret in the cluster.',
            fix: `Upgrade the controller to ${fixed} or later (Helm chart 4.11.5 / 4.12.1); until then, disable the admission webhook (controller.admissionWebhooks.enabled=false) or restrict access to it.`,
            command: patchDeploymentCommand(w, c.container.name, image),
          },
        });
      }

      if (c.build === 'vendor') {
        notes.push(`${who} runs a vendor build of ingress-nginx (${c.container.image ?? ''}): upstream is retired, so confirm the vendor still ships security fixes${cmNote}`);
        continue;
      }
      out.push({
        subject: workloadSubject(w),
        discriminator: 'retired',
        severity: 'medium',
        status: 'warn',
        scope: 'workload',
        message: `${who} runs upstream ingress-nginx (${c.versionText}), which is retired: best-effort maintenance ended in March 2026, so future vulnerabilities get no fix${c.version === undefined ? '; the controller version could not be read from the image tag' : ''}${cmNote}`,
        evidence: [imageEv],
        remediation: {
          why: 'A retired Internet-facing proxy stops receiving security fixes; the next vulnerability stays open.',
          fix: 'Plan the migration to a maintained Ingress controller or to a Gateway API implementation, and track the remaining Ingress objects.',
          command: command`kubectl get ingress -A ${'-o=custom-columns=NAMESPACE:.metadata.namespace,NAME:.metadata.name,CLASS:.spec.ingressClassName'}`,
        },
      });
    }

    if (ctrls.length === 0) {
      // An ingress-nginx class but no visible controller (another namespace, unreadable pods).
      for (const cls of nginxClasses) {
        const name = cls.metadata?.name ?? '';
        out.push({
          subject: { kind: 'IngressClass', name },
          discriminator: 'retired',
          severity: 'medium',
          status: 'warn',
          scope: 'workload',
          message: `IngressClass "${name}" uses controller k8s.io/ingress-nginx, which is retired (best-effort maintenance ended in March 2026); the controller pods were not visible, so its version (CVE-2025-1974) and ConfigMap could not be checked`,
          evidence: [evidence('spec.controller', INGRESS_NGINX_CONTROLLER)],
          remediation: {
            why: 'A retired Internet-facing proxy stops receiving security fixes; the next vulnerability stays open.',
            fix: 'Find the controller and check that it runs v1.11.5 / v1.12.1 or later, then plan the migration to a maintained controller or Gateway API.',
            command: command`kubectl get pods -A -l ${'app.kubernetes.io/name=ingress-nginx'} ${'-o=custom-columns=NAMESPACE:.metadata.namespace,NAME:.metadata.name,IMAGE:.spec.containers[*].image'}`,
          },
        });
      }
    }
    return findings(out, notes.length > 0 ? notes.join('; ') : undefined);
  },
};

