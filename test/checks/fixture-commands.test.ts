/**
 * Every command any check generates for any fixture is valid POSIX shell that only runs the
 * tool it names: run through bash with kubectl/aws/gcloud/az stubbed as functions and an empty
 * PATH, so any injected or mistyped word surfaces as "command not found".
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../checks/index.js';
import { runCheck } from '../../src/engine/run.js';
import { allFixtures, loadFixture } from '../helpers/fixtures.js';

const STUBS = ['kubectl', 'aws', 'gcloud', 'az'].map((t) => `${t}() { printf '%s\\n' "$@" >/dev/null; }`).join('\n');

const cases: [string, string][] = [];
for (const check of CHECKS) {
  for (const file of allFixtures().get(check.id) ?? []) {
    const { findings } = runCheck(check, loadFixture(check.id, file).snapshot);
    findings.forEach((f, i) => {
      if (f.remediation.command) cases.push([`${check.id} ${file.slice(file.lastIndexOf('/') + 1)} #${i}`, f.remediation.command]);
    });
  }
}

describe('generated commands', () => {
  it('exist for most findings', () => expect(cases.length).toBeGreaterThan(40));

  it.each(cases)('%s runs in a stubbed shell', (_name, command) => {
    const dir = mkdtempSync(join(tmpdir(), '4c-cmd-'));
    try {
      const bash = spawnSync('/bin/bash', ['--norc', '--noprofile', '-c', `${STUBS}\n${command}`], { cwd: dir, env: { PATH: '', HOME: dir }, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
      expect(bash.stderr).toBe('');
      expect(bash.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
