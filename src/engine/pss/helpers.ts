/**
 * Helpers shared by the check modules, mirroring PSA's `policy/helpers.go` and `visitor.go`.
 * Input comes from manifests and the API alike, so nothing here trusts a field's type: a value of
 * the wrong type is treated like Go would see it after decoding (absent) unless a check says
 * otherwise.
 */
import type { Container, PodSpec } from '../k8s.js';

export type Fields = Readonly<Record<string, unknown>>;

/** The value as an object (a Go non-nil pointer to a struct), else undefined. `null` is nil. */
export function obj(value: unknown): Fields | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : undefined;
}

export function arr(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A set pointer/field: present and not `null`. */
export function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** A Go string field: absent or `null` reads as "". */
export function str(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : String(value);
}

/**
 * Every container of the pod in PSA's order: initContainers, containers, ephemeralContainers
 * (the common container fields of an ephemeral container are a Container).
 */
export function visitContainers(spec: PodSpec, visitor: (container: Container) => void): void {
  for (const list of [spec.initContainers, spec.containers, spec.ephemeralContainers]) {
    for (const item of arr(list)) {
      const container = obj(item);
      if (container) visitor(container as unknown as Container);
    }
  }
}

export function containerName(container: Container): string {
  return str(container.name);
}

/** The container's `securityContext` when set. */
export function securityContextOf(holder: { readonly securityContext?: unknown } | undefined): Fields | undefined {
  return obj(holder?.securityContext);
}

/** `"a", "b"` (PSA `joinQuote`; no escaping, like upstream). */
export function joinQuote(items: readonly string[]): string {
  return items.length === 0 ? '' : `"${items.join('", "')}"`;
}

export function pluralize(singular: string, plural: string, count: number): string {
  return count === 1 ? singular : plural;
}

/** `container "a"` / `containers "a", "b"`. */
export function containersPhrase(names: readonly string[]): string {
  return `${pluralize('container', 'containers', names.length)} ${joinQuote(names)}`;
}

/** Go's string order: byte-wise on UTF-8, which is code-point order. */
export function compareGo(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = x.value.codePointAt(0) ?? 0;
    const cy = y.value.codePointAt(0) ?? 0;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

/** A Go `sets.String` turned into its sorted `List()`. */
export function sortedSet(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareGo);
}

/** Go `%q` (strconv.Quote) for the strings that appear in details (annotation values). */
export function goQuote(value: string): string {
  let out = '"';
  for (const ch of value) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\u0007') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\u000B') out += '\\v';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if ((cp >= 0x80 && cp < 0xa0) || (cp >= 0xd800 && cp <= 0xdfff) || cp === 0xfeff || (cp >= 0x2028 && cp <= 0x2029)) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** `spec.os.name == "windows"` exactly (CHECKS.md §6.2). */
export function isWindowsPod(spec: PodSpec): boolean {
  return obj(spec.os)?.name === 'windows';
}

/** `spec.hostUsers` explicitly `false` (CHECKS.md §6.2). */
export function isUserNamespacePod(spec: PodSpec): boolean {
  return spec.hostUsers === false;
}
