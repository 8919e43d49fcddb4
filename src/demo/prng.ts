/**
 * Small seeded randomness for the demo cluster: mulberry32 plus the helpers the builders
 * need (ids, hashes, picks). Nothing here reads the clock or Math.random, so one seed always
 * yields the same cluster.
 */

import { mulberry32 } from '../prng.js';

export { mulberry32 };

/** FNV-1a, used to derive stable per-name values (image digests) independent of call order. */
export function hashString(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The alphabet Kubernetes uses for generated name suffixes and pod-template hashes. */
const K8S_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';
const HEX = '0123456789abcdef';

export class Rng {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  float(): number {
    return this.next();
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  private chars(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet.charAt(Math.floor(this.next() * alphabet.length));
    return out;
  }

  hex(length: number): string {
    return this.chars(HEX, length);
  }

  /** A generated-name suffix such as `x7k2q` (ReplicaSet pods, EndpointSlices). */
  suffix(length = 5): string {
    return this.chars(K8S_ALPHANUMS, length);
  }

  /** A version-4 UUID, as the API server assigns to `metadata.uid`. */
  uuid(): string {
    const variant = '89ab'.charAt(Math.floor(this.next() * 4));
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${variant}${this.hex(3)}-${this.hex(12)}`;
  }
}

/** 64 hex digits derived from a name, stable for (name, seed) regardless of generation order. */
export function digestFor(name: string, seed: number): string {
  const rng = new Rng(hashString(name, seed));
  return rng.hex(64);
}
