/**
 * The Code tab (issue 7): it scans the source tree without any cluster, says so before the
 * first scan, and shows a clear reason when the directory does not exist.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { App, type AppDeps } from '../../components/app.js';
import type { CopyResult } from '../../src/clipboard.js';
import { UserError } from '../../src/errors.js';
import { evaluate } from '../../src/scan.js';
import { openSettings } from '../../src/settings.js';
import { mount, type Mounted } from '../helpers/render.js';

let mounted: Mounted[] = [];
afterEach(async () => {
  await Promise.all(mounted.map((m) => m.unmount()));
  mounted = [];
});

/** No cluster at all: opening a target always fails, as without a kubeconfig. */
function deps(dir: string): AppDeps {
  return {
    settings: openSettings({ cwd: dir }),
    copy: async (text): Promise<CopyResult> => ({ text, osc52: true, system: 'unavailable' }),
    openTarget: async () => { throw new UserError('no-kubeconfig', 'no kubeconfig found'); },
    evaluate,
    exportReport: async () => undefined,
  };
}

async function start(code: string): Promise<Mounted> {
  const settingsDir = mkdtempSync(join(tmpdir(), '4c-code-tab-settings-'));
  const m = await mount(
    <App deps={deps(settingsDir)} connection={{ status: 'setup', demo: false }} contexts={[]} timeoutSeconds={5} color={false} scanOnStart={false} initialLayer="code" code={code} />,
    { columns: 140, rows: 40 },
  );
  mounted.push(m);
  return m;
}

describe('the Code tab', () => {
  it('scans the source tree with no cluster and lists the findings', async () => {
    const dir = mkdtempSync(join(tmpdir(), '4c-code-tab-'));
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app', 'Dockerfile'), 'FROM python\nRUN pip install flask==3.0.3\n');
    const m = await start(dir);
    let f = await m.waitFor((x) => x.includes('not scanned yet: R scans the source tree'), 'the empty state');
    expect(f).toContain('(no cluster needed)');
    await m.press('R');
    f = await m.waitFor((x) => /scanned in \d/.test(x), 'the code scan');
    expect(f).toContain('Image runs as root');
    expect(f).toContain('app/Dockerfile');
    expect(f).not.toContain('no kubeconfig found');
  });

  it('says why when the source tree does not exist', async () => {
    const missing = join(tmpdir(), '4c-code-tab-missing', 'nope');
    const m = await start(missing);
    await m.press('R');
    const f = await m.waitFor((x) => /scanned in \d/.test(x), 'the code scan');
    expect(f).toMatch(/does not exist/);
  });
});
