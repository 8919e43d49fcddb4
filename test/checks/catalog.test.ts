/** Registry lint (STYLE.md rule 4): the catalog is well-formed and every check is tested. */
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../checks/index.js';
import { LAYERS, SEVERITIES } from '../../src/engine/types.js';
import { FIXTURES_DIR } from '../helpers/fixtures.js';

const CHECKS_DIR = new URL('../../checks/', import.meta.url).pathname;

/** Checks whose CHECKS.md row says "always UNABLE" (the data is outside the API): they can never pass or fail. */
const ALWAYS_UNABLE = new Set(['cloud/etcd-disk-encryption', 'cloud/node-iam-least-privilege']);

describe('check catalog', () => {
  it('has unique ids', () => {
    const ids = CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('registers every check file exactly once', () => {
    const files = LAYERS.flatMap((layer) =>
      existsSync(`${CHECKS_DIR}${layer}`) ? readdirSync(`${CHECKS_DIR}${layer}`).filter((f) => f.endsWith('.ts')).map((f) => `${layer}/${f.slice(0, -3)}`) : []);
    expect([...files].sort()).toEqual(CHECKS.map((c) => c.id).sort());
  });

  it.each(CHECKS.map((c) => [c.id, c] as const))('%s is well-formed', (id, check) => {
    const [layer, slug] = id.split('/');
    expect(id).toMatch(/^[a-z]+\/[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(check.layer).toBe(layer);
    expect(existsSync(`${CHECKS_DIR}${layer}/${slug}.ts`)).toBe(true);
    expect(SEVERITIES).toContain(check.severity);
    expect(check.title.split(/\s+/).length).toBeGreaterThanOrEqual(2);
    expect(check.title.split(/\s+/).length).toBeLessThanOrEqual(8);
    expect(check.description.length).toBeGreaterThan(40);
    expect(check.remediation).toMatch(/^[A-Z].*\.$/s);
    expect(check.references.length).toBeGreaterThan(0);
    for (const r of check.references) {
      expect(r.title.length).toBeGreaterThan(0);
      expect(() => new URL(r.url)).not.toThrow();
      expect(r.url).toMatch(/^https:\/\//);
    }
    expect(check.needs.length).toBeGreaterThan(0);
  });

  it.each(CHECKS.filter((c) => !ALWAYS_UNABLE.has(c.id)).map((c) => [c.id] as const))('%s has pass and fail fixtures', (id) => {
    const dir = `${FIXTURES_DIR}${id}`;
    const files = existsSync(dir) ? readdirSync(dir) : [];
    expect(files.some((f) => f.startsWith('pass-'))).toBe(true);
    expect(files.some((f) => f.startsWith('fail-') || f.startsWith('warn-'))).toBe(true);
  });

  it.each([...ALWAYS_UNABLE].map((id) => [id] as const))('%s (always unable by its CHECKS.md row) has unable fixtures only', (id) => {
    const dir = `${FIXTURES_DIR}${id}`;
    const files = existsSync(dir) ? readdirSync(dir) : [];
    expect(CHECKS.some((c) => c.id === id)).toBe(true);
    expect(files.filter((f) => f.startsWith('unable-')).length).toBeGreaterThan(1);
    expect(files.some((f) => f.startsWith('pass-') || f.startsWith('fail-') || f.startsWith('warn-'))).toBe(false);
  });
});
