import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, defaultSettingsDir, openSettings, type AcceptedRisk } from '../src/settings.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), '4c-settings-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) {
    try { chmodSync(dir, 0o700); } catch { /* already gone */ }
    rmSync(dir, { recursive: true, force: true });
  }
});

const configFile = (dir: string) => path.join(dir, 'config.json');
const backups = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('config.json.bak-'));
const onDisk = (dir: string) => JSON.parse(readFileSync(configFile(dir), 'utf8')) as Record<string, unknown>;
const isRoot = process.getuid?.() === 0;

const risk = (over: Partial<Omit<AcceptedRisk, 'acceptedAt'>> = {}): Omit<AcceptedRisk, 'acceptedAt'> => ({
  key: 'cluster/privileged:Deployment/payments/api',
  context: 'prod',
  reason: 'vendor requirement, ticket SEC-12',
  expiresAt: '2025-07-01T00:00:00.000Z',
  checkId: 'cluster/privileged',
  subject: 'Deployment payments/api',
  ...over,
});

describe('openSettings: defaults and persistence', () => {
  it('starts from defaults with no notices and creates the file with mode 0600', () => {
    const dir = tempDir();
    const settings = openSettings({ cwd: dir });
    expect(settings.data).toEqual(DEFAULT_SETTINGS);
    expect(settings.notices).toEqual([]);
    expect(settings.path).toBe(configFile(dir));
    expect(statSync(settings.path).mode & 0o777).toBe(0o600);
  });

  it('round-trips an update through the file and keeps mode 0600', () => {
    const dir = tempDir();
    const settings = openSettings({ cwd: dir });
    settings.update({
      lastContext: 'kind-dev', lastTab: 'code', theme: 'light', scanOnStart: false,
      severityOverrides: { 'cluster/privileged': 'medium' }, disabledChecks: ['code/x'], trustedRegistries: ['ghcr.io/acme'], untrustedNamespaces: ['tenant-*', 'trust=low'],
      lastScan: { 'kind-dev': { at: '2025-01-02T03:04:05.000Z', findings: { k1: 'high', k2: 'low' } } },
    });
    expect(settings.data).toMatchObject({ lastContext: 'kind-dev', lastTab: 'code', theme: 'light', scanOnStart: false });
    expect(onDisk(dir)).toMatchObject({ lastContext: 'kind-dev', lastTab: 'code', severityOverrides: { 'cluster/privileged': 'medium' } });
    expect(statSync(configFile(dir)).mode & 0o777).toBe(0o600);

    const reopened = openSettings({ cwd: dir });
    expect(reopened.notices).toEqual([]);
    expect(reopened.data).toEqual(settings.data);
    expect(reopened.data.lastScan['kind-dev']?.findings).toEqual({ k1: 'high', k2: 'low' });
  });

  it('clears lastContext when patched with undefined', () => {
    const dir = tempDir();
    const settings = openSettings({ cwd: dir });
    settings.update({ lastContext: 'a' });
    settings.update({ lastContext: undefined });
    expect(settings.data.lastContext).toBeUndefined();
    expect(onDisk(dir)).not.toHaveProperty('lastContext');
  });

  it('tightens a pre-existing world-readable file to 0600', () => {
    const dir = tempDir();
    writeFileSync(configFile(dir), JSON.stringify({ ...DEFAULT_SETTINGS, theme: 'dark' }), { mode: 0o644 });
    chmodSync(configFile(dir), 0o644);
    const settings = openSettings({ cwd: dir });
    expect(settings.data.theme).toBe('dark');
    expect(statSync(configFile(dir)).mode & 0o777).toBe(0o600);
  });

  it('rejects an invalid patch field with a notice and keeps the rest', () => {
    const dir = tempDir();
    const settings = openSettings({ cwd: dir });
    settings.update({ theme: 'neon' as never, lastTab: 'container', severityOverrides: { x: 'urgent' as never } });
    expect(settings.data.theme).toBe('auto');
    expect(settings.data.lastTab).toBe('container');
    expect(settings.data.severityOverrides).toEqual({});
    expect(settings.notices).toEqual(['settings: ignored an invalid value for theme', 'settings: ignored an invalid value for severityOverrides']);
  });

  it('exposes frozen data, so callers cannot change it behind the store', () => {
    const settings = openSettings({ cwd: tempDir() });
    expect(() => (settings.data.disabledChecks as string[]).push('x')).toThrow();
    expect(Object.isFrozen(DEFAULT_SETTINGS)).toBe(true);
  });

  it('ignores unknown keys in the file and keeps them on write', () => {
    const dir = tempDir();
    writeFileSync(configFile(dir), JSON.stringify({ theme: 'dark', futureOption: { a: 1 } }));
    const settings = openSettings({ cwd: dir });
    expect(settings.notices).toEqual([]);
    expect(backups(dir)).toEqual([]);
    expect(settings.data.theme).toBe('dark');
    expect(settings.data).not.toHaveProperty('futureOption');
    settings.update({ scanOnStart: false });
    expect(onDisk(dir)).toMatchObject({ theme: 'dark', scanOnStart: false, futureOption: { a: 1 } });
  });

  it('without cwd, lives in $XDG_CONFIG_HOME/4c-tui', () => {
    const xdg = tempDir();
    const settings = openSettings({ env: { XDG_CONFIG_HOME: xdg, HOME: tempDir() } });
    if (process.platform !== 'darwin' && process.platform !== 'win32') {
      expect(settings.path).toBe(path.join(xdg, '4c-tui', 'config.json'));
      expect(existsSync(settings.path)).toBe(true);
    }
    expect(defaultSettingsDir({ HOME: '/home/u' }, 'linux')).toBe('/home/u/.config/4c-tui');
    expect(defaultSettingsDir({ HOME: '/Users/u' }, 'darwin')).toBe('/Users/u/Library/Preferences/4c-tui');
  });
});

describe('openSettings: corrupt, foreign and unreadable files', () => {
  it('backs up a corrupt file with its original bytes, uses defaults and says so', () => {
    const dir = tempDir();
    const original = '{"theme": "dark", oops\u0000\n';
    writeFileSync(configFile(dir), original);
    const settings = openSettings({ cwd: dir, env: { HOME: dir } });
    expect(settings.data).toEqual(DEFAULT_SETTINGS);
    const [backup, ...more] = backups(dir);
    expect(more).toEqual([]);
    expect(readFileSync(path.join(dir, backup!), 'utf8')).toBe(original);
    expect(settings.notices).toHaveLength(1);
    expect(settings.notices[0]).toMatch(/^settings file ~\/config\.json was corrupt \(not valid JSON\); backed up to ~\/config\.json\.bak-\S+; using defaults$/);
    expect(settings.notices[0]).toContain(backup);
    // the fresh file is valid again
    expect(onDisk(dir)).toMatchObject({ theme: 'auto' });
    expect(openSettings({ cwd: dir }).notices).toEqual([]);
  });

  it.each([
    ['a JSON array', '[1,2]', /not a settings file/],
    ['a JSON string', '"hello"', /not a settings file/],
    ['null', 'null', /not a settings file/],
    ['an empty file', '', /corrupt/],
  ])('backs up %s and uses defaults', (_name, content, message) => {
    const dir = tempDir();
    writeFileSync(configFile(dir), content);
    const settings = openSettings({ cwd: dir });
    expect(settings.data).toEqual(DEFAULT_SETTINGS);
    expect(backups(dir)).toHaveLength(1);
    expect(readFileSync(path.join(dir, backups(dir)[0]!), 'utf8')).toBe(content);
    expect(settings.notices.join('\n')).toMatch(message);
  });

  it('backs up a file of the wrong shape, resets the bad fields and keeps the valid ones', () => {
    const dir = tempDir();
    const original = JSON.stringify({ acceptedRisks: 'nope', theme: 'dark', lastTab: 7 });
    writeFileSync(configFile(dir), original);
    const settings = openSettings({ cwd: dir });
    expect(settings.data.acceptedRisks).toEqual([]);
    expect(settings.data.lastTab).toBe(DEFAULT_SETTINGS.lastTab);
    expect(settings.data.theme).toBe('dark');
    expect(backups(dir)).toHaveLength(1);
    expect(readFileSync(path.join(dir, backups(dir)[0]!), 'utf8')).toBe(original);
    expect(settings.notices).toHaveLength(1);
    expect(settings.notices[0]).toMatch(/had invalid values \(acceptedRisks, lastTab\); backed up to .*; reset those to defaults$/);
    expect(onDisk(dir)).toMatchObject({ theme: 'dark', acceptedRisks: [], lastTab: DEFAULT_SETTINGS.lastTab });
  });

  it('drops only the invalid entries of a list or map', () => {
    const dir = tempDir();
    const good = { ...risk(), acceptedAt: '2025-01-01T00:00:00.000Z' };
    writeFileSync(configFile(dir), JSON.stringify({
      acceptedRisks: [good, { key: 'k' }],
      severityOverrides: { a: 'high', b: 'urgent' },
      disabledChecks: ['x', 3],
    }));
    const settings = openSettings({ cwd: dir });
    expect(settings.data.acceptedRisks).toEqual([good]);
    expect(settings.data.severityOverrides).toEqual({ a: 'high' });
    expect(settings.data.disabledChecks).toEqual(['x']);
    expect(backups(dir)).toHaveLength(1);
    expect(settings.notices[0]).toContain('(acceptedRisks, severityOverrides, disabledChecks)');
  });

  it('moves an unreadable settings path (a directory) aside', () => {
    const dir = tempDir();
    mkdirSync(configFile(dir));
    writeFileSync(path.join(configFile(dir), 'inside'), 'kept');
    const settings = openSettings({ cwd: dir });
    expect(settings.data).toEqual(DEFAULT_SETTINGS);
    expect(settings.notices[0]).toMatch(/was unreadable .*backed up to/);
    expect(readFileSync(path.join(dir, backups(dir)[0]!, 'inside'), 'utf8')).toBe('kept');
    expect(statSync(configFile(dir)).isFile()).toBe(true);
  });

  it('treats prototype-polluting keys as data', () => {
    const dir = tempDir();
    writeFileSync(configFile(dir), '{"severityOverrides": {"__proto__": "low", "constructor": "high"}}');
    const settings = openSettings({ cwd: dir });
    expect(Object.keys(settings.data.severityOverrides).sort()).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).constructor).toBe(Object);
  });
});

describe('openSettings: write failures never throw', () => {
  it('keeps working in memory when the directory cannot be created', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'file'), 'x');
    const cwd = path.join(dir, 'file', 'sub'); // a path under a regular file: ENOTDIR even for root
    let settings!: ReturnType<typeof openSettings>;
    expect(() => { settings = openSettings({ cwd }); }).not.toThrow();
    expect(settings.notices.join('\n')).toMatch(/settings could not be saved to .*keeping them for this session/);
    expect(() => settings.update({ theme: 'dark' })).not.toThrow();
    expect(settings.data.theme).toBe('dark');
    expect(() => settings.accept(risk(), new Date('2025-01-01T00:00:00Z'))).not.toThrow();
    expect(settings.acceptance(risk().key, 'prod', new Date('2025-02-01T00:00:00Z'))).toBeDefined();
    expect(settings.notices).toHaveLength(1); // the same failure is reported once
  });

  it('keeps the in-memory value when the directory disappears after opening', () => {
    const dir = tempDir();
    const cwd = path.join(dir, 'cfg');
    const settings = openSettings({ cwd });
    expect(settings.notices).toEqual([]);
    rmSync(cwd, { recursive: true });
    writeFileSync(cwd, 'now a file');
    expect(() => settings.update({ lastTab: 'cloud' })).not.toThrow();
    expect(settings.data.lastTab).toBe('cloud');
    expect(settings.notices).toHaveLength(1);
    expect(settings.notices[0]).toMatch(/^settings could not be saved/);
  });

  it.skipIf(isRoot)('does not throw in a read-only directory', () => {
    const dir = tempDir();
    chmodSync(dir, 0o500);
    const started = Date.now();
    const settings = openSettings({ cwd: dir });
    expect(() => settings.update({ theme: 'light' })).not.toThrow();
    settings.update({ lastTab: 'code' });
    // conf's atomic write would busy-retry EACCES for 1 s per write; failing fast keeps the UI responsive
    expect(Date.now() - started).toBeLessThan(1500);
    expect(settings.data).toMatchObject({ theme: 'light', lastTab: 'code' });
    expect(settings.notices).toEqual([expect.stringMatching(/^settings could not be saved to .* \(EACCES: permission denied\); keeping them for this session$/)]);
  });

  it.skipIf(isRoot)('never overwrites a corrupt file it could not back up', () => {
    const dir = tempDir();
    writeFileSync(configFile(dir), 'garbage');
    chmodSync(dir, 0o500);
    const settings = openSettings({ cwd: dir });
    settings.update({ theme: 'light' });
    expect(readFileSync(configFile(dir), 'utf8')).toBe('garbage');
    expect(settings.notices[0]).toMatch(/could not be backed up .*changes will not be saved/);
  });
});

describe('accepted risks', () => {
  const t0 = new Date('2025-01-01T00:00:00.000Z');
  const before = new Date('2025-06-30T23:59:59.999Z');
  const at = new Date('2025-07-01T00:00:00.000Z');

  it('accept records acceptedAt from now; acceptance holds until expiry; expired lists it afterwards', () => {
    const settings = openSettings({ cwd: tempDir() });
    settings.accept(risk(), t0);
    const accepted = settings.acceptance(risk().key, 'prod', before);
    expect(accepted).toEqual({ ...risk(), acceptedAt: t0.toISOString() });
    expect(settings.expired('prod', before)).toEqual([]);
    expect(settings.acceptance(risk().key, 'prod', at)).toBeUndefined();
    expect(settings.expired('prod', at)).toEqual([accepted]);
  });

  it('is scoped to the context and the key', () => {
    const settings = openSettings({ cwd: tempDir() });
    settings.accept(risk(), t0);
    expect(settings.acceptance(risk().key, 'staging', t0)).toBeUndefined();
    expect(settings.acceptance('other-key', 'prod', t0)).toBeUndefined();
    expect(settings.expired('staging', at)).toEqual([]);
  });

  it('re-accepting replaces the previous acceptance; unaccept removes it', () => {
    const settings = openSettings({ cwd: tempDir() });
    settings.accept(risk(), t0);
    settings.accept(risk({ reason: 'renewed', expiresAt: '2026-01-01T00:00:00Z' }), at);
    expect(settings.data.acceptedRisks).toHaveLength(1);
    expect(settings.acceptance(risk().key, 'prod', at)).toMatchObject({ reason: 'renewed', expiresAt: '2026-01-01T00:00:00.000Z' });
    settings.accept(risk({ context: 'staging' }), t0);
    settings.unaccept(risk().key, 'prod');
    expect(settings.acceptance(risk().key, 'prod', t0)).toBeUndefined();
    expect(settings.data.acceptedRisks.map((r) => r.context)).toEqual(['staging']);
  });

  it('survives a restart', () => {
    const dir = tempDir();
    openSettings({ cwd: dir }).accept(risk(), t0);
    const reopened = openSettings({ cwd: dir });
    expect(reopened.notices).toEqual([]);
    expect(reopened.acceptance(risk().key, 'prod', before)).toEqual({ ...risk(), acceptedAt: t0.toISOString() });
    reopened.unaccept(risk().key, 'prod');
    expect(openSettings({ cwd: dir }).data.acceptedRisks).toEqual([]);
  });

  it('rejects an invalid expiry with a notice and strips control characters from the reason', () => {
    const settings = openSettings({ cwd: tempDir() });
    settings.accept(risk({ expiresAt: 'someday' }), t0);
    expect(settings.data.acceptedRisks).toEqual([]);
    expect(settings.notices[0]).toMatch(/not saved: invalid fields/);
    settings.accept(risk({ reason: 'ok\u001B]52;c;aGk=\u0007 fine\nnext' }), t0);
    expect(settings.data.acceptedRisks[0]?.reason).toBe('ok fine next');
  });
});

describe('settings the checks read', () => {
  it('scan takes trustedRegistries and untrustedNamespaces from the settings file', async () => {
    const { runCli } = await import('./helpers/cli.js');
    const xdg = tempDir();
    mkdirSync(path.join(xdg, '4c-tui'));
    const args = ['scan', '--demo', '--check', 'container/sandboxed-runtime-not-used', '--format', 'json', '--fail-on', 'none'];
    const status = async () => (JSON.parse((await runCli(args, { XDG_CONFIG_HOME: xdg })).stdout) as { checks: { id: string; status: string }[] }).checks[0]?.status;
    writeFileSync(path.join(xdg, '4c-tui', 'config.json'), JSON.stringify({}));
    expect(await status()).toBe('not-applicable');
    writeFileSync(path.join(xdg, '4c-tui', 'config.json'), JSON.stringify({ untrustedNamespaces: ['shop'] }));
    expect(await status()).toBe('fail');
  });
});

