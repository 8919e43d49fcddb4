import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Tests never read or write the developer's own settings.
    env: { XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), '4c-tui-test-config-')) },
  },
});
