import { probe, reportByBinding, type Probe } from '../../src/engine/rbac-report.js';
import { RbacIndex, type Match } from '../../src/engine/rbac.js';
import { getAuthorizesUpgrades, gradeExec } from '../../src/engine/rbac-risk.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';

const SUBRESOURCES = ['exec', 'attach', 'portforward'] as const;

export { getAuthorizesUpgrades };

const severity = (_g: unknown, match: Match) => gradeExec(match);

export const check: Check = {
  id: 'cluster/rbac-exec-attach-portforward',
  layer: 'cluster',
  title: 'Subjects can exec, attach or port-forward',
  severity: 'high',
  description:
    'Evaluates the effective RBAC permissions of every binding subject for create on pods/exec, pods/attach and pods/portforward; for get on ' +
    'them when the cluster is older than 1.35 (WebSocket upgrades were authorized as get until AuthorizePodWebsocketUpgradeCreatePermission, ' +
    'beta and on by default in 1.35, added a create check; an unknown version counts as older); and for update or patch on ' +
    'pods/ephemeralcontainers (kubectl debug). Grants limited to resourceNames (named pods) are medium. Default grants are excluded; bindings ' +
    'to the built-in admin and edit roles count.' +
    ' Grants through an apiGroups/resources/verbs "*" rule (cluster-admin equivalent) are left to cluster/rbac-cluster-admin-binding.',
  remediation: 'Grant exec, attach, port-forward and ephemeral containers only to break-glass roles and audit their use.',
  references: [
    ref.kubescape('C-0002'), ref.kubescape('C-0063'), ref.trivy('KSV-0053'), ref.trivy('KSV-0054'),
    ref.polaris('clusterrolePodExecAttach'), ref.polaris('rolePodExecAttach'), ref.polaris('clusterrolebindingPodExecAttach'),
    ref.polaris('rolebindingClusterRolePodExecAttach'), ref.polaris('rolebindingRolePodExecAttach'),
  ],
  needs: ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles'],
  optionalNeeds: ['version'],
  evaluate: (snapshot) => {
    const index = RbacIndex.of(snapshot);
    const olderThan135 = getAuthorizesUpgrades(snapshot.has('version') ? snapshot.version : undefined);
    const probes: Probe[] = [
      ...SUBRESOURCES.map((subresource) => ({ req: { verb: 'create', group: '', resource: 'pods', subresource }, severity })),
      ...(olderThan135 !== false
        ? SUBRESOURCES.map((subresource) => ({
          req: { verb: 'get', group: '', resource: 'pods', subresource },
          what: `get pods/${subresource} (WebSocket upgrade, ${olderThan135 === undefined ? 'cluster version unknown' : 'before 1.35'})`,
          severity,
        }))
        : []),
      ...(['update', 'patch'] as const).map((verb) => ({ req: { verb, group: '', resource: 'pods', subresource: 'ephemeralcontainers' }, severity })),
    ];
    return reportByBinding(snapshot, index, probe(index, probes), {
      why: 'Running commands inside a workload exposes its service-account token, its mounted Secrets and its network position.',
      fix: 'Remove pods/exec, pods/attach, pods/portforward and pods/ephemeralcontainers from the role; grant them through a separate break-glass role and audit their use.',
    });
  },
};
