/**
 * The server's in-memory object store: objects placed into the resource table, normalised once
 * at start (uid, resourceVersion, creationTimestamp, namespace), sorted once by
 * (namespace, name), and read by index ranges afterwards. Requests never copy a whole store:
 * a page is a slice of references, and serialisation happens item by item while streaming.
 */
import { createHash } from 'node:crypto';
import type { K8sObject, ObjectMeta } from '../engine/k8s.js';
import { RESOURCES, groupVersion, isResourceName, type ResourceInfo } from '../engine/resources.js';
import { matchesLabels, type FieldRequirement, type LabelRequirement } from './selectors.js';

/** One stored object plus what lookups and paging need, computed once. */
export interface StoredObject {
  /** `namespace \0 name`: `\0` sorts below every name character, so string order = (namespace, name) order. */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  /**
   * The object as a list item. Built-in kinds carry no apiVersion/kind here, because the real
   * API server leaves TypeMeta off the items of built-in lists (only CRD items have it).
   */
  readonly item: K8sObject;
  readonly metadata: ObjectMeta;
}

export interface ResourceStore {
  readonly info: ResourceInfo;
  /** Sorted by key. */
  readonly objects: readonly StoredObject[];
  readonly byKey: ReadonlyMap<string, StoredObject>;
  /** Half-open index range of each namespace in `objects` (contiguous because of the sort). */
  readonly namespaces: ReadonlyMap<string, readonly [number, number]>;
}

export interface Store {
  /** Served resources in resource-table order. */
  readonly resources: readonly ResourceStore[];
  /** `groupVersion` → plural → store, for URL routing. */
  readonly byGroupVersion: ReadonlyMap<string, ReadonlyMap<string, ResourceStore>>;
  /** resourceVersion of every list: newer than every object's. */
  readonly listResourceVersion: string;
}

const ALL_RESOURCES = RESOURCES as readonly ResourceInfo[];

export const objectKey = (namespace: string, name: string): string => `${namespace}\u0000${name}`;

/** RFC 4122-shaped (version 5 style) uid derived from the object's identity, stable across runs. */
function deterministicUid(identity: string): string {
  const h = createHash('sha1').update(identity).digest('hex');
  const variant = ((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Builds the store. Throws on objects whose apiVersion/kind is not in the resource table, on
 * objects without a name and on duplicates: a fixture mistake must fail loudly at start.
 */
export function buildStore(objects: readonly K8sObject[], serve: readonly string[], now: Date): Store {
  const byType = new Map<string, ResourceInfo>(ALL_RESOURCES.map((r) => [`${groupVersion(r)}|${r.kind}`, r]));
  const buckets = new Map<ResourceInfo, StoredObject[]>();
  const created = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  // Start where a young cluster's etcd revision might be; only the ordering matters.
  let revision = 1000;

  for (const obj of objects) {
    const info = byType.get(`${obj.apiVersion ?? ''}|${obj.kind ?? ''}`);
    if (!info) throw new Error(`api-server: no resource serves apiVersion "${obj.apiVersion}" kind "${obj.kind}" (${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''})`);
    const meta = obj.metadata ?? {};
    if (!meta.name) throw new Error(`api-server: ${info.kind} without metadata.name`);
    // Like the real API server: namespaced objects default to "default", cluster-scoped ones drop a namespace.
    const namespace = info.namespaced ? (meta.namespace ?? 'default') : '';
    // Filled-in versions continue after any numeric one a fixture gave, so lists stay newest.
    if (/^\d+$/.test(meta.resourceVersion ?? '')) revision = Math.max(revision, Number(meta.resourceVersion));
    const metadata: ObjectMeta = {
      ...meta,
      namespace: info.namespaced ? namespace : undefined,
      uid: meta.uid ?? deterministicUid(`${obj.apiVersion}/${obj.kind}/${namespace}/${meta.name}`),
      resourceVersion: meta.resourceVersion ?? String(++revision),
      creationTimestamp: meta.creationTimestamp ?? created,
    };
    const { apiVersion, kind, ...body } = obj;
    const item: K8sObject = info.builtIn ? { ...body, metadata } : { apiVersion, kind, ...body, metadata };
    const stored: StoredObject = { key: objectKey(namespace, meta.name), namespace, name: meta.name, item, metadata };
    const bucket = buckets.get(info) ?? [];
    bucket.push(stored);
    buckets.set(info, bucket);
  }

  for (const name of serve) {
    if (!isResourceName(name)) throw new Error(`api-server: cannot serve unknown resource "${name}"`);
  }
  const resources: ResourceStore[] = [];
  const byGroupVersion = new Map<string, Map<string, ResourceStore>>();
  for (const info of ALL_RESOURCES) {
    const bucket = buckets.get(info);
    if (!info.builtIn && !bucket && !serve.includes(info.name)) continue;
    const sorted = (bucket ?? []).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const byKey = new Map<string, StoredObject>();
    const namespaces = new Map<string, [number, number]>();
    sorted.forEach((o, i) => {
      if (byKey.has(o.key)) throw new Error(`api-server: duplicate ${info.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`);
      byKey.set(o.key, o);
      const range = namespaces.get(o.namespace);
      if (range) range[1] = i + 1;
      else namespaces.set(o.namespace, [i, i + 1]);
    });
    const store: ResourceStore = { info, objects: sorted, byKey, namespaces };
    resources.push(store);
    const gv = groupVersion(info);
    const plurals = byGroupVersion.get(gv) ?? new Map<string, ResourceStore>();
    plurals.set(info.plural, store);
    byGroupVersion.set(gv, plurals);
  }
  return { resources, byGroupVersion, listResourceVersion: String(revision + 1) };
}

/** Thrown for a `continue` token this server did not issue; answered 400 BadRequest. */
export class ContinueTokenError extends Error {}

interface ContinueToken {
  readonly v: string;
  readonly rv: number;
  readonly start: string;
}

/**
 * Same shape as the real server's token (base64 JSON whose `start` is the last key + `\0`, the
 * smallest key after it), so clients treat it as the opaque value it is.
 */
function encodeContinue(lastKey: string, rv: string): string {
  const token: ContinueToken = { v: 'meta.k8s.io/v1', rv: Number(rv), start: `${lastKey}\u0000` };
  return Buffer.from(JSON.stringify(token)).toString('base64');
}

/** The key a `continue` token resumes at; throws ContinueTokenError for tokens this server did not issue. */
export function decodeContinue(token: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    throw new ContinueTokenError('continue key is not valid: illegal base64 data or JSON');
  }
  const start = (parsed as Partial<ContinueToken> | null)?.start;
  if (typeof start !== 'string' || (parsed as ContinueToken).v !== 'meta.k8s.io/v1') {
    throw new ContinueTokenError('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  return start;
}

/** First index in [from, to) whose key is >= `key`. */
function lowerBound(objects: readonly StoredObject[], key: string, from: number, to: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((objects[mid] as StoredObject).key < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface ListQuery {
  readonly namespace?: string;
  readonly limit?: number;
  /** From decodeContinue: resume at the first key >= this one. */
  readonly start?: string;
  readonly labels: readonly LabelRequirement[];
  readonly fields: readonly FieldRequirement[];
}

export interface ListPage {
  readonly items: readonly StoredObject[];
  readonly continueToken?: string;
  readonly remainingItemCount?: number;
}

/** Field selectors each kind supports, beyond metadata.name and metadata.namespace. */
const EXTRA_FIELDS: Readonly<Record<string, Readonly<Record<string, (o: K8sObject) => unknown>>>> = {
  secrets: { type: (o) => o['type'] },
  pods: {
    'spec.nodeName': (o) => (o['spec'] as Record<string, unknown> | undefined)?.['nodeName'],
    'spec.serviceAccountName': (o) => (o['spec'] as Record<string, unknown> | undefined)?.['serviceAccountName'],
    'status.phase': (o) => (o['status'] as Record<string, unknown> | undefined)?.['phase'],
  },
};

/** Returns the accessor for a field selector, or undefined when the kind doesn't support it. */
export function fieldAccessor(info: ResourceInfo, field: string): ((o: StoredObject) => string) | undefined {
  if (field === 'metadata.name') return (o) => o.name;
  if (field === 'metadata.namespace') return (o) => o.namespace;
  const extra = EXTRA_FIELDS[info.name]?.[field];
  return extra && ((o) => String(extra(o.item) ?? ''));
}

/**
 * One page of a list. Without a limit it is the whole (filtered) scope. `remainingItemCount`
 * is only given when no selector is used, like the real server (it cannot count cheaply then).
 */
export function listPage(store: ResourceStore, rv: string, q: ListQuery): ListPage {
  const { objects } = store;
  const range = q.namespace === undefined ? ([0, objects.length] as const) : store.namespaces.get(q.namespace);
  if (!range) return { items: [] };
  const [from, to] = range;
  const start = q.start === undefined ? from : lowerBound(objects, q.start, from, to);
  const fields = q.fields.map((f) => {
    const get = fieldAccessor(store.info, f.field);
    // The caller validated the fields; an accessor is always present here.
    return (o: StoredObject): boolean => (get?.(o) === f.value) === f.equal;
  });
  const filtered = q.labels.length > 0 || fields.length > 0;
  const matches = (o: StoredObject): boolean => matchesLabels(q.labels, o.metadata.labels) && fields.every((f) => f(o));
  const limit = q.limit !== undefined && q.limit > 0 ? q.limit : Infinity;

  const items: StoredObject[] = [];
  let i = start;
  for (; i < to && items.length < limit; i++) {
    const o = objects[i] as StoredObject;
    if (matches(o)) items.push(o);
  }
  // A continue token only while another matching object really remains.
  while (i < to && !matches(objects[i] as StoredObject)) i++;
  if (i >= to || items.length === 0) return { items };
  const last = items[items.length - 1] as StoredObject;
  const token = encodeContinue(last.key, rv);
  return filtered ? { items, continueToken: token } : { items, continueToken: token, remainingItemCount: to - i };
}
