/**
 * Shared state while the demo cluster is generated: the seeded random source, the objects
 * built so far, the nodes, and the allocators (cluster IPs, node ports, pod IPs) that keep
 * generated values unique the way the real allocators do.
 */
import type { K8sObject, OwnerReference } from '../engine/k8s.js';
import { Rng, digestFor } from './prng.js';

/** A mutable JSON object while it is being built. */
export type Obj = Record<string, unknown>;
export type Labels = Record<string, string>;

/** The demo's wall clock: every timestamp is an offset from this instant. */
export const DEMO_NOW = Date.UTC(2026, 5, 15, 9, 0, 0);
const DAY = 86_400_000;

export interface DemoNode {
  readonly name: string;
  readonly uid: string;
  readonly internalIP: string;
  readonly externalIP?: string;
  readonly zone: string;
  readonly controlPlane: boolean;
  /** Index of the node's pod CIDR block (10.244.<index>.0/24). */
  readonly index: number;
  readonly createdMs: number;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function ownerRef(owner: K8sObject): OwnerReference & { blockOwnerDeletion: boolean } {
  const meta = owner.metadata ?? {};
  return {
    apiVersion: owner.apiVersion ?? 'v1',
    kind: owner.kind ?? '',
    name: meta.name ?? '',
    uid: meta.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

export class DemoContext {
  readonly rng: Rng;
  readonly objects: K8sObject[] = [];
  readonly nodes: DemoNode[] = [];
  private readonly keys = new Set<string>();
  private readonly clusterIPs = new Set<string>(['10.96.0.1', '10.96.0.10']);
  private readonly nodePorts = new Set<number>();
  private readonly podIPs = new Map<string, number>();

  constructor(readonly seed: number) {
    this.rng = new Rng(seed);
  }

  uid(): string {
    return this.rng.uuid();
  }

  /** A creation time between `minDays` and `maxDays` before DEMO_NOW, in milliseconds. */
  agoMs(minDays: number, maxDays: number): number {
    const span = (maxDays - minDays) * DAY;
    return DEMO_NOW - minDays * DAY - Math.floor(this.rng.float() * span / 1000) * 1000;
  }

  ago(minDays: number, maxDays: number): string {
    return iso(this.agoMs(minDays, maxDays));
  }

  /** Adds an object; (kind, namespace, name) must be unique, as in the API. */
  add<T extends K8sObject>(object: T): T {
    const key = keyOf(object.kind, object.metadata?.namespace, object.metadata?.name);
    if (this.keys.has(key)) throw new Error(`demo: duplicate object ${key}`);
    this.keys.add(key);
    this.objects.push(object);
    return object;
  }

  find(kind: string, namespace: string | undefined, name: string): K8sObject | undefined {
    return this.objects.find(
      (o) => o.kind === kind && o.metadata?.namespace === namespace && o.metadata?.name === name,
    );
  }

  ofKind(kind: string, namespace?: string): K8sObject[] {
    return this.objects.filter((o) => o.kind === kind && (namespace === undefined || o.metadata?.namespace === namespace));
  }

  /** A free address in the service CIDR 10.96.0.0/12. */
  clusterIP(): string {
    for (;;) {
      const ip = `10.${96 + this.rng.int(0, 15)}.${this.rng.int(0, 255)}.${this.rng.int(1, 254)}`;
      if (!this.clusterIPs.has(ip)) {
        this.clusterIPs.add(ip);
        return ip;
      }
    }
  }

  /** A free port in the default NodePort range. */
  nodePort(): number {
    for (;;) {
      const port = this.rng.int(30000, 32767);
      if (!this.nodePorts.has(port)) {
        this.nodePorts.add(port);
        return port;
      }
    }
  }

  /** Next address in the node's pod CIDR. */
  podIP(node: DemoNode): string {
    const next = (this.podIPs.get(node.name) ?? this.rng.int(2, 20)) + this.rng.int(1, 3);
    this.podIPs.set(node.name, next);
    return `10.244.${node.index}.${next}`;
  }

  /** Stable `sha256:` digest of an image repository (same image → same digest). */
  digest(repository: string): string {
    return `sha256:${digestFor(repository, this.seed)}`;
  }

  workers(): DemoNode[] {
    return this.nodes.filter((n) => !n.controlPlane);
  }

  node(name: string): DemoNode {
    const node = this.nodes.find((n) => n.name === name);
    if (!node) throw new Error(`demo: unknown node ${name}`);
    return node;
  }
}

export function keyOf(kind: string | undefined, namespace: string | undefined, name: string | undefined): string {
  return `${kind ?? ''}/${namespace ?? ''}/${name ?? ''}`;
}
