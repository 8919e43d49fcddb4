/**
 * The app's state and its pure reducer (STYLE.md rule 6). Derived data — the visible
 * findings after search, filters and sort — is computed during render, so actions that move
 * a cursor carry the list size they move within. Impossible transitions return the same
 * state object.
 */
import type { SortMode } from '../src/engine/filter.js';
import { compareWithBaseline, fixedFinding, type Baseline } from '../src/report/baseline.js';
import { LAYERS, SEVERITIES, type CheckResult, type Finding, type Layer, type Severity } from '../src/engine/types.js';

export type Focus = 'checks' | 'findings' | 'detail';
export type Overlay = 'none' | 'help' | 'search' | 'command' | 'accept';
export type Tone = 'info' | 'success' | 'error';

export interface Connection {
  /** `setup`: before the first scan; `ready`: scanning works; `failed`: no usable cluster (offer the demo). */
  readonly status: 'setup' | 'ready' | 'failed';
  readonly context?: string;
  readonly server?: string;
  readonly version?: string;
  readonly demo: boolean;
  readonly message?: string;
}

export interface ScanState {
  readonly running: boolean;
  readonly label?: string;
  readonly kindsDone: number;
  readonly kindsTotal: number;
  readonly checksDone: number;
  readonly checksTotal: number;
  readonly durationMs?: number;
  /** Ran at least once: the tabs then show scores. */
  readonly completed: boolean;
  /** Why the last finished run is partial (data it could not read), one line each; empty when complete. */
  readonly notices?: readonly string[];
}

export interface AppState {
  readonly layer: Layer;
  readonly focus: Focus;
  readonly overlay: Overlay;
  /** Row per layer in the checks pane; row 0 is "all checks of the layer". */
  readonly checkCursor: Readonly<Record<Layer, number>>;
  readonly findingCursor: number;
  readonly findingOffset: number;
  readonly detailOffset: number;
  readonly query: string;
  readonly sort: SortMode;
  readonly minSeverity?: Severity;
  readonly results: Readonly<Record<string, CheckResult>>;
  readonly findings: readonly Finding[];
  /** Findings that disappeared when their check ran again: shown as fixed. */
  readonly fixed: readonly Finding[];
  /** Keys that appeared when a check ran again: shown as new. */
  readonly newKeys: ReadonlySet<string>;
  /** The context's last scan from settings: a check's first run this session is compared with it. */
  readonly baseline?: Baseline;
  readonly scan: ScanState;
  readonly connection: Connection;
  readonly flash?: { readonly text: string; readonly tone: Tone };
}

export type MoveTarget = 'checks' | 'findings' | 'detail';
export type Move = number | 'top' | 'bottom';

export type Action =
  | { type: 'layer'; layer: Layer }
  | { type: 'cycleLayer'; delta: 1 | -1 }
  | { type: 'move'; target: MoveTarget; move: Move; count: number; viewport: number }
  | { type: 'focus'; focus: Focus }
  /** Drill in: checks → findings → detail (when there is a finding to show). */
  | { type: 'open'; hasFinding: boolean }
  /** Back out: detail → findings; clear an active search; findings → checks. */
  | { type: 'back' }
  | { type: 'overlay'; overlay: Overlay }
  | { type: 'query'; query: string }
  | { type: 'cycleSort'; modes: readonly SortMode[] }
  | { type: 'cycleSeverity' }
  | { type: 'flash'; text: string; tone: Tone }
  | { type: 'connection'; connection: Connection }
  | { type: 'scanStarted'; label: string; checksTotal: number }
  | { type: 'scanProgress'; kindsDone: number; kindsTotal: number }
  | { type: 'checkDone'; result: CheckResult; findings: readonly Finding[] }
  | { type: 'scanFinished'; durationMs: number; notices?: readonly string[] }
  | { type: 'scanCancelled' }
  | { type: 'scanFailed'; message: string }
  /** A new target (context, namespaces): previous results no longer apply. */
  | { type: 'reset' }
  | { type: 'baseline'; baseline: Baseline | undefined };

const zeroCursor = Object.fromEntries(LAYERS.map((l) => [l, 0])) as Record<Layer, number>;

export function initialState(options: { layer?: Layer; connection: Connection; sort?: SortMode }): AppState {
  return {
    layer: options.layer ?? 'cloud',
    focus: 'checks',
    overlay: 'none',
    checkCursor: zeroCursor,
    findingCursor: 0,
    findingOffset: 0,
    detailOffset: 0,
    query: '',
    sort: options.sort ?? 'severity',
    results: {},
    findings: [],
    fixed: [],
    newKeys: new Set(),
    scan: { running: false, kindsDone: 0, kindsTotal: 0, checksDone: 0, checksTotal: 0, completed: false },
    connection: options.connection,
  };
}

const clamp = (value: number, min: number, max: number) => Math.max(min, Math.min(max, value));

/** Keep the cursor inside [0, count) and the window [offset, offset + viewport) around it. */
export function place(cursor: number, offset: number, count: number, viewport: number): { cursor: number; offset: number } {
  const c = count === 0 ? 0 : clamp(cursor, 0, count - 1);
  const size = Math.max(1, viewport);
  let o = clamp(offset, 0, Math.max(0, count - size));
  if (c < o) o = c;
  if (c >= o + size) o = c - size + 1;
  return { cursor: c, offset: o };
}

function target(move: Move, current: number, count: number): number {
  if (move === 'top') return 0;
  if (move === 'bottom') return count - 1;
  return current + move;
}

/** A re-run of one check: findings that vanished are fixed, keys not seen before are new. */
function mergeCheck(state: AppState, result: CheckResult, findings: readonly Finding[]): AppState {
  const ranBefore = state.results[result.id] !== undefined;
  const previous = state.findings.filter((f) => f.checkId === result.id);
  const nowKeys = new Set(findings.map((f) => f.key));
  const prevKeys = new Set(previous.map((f) => f.key));
  let newKeys = state.newKeys;
  let fixed = state.fixed.filter((f) => !nowKeys.has(f.key)); // a fixed finding that returns is no longer fixed
  if (ranBefore) {
    const added = findings.filter((f) => !prevKeys.has(f.key)).map((f) => f.key);
    if (added.length > 0) newKeys = new Set([...newKeys, ...added]);
    fixed = [...fixed, ...previous.filter((f) => !nowKeys.has(f.key))];
  } else if (state.baseline) {
    // First run this session: new and fixed since the last scan recorded in settings.
    const since = compareWithBaseline(state.baseline, [result], findings);
    if (since.newKeys.size > 0) newKeys = new Set([...newKeys, ...since.newKeys]);
    fixed = [...fixed, ...since.fixed.flatMap((x) => fixedFinding(x.key, x.severity) ?? [])];
  }
  return {
    ...state,
    results: { ...state.results, [result.id]: result },
    findings: [...state.findings.filter((f) => f.checkId !== result.id), ...findings],
    fixed,
    newKeys,
    scan: { ...state.scan, checksDone: state.scan.checksDone + 1 },
  };
}

export function reducer(state: AppState, action: Action): AppState {
  switch (action.type) {
    case 'layer':
      if (action.layer === state.layer) return state;
      return { ...state, layer: action.layer, focus: state.focus === 'detail' ? 'findings' : state.focus, findingCursor: 0, findingOffset: 0, detailOffset: 0 };
    case 'cycleLayer': {
      const i = LAYERS.indexOf(state.layer);
      return reducer(state, { type: 'layer', layer: LAYERS[(i + action.delta + LAYERS.length) % LAYERS.length] as Layer });
    }
    case 'move': {
      if (action.target === 'checks') {
        const { cursor } = place(target(action.move, state.checkCursor[state.layer], action.count), 0, action.count, action.count);
        if (cursor === state.checkCursor[state.layer]) return state;
        return { ...state, checkCursor: { ...state.checkCursor, [state.layer]: cursor }, findingCursor: 0, findingOffset: 0 };
      }
      if (action.target === 'findings') {
        const next = place(target(action.move, state.findingCursor, action.count), state.findingOffset, action.count, action.viewport);
        if (next.cursor === state.findingCursor && next.offset === state.findingOffset) return state;
        return { ...state, findingCursor: next.cursor, findingOffset: next.offset, detailOffset: 0 };
      }
      const max = Math.max(0, action.count - action.viewport);
      const offset = clamp(target(action.move, state.detailOffset, max + 1), 0, max);
      return offset === state.detailOffset ? state : { ...state, detailOffset: offset };
    }
    case 'focus':
      return action.focus === state.focus ? state : { ...state, focus: action.focus, detailOffset: 0 };
    case 'open':
      if (state.focus === 'checks') return { ...state, focus: 'findings' };
      if (state.focus === 'findings' && action.hasFinding) return { ...state, focus: 'detail', detailOffset: 0 };
      return state;
    case 'back':
      if (state.focus === 'detail') return { ...state, focus: 'findings' };
      if (state.query !== '') return { ...state, query: '', findingCursor: 0, findingOffset: 0 };
      if (state.focus === 'findings') return { ...state, focus: 'checks' };
      return state;
    case 'overlay':
      return action.overlay === state.overlay ? state : { ...state, overlay: action.overlay };
    case 'query':
      return action.query === state.query ? state : { ...state, query: action.query, findingCursor: 0, findingOffset: 0 };
    case 'cycleSort': {
      const i = action.modes.indexOf(state.sort);
      return { ...state, sort: action.modes[(i + 1) % action.modes.length] ?? state.sort, findingCursor: 0, findingOffset: 0 };
    }
    case 'cycleSeverity': {
      // undefined (all) → critical → high → medium → low → all
      const order: (Severity | undefined)[] = [undefined, ...SEVERITIES.filter((s) => s !== 'info')];
      const i = order.indexOf(state.minSeverity);
      return { ...state, minSeverity: order[(i + 1) % order.length], findingCursor: 0, findingOffset: 0 };
    }
    case 'flash':
      return { ...state, flash: { text: action.text, tone: action.tone } };
    case 'connection':
      return { ...state, connection: action.connection };
    case 'scanStarted':
      return { ...state, scan: { ...state.scan, running: true, label: action.label, kindsDone: 0, kindsTotal: 0, checksDone: 0, checksTotal: action.checksTotal } };
    case 'scanProgress':
      return { ...state, scan: { ...state.scan, kindsDone: action.kindsDone, kindsTotal: action.kindsTotal } };
    case 'checkDone':
      return mergeCheck(state, action.result, action.findings);
    case 'scanFinished':
      return { ...state, scan: { ...state.scan, running: false, durationMs: action.durationMs, completed: true, notices: action.notices ?? [] } };
    case 'scanCancelled':
      return { ...state, scan: { ...state.scan, running: false }, flash: { text: 'scan cancelled; results so far are kept', tone: 'info' } };
    case 'scanFailed':
      return { ...state, scan: { ...state.scan, running: false }, flash: { text: action.message, tone: 'error' } };
    case 'baseline':
      return action.baseline === state.baseline ? state : { ...state, baseline: action.baseline };
    case 'reset':
      return { ...state, results: {}, findings: [], fixed: [], newKeys: new Set(), findingCursor: 0, findingOffset: 0, detailOffset: 0, focus: 'checks', scan: { ...state.scan, completed: false } };
    default: {
      const unreachable: never = action;
      return unreachable;
    }
  }
}
