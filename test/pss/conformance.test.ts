/**
 * Conformance with the Pod Security Admission reference fixtures (../shared/conformance/pss,
 * README there): every Pod evaluated at its own level and policy version. `pass` → allowed;
 * `fail` → denied, with the targeted check among the violations and upstream's expected message
 * substring in PSA's denial message. At `restricted`, a baseline check that a restricted check
 * overrides (hostPathVolumes → restrictedVolumes, seccompProfile_baseline →
 * seccompProfile_restricted from v1.19, capabilities_baseline → capabilities_restricted from
 * v1.22, procMount → procMount_restricted from v1.35) is not evaluated at all (CHECKS.md §6.1.7),
 * so the overriding check is the one that must report it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluatePod, formatPssMessage, overriddenBy, type PssCheckId, type PssLevel } from '../../src/engine/pss/index.js';
import { parseManifestText } from '../../src/files/manifests.js';
import type { PodSpec } from '../../src/engine/k8s.js';

const CORPUS = fileURLToPath(new URL('../../../shared/conformance/pss/', import.meta.url));
const INDEX = `${CORPUS}index.json`;

interface Entry {
  readonly file: string;
  readonly level: PssLevel;
  readonly version: string;
  readonly expect: 'pass' | 'fail';
  readonly checkId: PssCheckId | null;
  readonly upstreamMessageSubstring?: string;
}

const available = existsSync(INDEX);
if (!available) console.log(`PSS conformance: skipped (${INDEX} not found)`);

describe.skipIf(!available)('PSS conformance corpus', () => {
  it('agrees with the reference implementation on every fixture', () => {
    const entries = JSON.parse(readFileSync(INDEX, 'utf8')) as Entry[];
    const failures: string[] = [];
    let passed = 0;
    for (const entry of entries) {
      const objects = parseManifestText(readFileSync(`${CORPUS}${entry.file}`, 'utf8'), entry.file);
      const pod = objects[0]?.object;
      if (objects.length !== 1 || pod?.kind !== 'Pod') {
        failures.push(`${entry.file}: expected exactly one Pod, got ${objects.length} objects`);
        continue;
      }
      const result = evaluatePod(pod.metadata, (pod.spec ?? {}) as PodSpec, entry.level, entry.version);
      let problem: string | undefined;
      if (result.version !== entry.version) problem = `evaluated ${result.version}`;
      else if (entry.expect === 'pass') {
        if (!result.allowed) problem = `denied: ${formatPssMessage(entry.level, entry.version, result.violations)}`;
      } else if (result.allowed) {
        problem = 'allowed';
      } else {
        const expected = entry.checkId ? overriddenBy(entry.checkId, entry.level, entry.version) ?? entry.checkId : undefined;
        const violation = result.violations.find((v) => v.check === expected);
        const message = violation ? formatPssMessage(entry.level, entry.version, [violation]) : '';
        if (!violation) problem = `${expected ?? '(no check id)'} not among ${result.violations.map((v) => v.check).join(', ')}`;
        else if (entry.upstreamMessageSubstring && !message.includes(entry.upstreamMessageSubstring)) {
          problem = `message lacks "${entry.upstreamMessageSubstring}": ${message}`;
        }
      }
      if (problem) failures.push(`${entry.file} (${entry.expect}): ${problem}`);
      else passed += 1;
    }
    console.log(`PSS conformance: ${passed}/${entries.length}`);
    expect(entries.length).toBeGreaterThan(4000);
    expect(failures.slice(0, 20)).toEqual([]);
    expect(passed).toBe(entries.length);
  });
});
