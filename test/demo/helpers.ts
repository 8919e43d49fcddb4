/** Lookups over the demo cluster for the demo tests. */
import type { Container, K8sObject, Pod, PodSpec } from '../../src/engine/k8s.js';
import { demoCluster } from '../../src/demo/cluster.js';

export const objects: readonly K8sObject[] = demoCluster();

export const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

export function ofKind(kind: string, namespace?: string): K8sObject[] {
  return objects.filter((o) => o.kind === kind && (namespace === undefined || o.metadata?.namespace === namespace));
}

export function get(kind: string, namespace: string | undefined, name: string): K8sObject | undefined {
  return objects.find((o) => o.kind === kind && o.metadata?.namespace === namespace && o.metadata?.name === name);
}

export const pods = (): Pod[] => ofKind('Pod') as Pod[];
export const appPods = (): Pod[] => pods().filter((p) => !SYSTEM_NAMESPACES.has(p.metadata?.namespace ?? ''));
export const running = (p: Pod): boolean => p.status?.phase === 'Running';

export function containersOf(spec: PodSpec | undefined): Container[] {
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? []), ...(spec?.ephemeralContainers ?? [])];
}

/** Pod template spec of any workload kind (CHECKS.md §1.4 item 7). */
export function templateSpecOf(o: K8sObject): PodSpec | undefined {
  const spec = o['spec'] as Record<string, any> | undefined;
  if (o.kind === 'Pod') return spec as PodSpec;
  if (o.kind === 'CronJob') return spec?.['jobTemplate']?.spec?.template?.spec;
  return spec?.['template']?.spec;
}

/** CHECKS.md §2 private-address test (IPv4 part). */
export function isPublicIPv4(ip: string): boolean {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) return false;
  const [a = 0, b = 0] = parts;
  if (a === 10 || a === 127) return false;
  if (a === 172 && b >= 16 && b <= 31) return false;
  if (a === 192 && b === 168) return false;
  if (a === 100 && b >= 64 && b <= 127) return false;
  if (a === 169 && b === 254) return false;
  return true;
}

/** Parses `name=value` flags of a kubeadm static pod command (bare `--flag` = "true"). */
export function flags(command: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const token of command.slice(1)) {
    if (!token.startsWith('--')) continue;
    const eq = token.indexOf('=');
    if (eq < 0) out.set(token.slice(2), 'true');
    else out.set(token.slice(2, eq), token.slice(eq + 1));
  }
  return out;
}

/** Image reference without digest has tag `latest` or none (CHECKS.md container/image-latest-or-untagged parsing). */
export function imageTag(image: string): string | undefined {
  const name = image.split('@')[0] ?? '';
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(colon + 1) : undefined;
}
