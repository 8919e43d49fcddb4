/**
 * Server-side printing (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`), which is how
 * `kubectl get` renders rows: the server chooses the columns and cell values. Columns and cell
 * logic follow kubernetes/pkg/printers/internalversion for the kinds a demo user is likely to
 * `kubectl get`; every other kind gets the NAME/AGE default that CRDs without printer columns get.
 */
import type { K8sObject } from '../engine/k8s.js';
import type { ResourceInfo } from '../engine/resources.js';

export interface ColumnDefinition {
  readonly name: string;
  readonly type: 'string' | 'integer';
  readonly format: string;
  readonly description: string;
  /** 0 = always shown; 1 = only with `-o wide`. */
  readonly priority: number;
}

type Cell = string | number;

interface Printer {
  readonly columns: readonly ColumnDefinition[];
  readonly cells: (o: K8sObject, now: number) => Cell[];
}

/** k8s.io/apimachinery/pkg/util/duration.HumanDuration, which `kubectl get` shows as AGE. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const years = Math.floor(hours / 24 / 365);
  if (hours < 24 * 365 * 8) {
    const days = Math.floor(hours / 24) % 365;
    return days === 0 ? `${years}y` : `${years}y${days}d`;
  }
  return `${years}y`;
}

const since = (timestamp: unknown, now: number): string => {
  const t = typeof timestamp === 'string' ? Date.parse(timestamp) : NaN;
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
};

// Loose readers for wire JSON: the printers must not throw on odd fixtures.
type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): Json[] => (Array.isArray(v) ? v.map(obj) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

const col = (name: string, description: string, priority = 0, type: ColumnDefinition['type'] = 'string', format = ''): ColumnDefinition => ({
  name,
  type,
  format,
  description,
  priority,
});
const NAME = col('Name', 'Name must be unique within a namespace.', 0, 'string', 'name');
const AGE = col('Age', 'CreationTimestamp is a timestamp representing the server time when this object was created.');
const name = (o: K8sObject): string => o.metadata?.name ?? '';
const age = (o: K8sObject, now: number): string => since(o.metadata?.creationTimestamp, now);

/** READY, STATUS and RESTARTS the way `kubectl get pods` computes them (printPod). */
function podSummary(pod: K8sObject, now: number): { ready: string; status: string; restarts: string } {
  const spec = obj(pod['spec']);
  const status = obj(pod['status']);
  let reason = str(status['reason']) ?? str(status['phase']) ?? 'Unknown';
  let restarts = 0;
  let lastRestart = 0;
  const noteRestarts = (cs: Json): void => {
    restarts += num(cs['restartCount']);
    const finished = Date.parse(String(obj(obj(cs['lastState'])['terminated'])['finishedAt'] ?? ''));
    if (!Number.isNaN(finished)) lastRestart = Math.max(lastRestart, finished);
  };
  const terminatedReason = (t: Json): string =>
    str(t['reason']) ?? (num(t['signal']) !== 0 ? `Signal:${num(t['signal'])}` : `ExitCode:${num(t['exitCode'])}`);

  let initializing = false;
  const initStatuses = arr(status['initContainerStatuses']);
  for (const [i, cs] of initStatuses.entries()) {
    noteRestarts(cs);
    const state = obj(cs['state']);
    const terminated = state['terminated'] ? obj(state['terminated']) : undefined;
    const waiting = str(obj(state['waiting'])['reason']);
    if (terminated && num(terminated['exitCode']) === 0) continue;
    initializing = true;
    if (terminated) reason = `Init:${terminatedReason(terminated)}`;
    else if (waiting && waiting !== 'PodInitializing') reason = `Init:${waiting}`;
    else reason = `Init:${i}/${arr(spec['initContainers']).length}`;
    break;
  }

  let readyCount = 0;
  const statuses = arr(status['containerStatuses']);
  if (!initializing) {
    restarts = 0;
    lastRestart = 0;
    let hasRunning = false;
    for (const cs of [...statuses].reverse()) {
      noteRestarts(cs);
      const state = obj(cs['state']);
      const waiting = str(obj(state['waiting'])['reason']);
      if (waiting) reason = waiting;
      else if (state['terminated']) reason = terminatedReason(obj(state['terminated']));
      else if (cs['ready'] === true && state['running']) {
        hasRunning = true;
        readyCount++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const ready = arr(status['conditions']).some((c) => c['type'] === 'Ready' && c['status'] === 'True');
      reason = ready ? 'Running' : 'NotReady';
    }
  }
  if (pod.metadata && 'deletionTimestamp' in pod.metadata) reason = status['reason'] === 'NodeLost' ? 'Unknown' : 'Terminating';

  const total = arr(spec['containers']).length;
  return {
    ready: `${readyCount}/${total}`,
    status: reason,
    restarts: lastRestart > 0 ? `${restarts} (${humanDuration(now - lastRestart)} ago)` : String(restarts),
  };
}

function bindingCells(o: K8sObject, now: number): Cell[] {
  const ref = obj(o['roleRef']);
  const subjects = arr(o['subjects']);
  const of = (kind: string, format: (s: Json) => string): string =>
    subjects.filter((s) => s['kind'] === kind).map(format).join(', ');
  return [
    name(o),
    `${str(ref['kind']) ?? ''}/${str(ref['name']) ?? ''}`,
    age(o, now),
    of('User', (s) => String(s['name'] ?? '')),
    of('Group', (s) => String(s['name'] ?? '')),
    of('ServiceAccount', (s) => `${String(s['namespace'] ?? '')}/${String(s['name'] ?? '')}`),
  ];
}
const BINDING_COLUMNS = [
  NAME,
  col('Role', 'Role of the binding'),
  AGE,
  col('Users', 'Users in the binding', 1),
  col('Groups', 'Groups in the binding', 1),
  col('ServiceAccounts', 'ServiceAccounts in the binding', 1),
];

function servicePorts(spec: Json): string {
  const ports = arr(spec['ports']);
  if (ports.length === 0) return '<none>';
  return ports
    .map((p) => `${num(p['port'])}${num(p['nodePort']) ? `:${num(p['nodePort'])}` : ''}/${str(p['protocol']) ?? 'TCP'}`)
    .join(',');
}

function serviceExternalIp(spec: Json, status: Json): string {
  const external = (spec['externalIPs'] as string[] | undefined) ?? [];
  if (spec['type'] === 'LoadBalancer') {
    const ingress = arr(obj(status['loadBalancer'])['ingress']).map((i) => str(i['ip']) ?? str(i['hostname']) ?? '');
    const all = [...ingress, ...external];
    return all.length > 0 ? all.join(',') : '<pending>';
  }
  if (spec['type'] === 'ExternalName') return str(spec['externalName']) ?? '<none>';
  return external.length > 0 ? external.join(',') : '<none>';
}

function nodeStatus(node: K8sObject): string {
  const ready = arr(obj(node['status'])['conditions']).find((c) => c['type'] === 'Ready');
  const state = ready === undefined ? 'Unknown' : ready['status'] === 'True' ? 'Ready' : 'NotReady';
  return obj(node['spec'])['unschedulable'] === true ? `${state},SchedulingDisabled` : state;
}

function nodeRoles(node: K8sObject): string {
  const roles = Object.keys(node.metadata?.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
    .filter((r) => r !== '');
  return roles.length > 0 ? roles.sort().join(',') : '<none>';
}

const PRINTERS: Readonly<Record<string, Printer>> = {
  pods: {
    columns: [
      NAME,
      col('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
      col('Status', 'The aggregate status of the containers in this pod.'),
      col('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
      AGE,
      col('IP', 'IP address allocated to the pod.', 1),
      col('Node', 'Name of the node where the pod is scheduled.', 1),
      col('Nominated Node', 'Name of the node where the pod is nominated.', 1),
      col('Readiness Gates', 'Pod readiness gates.', 1),
    ],
    cells: (o, now) => {
      const s = podSummary(o, now);
      const spec = obj(o['spec']);
      const status = obj(o['status']);
      const gates = arr(spec['readinessGates']);
      return [
        name(o),
        s.ready,
        s.status,
        s.restarts,
        age(o, now),
        str(status['podIP']) ?? '<none>',
        str(spec['nodeName']) ?? '<none>',
        str(status['nominatedNodeName']) ?? '<none>',
        gates.length > 0 ? `0/${gates.length}` : '<none>',
      ];
    },
  },
  nodes: {
    columns: [
      NAME,
      col('Status', 'The status of the node'),
      col('Roles', 'The roles of the node'),
      AGE,
      col('Version', 'Kubelet Version reported by the node.'),
      col('Internal-IP', 'List of internal IPs for the node', 1),
      col('External-IP', 'List of external IPs for the node', 1),
      col('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', 1),
      col('Kernel-Version', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
      col('Container-Runtime', 'Container runtime version reported by the node through runtime remote API (e.g. containerd://1.4.2).', 1),
    ],
    cells: (o, now) => {
      const status = obj(o['status']);
      const info = obj(status['nodeInfo']);
      const address = (type: string): string =>
        arr(status['addresses']).filter((a) => a['type'] === type).map((a) => String(a['address'])).join(',') || '<none>';
      return [
        name(o),
        nodeStatus(o),
        nodeRoles(o),
        age(o, now),
        str(info['kubeletVersion']) ?? '',
        address('InternalIP'),
        address('ExternalIP'),
        str(info['osImage']) ?? '<unknown>',
        str(info['kernelVersion']) ?? '<unknown>',
        str(info['containerRuntimeVersion']) ?? '<unknown>',
      ];
    },
  },
  namespaces: {
    columns: [NAME, col('Status', 'The status of the namespace'), AGE],
    cells: (o, now) => [name(o), str(obj(o['status'])['phase']) ?? 'Active', age(o, now)],
  },
  deployments: {
    columns: [
      NAME,
      col('Ready', 'Number of the pod with ready state'),
      col('Up-to-date', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.', 0, 'integer'),
      col('Available', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.', 0, 'integer'),
      AGE,
    ],
    cells: (o, now) => {
      const status = obj(o['status']);
      const desired = typeof obj(o['spec'])['replicas'] === 'number' ? num(obj(o['spec'])['replicas']) : 1;
      return [name(o), `${num(status['readyReplicas'])}/${desired}`, num(status['updatedReplicas']), num(status['availableReplicas']), age(o, now)];
    },
  },
  services: {
    columns: [
      NAME,
      col('Type', 'The type of the service.'),
      col('Cluster-IP', 'The IP address of the service.'),
      col('External-IP', 'The external IP address of the service.'),
      col('Port(s)', 'The ports of the service.'),
      AGE,
      col('Selector', 'The label selector of the service.', 1),
    ],
    cells: (o, now) => {
      const spec = obj(o['spec']);
      const selector = Object.entries(obj(spec['selector'])).map(([k, v]) => `${k}=${String(v)}`);
      return [
        name(o),
        str(spec['type']) ?? 'ClusterIP',
        str(spec['clusterIP']) ?? '<none>',
        serviceExternalIp(spec, obj(o['status'])),
        servicePorts(spec),
        age(o, now),
        selector.length > 0 ? selector.sort().join(',') : '<none>',
      ];
    },
  },
  secrets: {
    columns: [NAME, col('Type', 'The type of the secret'), col('Data', 'The number of entries in the secret', 0, 'integer'), AGE],
    // Only the number of keys, never a value: that is what the real printer shows too.
    cells: (o, now) => [name(o), str(o['type']) ?? 'Opaque', Object.keys(obj(o['data'])).length, age(o, now)],
  },
  rolebindings: { columns: BINDING_COLUMNS, cells: bindingCells },
  clusterrolebindings: { columns: BINDING_COLUMNS, cells: bindingCells },
};

const DEFAULT_PRINTER: Printer = { columns: [NAME, AGE], cells: (o, now) => [name(o), age(o, now)] };

export function printerFor(info: ResourceInfo): Printer {
  return PRINTERS[info.name] ?? DEFAULT_PRINTER;
}
