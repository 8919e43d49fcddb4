/**
 * Keystroke → frame latencies of the real App (ink, maxFps 60, not debug mode) over a large
 * finding list, measured in-process through a fake terminal: navigation (single presses and
 * key repeat at ~30 Hz) and search typing. The scan is replaced by a list of synthetic findings
 * so only the UI is measured.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink';
import { CHECKS } from '../../checks/index.js';
import { App, type AppDeps } from '../../components/app.js';
import type { Finding, Severity } from '../../src/engine/types.js';
import { openSettings } from '../../src/settings.js';
import { FakeStdin, FakeStdout } from '../../test/helpers/terminal.js';

const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

/** `n` findings on one container check, with subjects and messages as varied as real ones. */
export function syntheticFindings(n: number): Finding[] {
  const check = CHECKS.find((c) => c.id === 'container/privileged') ?? CHECKS[0]!;
  const kinds = ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Pod'];
  const words = ['api', 'worker', 'frontend', 'billing', 'search', 'cache', 'gateway', 'auth', 'report', 'ingest'];
  return Array.from({ length: n }, (_, i) => {
    const ns = `team-${String(i % 2000).padStart(4, '0')}`;
    const name = `${words[i % 10]}-${words[(i >> 3) % 10]}-${String(i).padStart(5, '0')}`;
    return {
      key: `${check.id}@Deployment/${ns}/${name}:app`, checkId: check.id, layer: check.layer, severity: SEVERITIES[i % 4]!, status: 'fail',
      title: check.title, message: `container "app" of ${kinds[i % 5]} "${ns}/${name}" sets securityContext.privileged: true`,
      subject: { kind: kinds[i % 5]!, namespace: ns, name, container: 'app' },
      evidence: [{ path: 'spec.template.spec.containers[name=app].securityContext.privileged', value: 'true' }],
      remediation: { why: 'w', fix: 'f', command: `kubectl -n '${ns}' patch deployment '${name}' --type=strategic -p '{}'` },
      references: [], scope: 'workload', accepted: false,
    };
  });
}

export interface UiFigures {
  readonly findings: number;
  readonly navigation: readonly number[];
  readonly navigationRepeat: readonly number[];
  readonly search: readonly number[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function measureUi(n: number, options: { presses?: number } = {}): Promise<UiFigures> {
  const presses = options.presses ?? 60;
  const findings = syntheticFindings(n);
  const check = CHECKS.find((c) => c.id === 'container/privileged') ?? CHECKS[0]!;
  const deps: AppDeps = {
    settings: openSettings({ cwd: mkdtempSync(join(tmpdir(), '4c-bench-')) }),
    copy: async (text) => ({ text, osc52: true, system: 'unavailable' }),
    openTarget: async () => ({ demo: true, close: async () => undefined }),
    evaluate: async (_t, _checks, opts) => {
      const result = { id: check.id, layer: check.layer, title: check.title, severity: check.severity, status: 'fail' as const, findings: n, durationMs: 1 };
      opts.onResult?.(result, findings);
      return { results: [result], findings, notices: [] };
    },
    exportReport: async () => undefined,
  };
  const stdout = new FakeStdout(160, 50);
  const stdin = new FakeStdin();
  let lastWrite = 0;
  let writes = 0;
  const write = stdout.write;
  stdout.write = (frame: string) => {
    lastWrite = performance.now();
    writes++;
    return write(frame);
  };
  const instance = render(
    <App deps={deps} connection={{ status: 'setup', demo: true, context: 'bench' }} contexts={[]} timeoutSeconds={10} color={true} scanOnStart={true} initialLayer="container" />,
    { stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream, debug: false, exitOnCtrlC: false, patchConsole: false, maxFps: 60 },
  );
  const plain = () => stdout.frames.slice(-200).join("").replace(/\u001B\[[0-9;?]*[ -/]*[@-~]/g, '');
  const until = async (predicate: () => boolean, what: string) => {
    const deadline = performance.now() + 30_000;
    while (!predicate()) {
      if (performance.now() > deadline) throw new Error(`bench: timed out waiting for ${what}; last frame:\n${plain()}`);
      await sleep(5);
    }
  };
  /** Time from the key reaching stdin to the next frame written. */
  const press = async (key: string): Promise<number> => {
    const before = writes;
    const t0 = performance.now();
    stdin.write(key);
    const deadline = t0 + 2000;
    while (writes === before && performance.now() < deadline) await new Promise((r) => setTimeout(r, 0));
    return writes === before ? Number.NaN : lastWrite - t0;
  };
  try {
    await until(() => /scanned in/.test(plain()), 'the scan');
    await sleep(300); // the search index is built off the input path after the scan settles
    stdin.write('j');
    await sleep(50);
    stdin.write('\r');
    await until(() => plain().includes(`: ${n}`) || /app-\d{5}|\d{5}/.test(plain()), 'the big list');
    await sleep(100);

    const navigation: number[] = [];
    for (let i = 0; i < presses; i++) {
      navigation.push(await press(i % 10 === 9 ? 'k' : 'j'));
      await sleep(40); // well apart: one keystroke at a time
    }
    // Key repeat: ~30 presses a second, each measured to its frame.
    const navigationRepeat: number[] = [];
    for (let i = 0; i < presses; i++) {
      const latency = press('j');
      await sleep(33);
      navigationRepeat.push(await latency);
    }
    const search: number[] = [];
    stdin.write('/');
    await sleep(50);
    for (const ch of 'billing api team-01') {
      search.push(await press(ch));
      await sleep(40);
    }
    for (let i = 0; i < 4; i++) {
      search.push(await press('\u007F'));
      await sleep(40);
    }
    return { findings: n, navigation: navigation.filter(Number.isFinite), navigationRepeat: navigationRepeat.filter(Number.isFinite), search: search.filter(Number.isFinite) };
  } finally {
    instance.unmount();
  }
}
