/**
 * User settings (DESIGN.md §6): theme, trusted registries, disabled checks, severity overrides,
 * accepted risks and the last scan per context, in `conf`'s JSON file (mode 0600) in the user's
 * config dir. The only module that imports `conf`.
 *
 * Settings must never crash the UI: a corrupt, foreign or unreadable file is moved aside to
 * `config.json.bak-<timestamp>` (original bytes kept) and replaced with defaults plus whatever
 * still validates; a failed write keeps the value in memory. Both leave a one-line notice.
 * Nothing here stores secret values: accepted risks hold finding keys, labels and reasons.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import { LAYERS, SEVERITIES, type Layer, type Severity } from './engine/types.js';
import { sanitize } from './engine/sanitize.js';
import { errorMessage } from './errors.js';

export interface AcceptedRisk {
  key: string;
  context: string;
  reason: string;
  /** ISO 8601. */
  acceptedAt: string;
  /** ISO 8601; at and after this instant the finding counts again. */
  expiresAt: string;
  checkId: string;
  /** Human label of the finding's subject, e.g. `Deployment payments/api`. */
  subject: string;
}

export const THEMES = ['auto', 'dark', 'light', 'none'] as const;
export type Theme = (typeof THEMES)[number];

export interface SettingsData {
  lastContext?: string;
  lastTab: Layer;
  scanOnStart: boolean;
  theme: Theme;
  acceptedRisks: AcceptedRisk[];
  /** check id → severity */
  severityOverrides: Record<string, Severity>;
  disabledChecks: string[];
  trustedRegistries: string[];
  /** Namespaces whose workloads should run in a sandboxed runtime: names, `prefix*` or `label=value` (container/sandboxed-runtime-not-used). */
  untrustedNamespaces: string[];
  /** compact per-context record of the last scan (finding key → severity) for "new since last scan" */
  lastScan: Record<string, LastScan>;
}

/**
 * What the last scan of a context found, compact: finding key → severity. System-scope
 * findings are left out (expected infrastructure). When a scan had more findings than fit,
 * only those at or above `minSeverity` are kept and less severe ones are never called new.
 */
export interface LastScan {
  /** ISO 8601. */
  at: string;
  findings: Record<string, Severity>;
  minSeverity?: Severity;
}

export const DEFAULT_SETTINGS: SettingsData = deepFreeze({
  lastTab: 'cluster',
  scanOnStart: true,
  theme: 'auto',
  acceptedRisks: [],
  severityOverrides: {},
  disabledChecks: [],
  trustedRegistries: [],
  untrustedNamespaces: [],
  lastScan: {},
});

export interface SettingsStore {
  readonly data: Readonly<SettingsData>;
  readonly path: string;
  /**
   * One-line notices: produced while loading (e.g. corrupt file backed up), and later when a
   * write fails or a value is rejected. Identical notices are recorded once.
   */
  readonly notices: readonly string[];
  /** Validates, writes (file mode 0600). Never throws: invalid fields and write failures become notices. */
  update(patch: Partial<SettingsData>): void;
  /** Adds or replaces the acceptance of `risk.key` in `risk.context`. */
  accept(risk: Omit<AcceptedRisk, 'acceptedAt'>, now?: Date): void;
  unaccept(key: string, context: string): void;
  /** Accepted and not expired at `now`. */
  acceptance(key: string, context: string, now?: Date): AcceptedRisk | undefined;
  /** Accepted risks whose expiry has passed (they count again; the UI shows a notice). */
  expired(context: string, now?: Date): AcceptedRisk[];
  /** The last scan recorded for `context`. */
  lastScan(context: string): LastScan | undefined;
  /** Replaces the last-scan record of `context` (see src/report/baseline.ts for how it is built). */
  recordScan(context: string, record: LastScan): void;
}

export interface OpenSettingsOptions {
  /** Directory of `config.json` (tests: a temp dir). Default: the user's config dir. */
  readonly cwd?: string;
  /** For the default dir: `XDG_CONFIG_HOME`, `HOME`, `APPDATA`. Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

const PROJECT = '4c-tui';
const FILE_MODE = 0o600;
const MAX_REASON = 1000;
const MAX_SUBJECT = 500;
const INTERNAL_KEY = '__internal__';

/** `$XDG_CONFIG_HOME/4c-tui` (else `~/.config/4c-tui`); `~/Library/Preferences/4c-tui` on macOS; `%APPDATA%\4c-tui\Config` on Windows. */
export function defaultSettingsDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = homeDir(env, platform);
  if (platform === 'darwin') return path.join(home, 'Library', 'Preferences', PROJECT);
  if (platform === 'win32') return path.join(env.APPDATA || path.join(home, 'AppData', 'Roaming'), PROJECT, 'Config');
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), PROJECT);
}

export function openSettings(options: OpenSettingsOptions = {}): SettingsStore {
  const env = options.env ?? process.env;
  const dir = path.resolve(options.cwd ?? defaultSettingsDir(env));
  return new FileSettings(dir, homeDir(env, process.platform));
}

// ---------------------------------------------------------------------------------------------
// Validation. Hand-written so a bad field can be dropped on its own (the rest of the file kept);
// conf writes only what they accepted.

type Parsed<T> = { readonly ok: true; readonly value: T; readonly dropped: number } | { readonly ok: false };
const ok = <T>(value: T, dropped = 0): Parsed<T> => ({ ok: true, value, dropped });
const bad = { ok: false } as const;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isDate = (v: unknown): v is string => typeof v === 'string' && v !== '' && !Number.isNaN(Date.parse(v));
const isSeverity = (v: unknown): v is Severity => (SEVERITIES as readonly unknown[]).includes(v);

function parseStringList(v: unknown): Parsed<string[]> {
  if (!Array.isArray(v)) return bad;
  const value = v.filter((item): item is string => typeof item === 'string' && item !== '');
  return ok([...new Set(value)], v.length - value.length);
}

/** A record with a null prototype (so keys like `__proto__` or `constructor` are plain data). */
function parseRecord<T>(v: unknown, parseValue: (item: unknown) => Parsed<T>): Parsed<Record<string, T>> {
  if (!isPlainObject(v)) return bad;
  const value = Object.create(null) as Record<string, T>;
  let dropped = 0;
  for (const [key, raw] of Object.entries(v)) {
    const parsed = parseValue(raw);
    if (parsed.ok && key !== '') {
      value[key] = parsed.value;
      dropped += parsed.dropped;
    } else dropped++;
  }
  return ok(value, dropped);
}

function parseRisk(v: unknown): Parsed<AcceptedRisk> {
  if (!isPlainObject(v)) return bad;
  const { key, context, reason, acceptedAt, expiresAt, checkId, subject } = v;
  if (typeof key !== 'string' || key === '' || typeof context !== 'string' || typeof checkId !== 'string') return bad;
  if (typeof reason !== 'string' || typeof subject !== 'string' || !isDate(acceptedAt) || !isDate(expiresAt)) return bad;
  return ok({
    key,
    context,
    reason: sanitize(reason, { maxLength: MAX_REASON }),
    acceptedAt: new Date(acceptedAt).toISOString(),
    expiresAt: new Date(expiresAt).toISOString(),
    checkId,
    subject: sanitize(subject, { maxLength: MAX_SUBJECT }),
  });
}

function parseRisks(v: unknown): Parsed<AcceptedRisk[]> {
  if (!Array.isArray(v)) return bad;
  const byId = new Map<string, AcceptedRisk>();
  let dropped = 0;
  for (const item of v) {
    const parsed = parseRisk(item);
    if (parsed.ok) byId.set(JSON.stringify([parsed.value.key, parsed.value.context]), parsed.value);
    else dropped++;
  }
  return ok([...byId.values()], dropped);
}

function parseScan(v: unknown): Parsed<LastScan> {
  if (!isPlainObject(v) || !isDate(v.at)) return bad;
  if (v.minSeverity !== undefined && !isSeverity(v.minSeverity)) return bad;
  const findings = parseRecord(v.findings, (s) => (isSeverity(s) ? ok(s) : bad));
  return findings.ok ? ok({ at: v.at, findings: findings.value, ...(v.minSeverity !== undefined ? { minSeverity: v.minSeverity as Severity } : {}) }, findings.dropped) : bad;
}

const PARSERS: { readonly [K in keyof SettingsData]-?: (v: unknown) => Parsed<SettingsData[K]> } = {
  lastContext: (v) => (typeof v === 'string' ? ok(v) : bad),
  lastTab: (v) => ((LAYERS as readonly unknown[]).includes(v) ? ok(v as Layer) : bad),
  scanOnStart: (v) => (typeof v === 'boolean' ? ok(v) : bad),
  theme: (v) => ((THEMES as readonly unknown[]).includes(v) ? ok(v as Theme) : bad),
  acceptedRisks: parseRisks,
  severityOverrides: (v) => parseRecord(v, (s) => (isSeverity(s) ? ok(s) : bad)),
  disabledChecks: parseStringList,
  trustedRegistries: parseStringList,
  untrustedNamespaces: parseStringList,
  lastScan: (v) => parseRecord(v, parseScan),
};
const KNOWN_KEYS = Object.keys(PARSERS) as (keyof SettingsData)[];

function parseField<K extends keyof SettingsData>(key: K, value: unknown): Parsed<SettingsData[K]> {
  return (PARSERS[key] as (v: unknown) => Parsed<SettingsData[K]>)(value);
}

interface Loaded {
  readonly data: SettingsData;
  /** Unknown top-level keys, written back untouched (e.g. from a newer version). */
  readonly extras: Record<string, unknown>;
  /** Known keys whose value did not validate, wholly or in part. */
  readonly invalid: readonly string[];
}

function fromObject(raw: Record<string, unknown>): Loaded {
  const data: SettingsData = cloneDefaults();
  const extras = Object.create(null) as Record<string, unknown>;
  const invalid: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (!(KNOWN_KEYS as string[]).includes(key)) {
      if (key !== INTERNAL_KEY) extras[key] = value;
      continue;
    }
    const field = key as keyof SettingsData;
    const parsed = parseField(field, value);
    if (parsed.ok) (data as unknown as Record<string, unknown>)[field] = parsed.value;
    if (!parsed.ok || parsed.dropped > 0) invalid.push(field);
  }
  return { data, extras, invalid };
}

// ---------------------------------------------------------------------------------------------
// conf without a JSON schema: every value it writes comes from #stored(), i.e. from data the
// parsers above accepted, and compiling the schema with ajv cost 0.2-0.5 s before the first frame.

function createConf(dir: string): Conf<Record<string, unknown>> {
  return new Conf<Record<string, unknown>>({
    projectName: PROJECT,
    projectSuffix: '',
    cwd: dir,
    configName: 'config',
    defaults: DEFAULT_SETTINGS as unknown as Record<string, unknown>,
    configFileMode: FILE_MODE,
    accessPropertiesByDotNotation: false,
    clearInvalidConfig: false,
    watch: false,
  });
}

// ---------------------------------------------------------------------------------------------

class FileSettings implements SettingsStore {
  readonly path: string;
  readonly #dir: string;
  readonly #home: string;
  readonly #notices: string[] = [];
  #data: Readonly<SettingsData>;
  #extras: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  #conf: Conf<Record<string, unknown>> | undefined;
  /** Set when the file on disk is bad and could not be moved aside: never overwrite it. */
  #readOnlyReason: string | undefined;

  constructor(dir: string, home: string) {
    this.#dir = dir;
    this.#home = home;
    this.path = path.join(dir, 'config.json');
    this.#data = deepFreeze(cloneDefaults());
    this.#load();
  }

  get data(): Readonly<SettingsData> {
    return this.#data;
  }

  get notices(): readonly string[] {
    return this.#notices;
  }

  update(patch: Partial<SettingsData>): void {
    if (typeof patch !== 'object' || patch === null) return;
    const next: SettingsData = { ...this.#data };
    for (const key of KNOWN_KEYS) {
      if (!Object.hasOwn(patch, key)) continue;
      const value: unknown = patch[key];
      if (value === undefined) {
        if (key === 'lastContext') delete next.lastContext;
        continue;
      }
      const parsed = parseField(key, value);
      if (!parsed.ok || parsed.dropped > 0) {
        this.#notice(`settings: ignored an invalid value for ${key}`);
        continue;
      }
      (next as unknown as Record<string, unknown>)[key] = parsed.value;
    }
    this.#commit(next);
  }

  accept(risk: Omit<AcceptedRisk, 'acceptedAt'>, now: Date = new Date()): void {
    const parsed = parseRisk({ ...risk, acceptedAt: Number.isNaN(now.getTime()) ? '' : now.toISOString() });
    if (!parsed.ok) {
      this.#notice(`settings: accepted risk for ${sanitize(String(risk.key), { maxLength: 120 })} not saved: invalid fields`);
      return;
    }
    const { key, context } = parsed.value;
    const others = this.#data.acceptedRisks.filter((r) => r.key !== key || r.context !== context);
    this.#commit({ ...this.#data, acceptedRisks: [...others, parsed.value] });
  }

  unaccept(key: string, context: string): void {
    const kept = this.#data.acceptedRisks.filter((r) => r.key !== key || r.context !== context);
    if (kept.length !== this.#data.acceptedRisks.length) this.#commit({ ...this.#data, acceptedRisks: kept });
  }

  acceptance(key: string, context: string, now: Date = new Date()): AcceptedRisk | undefined {
    return this.#data.acceptedRisks.find((r) => r.key === key && r.context === context && Date.parse(r.expiresAt) > now.getTime());
  }

  expired(context: string, now: Date = new Date()): AcceptedRisk[] {
    return this.#data.acceptedRisks.filter((r) => r.context === context && Date.parse(r.expiresAt) <= now.getTime());
  }

  lastScan(context: string): LastScan | undefined {
    return Object.hasOwn(this.#data.lastScan, context) ? this.#data.lastScan[context] : undefined;
  }

  recordScan(context: string, record: LastScan): void {
    const lastScan = Object.assign(Object.create(null) as SettingsData['lastScan'], this.#data.lastScan, { [context]: record });
    const parsed = parseField('lastScan', lastScan);
    if (!parsed.ok || parsed.dropped > 0) {
      this.#notice('settings: last scan not recorded: invalid record');
      return;
    }
    this.#commit({ ...this.#data, lastScan: parsed.value });
  }

  // -- internals ------------------------------------------------------------------------------

  #load(): void {
    const shown = this.#tilde(this.path);
    try {
      fs.mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    } catch {
      // Reported below when the file cannot be written.
    }

    let text: string | undefined;
    let problem: string | undefined;
    try {
      text = fs.readFileSync(this.path, 'utf8');
    } catch (error) {
      // ENOENT/ENOTDIR: there is no file (yet); whether it can be written shows on the first write.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') problem = `unreadable (${fsReason(error)})`;
    }

    let loaded: Loaded | undefined;
    if (text !== undefined) {
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        problem = 'corrupt (not valid JSON)';
      }
      if (problem === undefined) {
        if (isPlainObject(raw)) loaded = fromObject(raw);
        else problem = 'not a settings file (not a JSON object)';
      }
    }

    if (loaded) {
      this.#data = deepFreeze(loaded.data);
      this.#extras = loaded.extras;
    }

    const partial = loaded !== undefined && loaded.invalid.length > 0;
    if (problem !== undefined || partial) {
      const what = problem ?? `had invalid values (${loaded!.invalid.join(', ')})`;
      const outcome = partial ? 'reset those to defaults' : 'using defaults';
      const backup = this.#backUp();
      if (typeof backup === 'string') {
        this.#notice(`settings file ${shown} ${problem !== undefined ? `was ${what}` : what}; backed up to ${this.#tilde(backup)}; ${outcome}`);
      } else {
        this.#readOnlyReason = `settings file ${shown} ${problem !== undefined ? `is ${what}` : what} and could not be backed up (${backup.error}); ${outcome}; changes will not be saved`;
        this.#notice(this.#readOnlyReason);
        return;
      }
      // The file is gone (moved aside): write what we kept.
      this.#persist();
      return;
    }

    // Valid or absent: conf creates the file, or adds missing defaults to it.
    this.#persist('open');
    try {
      if (fs.existsSync(this.path) && (fs.statSync(this.path).mode & 0o777) !== FILE_MODE) fs.chmodSync(this.path, FILE_MODE);
    } catch {
      // Best effort: a file we cannot chmod is still usable.
    }
  }

  /** Moves the file aside (keeps its bytes and works even when it is unreadable). */
  #backUp(): string | { error: string } {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    let target = `${this.path}.bak-${stamp}`;
    for (let n = 1; fs.existsSync(target); n++) target = `${this.path}.bak-${stamp}-${n}`;
    try {
      fs.renameSync(this.path, target);
    } catch (error) {
      return { error: fsReason(error) };
    }
    try {
      if (fs.statSync(target).isFile()) fs.chmodSync(target, FILE_MODE);
    } catch {
      // Best effort.
    }
    return target;
  }

  #commit(next: SettingsData): void {
    this.#data = deepFreeze(next);
    this.#persist();
  }

  /**
   * `open` only lets conf create the store (it adds missing defaults to the file); `write` also
   * writes the current data. Returns false (with a notice) when the file could not be written.
   */
  #persist(mode: 'open' | 'write' = 'write'): boolean {
    if (this.#readOnlyReason !== undefined) {
      this.#notice(this.#readOnlyReason);
      return false;
    }
    try {
      this.#assertWritable();
      this.#conf ??= createConf(this.#dir);
      if (mode === 'write') this.#conf.store = this.#stored();
      return true;
    } catch (error) {
      this.#notice(`settings could not be saved to ${this.#tilde(this.path)} (${fsReason(error)}); keeping them for this session`);
      return false;
    }
  }

  /**
   * Fails fast on a read-only directory: conf's atomic write retries EACCES/EPERM in a
   * synchronous loop for a second, which would freeze the UI on every change.
   */
  #assertWritable(): void {
    try {
      fs.accessSync(this.#dir, fs.constants.W_OK);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; // conf creates a missing dir
    }
  }

  #stored(): Record<string, unknown> {
    const out: Record<string, unknown> = { ...this.#extras };
    for (const key of KNOWN_KEYS) {
      const value = this.#data[key];
      if (value !== undefined) out[key] = value;
    }
    return out;
  }

  #notice(text: string): void {
    if (!this.#notices.includes(text)) this.#notices.push(text);
  }

  #tilde(file: string): string {
    const home = this.#home;
    if (home && home !== path.parse(home).root && (file === home || file.startsWith(home + path.sep))) {
      return `~${file.slice(home.length)}`;
    }
    return file;
  }
}

/** `EACCES: permission denied` without the (temp-)file names, so a repeated failure reads the same. */
function fsReason(error: unknown): string {
  const message = errorMessage(error);
  return /^(E[A-Z0-9]+: [^,]+)/.exec(message)?.[1] ?? message;
}

function homeDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  return (platform === 'win32' ? env.USERPROFILE : env.HOME) || os.homedir();
}

function cloneDefaults(): SettingsData {
  const { acceptedRisks, disabledChecks, trustedRegistries, untrustedNamespaces, ...scalars } = DEFAULT_SETTINGS;
  return {
    ...scalars,
    acceptedRisks: [...acceptedRisks],
    severityOverrides: Object.create(null) as Record<string, Severity>,
    disabledChecks: [...disabledChecks],
    trustedRegistries: [...trustedRegistries],
    untrustedNamespaces: [...untrustedNamespaces],
    lastScan: Object.create(null) as SettingsData['lastScan'],
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
