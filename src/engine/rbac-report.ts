/**
 * How the cluster/rbac-* checks report (CHECKS.md §3B): one finding per binding and check,
 * naming the binding, its flagged subjects, the role and the rules that grant the permission,
 * with `kubectl auth can-i` verification and a fix command. Exempt grants (§1.8, §7) are
 * counted for the pass note, never reported.
 */
import { evidence, findings } from './helpers.js';
import type { PolicyRule, RoleBinding } from './k8s.js';
import {
  RbacIndex, canICommand, describeBinding, describeRole, describeSubject, isAdminEquivalentRule, isBroadSubject, subjectKey, toRbacSubject,
  type BindingRef, type Grant, type Match, type RbacSubject, type ResourceRequest, type RoleInfo, type RoleRefInfo,
} from './rbac.js';
import { command } from './shell.js';
import type { Snapshot } from './snapshot.js';
import { severityRank, type CheckOutcome, type Evidence, type FindingDraft, type Severity } from './types.js';

/**
 * Grants through a `*`/`*`/`*` rule are cluster-admin (or namespace-admin) equivalent: every
 * permission check would repeat them, so cluster/rbac-cluster-admin-binding alone reports them
 * (same exemptions, one finding per binding, one fix).
 */
const ADMIN_EQUIVALENT = 'cluster-admin-equivalent rules (reported by cluster/rbac-cluster-admin-binding)';

/** One grant that gives a flagged permission. */
export interface Hit {
  readonly grant: Grant;
  readonly match: Match;
  /** What it allows, e.g. `list secrets`. */
  readonly what: string;
  readonly severity: Severity;
  /** Asked in the `kubectl auth can-i` verification. */
  readonly req: ResourceRequest;
}

/** A permission a check looks for. */
export interface Probe {
  readonly req: ResourceRequest;
  /** Defaults to `<verb> <resource>[/<subresource>]`. */
  readonly what?: string;
  /** Severity of a grant giving it; return undefined to ignore the grant (e.g. resourceNames on `create`). */
  readonly severity: (grant: Grant, match: Match) => Severity | undefined;
}

export function maxSeverity(a: Severity, b: Severity): Severity {
  return severityRank(a) <= severityRank(b) ? a : b;
}

/** One severity lower (resourceNames-limited grants, namespace-scoped grants where a row grades them). */
export function lower(severity: Severity): Severity {
  switch (severity) {
    case 'critical': return 'high';
    case 'high': return 'medium';
    case 'medium': return 'low';
    default: return 'info';
  }
}

export function describeRequest(req: ResourceRequest): string {
  const resource = req.subresource ? `${req.resource}/${req.subresource}` : req.resource;
  return `${req.verb} ${resource}`;
}

/** Every grant (exempt included) that gives one of the probed permissions. */
export function probe(index: RbacIndex, probes: readonly Probe[]): Hit[] {
  const out: Hit[] = [];
  for (const p of probes) {
    for (const { grant, match } of index.allowing(p.req, { includeExempt: true })) {
      const severity = p.severity(grant, match);
      if (severity !== undefined) out.push({ grant, match, severity, what: p.what ?? describeRequest(p.req), req: p.req });
    }
  }
  return out;
}

function bindingKey(b: BindingRef): string {
  return `${b.kind}/${b.namespace ?? ''}/${b.name}`;
}

/** `clusterroles[name=x]` / `roles[namespace=ns,name=x]`: the evidence path of a role. */
export function rolePath(role: RoleRefInfo): string {
  return role.kind === 'ClusterRole' ? `clusterroles[name=${role.name}]` : `roles[namespace=${role.namespace ?? ''},name=${role.name}]`;
}

/** `create x`, `update x`, `get y` → `create, update x`, `get y` (order kept). */
export function mergeVerbs(whats: readonly string[]): string[] {
  const byObject = new Map<string, string[]>();
  for (const what of whats) {
    const space = what.indexOf(' ');
    const verb = space < 0 ? what : what.slice(0, space);
    const object = space < 0 ? '' : what.slice(space + 1);
    const verbs = byObject.get(object);
    if (!verbs) byObject.set(object, [verb]);
    else if (!verbs.includes(verb)) verbs.push(verb);
  }
  // Objects with the same verbs share one entry: `create, update deployments, replicasets`.
  const byVerbs = new Map<string, string[]>();
  for (const [object, verbs] of byObject) {
    const key = verbs.join(', ');
    const objects = byVerbs.get(key);
    if (!objects) byVerbs.set(key, [object]);
    else objects.push(object);
  }
  return [...byVerbs].map(([verbs, objects]) => `${verbs} ${objects.join(', ')}`.trim());
}

function list(items: readonly string[], max = 5, separator = ', '): string {
  return items.length <= max ? items.join(separator) : `${items.slice(0, max).join(separator)} and ${items.length - max} more`;
}

/** Indices of the binding's subjects that are among `flagged`. */
function subjectIndices(binding: RoleBinding | undefined, ref: BindingRef, flagged: ReadonlySet<string>): number[] {
  const out: number[] = [];
  (binding?.subjects ?? []).forEach((s, i) => {
    const rs = toRbacSubject(s, ref.namespace);
    if (rs && flagged.has(subjectKey(rs))) out.push(i);
  });
  return out;
}

function subjectFlag(s: RbacSubject): string {
  if (s.kind === 'ServiceAccount') return command`${`--serviceaccount=${s.namespace ?? ''}:${s.name}`}`;
  if (s.kind === 'Group') return command`${`--group=${s.name}`}`;
  return command`${`--user=${s.name}`}`;
}

/**
 * The fix: edit a custom role (drop the rule), or, for a default role whose rules are not
 * ours to change, bind a narrower role; then remove the flagged subjects from the binding
 * (the whole binding when every subject is flagged).
 */
export function fixCommands(index: RbacIndex, ref: BindingRef, role: RoleRefInfo, subjects: readonly RbacSubject[], ruleIndices: readonly number[]): string[] {
  const binding = index.binding(ref);
  const all = binding?.subjects ?? [];
  const flagged = new Set(subjects.map(subjectKey));
  const indices = subjectIndices(binding, ref, flagged);
  const partial = indices.length < all.length;
  const nsFlag = ref.kind === 'RoleBinding' ? command`-n ${ref.namespace ?? ''} ` : '';
  const resource = ref.kind === 'ClusterRoleBinding' ? 'clusterrolebinding' : 'rolebinding';
  const roleObject = index.role(role);
  const roleIsDefault = index.roles().some((r) => r.object === roleObject && r.isDefault) || roleObject === undefined;
  const out: string[] = [];
  if (!roleIsDefault) {
    out.push(`# 2. drop or narrow rules[${ruleIndices.join(', ')}] of the role (it may be shared: check its other bindings first)`);
    out.push(role.kind === 'ClusterRole' ? command`kubectl edit clusterrole ${role.name}` : command`kubectl -n ${role.namespace ?? ''} edit role ${role.name}`);
  } else {
    const narrow = `${ref.name}-narrow`;
    out.push(`# 2. ${describeRole(role)} is a default role: bind a narrower one instead (adjust verbs and resources)`);
    if (ref.kind === 'ClusterRoleBinding') {
      out.push(command`kubectl create clusterrole ${narrow} ${'--verb=<verbs>'} ${'--resource=<resources>'}`);
      out.push(command`kubectl create clusterrolebinding ${narrow} ${`--clusterrole=${narrow}`}` + subjects.map((s) => ` ${subjectFlag(s)}`).join(''));
    } else {
      out.push(command`kubectl -n ${ref.namespace ?? ''} create role ${narrow} ${'--verb=<verbs>'} ${'--resource=<resources>'}`);
      out.push(command`kubectl -n ${ref.namespace ?? ''} create rolebinding ${narrow} ${`--role=${narrow}`}` + subjects.map((s) => ` ${subjectFlag(s)}`).join(''));
    }
  }
  if (partial && indices.length > 0) {
    const patch = [...indices].reverse().flatMap((i) => [{ op: 'test', path: `/subjects/${i}/name`, value: all[i]?.name ?? '' }, { op: 'remove', path: `/subjects/${i}` }]);
    out.push(`# 3. ${roleIsDefault ? '' : 'or '}remove only the flagged subject(s) from the binding; its other subjects stay`);
    out.push(`kubectl ${nsFlag}patch ${resource} ` + command`${ref.name} --type=json -p ${JSON.stringify(patch)}`);
  } else {
    out.push(`# 3. ${roleIsDefault ? '' : 'or, if the subjects should not hold this role at all, '}delete the binding`);
    out.push(`kubectl ${nsFlag}delete ${resource} ` + command`${ref.name}`);
  }
  return out;
}

export interface ReportText {
  /** The finding's remediation.why. */
  readonly why: string;
  /** The finding's remediation.fix. */
  readonly fix: string;
  /** Extra notes for one binding's message (after a `;`). */
  readonly notes?: (hits: readonly Hit[]) => readonly string[];
  /** A check-specific exemption (e.g. storage provisioners in system namespaces): its reason, counted in the pass note. */
  readonly exclude?: (grant: Grant) => string | undefined;
}

/** Scope `system` when every flagged subject is a service account of a system namespace (CHECKS.md §7: infrastructure). */
function scopeOf(snapshot: Snapshot, subjects: readonly RbacSubject[]): 'system' | 'workload' {
  return subjects.length > 0 && subjects.every((s) => s.kind === 'ServiceAccount' && snapshot.isSystemNamespace(s.namespace)) ? 'system' : 'workload';
}

/** One finding per binding from the non-exempt hits; the pass note counts excluded default grants. */
export function reportByBinding(snapshot: Snapshot, index: RbacIndex, hits: readonly Hit[], text: ReportText): CheckOutcome {
  const groups = new Map<string, Hit[]>();
  const exemptBindings = new Set<string>();
  const excludedReasons = new Set<string>();
  for (const hit of hits) {
    const key = bindingKey(hit.grant.binding);
    const reason = hit.grant.exempt ? hit.grant.exemptReason
      : isAdminEquivalentRule(hit.grant.rule) ? ADMIN_EQUIVALENT
      : text.exclude?.(hit.grant);
    if (reason !== undefined) {
      exemptBindings.add(`${key}|${subjectKey(hit.grant.subject)}`);
      excludedReasons.add(reason);
      continue;
    }
    const g = groups.get(key);
    if (g) g.push(hit);
    else groups.set(key, [hit]);
  }
  const out: FindingDraft[] = [];
  for (const group of groups.values()) out.push(bindingFinding(snapshot, index, group, text));
  const note = exemptBindings.size > 0
    ? `excluded ${exemptBindings.size} grant(s): ${[...excludedReasons].sort().join('; ')}`
    : undefined;
  return findings(out, note);
}

function bindingFinding(snapshot: Snapshot, index: RbacIndex, hits: readonly Hit[], text: ReportText, merge = true): FindingDraft {
  const first = hits[0] as Hit;
  const { binding: ref, role } = first.grant;
  const subjects: RbacSubject[] = [];
  const seen = new Set<string>();
  for (const h of hits) {
    const key = subjectKey(h.grant.subject);
    if (!seen.has(key)) {
      seen.add(key);
      subjects.push(h.grant.subject);
    }
  }
  let severity: Severity = 'info';
  for (const h of hits) severity = maxSeverity(severity, h.severity);
  const whats = merge ? mergeVerbs(hits.map((h) => h.what)) : [...new Set(hits.map((h) => h.what))];
  const ruleIndices = [...new Set(hits.map((h) => h.grant.ruleIndex))].sort((a, b) => a - b);
  const namesOnly = hits.every((h) => h.match === 'resourceNames');
  const scopeText = ref.kind === 'RoleBinding' ? `in namespace "${ref.namespace ?? ''}"` : 'cluster-wide';
  const roleObject = index.role(role);
  const ruleRef = roleObject ? `rules[${ruleIndices.join(', ')}]` : 'its implicit rules (the object was not listed; the API server reconciles it)';
  const described = subjects.map((s) => describeSubject(s) + (isBroadSubject(s) ? ' (every caller in that group)' : ''));
  const notes = [...(namesOnly ? ['only for the rule\'s resourceNames'] : []), ...(text.notes?.(hits) ?? [])];

  const binding = index.binding(ref);
  const ev: Evidence[] = [evidence('roleRef', `${role.kind}/${role.name}`)];
  const flagged = new Set(subjects.map(subjectKey));
  for (const i of subjectIndices(binding, ref, flagged)) {
    const s = binding?.subjects?.[i];
    if (s) ev.push(evidence(`subjects[${i}]`, `${s.kind} ${s.kind === 'ServiceAccount' ? `${s.namespace || ref.namespace || ''}/` : ''}${s.name}`));
  }
  for (const i of ruleIndices) {
    const rule = hits.find((h) => h.grant.ruleIndex === i)?.grant.rule;
    ev.push(evidence(roleObject ? `${rolePath(role)}.rules[${i}]` : `${rolePath(role)} (implicit)`, rule));
  }

  const worst = hits.find((h) => h.severity === severity) ?? first;
  const commands = [
    '# 1. confirm what each subject can do',
    ...subjects.slice(0, 5).map((s) => canICommand(s, ref.kind === 'RoleBinding' ? ref.namespace : undefined, { ...worst.req, namespace: undefined })),
    ...fixCommands(index, ref, role, subjects, ruleIndices),
  ];
  return {
    subject: { kind: ref.kind, ...(ref.namespace !== undefined ? { namespace: ref.namespace } : {}), name: ref.name },
    severity,
    scope: scopeOf(snapshot, subjects),
    message: `${describeBinding(ref)} grants ${list(whats, 6, '; ')} ${scopeText} to ${list(described)} through ${describeRole(role)} ${ruleRef}${notes.length ? `; ${notes.join('; ')}` : ''}`,
    evidence: ev,
    remediation: { why: text.why, fix: text.fix, command: commands.join('\n') },
  };
}

/** Non-exempt subjects that hold a role through a binding, per binding (for role-level checks). */
export function nonExemptBindings(index: RbacIndex, info: RoleInfo): { ref: BindingRef; subjects: RbacSubject[]; exempt: number }[] {
  return info.boundBy.map((ref) => {
    const grants = index.grantsOf(ref);
    const subjects: RbacSubject[] = [];
    const seen = new Set<string>();
    let exempt = 0;
    for (const g of grants) {
      const key = subjectKey(g.subject);
      if (seen.has(key)) continue;
      seen.add(key);
      if (g.exempt) exempt++;
      else subjects.push(g.subject);
    }
    return { ref, subjects, exempt };
  });
}


/** A flagged rule of a role: its index and the severity the check gives it. */
export interface FlaggedRule { readonly index: number; readonly rule: PolicyRule; readonly severity: Severity; readonly what: string }

/**
 * Role-level checks (wildcards): every role with a flagged rule, reported on each binding
 * that gives it to a non-exempt subject. Custom roles that nothing binds are reported on the
 * role itself (low), roles only aggregated into another ClusterRole on the role (severity of
 * the rule). Default roles are reported only through non-exempt bindings, and aggregated
 * default roles not at all (their rules come from the source roles, which are reported).
 */
export function reportRoles(
  snapshot: Snapshot,
  index: RbacIndex,
  classify: (rule: PolicyRule) => { severity: Severity; what: string } | undefined,
  text: ReportText & { readonly skipRole?: (info: RoleInfo) => boolean },
): CheckOutcome {
  const out: FindingDraft[] = [];
  let exempt = 0;
  for (const info of index.roles()) {
    if (text.skipRole?.(info)) continue;
    const flagged: FlaggedRule[] = [];
    (info.object.rules ?? []).forEach((rule, i) => {
      const c = classify(rule);
      if (c) flagged.push({ index: i, rule, ...c });
    });
    if (flagged.length === 0) continue;
    if (info.isDefault && info.object.aggregationRule !== undefined) continue;
    const bindings = nonExemptBindings(index, info);
    let effectivelyBound = false;
    for (const b of bindings) {
      if (b.subjects.length === 0) {
        if (b.exempt > 0) {
          effectivelyBound = true;
          exempt++;
        }
        continue;
      }
      effectivelyBound = true;
      const hits: Hit[] = [];
      for (const f of flagged) {
        for (const subject of b.subjects) {
          const grant = index.grantsOf(b.ref).find((g) => g.ruleIndex === f.index && subjectKey(g.subject) === subjectKey(subject));
          if (grant) hits.push({ grant, match: true, what: f.what, severity: f.severity, req: { verb: '*', group: '*', resource: '*' } });
        }
      }
      if (hits.length > 0) out.push(roleBindingFinding(snapshot, index, hits, text));
    }
    if (effectivelyBound || info.isDefault) continue;
    out.push(roleFinding(info, flagged, text));
  }
  const note = exempt > 0 ? `excluded ${exempt} default binding(s) (rbac-defaults, control-plane components, controller service accounts, kubeadm defaults)` : undefined;
  return findings(out, note);
}

function roleBindingFinding(snapshot: Snapshot, index: RbacIndex, hits: readonly Hit[], text: ReportText): FindingDraft {
  const draft = bindingFinding(snapshot, index, hits, text, false);
  // Wildcards are about the whole rule: verify with --list rather than one verb.
  const first = hits[0] as Hit;
  const ref = first.grant.binding;
  const subjects = [...new Map(hits.map((h) => [subjectKey(h.grant.subject), h.grant.subject])).values()];
  const ruleIndices = [...new Set(hits.map((h) => h.grant.ruleIndex))].sort((a, b) => a - b);
  const commands = [
    '# 1. confirm what each subject can do',
    ...subjects.slice(0, 5).map((s) => canICommand(s, ref.kind === 'RoleBinding' ? ref.namespace : undefined)),
    ...fixCommands(index, ref, first.grant.role, subjects, ruleIndices),
  ];
  return { ...draft, remediation: { ...draft.remediation, command: commands.join('\n') } };
}

function roleFinding(info: RoleInfo, flagged: readonly FlaggedRule[], text: ReportText): FindingDraft {
  const { ref } = info;
  const aggregated = info.aggregatedInto.length > 0;
  let severity: Severity = 'info';
  for (const f of flagged) severity = maxSeverity(severity, f.severity);
  if (!aggregated) severity = 'low';
  const whats = [...new Set(flagged.map((f) => f.what))];
  const how = aggregated
    ? `is aggregated into ClusterRole ${info.aggregatedInto.map((n) => `"${n}"`).join(', ')}, so every binding of ${info.aggregatedInto.length === 1 ? 'it' : 'them'} grants it`
    : 'is not bound by any binding (it grants nothing until someone binds it)';
  const edit = ref.kind === 'ClusterRole' ? command`kubectl edit clusterrole ${ref.name}` : command`kubectl -n ${ref.namespace ?? ''} edit role ${ref.name}`;
  const del = ref.kind === 'ClusterRole' ? command`kubectl delete clusterrole ${ref.name}` : command`kubectl -n ${ref.namespace ?? ''} delete role ${ref.name}`;
  return {
    subject: { kind: ref.kind, ...(ref.namespace !== undefined ? { namespace: ref.namespace } : {}), name: ref.name },
    severity,
    message: `${describeRole(ref)} grants ${list(whats, 6, '; ')} in rules[${flagged.map((f) => f.index).join(', ')}] and ${how}`,
    evidence: flagged.map((f) => evidence(`${rolePath(ref)}.rules[${f.index}]`, f.rule)),
    remediation: {
      why: text.why,
      fix: aggregated ? text.fix : `${text.fix} Delete the role if nothing needs it.`,
      command: [
        `# enumerate the verbs and resources rules[${flagged.map((f) => f.index).join(', ')}] need`,
        edit,
        ...(aggregated ? [] : ['# or delete the unused role', del]),
      ].join('\n'),
    },
  };
}
