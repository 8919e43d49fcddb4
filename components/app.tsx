/**
 * The root: state (reducer), derived lists (useMemo), one input hook driven by the keymap,
 * and the layout. Side effects live in use-scan (scanning), the settings store (accept) and
 * the clipboard; the views only render props.
 */
import { Box, Text, useApp, useInput, useStdin, useStdout, type Key } from 'ink';
import { useCallback, useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState } from 'react';
import { CHECKS } from '../checks/index.js';
import type { CopyResult } from '../src/clipboard.js';
import { FindingIndex, SORT_MODES } from '../src/engine/filter.js';
import { sanitize } from '../src/engine/sanitize.js';
import type { Finding, Layer } from '../src/engine/types.js';
import { LAYERS } from '../src/engine/types.js';
import { baselineFromLastScan, compareWithBaseline, lastScanRecord } from '../src/report/baseline.js';
import type { Evaluation } from '../src/scan.js';
import type { SettingsStore } from '../src/settings.js';
import { initialState, reducer, type AppState, type Connection, type Overlay } from './app-state.js';
import { CheckList } from './check-list.js';
import { isGroup, layerChecks, scores, selectedCheck, visibleRows, withAcceptance, type Acceptance } from './derive.js';
import { FindingDetail, detailLines } from './finding-detail.js';
import { FindingList } from './finding-list.js';
import { Header } from './header.js';
import { HelpBar } from './help-bar.js';
import { HelpOverlay } from './help-overlay.js';
import { commandFor, KEYMAP, type Command } from './keymap.js';
import { editLine, PromptLine } from './prompt-line.js';
import { Tabs } from './tabs.js';
import { makeTheme } from './theme.js';
import { useScan, type ScanDeps } from './use-scan.js';

export interface AppDeps extends ScanDeps {
  readonly settings: SettingsStore;
  readonly copy: (text: string) => Promise<CopyResult>;
  /** `:export json|sarif|markdown PATH` */
  readonly exportReport: (format: 'json' | 'sarif' | 'markdown', path: string, state: { results: AppState['results']; findings: readonly Finding[]; connection: Connection }) => Promise<void>;
}

export interface AppProps {
  readonly deps: AppDeps;
  readonly connection: Connection;
  /** Contexts in the kubeconfig, for `:ctx` completion. */
  readonly contexts: readonly string[];
  readonly namespaces?: readonly string[];
  readonly code?: string;
  /** `--manifests` paths: scanned instead of a cluster (`offline`), or besides it. */
  readonly manifests?: readonly string[];
  readonly offline?: boolean;
  readonly timeoutSeconds: number;
  readonly color: boolean;
  readonly scanOnStart: boolean;
  readonly initialLayer?: Layer;
  /** Settings notices (e.g. a corrupt file was backed up) shown at start. */
  readonly notices?: readonly string[];
}

const DAY = 86_400_000;

const NO_KEY: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false,
} as Key;

/** Splits a multi-key chunk (no escape sequences) into single keys; undefined for one key. */
export function splitChunk(ch: string, key: Key): (readonly [string, Key])[] | undefined {
  if (ch.length < 2 || key.meta || key.ctrl || ch.includes('\u001B')) return undefined;
  const out: (readonly [string, Key])[] = [];
  for (const c of ch) {
    if (c === '\r' || c === '\n') out.push([c, { ...NO_KEY, return: true }]);
    else if (c === '\t') out.push(['', { ...NO_KEY, tab: true }]);
    else if (c === '\u007F' || c === '\b') out.push(['', { ...NO_KEY, backspace: true }]);
    else if (c >= ' ') out.push([c, { ...NO_KEY, shift: c !== c.toLowerCase() }]);
  }
  return out;
}

const isPrompt = (overlay: Overlay): boolean => overlay === 'search' || overlay === 'command' || overlay === 'accept';

type Dialog = { step: 'reason' | 'expiry'; reason: string; days: string; finding: Finding } | undefined;

export function App(props: AppProps) {
  const { deps } = props;
  const { exit } = useApp();
  const { stdout } = useStdout();
  const { isRawModeSupported } = useStdin();
  const [size, setSize] = useState({ columns: stdout.columns || 100, rows: stdout.rows || 30 });
  const [state, dispatch] = useReducer(reducer, undefined, () => initialState({ layer: props.initialLayer, connection: props.connection }));
  const [settingsVersion, setSettingsVersion] = useState(0);
  // The prompt's text and the current overlay are mirrored in refs that change synchronously
  // with each key, so keys that arrive before React renders (typing fast, a paste) go to the
  // right place and none is lost.
  const [input, setInputState] = useState('');
  const inputRef = useRef('');
  const overlayRef = useRef<Overlay>('none');
  const setInput = (text: string) => {
    inputRef.current = text;
    setInputState(text);
  };
  const setOverlay = (overlay: Overlay) => {
    overlayRef.current = overlay;
    dispatch({ type: 'overlay', overlay });
  };
  const [dialog, setDialog] = useState<Dialog>(undefined);
  const [helpOffset, setHelpOffset] = useState(0);
  const [showSystem, setShowSystem] = useState(false);
  const theme = useMemo(() => makeTheme(props.color), [props.color]);
  const context = state.connection.context ?? '';

  useEffect(() => {
    const onResize = () => setSize({ columns: stdout.columns || 100, rows: stdout.rows || 30 });
    stdout.on('resize', onResize);
    return () => { stdout.off('resize', onResize); };
  }, [stdout]);

  // Acceptances live in settings; settingsVersion re-derives after a change.
  const accepted = useCallback((key: string): Acceptance | undefined => {
    if (deps.settings.data.acceptedRisks.length === 0) return undefined; // called per row: skip the lookup when there is nothing to find
    const a = deps.settings.acceptance(key, context);
    return a ? { reason: a.reason, expiresAt: a.expiresAt } : undefined;
  }, [deps.settings, context, settingsVersion]); // eslint-disable-line react-hooks/exhaustive-deps
  const isAccepted = useCallback((f: Finding) => accepted(f.key) !== undefined, [accepted]);

  const onFinished = useCallback((evaluation: Evaluation, ranOn: string | undefined) => {
    // Recorded for "new since last scan"; a run limited to some namespaces would make the rest look fixed.
    const where = ranOn ?? context;
    if (!where) return; // files only (manifests, the Code tab without a cluster): nothing to record per context
    const previous = deps.settings.lastScan(where);
    const since = previous ? compareWithBaseline(baselineFromLastScan(previous), evaluation.results, evaluation.findings, props.namespaces) : undefined;
    if (!props.namespaces?.length) deps.settings.recordScan(where, lastScanRecord(previous, evaluation.results, evaluation.findings, new Date()));
    const expired = deps.settings.expired(context);
    const notes = [
      ...(since && (since.newKeys.size > 0 || since.fixed.length > 0) ? [`since the last scan: ${since.newKeys.size} new, ${since.fixed.length} fixed`] : []),
      ...(expired.length > 0 ? [`${expired.length} accepted risk(s) expired and count again`] : []),
    ];
    if (notes.length > 0) dispatch({ type: 'flash', text: notes.join('; '), tone: 'info' });
  }, [deps.settings, context, props.namespaces]);

  // The context's last scan: each check's first run this session is marked against it.
  useEffect(() => {
    const last = deps.settings.lastScan(context);
    dispatch({ type: 'baseline', baseline: last ? baselineFromLastScan(last) : undefined });
  }, [deps.settings, context]);

  const scan = useScan(dispatch, {
    demo: props.connection.demo, context: props.connection.context, namespaces: props.namespaces, code: props.code,
    ...(props.manifests?.length ? { manifests: props.manifests, offline: props.offline === true } : {}),
    timeoutSeconds: props.timeoutSeconds, isAccepted, severityOverrides: deps.settings.data.severityOverrides,
    checkConfig: { trustedRegistries: deps.settings.data.trustedRegistries, untrustedNamespaces: deps.settings.data.untrustedNamespaces, configMapContents: false },
  }, deps, onFinished);

  // Every full run skips the checks disabled in settings.
  const enabledChecks = useMemo(() => CHECKS.filter((c) => !deps.settings.data.disabledChecks.includes(c.id)), [deps.settings]);

  useEffect(() => {
    if (props.notices?.length) dispatch({ type: 'flash', text: props.notices.join('; '), tone: 'info' });
    if (props.scanOnStart && props.connection.status !== 'failed') void scan.run(enabledChecks, 'everything');
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    deps.settings.update({ lastTab: state.layer });
  }, [deps.settings, state.layer]);

  // Derived data.
  const findings = useMemo(() => withAcceptance(state.findings, accepted), [state.findings, accepted]);
  // The search index costs real time on large lists: build it once per findings array after
  // a scan settles (off the input path), and only synchronously if a query needs it first.
  const [built, setBuilt] = useState<{ source: readonly Finding[]; index: FindingIndex }>();
  useEffect(() => {
    if (state.scan.running) return undefined;
    const timer = setTimeout(() => setBuilt({ source: findings, index: new FindingIndex(findings) }), 0);
    return () => clearTimeout(timer);
  }, [findings, state.scan.running]);
  const querying = state.query.trim() !== '';
  const index = useMemo(
    () => (!querying ? undefined : built?.source === findings ? built.index : new FindingIndex(findings)),
    [querying, built, findings],
  );
  const checks = useMemo(() => layerChecks(state.layer, new Set(deps.settings.data.disabledChecks)), [state.layer, deps.settings]);
  const check = selectedCheck(state, checks);
  // Only what the list depends on: moving the cursor must not re-filter and re-sort 50,000 findings.
  const { query, sort, minSeverity, layer, fixed, newKeys } = state;
  const rows = useMemo(
    () => visibleRows({ query, sort, minSeverity, layer, fixed, newKeys }, findings, index, check, accepted, showSystem),
    [query, sort, minSeverity, layer, fixed, newKeys, findings, index, check, accepted, showSystem],
  );
  const summary = useMemo(() => scores(state, findings), [state.results, findings]); // eslint-disable-line react-hooks/exhaustive-deps
  const layerCount = useMemo(() => findings.filter((f) => f.layer === state.layer).length, [findings, state.layer]);
  const cursorRow = rows[state.findingCursor];
  const current = isGroup(cursorRow) ? undefined : cursorRow;

  // Layout: header 2, tabs 1, flash 1, prompt 1, footer 1.
  const width = Math.max(40, size.columns);
  const bodyHeight = Math.max(4, size.rows - 6);
  const checksHeight = Math.min(checks.length + 1, Math.max(3, Math.floor(bodyHeight * 0.4)));
  const listHeight = Math.max(1, bodyHeight - checksHeight - 1);
  const searching = state.query.trim() !== '';
  const lines = useMemo(() => (current && state.focus === 'detail' ? detailLines(current, width - 1) : []), [current, state.focus, width]);

  const copy = useCallback((what: 'command' | 'patch') => {
    const f = current?.finding;
    const text = what === 'command' ? f?.remediation.command : f?.remediation.patch;
    if (!f || !text) {
      dispatch({ type: 'flash', text: f ? `this finding has no ${what} to copy` : 'select a finding first (enter on a check)', tone: 'info' });
      return;
    }
    dispatch({ type: 'flash', text: `copying ${what}…`, tone: 'info' });
    void deps.copy(text).then((r) => {
      const where = [r.osc52 && 'terminal (OSC 52)', r.system === 'copied' && 'system clipboard'].filter(Boolean).join(' + ') || 'nowhere (copy it by hand)';
      dispatch({ type: 'flash', text: `copied to ${where}: ${sanitize(text).slice(0, 200)}`, tone: 'success' });
    });
  }, [current, deps]);

  const runCommand = useCallback(async (line: string) => {
    const [verb = '', ...rest] = line.trim().split(/\s+/);
    const arg = rest.join(' ');
    switch (verb) {
      case 'q': case 'quit': exit(); return;
      case 'ctx': {
        if (!arg) { dispatch({ type: 'flash', text: `contexts: ${props.contexts.join(', ') || 'none'}`, tone: 'info' }); return; }
        const name = props.contexts.find((c) => c === arg) ?? props.contexts.filter((c) => c.startsWith(arg)).at(0);
        if (!name) { dispatch({ type: 'flash', text: `no context "${sanitize(arg)}"; contexts: ${props.contexts.join(', ')}`, tone: 'error' }); return; }
        await scan.retarget({ context: name });
        void scan.run(enabledChecks, 'everything');
        return;
      }
      case 'ns': {
        const namespaces = !arg || arg === 'all' ? [] : arg.split(',');
        await scan.retarget({ namespaces });
        dispatch({ type: 'flash', text: namespaces.length ? `namespaces: ${namespaces.join(', ')}` : 'all namespaces', tone: 'info' });
        void scan.run(enabledChecks, 'everything');
        return;
      }
      case 'export': {
        const [format, ...pathParts] = rest;
        const path = pathParts.join(' ');
        if ((format !== 'json' && format !== 'sarif' && format !== 'markdown') || !path) { dispatch({ type: 'flash', text: 'usage: :export json|sarif|markdown PATH', tone: 'error' }); return; }
        try {
          await deps.exportReport(format, path, { results: state.results, findings, connection: state.connection });
          dispatch({ type: 'flash', text: `exported ${format} to ${path}`, tone: 'success' });
        } catch (error) {
          dispatch({ type: 'flash', text: `export failed: ${error instanceof Error ? error.message : String(error)}`, tone: 'error' });
        }
        return;
      }
      default:
        dispatch({ type: 'flash', text: `unknown command ":${sanitize(verb)}" — :ctx NAME, :ns NAME|all, :export json|sarif|markdown PATH, :q`, tone: 'error' });
    }
  }, [exit, props.contexts, scan, deps, state.results, state.connection, findings, enabledChecks]);

  const handle = useCallback((command: Command) => {
    const move = (m: number | 'top' | 'bottom') => {
      if (state.focus === 'checks') dispatch({ type: 'move', target: 'checks', move: m, count: checks.length + 1, viewport: checksHeight });
      else if (state.focus === 'findings') dispatch({ type: 'move', target: 'findings', move: m, count: rows.length, viewport: listHeight });
      else dispatch({ type: 'move', target: 'detail', move: m, count: lines.length, viewport: bodyHeight });
    };
    const page = state.focus === 'detail' ? bodyHeight : state.focus === 'findings' ? listHeight : checksHeight;
    switch (command) {
      case 'nextLayer': dispatch({ type: 'cycleLayer', delta: 1 }); return;
      case 'prevLayer': dispatch({ type: 'cycleLayer', delta: -1 }); return;
      case 'layer1': case 'layer2': case 'layer3': case 'layer4':
        dispatch({ type: 'layer', layer: LAYERS[Number(command.slice(-1)) - 1] as Layer }); return;
      case 'down': move(1); return;
      case 'up': move(-1); return;
      case 'top': move('top'); return;
      case 'bottom': move('bottom'); return;
      case 'pageDown': move(page); return;
      case 'pageUp': move(-page); return;
      // open/back resolve against the reducer's current state: several keys of one chunk
      // arrive before a render, so this closure's `state` may be a key behind.
      case 'open':
        if (state.focus === 'findings' && isGroup(cursorRow)) setShowSystem((v) => !v);
        else dispatch({ type: 'open', hasFinding: rows.some((r) => !isGroup(r)) });
        return;
      case 'back':
        // Esc closes what is open first; with nothing left to close it cancels a running scan.
        if (state.focus === 'checks' && !searching && scan.cancel()) return;
        dispatch({ type: 'back' });
        return;
      case 'runCheck':
        if (check) void scan.run([check], check.id);
        else void scan.run(checks, `the ${state.layer} layer`);
        return;
      case 'runLayer': void scan.run(checks, `the ${state.layer} layer`); return;
      case 'runAll': void scan.run(enabledChecks, 'everything'); return;
      case 'search': setInput(state.query); setOverlay('search'); return;
      case 'copyCommand': copy('command'); return;
      case 'copyPatch': copy('patch'); return;
      case 'accept':
        if (!current || current.mark === 'fixed') { dispatch({ type: 'flash', text: 'select a finding to accept', tone: 'info' }); return; }
        dispatch({ type: 'flash', text: `accepting ${current.finding.checkId} on ${current.finding.subject.name}`, tone: 'info' });
        setDialog({ step: 'reason', reason: '', days: '90', finding: current.finding });
        setInput('');
        setOverlay('accept');
        return;
      case 'unaccept':
        if (current && accepted(current.finding.key)) {
          deps.settings.unaccept(current.finding.key, context);
          setSettingsVersion((v) => v + 1);
          dispatch({ type: 'flash', text: 'acceptance removed: the finding counts again', tone: 'info' });
        }
        return;
      case 'cycleSort': dispatch({ type: 'cycleSort', modes: SORT_MODES }); return;
      case 'cycleSeverity': dispatch({ type: 'cycleSeverity' }); return;
      case 'commandLine': setInput(''); setOverlay('command'); return;
      case 'help': setHelpOffset(0); setOverlay('help'); return;
      case 'openDemo':
        // Only offered when there is no usable cluster (the screen says so).
        if (state.connection.status !== 'failed') return;
        void scan.retarget({ demo: true }).then(() => scan.run(enabledChecks, 'everything'));
        return;
      case 'quit': exit(); return;
      default: {
        const unreachable: never = command;
        return unreachable;
      }
    }
  }, [state, checks, checksHeight, rows, listHeight, lines.length, bodyHeight, current, cursorRow, check, scan, searching, copy, deps.settings, accepted, context, exit, enabledChecks]);

  const raw = isRawModeSupported === true;

  const onSearchSubmit = () => {
    setOverlay('none');
    dispatch({ type: 'focus', focus: 'findings' });
  };
  const onCommandSubmit = (value: string) => {
    setOverlay('none');
    void runCommand(value);
  };
  const onDialogSubmit = (value: string) => {
    if (!dialog) return;
    if (dialog.step === 'reason') {
      if (!value.trim()) { dispatch({ type: 'flash', text: 'a reason is required', tone: 'error' }); return; }
      setDialog({ ...dialog, step: 'expiry', reason: value.trim() });
      setInput(dialog.days);
      return;
    }
    const days = Number(value.trim() || '90');
    if (!Number.isFinite(days) || days <= 0 || days > 3650) { dispatch({ type: 'flash', text: 'expiry: a number of days from 1 to 3650', tone: 'error' }); return; }
    const f = dialog.finding;
    const s = f.subject;
    deps.settings.accept({
      key: f.key, context, reason: dialog.reason, checkId: f.checkId,
      expiresAt: new Date(Date.now() + days * DAY).toISOString(),
      subject: `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`,
    });
    setSettingsVersion((v) => v + 1);
    setDialog(undefined);
    setOverlay('none');
    dispatch({ type: 'flash', text: `accepted for ${days} days: ${dialog.reason}`, tone: 'success' });
  };

  // Search runs off the input path: the prompt echoes each key at once and the query (filter,
  // rank, re-derive the list) follows in a task of its own, coalesced while keys keep coming.
  const pendingQuery = useRef<NodeJS.Timeout | undefined>(undefined);
  const setQuery = (query: string, now = false) => {
    clearTimeout(pendingQuery.current);
    pendingQuery.current = undefined;
    if (now) dispatch({ type: 'query', query });
    else pendingQuery.current = setTimeout(() => { pendingQuery.current = undefined; dispatch({ type: 'query', query }); }, 0);
  };
  useEffect(() => () => clearTimeout(pendingQuery.current), []);

  // The one input hook: the overlay that owns the keyboard gets the key, else the keymap.
  const route = (ch: string, key: Key) => {
    const overlay = overlayRef.current;
    if (overlay === 'command' && key.tab) {
      // :ctx completion: the longest common prefix of the matching context names.
      const m = /^(ctx\s+)(.*)$/.exec(inputRef.current);
      const matches = m ? props.contexts.filter((c) => c.startsWith(m[2] ?? '')) : [];
      if (m && matches.length > 0) {
        const common = matches.reduce((a, b) => { let i = 0; while (i < a.length && a[i] === b[i]) i++; return a.slice(0, i); });
        setInput(`${m[1]}${common}`);
      }
      return;
    }
    if (overlay === 'search' || overlay === 'command' || overlay === 'accept') {
      const edit = editLine(inputRef.current, ch, key);
      if (edit === undefined) return;
      if (edit === 'cancel') {
        if (overlay === 'search') setQuery('', true);
        setDialog(undefined);
        setOverlay('none');
        return;
      }
      if (edit === 'submit') {
        const value = inputRef.current;
        if (overlay === 'search') setQuery(value, true);
        if (overlay === 'search') onSearchSubmit();
        else if (overlay === 'command') onCommandSubmit(value);
        else onDialogSubmit(value);
        return;
      }
      setInput(edit.text);
      if (overlay === 'search') setQuery(edit.text);
      return;
    }
    if (overlay === 'help') {
      if (key.escape || ch === '?' || ch === 'q') setOverlay('none');
      else if (ch === 'j' || key.downArrow) setHelpOffset((o) => Math.min(o + 1, Math.max(0, KEYMAP.length - (bodyHeight - 2))));
      else if (ch === 'k' || key.upArrow) setHelpOffset((o) => Math.max(0, o - 1));
      return;
    }
    const command = commandFor(ch, key);
    if (command) handle(command);
  };
  // Ink re-subscribes a changed input handler in an effect, which React may run only after
  // the next key: that key would then see the previous render's focus (Enter, then j moved
  // the check cursor instead of the finding cursor). A ref updated on every render hands
  // each key the newest state; the subscribed callback itself never changes.
  const routeRef = useRef(route);
  routeRef.current = route;
  // Keys that arrive together (typed faster than the terminal is read, pasted, or split by
  // Ink's parser from one chunk: Enter then j) are queued. A key for an open prompt only
  // touches refs, so the next one follows at once; any other key changes React state, so the
  // next key waits for that render and its handler sees the new focus and cursors.
  const pendingKeys = useRef<(readonly [string, Key])[]>([]);
  const [keyTurn, setKeyTurn] = useState(0);
  const drainKeys = useCallback(() => {
    const queue = pendingKeys.current;
    for (let next = queue.shift(); next; next = queue.shift()) {
      const before = overlayRef.current;
      routeRef.current(next[0], next[1]);
      const stillTyping = isPrompt(before) && isPrompt(overlayRef.current);
      if (!stillTyping && queue.length > 0) { setKeyTurn((t) => t + 1); return; }
    }
  }, []);
  useLayoutEffect(() => { if (pendingKeys.current.length > 0) drainKeys(); }, [keyTurn, drainKeys]);
  const onInput = useCallback((ch: string, key: Key) => {
    // Chunks Ink hands over whole (e.g. "/privileged" or "\r\r") are split into keys so "/"
    // opens search and the rest is its text, and every Enter counts. Chunks with escape
    // sequences are single keys to Ink.
    const idle = pendingKeys.current.length === 0;
    pendingKeys.current.push(...(splitChunk(ch, key) ?? [[ch, key] as const]));
    if (idle) drainKeys();
  }, [drainKeys]);
  useInput(onInput, { isActive: raw });

  const conn = state.connection;
  let body: React.ReactElement;
  if (state.overlay === 'help') {
    body = <HelpOverlay theme={theme} height={bodyHeight} width={width} offset={helpOffset} />;
  } else if (conn.status === 'failed' && !state.scan.completed) {
    body = (
      <Box flexDirection="column" height={bodyHeight}>
        <Text color={theme.error} wrap="wrap">{sanitize(conn.message ?? 'no cluster')}</Text>
        <Text>Press <Text bold color={theme.accent}>d</Text> to open the demo cluster, <Text bold color={theme.accent}>:ctx NAME</Text> to pick a context, or <Text bold color={theme.accent}>q</Text> to quit.</Text>
      </Box>
    );
  } else if (state.focus === 'detail' && current) {
    body = <FindingDetail lines={lines} offset={state.detailOffset} height={bodyHeight} width={width} theme={theme} severityColor={theme.severity[current.finding.severity]} />;
  } else {
    const listTitle = searching
      ? `search "${sanitize(state.query)}": ${rows.length} matches in all layers`
      : `${check ? check.id : `all ${state.layer} findings`}: ${rows.length}${state.minSeverity ? ` (≥ ${state.minSeverity})` : ''}  sort ${state.sort}`;
    body = (
      <Box flexDirection="column" height={bodyHeight}>
        <CheckList checks={checks} results={state.results} cursor={state.checkCursor[state.layer]} height={checksHeight} width={width} isFocused={state.focus === 'checks'} layerFindings={layerCount} theme={theme} />
        <Text bold color={theme.muted} wrap="truncate">{`── ${listTitle} ${'─'.repeat(Math.max(0, width - listTitle.length - 4))}`}</Text>
        <FindingList rows={rows} cursor={state.findingCursor} offset={state.findingOffset} height={listHeight} width={width} isFocused={state.focus === 'findings'} theme={theme}
          empty={state.scan.completed || state.scan.running ? (searching ? 'no match' : 'no findings')
            : state.layer === 'code' ? `not scanned yet: R scans the source tree ${sanitize(props.code ?? '(none given: pass --code DIR)')} (no cluster needed)` : 'not scanned yet: ctrl-r runs every check, r the selected one'} />
      </Box>
    );
  }

  let prompt: React.ReactElement;
  if (state.overlay === 'search') {
    prompt = <PromptLine prefix="/" text={input} placeholder="text  sev:high ns:shop kind:Deployment check:rbac layer:cluster" hint="enter: to list · esc: clear" theme={theme} />;
  } else if (state.overlay === 'command') {
    const hint = input.startsWith('ctx ') ? `tab completes: ${props.contexts.filter((c) => c.startsWith(input.slice(4).trim())).slice(0, 5).join(' ')}` : ':ctx NAME · :ns NAME|all · :export json|sarif|markdown PATH · :q';
    prompt = <PromptLine prefix=":" text={input} hint={hint} theme={theme} />;
  } else if (state.overlay === 'accept' && dialog) {
    // While the dialog owns the line, its validation errors show as the hint.
    const error = state.flash?.tone === 'error' ? state.flash.text : undefined;
    prompt = dialog.step === 'reason'
      ? <PromptLine prefix="accept — reason (required): " text={input} hint={error ?? 'esc cancels'} theme={theme} />
      : <PromptLine prefix="accept — expires in days: " text={input} hint={error ?? 'default 90'} theme={theme} />;
  } else {
    const flash = state.flash;
    prompt = <Text wrap="truncate" color={flash?.tone === 'error' ? theme.error : flash?.tone === 'success' ? theme.success : theme.muted}>{flash ? sanitize(flash.text) : ' '}</Text>;
  }

  return (
    <Box flexDirection="column" width={width}>
      <Header connection={conn} manifests={props.manifests} scan={state.scan} summary={summary} width={width} theme={theme} />
      <Tabs layer={state.layer} summary={summary} scanned={state.scan.completed || Object.keys(state.results).length > 0} theme={theme} />
      {body}
      {prompt}
      <HelpBar theme={theme} width={width} />
    </Box>
  );
}
