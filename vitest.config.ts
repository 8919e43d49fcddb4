import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    environment: 'node',
    // Generous: CI machines are shared and slower than a laptop; speed is measured by npm run bench.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests never read or write the developer's own settings.
    env: { XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), '4c-tui-test-config-')) },
  },
});
