/**
 * Streams check results while the collector is still listing (DESIGN.md §8: first findings
 * within a second). The collector reports each data source as it settles (collected or
 * failed); a check runs as soon as every source it reads — its needs and optionalNeeds —
 * has settled, over a snapshot of everything collected so far. Checks that read workloads
 * wait for every workload kind of the scan, so owner resolution is never partial. What has
 * not run by the end (checks on local files, on sources only the caller settles) runs over
 * the final snapshot; the outcome is the same as one run over the final snapshot, in the
 * catalog's order.
 */
import type { ResourceName } from './resources.js';
import { runChecks, runChecksAsync, type RunOptions, type RunOutput } from './run.js';
import { Snapshot, type SnapshotInput } from './snapshot.js';
import type { Check, CheckResult, DataNeed, Finding } from './types.js';

/** Lists that Snapshot.workloads()/byUid() combine. */
const WORKLOAD_KINDS: ReadonlySet<DataNeed> = new Set<ResourceName>(['pods', 'replicasets', 'deployments', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs', 'replicationcontrollers']);

export interface StreamOptions extends RunOptions {
  /** Yield to the event loop between checks (interactive use). */
  readonly interactive?: boolean;
  /** Extra snapshot input (user configuration…) for every partial snapshot. */
  readonly base?: Pick<SnapshotInput, 'config'>;
}

export class StreamingRun {
  readonly #checks: readonly Check[];
  readonly #options: StreamOptions;
  /** Sources the collector will settle; a check reading anything else waits for the end. */
  readonly #streamed: ReadonlySet<DataNeed>;
  readonly #settled = new Set<DataNeed>();
  readonly #pending: Set<Check>;
  readonly #results = new Map<string, { result: CheckResult; findings: readonly Finding[] }>();
  #chain: Promise<void> = Promise.resolve();

  /** `streamed`: the sources the collector settles (reported through `settle`). */
  constructor(checks: readonly Check[], streamed: Iterable<DataNeed>, options: StreamOptions = {}) {
    this.#checks = checks;
    this.#options = options;
    this.#streamed = new Set(streamed);
    this.#pending = new Set(checks);
  }

  #reads(check: Check): DataNeed[] {
    const reads = [...check.needs, ...(check.optionalNeeds ?? [])];
    if (reads.some((n) => WORKLOAD_KINDS.has(n))) reads.push(...[...WORKLOAD_KINDS].filter((n) => this.#streamed.has(n)));
    return reads;
  }

  /** A source settled; `input` is everything collected so far. Runs the checks it completes. */
  settle(need: DataNeed, input: SnapshotInput): void {
    this.#settled.add(need);
    const ready = [...this.#pending].filter((c) => this.#reads(c).every((n) => this.#streamed.has(n) && this.#settled.has(n)));
    if (ready.length === 0) return;
    for (const c of ready) this.#pending.delete(c);
    const snapshot = new Snapshot({ ...input, ...this.#options.base });
    this.#chain = this.#chain.then(() => this.#run(snapshot, ready));
  }

  async #run(snapshot: Snapshot, checks: readonly Check[]): Promise<void> {
    const options: RunOptions = { ...this.#options, onResult: (result, findings) => {
      this.#results.set(result.id, { result, findings });
      this.#options.onResult?.(result, findings);
    } };
    if (this.#options.interactive) await runChecksAsync(snapshot, checks, options);
    else runChecks(snapshot, checks, options);
  }

  /** Runs what is left over the final snapshot; results and findings in the checks' order. */
  async finish(snapshot: Snapshot): Promise<RunOutput> {
    await this.#chain;
    const rest = this.#checks.filter((c) => this.#pending.has(c));
    this.#pending.clear();
    await this.#run(snapshot, rest);
    const results: CheckResult[] = [];
    const findings: Finding[] = [];
    for (const check of this.#checks) {
      const done = this.#results.get(check.id);
      if (!done) continue; // cancelled
      results.push(done.result);
      findings.push(...done.findings);
    }
    return { results, findings };
  }

  /** Waits for the checks started so far (after a failed collection). */
  async settleAll(): Promise<void> {
    await this.#chain.catch(() => undefined);
  }
}
