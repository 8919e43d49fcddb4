/**
 * Starts the interactive app. Settings and the kubeconfig summary load before the first
 * frame (no network, no client-node); the client loads and the scan starts after it.
 */
import { writeFile } from 'node:fs/promises';
import { render } from 'ink';
import { App, type AppDeps } from '../components/app.js';
import type { Connection } from '../components/app-state.js';
import { copy } from './clipboard.js';
import { peekKubeconfig } from './cluster/kubeconfig.js';
import { LAYERS, type Layer } from './engine/types.js';
import { UserError } from './errors.js';
import { buildReport } from './report/json.js';
import { renderMarkdown } from './report/markdown.js';
import { evaluate, openTarget } from './scan.js';
import { openSettings } from './settings.js';
import { VERSION } from './version.js';

export interface TuiOptions {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly namespaces?: readonly string[];
  readonly code?: string;
  /** `--manifests` paths: instead of a cluster, or besides one named with --demo/--kubeconfig/--context. */
  readonly manifests?: readonly string[];
  readonly demo?: boolean;
  readonly timeoutSeconds: number;
  readonly color: boolean;
}

export async function startTui(options: TuiOptions): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UserError('usage', 'not a terminal: the interactive app needs a TTY — use `4c-tui scan` for a headless report');
  }
  const settings = openSettings();
  const notices = [...settings.notices];
  let connection: Connection;
  let contexts: readonly string[] = [];
  const offline = (options.manifests?.length ?? 0) > 0 && !options.demo && options.kubeconfig === undefined && options.context === undefined;
  if (options.demo) {
    connection = { status: 'setup', demo: true, context: '4c-tui-demo' };
  } else if (offline) {
    // Manifests alone: no cluster is contacted; the kubeconfig's contexts stay available to :ctx.
    connection = { status: 'setup', demo: false };
    try {
      contexts = peekKubeconfig({ path: options.kubeconfig }).contexts;
    } catch {
      contexts = [];
    }
  } else {
    try {
      const summary = peekKubeconfig({ path: options.kubeconfig, context: options.context ?? settings.data.lastContext });
      contexts = summary.contexts;
      connection = { status: 'setup', demo: false, context: summary.context, ...(summary.server ? { server: summary.server } : {}) };
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      // A remembered context that no longer exists is not an error: use the current one.
      if (!options.context && settings.data.lastContext && error.kind === 'unknown-context') {
        settings.update({ lastContext: undefined });
        return startTui(options);
      }
      if (error.kind === 'no-kubeconfig' && !options.kubeconfig) {
        // A fresh machine: nothing to connect to, so show the demo rather than an empty screen.
        connection = { status: 'setup', demo: true, context: '4c-tui-demo' };
        notices.push(`${error.message.replace(/ — .*$/, '')}: showing the built-in demo cluster — pass --kubeconfig or set KUBECONFIG for your cluster`);
      } else {
        connection = { status: 'failed', demo: false, message: error.message };
      }
    }
  }

  const deps: AppDeps = {
    settings,
    copy: (text) => copy(text, { out: process.stdout }),
    openTarget: ({ demo, context }) => openTarget({ kubeconfig: options.kubeconfig, context, demo }),
    evaluate,
    exportReport: async (format, path, state) => {
      const report = buildReport({
        version: VERSION,
        target: { ...(state.connection.context ? { context: state.connection.context } : {}), ...(state.connection.server ? { server: state.connection.server } : {}), namespaces: options.namespaces?.length ? options.namespaces : 'all', ...(state.connection.demo ? { demo: true } : {}) },
        startedAt: new Date(), durationMs: 0, results: Object.values(state.results),
        // Accepted in the TUI: the report says why and until when.
        findings: state.findings.map((f) => {
          const a = f.accepted ? settings.acceptance(f.key, state.connection.context ?? '') : undefined;
          return a ? { ...f, acceptance: { reason: a.reason, expiresAt: new Date(Date.parse(a.expiresAt)).toISOString(), source: 'settings' as const } } : f;
        }),
      });
      const text = format === 'json' ? `${JSON.stringify(report, null, 2)}\n`
        : format === 'sarif' ? `${JSON.stringify((await import('./report/sarif.js')).renderSarif(report), null, 2)}\n`
        : renderMarkdown(report);
      await writeFile(path, text);
    },
  };
  const lastTab = settings.data.lastTab as Layer;
  const instance = render(
    <App
      deps={deps}
      connection={connection}
      contexts={contexts}
      namespaces={options.namespaces}
      code={options.code ?? process.cwd()}
      {...(options.manifests?.length ? { manifests: options.manifests, offline } : {})}
      timeoutSeconds={options.timeoutSeconds}
      color={options.color && settings.data.theme !== 'none'}
      scanOnStart={settings.data.scanOnStart}
      initialLayer={LAYERS.includes(lastTab) ? lastTab : 'cloud'}
      notices={notices}
    />,
    { maxFps: 60, patchConsole: false },
  );
  await instance.waitUntilExit();
  if (connection.context && !connection.demo) settings.update({ lastContext: connection.context });
  return 0;
}
