/**
 * Control-plane discovery and flag parsing (CHECKS.md §1.5). D-CP = mirror pods in kube-system
 * whose `component` label names a control-plane component; each replica is evaluated on its
 * own (HA clusters drift) and reported per node. On a managed or embedded control plane the
 * flags are invisible: `controlPlaneUnavailable` gives the `unable` outcome with the
 * provider's command, never a fail. `controlPlaneFix` builds the R-CP remediation
 * (Appendix A): the static-pod manifest edit and the kubeadm ClusterConfiguration extraArgs,
 * or the RKE2 config file lines.
 */
import { evidence, unable } from './helpers.js';
import type { Container, Pod } from './k8s.js';
import { detectProvider, providerCommands, type ProviderInfo, type ProviderTopic } from './provider.js';
import { sanitize } from './sanitize.js';
import { command } from './shell.js';
import type { Snapshot } from './snapshot.js';
import type { CheckOutcome, Evidence, FindingDraft, FindingSubject, Remediation, Severity } from './types.js';

export type Component = 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'etcd';
export const COMPONENTS: readonly Component[] = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'];

interface FlagValue {
  readonly value: string;
  /** Position in the argument list of the occurrence that won. */
  readonly index: number;
}

/**
 * Parsed command-line flags (§1.5): `--name=value`, `--name value` (next token not starting
 * with `--`), bare `--name` = `true`; the last occurrence wins. Names are normalised like the
 * components' own flag sets do (`_` → `-`, so `--anonymous_auth` is `--anonymous-auth`).
 */
export class Flags {
  readonly #values = new Map<string, FlagValue>();

  constructor(args: readonly string[]) {
    for (let i = 0; i < args.length; i++) {
      const token = args[i] ?? '';
      if (!token.startsWith('--') || token === '--') continue;
      const at = i;
      const eq = token.indexOf('=');
      let name: string;
      let value: string;
      if (eq > 2) {
        name = token.slice(2, eq);
        value = token.slice(eq + 1);
      } else {
        name = token.slice(2);
        const next = args[i + 1];
        if (next !== undefined && !next.startsWith('--')) {
          value = next;
          i++;
        } else {
          value = 'true';
        }
      }
      this.#values.set(normaliseFlagName(name), { value, index: at });
    }
  }

  has(name: string): boolean {
    return this.#values.has(normaliseFlagName(name));
  }

  /** The raw value, undefined when the flag is absent. */
  get(name: string): string | undefined {
    return this.#values.get(normaliseFlagName(name))?.value;
  }

  /** Index (in the argument list given to the constructor) of the winning occurrence. */
  indexOf(name: string): number | undefined {
    return this.#values.get(normaliseFlagName(name))?.index;
  }

  /** `true/false/1/0/t/f` (any case); absent → `fallback`; unparsable → undefined. */
  bool(name: string, fallback: boolean): boolean | undefined {
    const v = this.get(name);
    if (v === undefined) return fallback;
    const lower = v.trim().toLowerCase();
    if (lower === 'true' || lower === '1' || lower === 't') return true;
    if (lower === 'false' || lower === '0' || lower === 'f') return false;
    return undefined;
  }

  /** A comma-separated list flag; absent → empty. */
  list(name: string): string[] {
    const v = this.get(name);
    return v === undefined ? [] : v.split(',').map((s) => s.trim()).filter((s) => s !== '');
  }

  /** A number flag; absent or not a number → undefined. */
  number(name: string): number | undefined {
    const v = this.get(name);
    if (v === undefined || v.trim() === '') return undefined;
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }

  /** Every flag name present, normalised. */
  names(): string[] {
    return [...this.#values.keys()];
  }
}

function normaliseFlagName(name: string): string {
  return name.replace(/_/g, '-');
}

export function parseFlags(args: readonly string[]): Flags {
  return new Flags(args);
}

/** One running replica of a control-plane component. */
export interface ComponentInstance {
  readonly component: Component;
  readonly pod: Pod;
  readonly podName: string;
  /** `spec.nodeName`; empty when the mirror pod does not name its node. */
  readonly node: string;
  readonly container: Container;
  /** `spec.containers[name=kube-apiserver]`: evidence paths start here. */
  readonly containerPath: string;
  /**
   * The component's arguments: what follows the component binary in `command` + `args`
   * (kubeadm: `command[1:]`; RKE2: `args`; kops: after `/go-runner … /usr/local/bin/kube-apiserver`).
   */
  readonly args: readonly string[];
  /** Field path of each entry of `args`, e.g. `command[7]` or `args[2]`. */
  readonly argPaths: readonly string[];
  readonly flags: Flags;
}

function isMirrorPod(pod: Pod): boolean {
  const meta = pod.metadata;
  return meta?.annotations?.['kubernetes.io/config.mirror'] !== undefined || meta?.ownerReferences?.some((r) => r.kind === 'Node') === true;
}

const SHELL_OPERATORS = /^(?:\||\|\||&&|;|&|\d?>>?.*|<.*|2>&1)$/;

function isBinary(word: string, component: Component): boolean {
  return !word.startsWith('-') && (word === component || word.endsWith(`/${component}`));
}

/** argv = command ++ args; the component's own arguments start after its binary. */
function componentArgs(container: Container, component: Component): { args: string[]; paths: string[] } {
  const argv = [
    ...(container.command ?? []).map((value, i) => ({ value, path: `command[${i}]` })),
    ...(container.args ?? []).map((value, i) => ({ value, path: `args[${i}]` })),
  ];
  const binary = argv.findIndex((a) => isBinary(a.value, component));
  if (binary >= 0) {
    const rest = argv.slice(binary + 1);
    return { args: rest.map((a) => a.value), paths: rest.map((a) => a.path) };
  }
  // `sh -c "… exec /usr/local/bin/kube-apiserver --flag=x … 2>&1 | tee …"`: one word holds the command line.
  for (const a of argv) {
    if (!/\s/.test(a.value)) continue;
    const words = a.value.split(/\s+/).map((w) => w.replace(/^(['"])(.*)\1$/, '$2'));
    const at = words.findIndex((w) => isBinary(w, component));
    if (at < 0) continue;
    const out: string[] = [];
    for (const w of words.slice(at + 1)) {
      if (SHELL_OPERATORS.test(w)) break;
      if (w !== '') out.push(w);
    }
    return { args: out, paths: out.map(() => a.path) };
  }
  const fallback = [
    ...(container.command ?? []).slice(1).map((value, i) => ({ value, path: `command[${i + 1}]` })),
    ...(container.args ?? []).map((value, i) => ({ value, path: `args[${i}]` })),
  ];
  return { args: fallback.map((a) => a.value), paths: fallback.map((a) => a.path) };
}

/** The snapshot is immutable: discover D-CP once per snapshot (every D-CP check and every fix asks). */
const discovered = new WeakMap<Snapshot, readonly ComponentInstance[]>();

/** Every D-CP replica in the snapshot, in node order. */
export function controlPlaneInstances(snapshot: Snapshot, component?: Component): ComponentInstance[] {
  let all = discovered.get(snapshot);
  if (!all) {
    all = discover(snapshot);
    discovered.set(snapshot, all);
  }
  return all.filter((i) => component === undefined || i.component === component);
}

function discover(snapshot: Snapshot): ComponentInstance[] {
  const out: ComponentInstance[] = [];
  for (const pod of snapshot.list<Pod>('pods')) {
    if (pod.metadata?.namespace !== 'kube-system' || !isMirrorPod(pod)) continue;
    const label = pod.metadata.labels?.['component'] as Component | undefined;
    if (!label || !COMPONENTS.includes(label)) continue;
    const containers = pod.spec?.containers ?? [];
    const container = containers.find((c) => c.name === label) ?? containers[0];
    if (!container) continue;
    const { args, paths } = componentArgs(container, label);
    out.push({
      component: label,
      pod,
      podName: pod.metadata.name ?? '',
      node: pod.spec?.nodeName ?? '',
      container,
      containerPath: `spec.containers[name=${container.name}]`,
      args,
      argPaths: paths,
      flags: new Flags(args),
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
  const scoped = scopeExcludesKubeSystem(snapshot);
  if (scoped) return unable(scoped);
  const provider = detectProvider(snapshot);
  return unable(controlPlaneHint(provider, component, topic));
}

/** With `-n`, pods are listed only in the chosen namespaces: D-CP (kube-system) was not read. */
function scopeExcludesKubeSystem(snapshot: Snapshot): string | undefined {
  const scope = snapshot.namespaces;
  if (scope === undefined || scope.length === 0 || scope.includes('kube-system')) return undefined;
  return `the scan is limited to namespace(s) ${scope.join(', ')}: control-plane static pods live in kube-system — rescan including kube-system`;
}

/** One line for the `unable` reason: what is invisible and the command that shows it. */
export function controlPlaneHint(provider: ProviderInfo, component: Component, topic: ProviderTopic = 'control-plane'): string {
  const commands = providerCommands(provider, topic).join('; ');
  if (provider.managedControlPlane) {
    return `${provider.name} runs a managed control plane: ${component} flags are not visible through the Kubernetes API — verify with: ${commands}`;
  }
  if (provider.id === 'k3s' || provider.id === 'openshift') {
    return `${provider.name} does not run ${component} as a static pod in kube-system, so its flags are not visible: ${commands}`;
  }
  if (provider.id === 'rke2') {
    return `no ${component} static pod is visible in kube-system on this RKE2 cluster: ${commands}`;
  }
  return `no ${component} static pod is visible in kube-system (managed or external control plane?) — ${commands}`;
}

/** `kube-apiserver on cp-1` for messages and evidence. */
export function describeInstance(instance: ComponentInstance): string {
  return `${instance.component} on ${oneLine(instance.node || instance.podName)}`;
}

/** `kube-apiserver on cp-1, cp-2; kube-scheduler on cp-3` for remarks shared by several replicas. */
export function describeInstances(instances: readonly ComponentInstance[]): string {
  const byComponent = new Map<Component, string[]>();
  for (const i of instances) byComponent.set(i.component, [...(byComponent.get(i.component) ?? []), oneLine(i.node || i.podName)]);
  return [...byComponent].map(([component, nodes]) => `${component} on ${nodes.join(', ')}`).join('; ');
}

/** The finding subject of a replica: its mirror pod, container = component. */
export function instanceSubject(instance: ComponentInstance): FindingSubject {
  return { kind: 'Pod', namespace: 'kube-system', name: instance.podName, container: instance.container.name };
}

/**
 * Evidence for one flag: `spec.containers[name=kube-apiserver].command[12] = --profiling=true`,
 * or the container's command path with `absent (default …)` when the flag is not set.
 */
export function flagEvidence(instance: ComponentInstance, name: string, absent = 'absent'): Evidence {
  const index = instance.flags.indexOf(name);
  if (index === undefined) {
    // Where the component's flags live: kubeadm `command`, RKE2/kops `args`.
    const where = (instance.argPaths[0] ?? (instance.container.command?.length ? 'command' : 'args')).replace(/\[\d+\]$/, '');
    return evidence(`${instance.containerPath}.${where}`, `--${name} ${absent}`);
  }
  return evidence(`${instance.containerPath}.${instance.argPaths[index] ?? 'command'}`, `--${name}=${instance.flags.get(name) ?? ''}`);
}

function oneLine(text: string): string {
  return sanitize(text, { maxLength: 256 });
}

// ---------------------------------------------------------------------------- admission plugins

/** Plugins on by default when `--enable-admission-plugins` does not name them (kube-apiserver 1.30–1.36). */
export const DEFAULT_ADMISSION_PLUGINS: readonly string[] = [
  'NamespaceLifecycle', 'LimitRanger', 'ServiceAccount', 'TaintNodesByCondition', 'PodSecurity', 'Priority',
  'DefaultTolerationSeconds', 'DefaultStorageClass', 'StorageObjectInUseProtection', 'PersistentVolumeClaimResize',
  'RuntimeClass', 'CertificateApproval', 'CertificateSigning', 'ClusterTrustBundleAttest', 'CertificateSubjectRestriction',
  'DefaultIngressClass', 'MutatingAdmissionWebhook', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionWebhook', 'ResourceQuota',
];

export interface AdmissionPluginState {
  readonly enabled: boolean;
  /** Why, for messages: `listed in --enable-admission-plugins`, `not in the default set`, … */
  readonly why: string;
  readonly evidence: readonly Evidence[];
}

/**
 * Whether an admission plugin is on for this API server: the deprecated `--admission-control`
 * list (exclusive: plugins it does not list are off, defaults included), else
 * `--enable-admission-plugins` ∪ defaults − `--disable-admission-plugins`.
 */
export function admissionPlugin(instance: ComponentInstance, plugin: string): AdmissionPluginState {
  const f = instance.flags;
  if (f.has('admission-control')) {
    const on = f.list('admission-control').includes(plugin);
    return {
      enabled: on,
      why: on ? 'listed in the deprecated --admission-control' : 'not listed in the deprecated --admission-control (which replaces the default set)',
      evidence: [flagEvidence(instance, 'admission-control')],
    };
  }
  const ev = [flagEvidence(instance, 'enable-admission-plugins'), ...(f.has('disable-admission-plugins') ? [flagEvidence(instance, 'disable-admission-plugins')] : [])];
  if (f.list('disable-admission-plugins').includes(plugin)) return { enabled: false, why: 'listed in --disable-admission-plugins', evidence: ev };
  if (f.list('enable-admission-plugins').includes(plugin)) return { enabled: true, why: 'listed in --enable-admission-plugins', evidence: ev };
  if (DEFAULT_ADMISSION_PLUGINS.includes(plugin)) return { enabled: true, why: 'on by default', evidence: ev };
  return { enabled: false, why: f.has('enable-admission-plugins') ? 'not listed in --enable-admission-plugins' : '--enable-admission-plugins is not set and the plugin is off by default', evidence: ev };
}

/** The `--enable-admission-plugins` value with `plugin` added (kept in order, no duplicates). */
export function withAdmissionPlugin(instance: ComponentInstance, plugin: string): FlagChange {
  if (instance.flags.has('admission-control')) {
    return { flag: 'admission-control', value: [...instance.flags.list('admission-control').filter((p) => p !== plugin), plugin].join(',') };
  }
  const list = instance.flags.list('enable-admission-plugins').filter((p) => p !== plugin);
  return { flag: 'enable-admission-plugins', value: [...list, plugin].join(',') };
}

// ---------------------------------------------------------------------------- evaluation

/** What a check concludes about one replica. */
export interface InstanceVerdict {
  readonly findings?: readonly FindingDraft[];
  /** This replica's answer depends on a file that is not visible: the text says what and where. */
  readonly unable?: string;
  /** A remark for the pass note (e.g. a file whose content is not visible). */
  readonly note?: string;
}

export interface EvaluateOptions {
  /** Topic of the provider command quoted when the control plane is not visible. */
  readonly topic?: ProviderTopic;
  /** Appended to the `unable` reason when no replica is visible (provider specifics, D-PROBE/D-METRICS notes). */
  readonly unavailableNote?: (provider: ProviderInfo) => string | undefined;
  /** Appended to the pass note. */
  readonly passNote?: string;
}

/**
 * The common shape of the D-CP checks: evaluate every replica of `components` separately,
 * return `unable` with the provider hint when none is visible (never fail/pass on a managed
 * control plane), and `unable` when no replica failed but some depend on invisible files.
 */
export function evaluateControlPlane(
  snapshot: Snapshot,
  components: readonly Component[],
  visit: (instance: ComponentInstance) => InstanceVerdict,
  options: EvaluateOptions = {},
): CheckOutcome {
  const primary = components[0] ?? 'kube-apiserver';
  const instances = components.flatMap((c) => controlPlaneInstances(snapshot, c));
  if (instances.length === 0) {
    const outcome = controlPlaneUnavailable(snapshot, primary, options.topic) ?? unable(`no ${components.join('/')} static pod is visible in kube-system`);
    const extra = snapshot.has('pods') ? options.unavailableNote?.(detectProvider(snapshot)) : undefined;
    return extra ? unable(`${outcome.reason ?? ''}; ${extra}`) : outcome;
  }
  const drafts: FindingDraft[] = [];
  // Replicas usually agree: one line per distinct remark, naming every replica it applies to.
  const unableBy = new Map<string, ComponentInstance[]>();
  const noteBy = new Map<string, ComponentInstance[]>();
  const add = (map: Map<string, ComponentInstance[]>, text: string | undefined, instance: ComponentInstance): void => {
    if (text) map.set(text, [...(map.get(text) ?? []), instance]);
  };
  for (const instance of instances) {
    const verdict = visit(instance);
    drafts.push(...(verdict.findings ?? []));
    add(unableBy, verdict.unable, instance);
    add(noteBy, verdict.note, instance);
  }
  const lines = (map: Map<string, ComponentInstance[]>): string[] => [...map].map(([text, list]) => `${describeInstances(list)}: ${sanitize(text, { maxLength: 512 })}`);
  const unableParts = lines(unableBy);
  const notes = lines(noteBy);
  const missing = components.filter((c) => !instances.some((i) => i.component === c));
  const missingNote = missing.length ? `no ${missing.join(', ')} static pod visible (not evaluated)` : undefined;
  const checked = `checked ${describeInstances(instances)}`;
  if (drafts.length === 0 && unableParts.length > 0) {
    return unable([...unableParts, ...(missingNote ? [missingNote] : [])].join('; '));
  }
  const reason = [checked, ...(missingNote ? [missingNote] : []), ...unableParts.map((u) => `not decidable: ${u}`), ...notes, ...(options.passNote ? [options.passNote] : [])].join('; ');
  return { findings: drafts, reason };
}

/** A finding on one replica: subject = its mirror pod, scope `workload` (a real control-plane finding, not infrastructure noise). */
export function instanceFinding(
  instance: ComponentInstance,
  draft: { readonly message: string; readonly evidence: readonly Evidence[]; readonly remediation: Remediation; readonly severity?: Severity; readonly status?: 'fail' | 'warn'; readonly discriminator?: string },
): FindingDraft {
  return {
    subject: instanceSubject(instance),
    // Flag values come from the cluster: one plain line whatever they contain.
    message: sanitize(draft.message, { maxLength: 1024 }),
    evidence: draft.evidence,
    remediation: draft.remediation,
    ...(draft.severity ? { severity: draft.severity } : {}),
    ...(draft.status ? { status: draft.status } : {}),
    ...(draft.discriminator ? { discriminator: draft.discriminator } : {}),
    scope: 'workload',
  };
}

// ---------------------------------------------------------------------------- R-CP remediation

/** One flag edit: set `--flag=value`, or remove the flag. `flag` is written without dashes. */
export interface FlagChange {
  readonly flag: string;
  readonly value?: string;
  readonly remove?: boolean;
}

/** A host directory or file the new flags reference, mounted into the static pod. */
export interface HostMount {
  readonly name: string;
  readonly hostPath: string;
  readonly mountPath: string;
  readonly readOnly?: boolean;
  /** `DirectoryOrCreate`, `File`, …; default `DirectoryOrCreate`. */
  readonly pathType?: string;
}

export interface ControlPlaneFixOptions {
  /** Host mounts to add (kubeadm `extraVolumes`). */
  readonly mounts?: readonly HostMount[];
  /** Files to create on every control-plane node first: path → content (shown in the patch). */
  readonly files?: readonly { readonly path: string; readonly content: string }[];
  /** Extra comment lines before the steps (plain text; one line each). */
  readonly before?: readonly string[];
}

const KUBEADM_KEYS: Readonly<Record<Component, string>> = {
  'kube-apiserver': 'apiServer', 'kube-controller-manager': 'controllerManager', 'kube-scheduler': 'scheduler', etcd: 'etcd',
};

/** kubeadm's ClusterConfiguration version from the kubeadm-config ConfigMap (v1beta4 lists extraArgs, v1beta3 maps them). */
export function kubeadmConfigVersion(snapshot: Snapshot): 'v1beta3' | 'v1beta4' {
  const text = snapshot.systemConfigMap('kube-system', 'kubeadm-config')?.data?.['ClusterConfiguration'] ?? '';
  return /apiVersion:\s*["']?kubeadm\.k8s\.io\/v1beta3/.test(text) ? 'v1beta3' : 'v1beta4';
}

/** A YAML scalar for values that may come from the cluster: always a double-quoted JSON string. */
function yamlString(value: string): string {
  return JSON.stringify(value);
}

function flagWord(change: FlagChange): string {
  return change.remove ? `--${change.flag}` : `--${change.flag}=${change.value ?? ''}`;
}

/** Comma-separated flags compared as sets (order does not matter to the components). */
const LIST_FLAGS = new Set(['enable-admission-plugins', 'disable-admission-plugins', 'admission-control', 'authorization-mode', 'tls-cipher-suites']);

/** True when the replica already runs with every change applied. */
function hasChanges(instance: ComponentInstance, changes: readonly FlagChange[]): boolean {
  return changes.every((c) => {
    if (c.remove) return !instance.flags.has(c.flag);
    if (!LIST_FLAGS.has(c.flag)) return instance.flags.get(c.flag) === (c.value ?? '');
    const want = new Set((c.value ?? '').split(',').filter(Boolean));
    const have = new Set(instance.flags.list(c.flag));
    return want.size === have.size && [...want].every((v) => have.has(v));
  });
}

/**
 * R-CP (CHECKS.md Appendix A) for one replica: the edit of its static-pod manifest, the same
 * edit on every other control-plane node, and the kubeadm ClusterConfiguration extraArgs that
 * keep it across `kubeadm upgrade` (RKE2: the `…-arg` lines of /etc/rancher/rke2/config.yaml).
 * `command` holds only comments and kubectl (the node-side edit cannot be done through the API);
 * `patch` holds the YAML to paste.
 */
export function controlPlaneFix(snapshot: Snapshot, instance: ComponentInstance, changes: readonly FlagChange[], options: ControlPlaneFixOptions = {}): Pick<Remediation, 'command' | 'patch'> {
  const component = instance.component;
  const node = oneLine(instance.node || instance.podName);
  // Other replicas that still need the edit, and those that already run with it (HA drift).
  const peers = controlPlaneInstances(snapshot, component).filter((i) => oneLine(i.node || i.podName) !== node);
  const others = [...new Set(peers.filter((i) => !hasChanges(i, changes)).map((i) => oneLine(i.node || i.podName)))];
  const done = [...new Set(peers.filter((i) => hasChanges(i, changes)).map((i) => oneLine(i.node || i.podName)))];
  const rke2 = (snapshot.version?.gitVersion ?? '').includes('+rke2');
  const manifest = `/etc/kubernetes/manifests/${component}.yaml`;
  const words = changes.map((c) => `${c.remove ? 'remove' : 'set'} ${oneLine(flagWord(c))}`).join(', ');
  const lines: string[] = [...(options.before ?? []).map((b) => `# ${oneLine(b)}`)];
  const patch: string[] = [];

  for (const file of options.files ?? []) {
    lines.push(`# create ${file.path} on every control-plane node (content in the patch)`);
    patch.push(`# ${file.path}`, file.content.trimEnd(), '---');
  }

  if (rke2) {
    const key = component === 'etcd' ? 'etcd-arg' : `${component}-arg`;
    lines.push(
      `# on server node ${node}${others.length ? ` and every other server node (${others.join(', ')})` : ''}: ${words}`,
      `# in /etc/rancher/rke2/config.yaml (${key}, see patch), then restart the rke2-server service`,
    );
    patch.push('# /etc/rancher/rke2/config.yaml', `${key}:`);
    for (const c of changes) patch.push(c.remove ? `# remove the entry starting with ${yamlString(`${c.flag}=`)}` : `- ${yamlString(`${c.flag}=${c.value ?? ''}`)}`);
  } else {
    lines.push(
      `# 1. on node ${node}: edit ${manifest} (${words}); the kubelet restarts the static pod`,
      ...(others.length ? [`#    then the same edit on every other control-plane node: ${others.join(', ')}`] : []),
      ...(done.length ? [`#    (${done.join(', ')} already run${done.length === 1 ? 's' : ''} with it)`] : []),
      '# 2. keep it across kubeadm upgrade: merge the extraArgs in the patch into ClusterConfiguration',
      command`kubectl -n kube-system edit configmap kubeadm-config`,
      '# 3. check the running flags once the pod is back',
      command`kubectl -n kube-system get pod ${instance.podName} -o ${`jsonpath={.spec.containers[?(@.name=="${instance.container.name}")].command}`}`,
    );
    // The manifest fragment.
    patch.push(`# ${manifest} on ${node}${others.length ? ` (and ${others.join(', ')})` : ''}`, 'spec:', '  containers:', `  - name: ${yamlString(instance.container.name)}`, '    command:');
    patch.push(`    - ${yamlString(component)}`);
    for (const c of changes) {
      patch.push(c.remove ? `    # remove the line starting with ${yamlString(`--${c.flag}`)}` : `    - ${yamlString(flagWord(c))}   # add, or replace the existing --${c.flag} line`);
    }
    if (options.mounts?.length) {
      patch.push('    volumeMounts:');
      for (const m of options.mounts) patch.push(`    - {name: ${yamlString(m.name)}, mountPath: ${yamlString(m.mountPath)}, readOnly: ${m.readOnly ?? true}}`);
      patch.push('  volumes:');
      for (const m of options.mounts) patch.push(`  - {name: ${yamlString(m.name)}, hostPath: {path: ${yamlString(m.hostPath)}, type: ${m.pathType ?? 'DirectoryOrCreate'}}}`);
    }
    // The kubeadm ClusterConfiguration fragment.
    const version = kubeadmConfigVersion(snapshot);
    const key = KUBEADM_KEYS[component];
    const indent = component === 'etcd' ? '    ' : '  ';
    patch.push('---', '# kube-system/kubeadm-config, data.ClusterConfiguration (merge with the existing extraArgs)', `apiVersion: kubeadm.k8s.io/${version}`, 'kind: ClusterConfiguration');
    patch.push(component === 'etcd' ? 'etcd:\n  local:' : `${key}:`, `${indent}extraArgs:`);
    for (const c of changes) {
      if (c.remove) patch.push(`${indent}# remove ${yamlString(c.flag)}`);
      else if (version === 'v1beta4') patch.push(`${indent}- name: ${yamlString(c.flag)}`, `${indent}  value: ${yamlString(c.value ?? '')}`);
      else patch.push(`${indent}  ${yamlString(c.flag)}: ${yamlString(c.value ?? '')}`);
    }
    if (options.mounts?.length) {
      patch.push(`${indent}extraVolumes:`);
      for (const m of options.mounts) {
        patch.push(`${indent}- {name: ${yamlString(m.name)}, hostPath: ${yamlString(m.hostPath)}, mountPath: ${yamlString(m.mountPath)}, readOnly: ${m.readOnly ?? true}, pathType: ${m.pathType ?? 'DirectoryOrCreate'}}`);
      }
    }
  }
  return { command: lines.join('\n'), patch: patch.join('\n') };
}

// ---------------------------------------------------------------------------- shared facts

/** kubeadm's certificate directory: default values in R-CP fixes. */
export const KUBEADM_PKI = '/etc/kubernetes/pki';

/** `1.33` → 33; undefined when the version was not read. */
export function clusterMinor(snapshot: Snapshot): number | undefined {
  const minor = Number.parseInt((snapshot.version?.minor ?? '').replace(/\D+/g, ''), 10);
  return Number.isFinite(minor) ? minor : undefined;
}

/**
 * Namespaces that hold tenants' workloads: non-system namespaces (from the namespace list and
 * from the pods), `default` only when pods run in it. Used to tell multi-tenant clusters apart.
 */
export function applicationNamespaces(snapshot: Snapshot): { readonly names: readonly string[]; readonly partial: boolean } {
  const names = new Set<string>();
  for (const ns of snapshot.list('namespaces')) if (ns.metadata?.name) names.add(ns.metadata.name);
  const withPods = new Set(snapshot.list<Pod>('pods').map((p) => p.metadata?.namespace ?? ''));
  for (const ns of withPods) if (ns) names.add(ns);
  const out = [...names].filter((ns) => !snapshot.isSystemNamespace(ns) && (ns !== 'default' || withPods.has('default'))).sort();
  const partial = !snapshot.has('namespaces') || (snapshot.namespaces !== undefined && snapshot.namespaces.length > 0);
  return { names: out, partial };
}
