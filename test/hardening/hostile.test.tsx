/**
 * Hostile input (issue 9): object names, labels, annotations, container names, images and host
 * names carrying ANSI CSI and OSC sequences (OSC 52 included), C0/C1 controls, bidi overrides,
 * shell metacharacters and very long strings. The table, Markdown and TUI show none of the
 * control bytes; JSON stays valid; every generated command keeps a hostile value as one word,
 * proven by running it through bash with the tools stubbed to print their arguments.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKS } from '../../checks/index.js';
import { App, type AppDeps } from '../../components/app.js';
import { demoCluster } from '../../src/demo/cluster.js';
import type { K8sObject } from '../../src/engine/k8s.js';
import { snapshotFromObjects } from '../../src/engine/objects.js';
import { runChecks } from '../../src/engine/run.js';
import { buildReport } from '../../src/report/json.js';
import { evaluate, openTarget } from '../../src/scan.js';
import { startApiServer, type ApiServer } from '../../src/server/api-server.js';
import { openSettings } from '../../src/settings.js';
import { runCli } from '../helpers/cli.js';
import { KEYS, mount } from '../helpers/render.js';

const dir = mkdtempSync(join(tmpdir(), '4c-hostile-'));
const PWNED = join(dir, 'pwned');
const ESC = '\u001b';
/** Names that try to break out of terminals, shells and reports. */
const EVIL = {
  csi: `${ESC}[2J${ESC}[31mred`,
  osc52: `${ESC}]52;c;ZWNobyBwd25lZA==\u0007`,
  c1: 'x\u009b31mq\u0085',
  bidi: 'admin\u202Egpj.exe',
  shell: `$(touch ${PWNED})'; touch ${PWNED}; echo '`,
  long: `long-${'a'.repeat(20_000)}`,
};
const ALL = Object.values(EVIL);
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

function hostileObjects(): K8sObject[] {
  const labels = { app: 'evil', note: EVIL.csi };
  const annotations = { 'kubernetes.io/description': EVIL.osc52, 'nginx.ingress.kubernetes.io/server-snippet': EVIL.shell, big: EVIL.long };
  const spec = {
    containers: [{
      name: EVIL.csi, image: `nginx:latest${EVIL.osc52}`,
      env: [{ name: 'DB_PASSWORD', value: EVIL.shell }],
      securityContext: { privileged: true, runAsUser: 0 },
    }],
    hostPID: true,
    volumes: [{ name: 'sock', hostPath: { path: '/var/run/docker.sock' } }],
  };
  return [
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: EVIL.shell, namespace: 'shop', uid: 'evil-deploy', labels, annotations }, spec: { replicas: 0, selector: { matchLabels: labels }, template: { metadata: { labels }, spec } } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: EVIL.bidi, namespace: 'shop', uid: 'evil-pod', labels, annotations }, spec, status: { phase: 'Running', qosClass: 'BestEffort' } },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: EVIL.c1, uid: 'evil-crb', annotations }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'User', name: EVIL.osc52 }, { kind: 'ServiceAccount', name: EVIL.shell, namespace: 'shop' }] },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: EVIL.csi, namespace: 'shop', uid: 'evil-svc', annotations }, spec: { type: 'LoadBalancer', ports: [{ port: 6379, nodePort: 31379 }], selector: labels }, status: { loadBalancer: { ingress: [{ ip: '203.0.113.66', hostname: EVIL.csi }] } } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: EVIL.bidi, namespace: 'shop', uid: 'evil-ing', annotations }, spec: { rules: [{ host: `shop.example.com${EVIL.csi}` }] }, status: { loadBalancer: { ingress: [{ ip: '203.0.113.67' }] } } },
  ] as unknown as K8sObject[];
}

const objects = [...demoCluster(), ...hostileObjects()];
const { snapshot } = snapshotFromObjects(objects, { version: { major: '1', minor: '33', gitVersion: 'v1.33.4' }, clusterInfo: null });
const { results, findings } = runChecks(snapshot, CHECKS);
const touched = findings.filter((f) => ALL.some((v) => JSON.stringify(f).includes(JSON.stringify(v).slice(1, 40))));

describe('hostile objects through every check', () => {
  it('break no check and are reported', () => {
    expect(results.filter((r) => r.status === 'error').map((r) => `${r.id}: ${r.reason}`)).toEqual([]);
    expect(touched.length).toBeGreaterThan(5);
  });

  it('keep each hostile value one word in every generated command, and run nothing', () => {
    const STUBS = ['kubectl', 'aws', 'gcloud', 'az', 'oc'].map((t) => `${t}() { printf '%s\\0' "$@"; }`).join('\n');
    let checked = 0;
    for (const f of touched) {
      const command = f.remediation.command;
      if (!command) continue;
      const bash = spawnSync('/bin/bash', ['--norc', '--noprofile', '-c', `${STUBS}\n${command}`], { cwd: dir, env: { PATH: '', HOME: dir }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      expect(bash.stderr, `${f.checkId}: ${command.slice(0, 200)}`).toBe('');
      const words = bash.stdout.split('\0');
      for (const value of ALL) {
        if (!command.includes(value.slice(0, 30))) continue;
        // The value is whole inside one argument (alone, or as `--flag=value`, or inside a JSON patch).
        expect(words.some((w) => w.includes(value)), `${f.checkId}: ${JSON.stringify(value.slice(0, 40))} split across words`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(3);
    expect(existsSync(PWNED)).toBe(false);
  });
});

describe('hostile objects through the reports and the TUI', () => {
  let server: ApiServer;
  let kubeconfig: string;
  beforeAll(async () => {
    server = await startApiServer({ objects, tls: true, token: 'hostile-token' });
    kubeconfig = join(dir, 'kubeconfig');
    await server.writeKubeconfig(kubeconfig);
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('table and Markdown carry no control bytes; JSON parses and keeps the names', async () => {
    for (const format of ['table', 'markdown']) {
      const run = await runCli(['scan', '--kubeconfig', kubeconfig, '--format', format, '--fail-on', 'none'], { NO_COLOR: '1' });
      expect(run.code, run.stderr).toBe(0);
      const bad = run.stdout.split('\n').filter((l) => CONTROL.test(l.replace(/\t/g, ' ')));
      expect(bad.map((l) => JSON.stringify(l.slice(0, 120))), format).toEqual([]);
      expect(run.stdout.length).toBeLessThan(20_000_000);
    }
    const out = join(dir, 'report.json');
    const run = await runCli(['scan', '--kubeconfig', kubeconfig, '--format', 'json', '--output', out, '--fail-on', 'none']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as { findings: { subject: { name: string } }[] };
    expect(report.findings.some((f) => f.subject.name === EVIL.shell)).toBe(true);
    expect(existsSync(PWNED)).toBe(false);
  });

  it('TUI frames carry no control bytes, in lists and in the detail', async () => {
    const deps: AppDeps = {
      settings: openSettings({ cwd: dir }),
      copy: async (text) => ({ text, osc52: true, system: 'unavailable' }),
      openTarget: () => openTarget({ kubeconfig }),
      evaluate,
      exportReport: async () => undefined,
    };
    const m = await mount(<App deps={deps} connection={{ status: 'setup', demo: false, context: 'hostile' }} contexts={[]} timeoutSeconds={20} color={false} scanOnStart={true} initialLayer="cluster" />, { columns: 140, rows: 45 });
    try {
      await m.waitFor((f) => /scanned in \d/.test(f), 'the scan', 60_000);
      // The cluster-admin check: its list names the hostile binding; then the detail.
      for (let i = 0; i < 8 && !/› .*cluster-admin/.test(m.frame()); i++) await m.press('j');
      await m.press(KEYS.enter, KEYS.enter);
      await m.waitFor((f) => f.includes('Command (c copies)'), 'the detail');
      for (const frame of m.stdout.frames) {
        const bad = frame.split('\n').filter((l) => CONTROL.test(l));
        expect(bad.map((l) => JSON.stringify(l.slice(0, 120)))).toEqual([]);
      }
    } finally {
      await m.unmount();
    }
  });
});
