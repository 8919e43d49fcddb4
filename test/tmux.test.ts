/**
 * One real-terminal test: the built binary in tmux at 120×40 with --demo, keys sent with
 * send-keys, the screen read with capture-pane (polled, never a fixed sleep).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'dist/bin/4c-tui.js'); // the bundled bin users run (npm run build)
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const built = existsSync(cli);
if (!hasTmux) console.log('notice: tmux is not installed; skipping the real-terminal test');
else if (!built) console.log('notice: dist/ is not built (npm run build); skipping the real-terminal test');

const socket = `4c-tui-test-${process.pid}`;
const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', 'app').stdout;

async function until(predicate: (text: string) => boolean, what: string, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = screen();
    if (predicate(text)) return text;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${text}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

afterAll(() => {
  tmux('kill-server');
});

describe.skipIf(!hasTmux || !built)('4c-tui --demo in a real terminal (tmux 120×40)', () => {
  it('shows the tabs, scans, searches, opens a detail, copies, shows help and quits with 0', { timeout: 90_000 }, async () => {
    const config = mkdtempSync(join(tmpdir(), '4c-tmux-'));
    const status = join(config, 'status');
    const command = `env -u CI XDG_CONFIG_HOME='${config}' node '${cli}' --demo; echo $? > '${status}'; sleep 5`;
    expect(tmux('new-session', '-d', '-s', 'app', '-x', '120', '-y', '40', command).status).toBe(0);

    let text = await until((t) => /scanned in \d/.test(t), 'the first scan');
    for (const tab of ['1 Cloud', '2 Cluster', '3 Container', '4 Code']) expect(text).toContain(tab);
    expect(text).toContain('DEMO CLUSTER');

    tmux('send-keys', '-t', 'app', 'C-r');
    await until((t) => t.includes('scanning'), 'ctrl-r to start a scan');
    await until((t) => /scanned in \d/.test(t) && !t.includes('scanning'), 'the ctrl-r scan to finish');

    // Enter opens a check's findings; the very next j moves in that list, not in the checks.
    tmux('send-keys', '-t', 'app', '3');
    await until((t) => /ALL\s+all checks of this layer/.test(t), 'the container tab');
    tmux('send-keys', '-t', 'app', 'j');
    await until((t) => /› \S+\s+CRIT Privileged container/.test(t), 'the privileged check');
    tmux('send-keys', '-t', 'app', 'Enter');
    // The check row loses the cursor (·) once the findings have the focus.
    text = await until((t) => /── container\/privileged: \d+/.test(t) && /^· .*Privileged container/m.test(t) && /^› /m.test(t), 'its findings');
    const cursorRow = (t: string) => t.split('\n').find((l) => l.startsWith('› ')) ?? '';
    const first = cursorRow(text);
    tmux('send-keys', '-t', 'app', 'j');
    text = await until((t) => cursorRow(t) !== first, 'the finding cursor to move');
    expect(text).toMatch(/── container\/privileged: \d+/);
    expect(cursorRow(text)).toContain('container/privileged');
    tmux('send-keys', '-t', 'app', 'Escape');
    await until((t) => !/^› .*container\/privileged/m.test(t), 'back to the checks');

    tmux('send-keys', '-t', 'app', '/', 'privileged');
    text = await until((t) => /search "privileged": \d+ matches/.test(t), 'the search');
    tmux('send-keys', '-t', 'app', 'Enter');
    tmux('send-keys', '-t', 'app', 'Enter');
    text = await until((t) => t.includes('Command (c copies)'), 'the detail');
    expect(text).toMatch(/kubectl -n '[a-z-]+' patch [a-z]+ '[a-z-]+'/);
    expect(text).toContain("'shop'");

    tmux('send-keys', '-t', 'app', 'c');
    text = await until((t) => t.includes('copied to'), 'the copy notice');
    expect(text).toMatch(/copied to .*: kubectl -n 'shop'/);

    // ESC immediately followed by a key reads as Alt+key in every terminal, so wait between.
    tmux('send-keys', '-t', 'app', 'Escape');
    await until((t) => !t.includes('Command (c copies)'), 'the detail closed');
    tmux('send-keys', '-t', 'app', '?');
    text = await until((t) => t.includes('Keys (esc closes)'), 'the help overlay');
    expect(text).toContain('ctrl-r');
    tmux('send-keys', '-t', 'app', 'Escape');
    await until((t) => !t.includes('Keys (esc closes)'), 'the help closed');
    tmux('send-keys', '-t', 'app', 'q');
    await until(() => existsSync(status), 'the exit');
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(status, 'utf8').trim()).toBe('0');
  });
});
