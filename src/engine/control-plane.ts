/**
 * Control-plane discovery and flag parsing (CHECKS.md §1.5). D-CP = mirror pods in kube-system
 * whose `component` label names a control-plane component; each replica is evaluated on its
 * own (HA clusters drift) and reported per node. On a managed or embedded control plane the
 * flags are invisible: `controlPlaneUnavailable` gives the `unable` outcome with the
 * provider's command, never a fail.
 */
import { unable } from './helpers.js';
import type { Container, Pod } from './k8s.js';
import { detectProvider, providerCommands, type ProviderInfo, type ProviderTopic } from './provider.js';
import type { Snapshot } from './snapshot.js';
import type { CheckOutcome } from './types.js';

export type Component = 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'etcd';
export const COMPONENTS: readonly Component[] = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'];

/** Parsed command-line flags: last occurrence wins, `--flag` alone is `true`. */
export class Flags {
  readonly #values = new Map<string, string>();

  constructor(args: readonly string[]) {
    for (let i = 0; i < args.length; i++) {
      const token = args[i] ?? '';
      if (!token.startsWith('--')) continue;
      const eq = token.indexOf('=');
      if (eq > 2) {
        this.#values.set(token.slice(2, eq), token.slice(eq + 1));
        continue;
      }
      const next = args[i + 1];
      if (next !== undefined && !next.startsWith('--')) {
        this.#values.set(token.slice(2), next);
        i++;
      } else {
        this.#values.set(token.slice(2), 'true');
      }
    }
  }

  has(name: string): boolean {
    return this.#values.has(name);
  }

  /** The raw value, undefined when the flag is absent. */
  get(name: string): string | undefined {
    return this.#values.get(name);
  }

  /** `true/false/1/0/t/f` (any case); absent → `fallback`; unparsable → undefined. */
  bool(name: string, fallback: boolean): boolean | undefined {
    const v = this.#values.get(name);
    if (v === undefined) return fallback;
    const lower = v.trim().toLowerCase();
    if (lower === 'true' || lower === '1' || lower === 't') return true;
    if (lower === 'false' || lower === '0' || lower === 'f') return false;
    return undefined;
  }

  /** A comma-separated list flag; absent → empty. */
  list(name: string): string[] {
    const v = this.#values.get(name);
    return v === undefined ? [] : v.split(',').map((s) => s.trim()).filter((s) => s !== '');
  }

  /** A number flag; absent or not a number → undefined. */
  number(name: string): number | undefined {
    const v = this.#values.get(name);
    if (v === undefined || v.trim() === '') return undefined;
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
}

export function parseFlags(args: readonly string[]): Flags {
  return new Flags(args);
}

/** One running replica of a control-plane component. */
export interface ComponentInstance {
  readonly component: Component;
  readonly pod: Pod;
  readonly podName: string;
  readonly node: string;
  readonly container: Container;
  /** `command[1:]` followed by `args` (kubeadm puts everything in `command`). */
  readonly args: readonly string[];
  readonly flags: Flags;
}

function isMirrorPod(pod: Pod): boolean {
  const meta = pod.metadata;
  return meta?.annotations?.['kubernetes.io/config.mirror'] !== undefined || meta?.ownerReferences?.some((r) => r.kind === 'Node') === true;
}

/** Every D-CP replica in the snapshot, in node order. */
export function controlPlaneInstances(snapshot: Snapshot, component?: Component): ComponentInstance[] {
  const out: ComponentInstance[] = [];
  for (const pod of snapshot.list<Pod>('pods')) {
    if (pod.metadata?.namespace !== 'kube-system' || !isMirrorPod(pod)) continue;
    const label = pod.metadata.labels?.['component'] as Component | undefined;
    if (!label || !COMPONENTS.includes(label) || (component && label !== component)) continue;
    const containers = pod.spec?.containers ?? [];
    const container = containers.find((c) => c.name === label) ?? containers[0];
    if (!container) continue;
    const args = [...(container.command ?? []).slice(1), ...(container.args ?? [])];
    out.push({
      component: label, pod, podName: pod.metadata.name ?? '', node: pod.spec?.nodeName ?? '', container, args, flags: new Flags(args),
    });
  }
  return out.sort((a, b) => a.node.localeCompare(b.node) || a.podName.localeCompare(b.podName));
}

/**
 * Why the flags of `component` cannot be read, as an `unable` outcome with the provider's
 * command — or undefined when D-CP shows the component and checks can evaluate it.
 */
export function controlPlaneUnavailable(snapshot: Snapshot, component: Component, topic: ProviderTopic = 'control-plane'): CheckOutcome | undefined {
  if (!snapshot.has('pods')) {
    const why = snapshot.error('pods')?.message ?? 'pods were not collected';
    return unable(`control-plane pods could not be read (${why})`);
  }
  if (controlPlaneInstances(snapshot, component).length > 0) return undefined;
  const provider = detectProvider(snapshot);
  return unable(controlPlaneHint(provider, component, topic));
}

/** One line for the `unable` reason: what is invisible and the command that shows it. */
export function controlPlaneHint(provider: ProviderInfo, component: Component, topic: ProviderTopic = 'control-plane'): string {
  const commands = providerCommands(provider, topic).join('; ');
  if (provider.managedControlPlane) {
    return `${provider.name} runs a managed control plane: ${component} flags are not visible through the Kubernetes API — verify with: ${commands}`;
  }
  if (provider.id === 'k3s' || provider.id === 'rke2' || provider.id === 'openshift') {
    return `${provider.name} does not run ${component} as a static pod: ${commands}`;
  }
  return `no ${component} static pod is visible in kube-system (managed or external control plane?) — ${commands}`;
}

/** `kube-apiserver on cp-1` for messages and evidence. */
export function describeInstance(instance: ComponentInstance): string {
  return `${instance.component} on ${instance.node || instance.podName}`;
}
