#!/usr/bin/env node
/**
 * Entry point: parses argv, runs a command, sets the exit code (DESIGN.md §2): 0 nothing at
 * or above --fail-on, 1 findings at or above it, 2 could not run — always one line on
 * stderr naming the cause and the fix, never a stack trace.
 */
import { realpathSync } from 'node:fs';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { CHECKS } from '../checks/index.js';
import { counts } from './engine/summary.js';
import { atLeast, type Severity } from './engine/types.js';
import { RequestFailure } from './cluster/transport.js';
import { UserError, errorMessage } from './errors.js';
import type { ScanReport } from './report/json.js';
import { jsonReportChunks } from './report/json-stream.js';
import { renderTable } from './report/table.js';
import { parseLayers, scan, selectChecks, startDemo, type ScanOptions } from './scan.js';
import { VERSION } from './version.js';

interface SharedFlags {
  kubeconfig?: string;
  context?: string;
  namespace: string[];
  allNamespaces?: boolean;
  code?: string;
  layer?: string;
  check?: string;
  demo?: boolean;
  timeout: string;
  color: boolean;
  manifests: string[];
}

interface ScanFlags extends SharedFlags {
  format: 'table' | 'json' | 'sarif' | 'markdown';
  output?: string;
  failOn: Severity | 'none';
  acceptFile?: string;
  baseline?: string;
  failOnNew?: boolean;
  vulnReport: string[];
  scanConfigmaps?: boolean;
}

const repeatable = (value: string, previous: string[]) => [...previous, ...value.split(',').filter(Boolean)];
/** Repeatable path flags: paths may contain commas, so they are never split. */
const repeatablePath = (value: string, previous: string[]) => [...previous, value];

function addSharedOptions(cmd: Command): Command {
  return cmd
    .option('--kubeconfig <path>', 'kubeconfig file (else $KUBECONFIG, else ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use')
    .option('-n, --namespace <ns>', 'limit namespaced kinds to this namespace (repeatable)', repeatable, [])
    .option('-A, --all-namespaces', 'scan every namespace (the default)')
    .option('--code <dir>', 'source tree for the Code layer')
    .option('--manifests <path>', 'manifest files to scan: FILE, DIR or - for stdin (repeatable); instead of a cluster, or besides one with --demo/--kubeconfig/--context', repeatablePath, [])
    .option('--layer <layers>', 'only these layers: cloud,cluster,container,code')
    .option('--check <ids>', 'only these checks (ids or id prefixes, comma-separated)')
    .option('--demo', 'scan the built-in demo cluster')
    .option('--timeout <seconds>', 'timeout per API request', '30')
    .option('--no-color', 'no colour (NO_COLOR is honoured too)');
}

function scanOptions(flags: SharedFlags): ScanOptions {
  const timeout = Number(flags.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) throw new UserError('usage', `--timeout must be a positive number of seconds, got "${flags.timeout}"`);
  if (flags.allNamespaces && flags.namespace.length > 0) throw new UserError('usage', '-n/--namespace and -A/--all-namespaces exclude each other');
  if (flags.demo && (flags.kubeconfig || flags.context)) throw new UserError('usage', '--demo uses the built-in cluster; drop --kubeconfig/--context');
  return {
    kubeconfig: flags.kubeconfig,
    context: flags.context,
    namespaces: flags.namespace,
    layers: flags.layer ? parseLayers(flags.layer) : undefined,
    checkIds: flags.check ? flags.check.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
    demo: flags.demo,
    code: flags.code,
    ...(flags.manifests.length > 0 ? { manifests: flags.manifests } : {}),
    timeoutSeconds: timeout,
  };
}

function useColor(flags: { color: boolean }): boolean {
  return flags.color && !process.env.NO_COLOR && process.stdout.isTTY === true;
}

/** Aborts on ctrl-c until disposed (so repeated in-process runs do not pile up listeners). */
function cancellation(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const abort = () => controller.abort();
  process.once('SIGINT', abort);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', abort) };
}

async function runScanCommand(flags: ScanFlags): Promise<number> {
  const options = scanOptions(flags);
  const offline = { vulnReports: flags.vulnReport, stdin: process.stdin };
  const cancel = cancellation();
  const { report, notices } = await scan({ ...options, ...offline, acceptFile: flags.acceptFile, baseline: flags.baseline, configMapContents: flags.scanConfigmaps === true, signal: cancel.signal }).finally(cancel.dispose);
  // JSON is written in pieces: a 100,000-finding report is ~300 MB of text (src/report/json-stream.ts).
  const text = flags.format === 'json' ? jsonReportChunks(report) : await renderReport(report, flags.format, useColor(flags) && !flags.output);
  if (flags.output) {
    try {
      await writeFile(flags.output, text, { mode: 0o644 });
    } catch (error) {
      throw new UserError('output', `cannot write --output ${flags.output}: ${errorMessage(error)}`);
    }
    process.stderr.write(`4c-tui: report written to ${flags.output}\n`);
  } else if (typeof text === 'string') {
    process.stdout.write(text);
  } else {
    for (const chunk of text) if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
  }
  for (const notice of notices) process.stderr.write(`4c-tui: note: ${notice}\n`);
  if (flags.failOnNew && !report.baseline) process.stderr.write('4c-tui: note: --fail-on-new without a baseline (--baseline FILE, or a last scan recorded in settings): every finding counts as new\n');
  const threshold = flags.failOn;
  if (threshold === 'none') return 0;
  // --fail-on-new: only findings the baseline did not have (with no baseline, every finding is new).
  return report.findings.some((f) => counts(f) && atLeast(f.severity, threshold) && (!flags.failOnNew || f.new !== false)) ? 1 : 0;
}

async function renderReport(report: ScanReport, format: ScanFlags['format'], color: boolean): Promise<string> {
  switch (format) {
    case 'json': return `${JSON.stringify(report, null, 2)}\n`;
    case 'sarif': return `${JSON.stringify((await import('./report/sarif.js')).renderSarif(report), null, 2)}\n`;
    case 'markdown': return (await import('./report/markdown.js')).renderMarkdown(report);
    default: return renderTable(report, { color });
  }
}

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('4c-tui')
    .description('Kubernetes security posture across the 4C\'s — Cloud, Cluster, Container, Code.')
    .version(VERSION, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(false)
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ outputError: () => undefined });

  addSharedOptions(program).action(async (flags: SharedFlags) => {
    const options = scanOptions(flags);
    if (flags.manifests.includes('-')) throw new UserError('usage', '--manifests - reads standard input, which the interactive app needs for keys: pass a file or directory (or use 4c-tui scan --manifests -)');
    // The TUI and its dependencies load only for the interactive command.
    const { startTui } = await import('./tui.js');
    setExit(await startTui({ ...options, color: flags.color && !process.env.NO_COLOR }));
  });

  addSharedOptions(program.command('scan').description('headless scan: print a report; exit code by --fail-on'))
    .addOption(new Option('--format <format>', 'report format').choices(['table', 'json', 'sarif', 'markdown']).default('table'))
    .option('--output <file>', 'write the report to a file instead of stdout')
    .option('--vuln-report <file>', 'npm audit --json, OSV-Scanner or Trivy JSON results for code/dependency-vulnerabilities (repeatable)', repeatablePath, [])
    .option('--scan-configmaps', 'opt-in: list every ConfigMap and scan keys and values for credentials (values are never printed)')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices(['critical', 'high', 'medium', 'low', 'none']).default('high'))
    .option('--accept-file <file>', 'accepted risks (YAML: check, selector kind/namespace/name/labels, reason, expires); accepted findings do not count')
    .option('--baseline <file>', 'a previous JSON report to compare with (default: the last scan of the context, from settings)')
    .option('--fail-on-new', 'with --fail-on: count only findings that are new against the baseline')
    .action(async (flags: ScanFlags) => setExit(await runScanCommand(flags)));

  program.command('pss').description('evaluate Pods and pod templates in manifests against the Pod Security Standards')
    .argument('<target>', 'manifest FILE, DIR, or - for stdin')
    .addOption(new Option('--level <level>', 'Pod Security Standard level').choices(['baseline', 'restricted']).default('restricted'))
    .option('--version <version>', 'policy version: v1.N or latest', 'latest')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (target: string, flags: { level: 'baseline' | 'restricted'; version: string; format: 'table' | 'json' }) => {
      const { runPss } = await import('./pss-command.js');
      setExit(await runPss(target, flags, { stdin: process.stdin, stdout: (s) => process.stdout.write(s) }));
    });

  program.command('checks').description('list the check catalog')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action((flags: { format: 'table' | 'json' }) => {
      if (flags.format === 'json') {
        const rows = CHECKS.map((c) => ({ id: c.id, layer: c.layer, title: c.title, severity: c.severity, description: c.description, references: c.references }));
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      const width = Math.max(...CHECKS.map((c) => c.id.length));
      for (const c of CHECKS) process.stdout.write(`${c.id.padEnd(width)}  ${c.layer.padEnd(9)}  ${c.severity.padEnd(8)}  ${c.title}\n`);
    });

  program.command('explain').description('print a check\'s description, remediation and references')
    .argument('<check-id>', 'a check id, e.g. container/privileged')
    .action((id: string) => {
      const check = CHECKS.find((c) => c.id === id);
      if (!check) throw new UserError('usage', `unknown check "${id}" — list them with 4c-tui checks`);
      const lines = [
        `${check.id} — ${check.title}`,
        `layer: ${check.layer}   severity: ${check.severity}`,
        '',
        check.description,
        '',
        `Remediation: ${check.remediation}`,
        '',
        'Reads: ' + [...check.needs, ...(check.optionalNeeds ?? []).map((n) => `${n} (optional)`)].join(', '),
        '',
        'References:',
        ...check.references.map((r) => `  ${r.title} — ${r.url}`),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });

  program.command('rbac').description('print the minimal read-only ClusterRole/Role YAML the checks need')
    .option('--name <name>', 'name of the roles', '4c-tui-reader')
    .action(async (flags: { name: string }) => {
      const { renderRbacYaml } = await import('./rbac-role.js');
      process.stdout.write(renderRbacYaml(CHECKS, { name: flags.name }));
    });

  program.command('serve-demo').description('serve the demo cluster on 127.0.0.1 until interrupted; prints the kubeconfig path (for kubectl)')
    .option('--write-kubeconfig <path>', 'write the demo kubeconfig here (mode 0600) instead of a temporary file')
    .action(async (flags: { writeKubeconfig?: string }) => {
      const demo = await startDemo(flags.writeKubeconfig);
      process.stdout.write(`${demo.kubeconfigPath}\n`);
      process.stderr.write(`4c-tui: demo API server running; try: kubectl --kubeconfig ${demo.kubeconfigPath} get pods -A   (ctrl-c to stop)\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await demo.close();
    });

  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  let exit = 0;
  const program = buildProgram((code) => { exit = code; });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exit;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0; // --help, --version
      const text = error.message.replace(/^error:\s*/, '').split('\n')[0];
      process.stderr.write(`4c-tui: ${text} — see 4c-tui --help\n`);
      return 2;
    }
    if (error instanceof UserError) {
      process.stderr.write(`4c-tui: ${error.message}\n`);
      return 2;
    }
    if (error instanceof RequestFailure && error.failure === 'cancelled') {
      process.stderr.write('4c-tui: cancelled\n');
      return 130;
    }
    process.stderr.write(`4c-tui: internal error: ${errorMessage(error)} — please report it${process.env.FOURC_DEBUG ? '' : ' (FOURC_DEBUG=1 shows details)'}\n`);
    if (process.env.FOURC_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return 2;
  }
}

function isEntryPoint(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

// Run when executed (also through the npm bin symlink), not when imported by tests.
if (isEntryPoint()) process.exitCode = await main(process.argv.slice(2));
