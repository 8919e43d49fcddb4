/**
 * Pure derivations for the view: the checks of a layer, the findings the list shows (search,
 * filters, sort, new/fixed/accepted marks), scores. Computed during render with useMemo,
 * never mirrored into state.
 */
import { CHECKS } from '../checks/index.js';
import { filterBySeverity, sortFindings, type FindingIndex, type SearchHit } from '../src/engine/filter.js';
import { summarize, type Summary } from '../src/engine/summary.js';
import { atLeast, type Check, type Finding, type Layer } from '../src/engine/types.js';
import type { AppState } from './app-state.js';

export interface Acceptance {
  readonly reason: string;
  readonly expiresAt: string;
}

export interface FindingRow {
  readonly finding: Finding;
  readonly mark: 'new' | 'fixed' | 'accepted' | undefined;
  readonly acceptance?: Acceptance;
  readonly ranges: readonly (readonly [number, number])[];
}

/** The row that stands for the collapsed system-scope findings (DESIGN.md §3). */
export interface GroupRow {
  readonly group: { readonly count: number; readonly expanded: boolean };
}

export type ListRow = FindingRow | GroupRow;

export function isGroup(row: ListRow | undefined): row is GroupRow {
  return row !== undefined && 'group' in row;
}

export function layerChecks(layer: Layer, disabled: ReadonlySet<string> = new Set()): Check[] {
  return CHECKS.filter((c) => c.layer === layer && !disabled.has(c.id));
}

/** The check under the cursor; undefined on row 0 ("all checks"). */
export function selectedCheck(state: AppState, checks: readonly Check[]): Check | undefined {
  const row = state.checkCursor[state.layer];
  return row === 0 ? undefined : checks[row - 1];
}

/** Findings with acceptances applied (accepted ones leave scores and --fail-on). */
export function withAcceptance(findings: readonly Finding[], accepted: (key: string) => Acceptance | undefined): Finding[] {
  return findings.map((f) => (accepted(f.key) ? { ...f, accepted: true } : f.accepted ? { ...f, accepted: false } : f));
}

/**
 * The list: search hits across all layers, or the layer's (or selected check's) findings —
 * workload findings first, then fixed ones, then the system-scope group (expandable).
 */
export function visibleRows(
  state: Pick<AppState, 'query' | 'sort' | 'minSeverity' | 'layer' | 'fixed' | 'newKeys'>,
  findings: readonly Finding[],
  index: FindingIndex | undefined,
  check: Check | undefined,
  accepted: (key: string) => Acceptance | undefined,
  showSystem = false,
): ListRow[] {
  const row = (f: Finding, fixed: boolean, ranges: SearchHit['ranges'] = []): FindingRow => {
    const acceptance = accepted(f.key);
    const mark: FindingRow['mark'] = fixed ? 'fixed' : acceptance ? 'accepted' : state.newKeys.has(f.key) ? 'new' : undefined;
    return acceptance ? { finding: f, mark, ranges, acceptance } : { finding: f, mark, ranges };
  };
  if (state.query.trim() && index) {
    const hits = index.search(state.query, { sort: state.sort });
    const min = state.minSeverity;
    // Ranked hits, workload findings before expected infrastructure.
    const kept = min === undefined ? hits : hits.filter((h) => atLeast(h.finding.severity, min));
    // Highlights are read from the hit when a row is drawn (a screenful), not for every match.
    const hitRow = (h: SearchHit): FindingRow => ({ ...row(h.finding, false), get ranges() { return h.ranges; } });
    return [...kept.filter((h) => h.finding.scope !== 'system'), ...kept.filter((h) => h.finding.scope === 'system')].map(hitRow);
  }
  const inScope = (f: Finding) => f.layer === state.layer && (!check || f.checkId === check.id);
  const current = sortFindings(filterBySeverity(findings.filter(inScope), state.minSeverity), state.sort);
  const fixed = sortFindings(filterBySeverity(state.fixed.filter(inScope), state.minSeverity), state.sort);
  const system = current.filter((f) => f.scope === 'system');
  const rows: ListRow[] = [...current.filter((f) => f.scope !== 'system').map((f) => row(f, false)), ...fixed.map((f) => row(f, true))];
  if (system.length > 0) {
    rows.push({ group: { count: system.length, expanded: showSystem } });
    if (showSystem) rows.push(...system.map((f) => row(f, false)));
  }
  return rows;
}

export function scores(state: AppState, findings: readonly Finding[]): Summary {
  return summarize(Object.values(state.results), findings);
}
