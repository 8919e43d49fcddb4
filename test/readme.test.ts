import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withCatalog } from '../scripts/readme-catalog.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('has the catalog generated from the registry (run: npx tsx scripts/readme-catalog.ts --write)', () => {
    expect(readme).toBe(withCatalog(readme));
  });

  it('shows exactly two Quick start commands: install + start, and test', () => {
    const quick = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('\n## ', readme.indexOf('## Quick start') + 1));
    const commands = [...quick.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => (m[1] ?? '').trim().split('\n'));
    expect(commands).toEqual(['npm ci && npm start', 'npm test']);
  });
});
