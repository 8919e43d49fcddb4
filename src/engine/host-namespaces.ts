/**
 * The shared logic of container/host-pid, host-ipc and host-network: PSA "hostNamespaces"
 * at the cluster's policy version decides, and each check attributes it to its own field.
 */
import { describeWorkload, evidence, workloadPatchCommand, workloadSubject } from './helpers.js';
import { evaluateCheck } from './pss/index.js';
import { evaluatePssRow, psaText } from './pss-rows.js';
import type { Snapshot } from './snapshot.js';
import type { CheckOutcome } from './types.js';

export interface HostNamespaceRow {
  readonly field: 'hostPID' | 'hostIPC' | 'hostNetwork';
  /** What the setting lets the pod do, for the message. */
  readonly effect: string;
  readonly why: string;
  readonly fix: string;
  /** The pod-spec fields that undo it. */
  readonly patch: Record<string, unknown>;
}

export function evaluateHostNamespace(snapshot: Snapshot, row: HostNamespaceRow): CheckOutcome {
  return evaluatePssRow(snapshot, {
    checkId: 'hostNamespaces',
    visit: ({ workload, revision: { meta, spec }, policy }) => {
      const violation = evaluateCheck('hostNamespaces', meta, spec, policy.version);
      if (!violation || spec[row.field] !== true) return [];
      return [{
        subject: workloadSubject(workload),
        message: `${describeWorkload(workload)} sets ${workload.specPath}.${row.field}=true: ${row.effect} (${psaText(violation, policy)})`,
        evidence: [evidence(`${workload.specPath}.${row.field}`, 'true')],
        remediation: { why: row.why, fix: row.fix, command: workloadPatchCommand(workload, row.patch) },
      }];
    },
  });
}
