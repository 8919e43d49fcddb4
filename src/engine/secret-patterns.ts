/**
 * Credential detection shared by the cluster layer (cluster/credentials-in-env-or-configmap) and
 * the code layer (code/hardcoded-secret): known secret formats (CHECKS.md §5 `code/hardcoded-secret`),
 * credential-like names and placeholder values (CHECKS.md §3H), and a fingerprint that identifies
 * a value without revealing it. Pure functions, no I/O; values are never returned or logged.
 */
import { createHash } from 'node:crypto';

export type SecretFormatSeverity = 'critical' | 'high';

export interface SecretFormat {
  /** Stable id, e.g. `aws-access-key-id`. */
  readonly id: string;
  /** What it is, for messages: `AWS access key ID`. */
  readonly title: string;
  /** Global regex (flag `g`) over the text. */
  readonly pattern: RegExp;
  readonly severity: SecretFormatSeverity;
  /** Rejects a match that only looks like the format (e.g. a URL whose password is `${PASS}`). */
  readonly accept?: (match: RegExpExecArray) => boolean;
}

/** `${VAR}`, `$(VAR)`, `$VAR`, `<…>`, `{{ … }}`, `***`: a reference or a mask, not a value. */
const REFERENCE = /^(\$\{[^}]*\}|\$\([^)]*\)|\$[A-Za-z_][A-Za-z0-9_]*|<[^>]*>|\{\{.*\}\}|%[A-Za-z_][A-Za-z0-9_]*%|\*+)$/s;

/** Known credential formats; critical unless the format is weak evidence on its own (JWTs are often public test tokens). */
export const SECRET_FORMATS: readonly SecretFormat[] = [
  // Lenient on the dashes and the key type so a mangled header (`---BEGIN OPENSSH PRIVATE KEY---`) still counts.
  { id: 'private-key', title: 'private key block', pattern: /-{3,}\s?BEGIN(?: [A-Z0-9]+)* PRIVATE KEY(?: BLOCK)?\s?-{3,}/g, severity: 'critical' },
  { id: 'aws-access-key-id', title: 'AWS access key ID', pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, severity: 'critical' },
  { id: 'github-token', title: 'GitHub token', pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/g, severity: 'critical' },
  { id: 'github-fine-grained-token', title: 'GitHub fine-grained token', pattern: /\bgithub_pat_[A-Za-z0-9_]{22,}\b/g, severity: 'critical' },
  { id: 'gitlab-token', title: 'GitLab personal access token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/g, severity: 'critical' },
  { id: 'slack-token', title: 'Slack token', pattern: /\bxox[baprs]-[A-Za-z0-9-]{10,}\b/g, severity: 'critical' },
  { id: 'google-api-key', title: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g, severity: 'critical' },
  { id: 'stripe-live-key', title: 'Stripe live key', pattern: /\b[sr]k_live_[0-9A-Za-z]{24,}\b/g, severity: 'critical' },
  { id: 'kubeconfig-client-key', title: 'kubeconfig client key', pattern: /\bclient-key-data:\s*["']?[A-Za-z0-9+/=]{20,}/g, severity: 'critical' },
  {
    id: 'kubeconfig-token', title: 'kubeconfig token', pattern: /(?:^|\s)token:\s*["']?([^\s"']{20,})/gm, severity: 'critical',
    accept: (m) => !REFERENCE.test(m[1] ?? ''),
  },
  { id: 'docker-config-auth', title: 'Docker registry auth', pattern: /"auth"\s*:\s*"[A-Za-z0-9+/]{8,}={0,2}"/g, severity: 'critical' },
  {
    id: 'npm-token', title: 'npm auth token', pattern: /_authToken\s*=\s*([^\s]+)/g, severity: 'critical',
    accept: (m) => !REFERENCE.test(m[1] ?? ''),
  },
  {
    id: 'url-password', title: 'URL with an inline password', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:([^/\s@]{3,})@/g, severity: 'critical',
    accept: (m) => !REFERENCE.test(m[1] ?? ''),
  },
  { id: 'jwt', title: 'JSON Web Token', pattern: /\beyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}\b/g, severity: 'high' },
];

export interface SecretFormatMatch {
  readonly format: SecretFormat;
  /** Offset of the match in the text (never the matched text itself). */
  readonly index: number;
  /** 1-based line of the match. */
  readonly line: number;
}

/** Every known-format match in `text`, most severe first, then by position. */
export function matchSecretFormats(text: string): SecretFormatMatch[] {
  const out: SecretFormatMatch[] = [];
  for (const format of SECRET_FORMATS) {
    const re = new RegExp(format.pattern.source, format.pattern.flags.includes('g') ? format.pattern.flags : `${format.pattern.flags}g`);
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[0].length === 0) re.lastIndex++;
      if (format.accept && !format.accept(m)) continue;
      const index = m.index + (m[0].length - m[0].trimStart().length);
      out.push({ format, index, line: text.slice(0, index).split('\n').length });
    }
  }
  return out.sort((a, b) => (a.format.severity === b.format.severity ? a.index - b.index : a.format.severity === 'critical' ? -1 : 1));
}

/** CHECKS.md §3H: a name that says it holds a credential. */
export const CREDENTIAL_NAME = /passw(or)?d|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential|auth/i;
/** CHECKS.md §3H: suffixes that say the variable names, locates or toggles a credential rather than holding it. */
export const NON_CREDENTIAL_SUFFIX = /(_file|_path|_dir|_url|_endpoint|_enabled|_name|_user(name)?|_id)$/i;
/**
 * Added to the catalog's list to avoid false positives: qualifiers that describe how a credential
 * is used (AUTH_MODE, TOKEN_TTL, SECRET_STORE_TYPE …), and words that only contain "auth"
 * (AUTHOR, AUTHORITY).
 */
export const NON_CREDENTIAL_QUALIFIER = /(_mode|_type|_method|_provider|_host|_port|_realm|_issuer|_audience|_scope|_server|_domain|_timeout|_ttl|_header|_strategy|_backend|_version|_length|_expiry|_expiration|_algorithm)$/i;
const AUTH_LOOKALIKE = /author(s|ity|ities)?(?![a-z])/i;
/**
 * Beyond the catalog's regex: well-known credential variables whose names end in a generic
 * `_KEY`/`_CONTENT` (Azure, OCI CLI) and keys named for their cryptographic use.
 */
export const KNOWN_CREDENTIAL_NAME = /^(azure_batch_key|azure_storage_key|azure_storage_account_key|azure_storage_access_key|oci_cli_key_content)$|(^|_)(encryption|signing|master|hmac|shared|storage_account)_key$/i;

/** `dbPasswordFile` → `db_Password_File`, `client.secret-path` → `client_secret_path`: one spelling for the suffix rules. */
export function normalizeName(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[.\-\s]+/g, '_');
}

/** Does `name` (an env var or ConfigMap key) say it holds a credential? */
export function isCredentialName(name: string): boolean {
  const n = normalizeName(name);
  if (KNOWN_CREDENTIAL_NAME.test(n)) return true;
  if (!CREDENTIAL_NAME.test(n)) return false;
  if (NON_CREDENTIAL_SUFFIX.test(n) || NON_CREDENTIAL_QUALIFIER.test(n)) return false;
  // `auth` as part of AUTHOR/AUTHORITY only: not a credential unless another word says so.
  const withoutLookalikes = n.replace(new RegExp(AUTH_LOOKALIKE.source, 'gi'), '');
  return CREDENTIAL_NAME.test(withoutLookalikes);
}

/**
 * CHECKS.md §3H placeholders: empty, `changeme`, `<…>`, `${…}`, `$(…)`, true/false, a number; plus
 * `{{ … }}` templates, `$VAR`, masks (`***`), absolute file paths and URLs without an inline
 * password (they locate a credential, they are not one).
 */
export function isPlaceholderValue(value: string): boolean {
  const v = value.trim();
  if (v === '' || /^["']{2}$/.test(v)) return true;
  if (/^changeme$/i.test(v)) return true;
  if (/^(true|false|yes|no|on|off|null|none)$/i.test(v)) return true;
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(v)) return true;
  if (REFERENCE.test(v)) return true;
  if (/^\/[\w.@/+-]*$/.test(v)) return true;
  if (/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(v) && !/^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i.test(v)) return true;
  return false;
}

export interface Fingerprint {
  /** First 8 hex digits of the SHA-256 of the value. */
  readonly sha256: string;
  /** Length in characters. */
  readonly length: number;
}

/** Identifies a value without showing it (compare across objects, confirm after rotation). */
export function fingerprint(value: string): Fingerprint {
  return { sha256: createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 8), length: [...value].length };
}

/** `sha256:1a2b3c4d, 25 chars` */
export function describeFingerprint(value: string): string {
  const f = fingerprint(value);
  return `sha256:${f.sha256}, ${f.length} ${f.length === 1 ? 'char' : 'chars'}`;
}

export interface AssignmentMatch {
  /** The assigned name as written (`REDIS_PASSWORD`). */
  readonly name: string;
  /** 1-based line in the text. */
  readonly line: number;
  /** The assigned value, unquoted; callers must never display it. */
  readonly value: string;
}

const ASSIGNMENT = /^\s*(?:export\s+|-\s+)?["']?([A-Za-z_][\w.-]*)["']?\s*[:=]\s*(.*?)\s*$/;

/**
 * `NAME=value` / `name: value` lines of a multi-line value (a config file in a ConfigMap) whose
 * name is credential-like and whose value is not a placeholder. Trailing `#` comments and
 * surrounding quotes are removed; YAML block starts (`password: |`) are skipped.
 */
export function credentialAssignments(text: string): AssignmentMatch[] {
  const out: AssignmentMatch[] = [];
  text.split('\n').forEach((raw, i) => {
    const m = ASSIGNMENT.exec(raw);
    if (!m?.[1]) return;
    let value = (m[2] ?? '').replace(/\s+#.*$/, '').replace(/,$/, '').trim();
    if (/^[|>][+-]?$/.test(value) || value.startsWith('{') || value.startsWith('[')) return;
    const quoted = /^(["'])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2] ?? '';
    if (!isCredentialName(m[1]) || isPlaceholderValue(value)) return;
    out.push({ name: m[1], line: i + 1, value });
  });
  return out;
}
