/**
 * Discovery documents, built once at start from the served resources. Both flavours exist:
 * the legacy documents (/api, /api/v1, /apis, /apis/G, /apis/G/V) and the aggregated
 * `apidiscovery.k8s.io/v2` lists for /api and /apis, which kubectl (client-go ≥ 1.30) asks for
 * first and which save it one request per group version.
 */
import { groupVersion, type ResourceInfo } from '../engine/resources.js';
import type { ResourceStore, Store } from './store.js';

/** The server only reads. */
const VERBS = ['get', 'list'];

/** What `kubectl get all` expands to on a real cluster. */
const ALL_CATEGORY = new Set(['pods', 'services', 'replicationcontrollers', 'deployments', 'replicasets', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs']);
const categories = (info: ResourceInfo): object => (ALL_CATEGORY.has(info.name) ? { categories: ['all'] } : {});

interface GroupVersions {
  readonly group: string;
  readonly versions: readonly { readonly version: string; readonly resources: readonly ResourceInfo[] }[];
}

export interface Discovery {
  readonly apiVersions: object;
  readonly groupList: object;
  /** Keyed by group name. */
  readonly groups: ReadonlyMap<string, object>;
  /** Keyed by groupVersion (`v1`, `apps/v1`). */
  readonly resourceLists: ReadonlyMap<string, object>;
  readonly aggregatedCore: object;
  readonly aggregatedGroups: object;
}

/** Groups (core first) with their versions, in resource-table order. */
function groupsOf(resources: readonly ResourceStore[]): GroupVersions[] {
  const groups = new Map<string, Map<string, ResourceInfo[]>>();
  for (const { info } of resources) {
    const versions = groups.get(info.group) ?? new Map<string, ResourceInfo[]>();
    versions.set(info.version, [...(versions.get(info.version) ?? []), info]);
    groups.set(info.group, versions);
  }
  return [...groups].map(([group, versions]) => ({
    group,
    versions: [...versions].map(([version, infos]) => ({ version, resources: infos })),
  }));
}

const gvEntry = (group: string, version: string): { groupVersion: string; version: string } => ({
  groupVersion: groupVersion({ group, version }),
  version,
});

function legacyResource(info: ResourceInfo): object {
  return {
    name: info.plural,
    singularName: info.kind.toLowerCase(),
    namespaced: info.namespaced,
    kind: info.kind,
    verbs: VERBS,
    ...(info.shortNames ? { shortNames: info.shortNames } : {}),
    ...categories(info),
  };
}

function aggregatedGroup(g: GroupVersions): object {
  return {
    metadata: g.group === '' ? { creationTimestamp: null } : { name: g.group, creationTimestamp: null },
    versions: g.versions.map((v) => ({
      version: v.version,
      resources: v.resources.map((info) => ({
        resource: info.plural,
        responseKind: { group: info.group, version: info.version, kind: info.kind },
        scope: info.namespaced ? 'Namespaced' : 'Cluster',
        singularResource: info.kind.toLowerCase(),
        verbs: VERBS,
        ...(info.shortNames ? { shortNames: info.shortNames } : {}),
        ...categories(info),
      })),
      freshness: 'Current',
    })),
  };
}

const aggregatedList = (items: object[]): object => ({
  kind: 'APIGroupDiscoveryList',
  apiVersion: 'apidiscovery.k8s.io/v2',
  metadata: {},
  items,
});

export function buildDiscovery(store: Store, serverAddress: string): Discovery {
  const all = groupsOf(store.resources);
  const core = all.find((g) => g.group === '');
  const named = all.filter((g) => g.group !== '');

  const groupDoc = (g: GroupVersions): object => ({
    name: g.group,
    versions: g.versions.map((v) => gvEntry(g.group, v.version)),
    // The table lists one version per group, so the first is the preferred one.
    preferredVersion: gvEntry(g.group, (g.versions[0] as GroupVersions['versions'][number]).version),
  });

  const resourceLists = new Map<string, object>();
  for (const g of all) {
    for (const v of g.versions) {
      const gv = groupVersion({ group: g.group, version: v.version });
      resourceLists.set(gv, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources: v.resources.map(legacyResource) });
    }
  }

  return {
    apiVersions: {
      kind: 'APIVersions',
      versions: core ? core.versions.map((v) => v.version) : [],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
    },
    groupList: { kind: 'APIGroupList', apiVersion: 'v1', groups: named.map(groupDoc) },
    groups: new Map(named.map((g) => [g.group, { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(g) }])),
    resourceLists,
    aggregatedCore: aggregatedList(core ? [aggregatedGroup(core)] : []),
    aggregatedGroups: aggregatedList(named.map(aggregatedGroup)),
  };
}
