/**
 * The effect hook that owns scanning (STYLE.md §3.3): connecting to the target (a context or
 * the demo), running a set of checks with progress and streamed results, cancelling, and
 * switching context or namespaces. Components never fetch; they call these functions.
 */
import { useCallback, useEffect, useRef, type Dispatch } from 'react';
import { UserError, errorMessage } from '../src/errors.js';
import type { Evaluation, EvaluateOptions, Target } from '../src/scan.js';
import type { CheckConfig } from '../src/engine/snapshot.js';
import type { Check, Finding, Severity } from '../src/engine/types.js';
import type { Action, Connection } from './app-state.js';

export interface ScanDeps {
  readonly openTarget: (options: { demo: boolean; context?: string }) => Promise<Target>;
  /** `target` is undefined for checks that read only local files (the Code layer needs no cluster). */
  readonly evaluate: (target: Target | undefined, checks: readonly Check[], options: EvaluateOptions) => Promise<Evaluation>;
}

export interface ScanConfig {
  readonly demo: boolean;
  readonly context?: string;
  readonly namespaces?: readonly string[];
  readonly code?: string;
  /** `--manifests` paths, scanned besides the cluster, or instead of one when `offline`. */
  readonly manifests?: readonly string[];
  readonly offline?: boolean;
  readonly timeoutSeconds: number;
  readonly isAccepted?: (finding: Finding) => boolean;
  /** Check id → severity, from settings. */
  readonly severityOverrides?: Readonly<Record<string, Severity>>;
  /** User configuration the checks read (trusted registries…). */
  readonly checkConfig?: CheckConfig;
}

export interface ScanControls {
  run(checks: readonly Check[], label: string): Promise<void>;
  cancel(): boolean;
  /** Switch to another context, the demo, or other namespaces; results reset. */
  retarget(change: { demo?: boolean; context?: string; namespaces?: readonly string[] }): Promise<void>;
}

/** `onFinished` gets what the run found (to record the last scan) and the context it ran against. */
export function useScan(dispatch: Dispatch<Action>, config: ScanConfig, deps: ScanDeps, onFinished?: (evaluation: Evaluation, context: string | undefined) => void): ScanControls {
  const target = useRef<Target | undefined>(undefined);
  const settings = useRef(config);
  const running = useRef<AbortController | undefined>(undefined);

  const connect = useCallback(async (): Promise<Target | undefined> => {
    if (target.current) return target.current;
    const c = settings.current;
    try {
      const t = await deps.openTarget({ demo: c.demo, context: c.context });
      target.current = t;
      const connection: Connection = { status: 'ready', demo: t.demo, context: t.config?.context, server: t.config?.server };
      dispatch({ type: 'connection', connection });
      return t;
    } catch (error) {
      const message = error instanceof UserError ? error.message : errorMessage(error);
      dispatch({ type: 'connection', connection: { status: 'failed', demo: c.demo, context: c.context, message } });
      return undefined;
    }
  }, [deps, dispatch]);

  const run = useCallback(async (checks: readonly Check[], label: string) => {
    if (running.current || checks.length === 0) return;
    const controller = new AbortController();
    running.current = controller;
    const started = performance.now();
    dispatch({ type: 'scanStarted', label, checksTotal: checks.length });
    try {
      // The Code layer reads only local files: it runs without (or despite a failed) cluster connection.
      // Manifests instead of a cluster: nothing to connect to.
      const c = settings.current;
      const filesOnly = c.offline === true || checks.every((k) => [...k.needs, ...(k.optionalNeeds ?? [])].every((n) => n === 'files'));
      const t = c.offline ? undefined : filesOnly ? target.current : await connect();
      if (!t && !filesOnly) {
        dispatch({ type: 'scanFailed', message: 'no cluster: press d to open the demo cluster, or :ctx NAME' });
        return;
      }
      if (c.offline) dispatch({ type: 'connection', connection: { status: 'ready', demo: false } });
      const result = await deps.evaluate(t, checks, {
        namespaces: c.namespaces, code: c.code, timeoutSeconds: c.timeoutSeconds, signal: controller.signal, interactive: true,
        ...(c.manifests?.length ? { manifests: c.manifests } : {}),
        isAccepted: c.isAccepted,
        severityOverrides: c.severityOverrides,
        ...(c.checkConfig ? { config: c.checkConfig } : {}),
        onProgress: (p) => dispatch({ type: 'scanProgress', kindsDone: p.done, kindsTotal: p.total }),
        onResult: (r, f) => dispatch({ type: 'checkDone', result: r, findings: f }),
      });
      if (result.version && t) dispatch({ type: 'connection', connection: { status: 'ready', demo: t.demo, context: t.config?.context, server: t.config?.server, version: result.version } });
      if (controller.signal.aborted) dispatch({ type: 'scanCancelled' });
      else {
        dispatch({ type: 'scanFinished', durationMs: performance.now() - started, notices: result.notices });
        if (result.notices.length > 0) dispatch({ type: 'flash', text: `note: ${result.notices.join('; ')}`, tone: 'info' });
        onFinished?.(result, t?.config?.context);
      }
    } catch (error) {
      if (controller.signal.aborted) {
        dispatch({ type: 'scanCancelled' });
      } else if (error instanceof UserError) {
        const c = settings.current;
        await target.current?.close();
        target.current = undefined;
        dispatch({ type: 'connection', connection: { status: 'failed', demo: c.demo, context: c.context, message: error.message } });
        dispatch({ type: 'scanFailed', message: error.message });
      } else {
        dispatch({ type: 'scanFailed', message: `scan failed: ${errorMessage(error)}` });
      }
    } finally {
      running.current = undefined;
    }
  }, [connect, deps, dispatch, onFinished]);

  const cancel = useCallback(() => {
    if (!running.current) return false;
    running.current.abort();
    return true;
  }, []);

  const retarget = useCallback(async (change: { demo?: boolean; context?: string; namespaces?: readonly string[] }) => {
    running.current?.abort();
    const old = target.current;
    const switching = change.demo !== undefined || change.context !== undefined;
    settings.current = {
      ...settings.current,
      ...(change.demo !== undefined ? { demo: change.demo } : {}),
      ...(change.context !== undefined ? { context: change.context, demo: false } : {}),
      // A cluster chosen while scanning manifests alone: the manifests are scanned besides it.
      ...(switching ? { offline: false } : {}),
      ...(change.namespaces !== undefined ? { namespaces: change.namespaces } : {}),
    };
    if (switching) {
      target.current = undefined;
      await old?.close();
    }
    dispatch({ type: 'reset' });
  }, [dispatch]);

  useEffect(() => {
    settings.current = { ...settings.current, isAccepted: config.isAccepted };
  }, [config.isAccepted]);

  useEffect(() => () => {
    running.current?.abort();
    void target.current?.close();
  }, []);

  return { run, cancel, retarget };
}
