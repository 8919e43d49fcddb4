/**
 * Search, filtering and sorting of findings (DESIGN.md §4: `/`, `s`, `f`; budget in §8). Pure: no I/O.
 *
 * Query language: whitespace-separated tokens; `field:value` tokens filter, everything else is the
 * fuzzy text. Fields: `sev:`/`severity:` (a name or unique prefix, `sev:high,critical`,
 * `sev:>=high`, also `>`, `<=`, `<`), `ns:`/`namespace:` (substring, case-insensitive), `kind:`
 * (exact, case-insensitive), `check:` (substring of the check id), `layer:` (a name or unique
 * prefix). Values after a comma, and repeated tokens of one field, are alternatives (OR); different
 * fields all apply (AND). `"double quotes"` keep spaces in a value. A `field:` with an empty value
 * (still being typed) is ignored; an unknown field, or a value that is not a severity/layer, stays
 * in the text.
 *
 * FindingIndex.search (§8: p50 ≤ 33 ms, p95 ≤ 50 ms per keystroke at 50,000 findings; fuse.js
 * over every row costs far more, so it never sees them all):
 * 1. Field filters → a mask over the findings (cached while the filters stay the same).
 * 2. No text → the filtered findings in sort order; fuse is never consulted.
 * 3. Text of 1–2 characters (or without a word character) → substring match on the row label and
 *    the message, no fuse; ranked: a label field equal to the text, a match at a word start in
 *    the label, elsewhere in the label, only in the message; then the sort order.
 * 4. Longer text → candidate prefilter per word of the text (fuse's token-search tokenizer):
 *    vocabulary words that contain it, or share trigrams with it and pass fuse's bitap at the same
 *    threshold (see #termMatch for the trade-off); a finding is a match when every word selects
 *    one of its words (AND, like fuse's `tokenMatch: 'all'`).
 * 5. Ranking: matches are ordered by literal-ness and summed word similarity (then sort order);
 *    the best FUSE_RANKED of them are ranked by fuse.js over all seven fields (ties: a label field
 *    equal to the whole text first, then the sort order), the rest follow in prefilter order. No
 *    match is dropped by the cap; only the tail's ranking is the cheaper one.
 * 6. Incremental: per-word candidate sets are memoised, so a query that extends the previous one
 *    only computes its new or changed word; when it only adds words (or characters to a 1–2
 *    character text) it narrows the previous candidates instead of starting over. Memo and
 *    narrowing are exact: a result never depends on what was typed before.
 */
import Fuse, { type FuseResult, type IFuseOptions } from 'fuse.js';
import { sanitize } from './sanitize.js';
import { LAYERS, SEVERITIES, atLeast, severityRank, type Finding, type FindingSubject, type Layer, type Severity } from './types.js';

/** The orders `s` cycles through. */
export type SortMode = 'severity' | 'resource' | 'check';

/** Cycle order for `s`: severity, resource, check. */
export const SORT_MODES: readonly SortMode[] = Object.freeze(['severity', 'resource', 'check'] as const);

/** A search query split into its fuzzy text and its field filters (values of ns/kind/check are lowercased). */
export interface ParsedQuery {
  /** The fuzzy part, trimmed, quotes removed. */
  readonly text: string;
  /** `sev:high`, `sev:high,critical`, `sev:>=high` (high and above); most severe first. */
  readonly severities: readonly Severity[];
  /** `ns:payments`: substring of the namespace, case-insensitive. */
  readonly namespaces: readonly string[];
  /** `kind:Deployment`: the subject kind, case-insensitive exact. */
  readonly kinds: readonly string[];
  /** `check:rbac`: substring of the check id, case-insensitive. */
  readonly checks: readonly string[];
  /** `layer:cluster`. */
  readonly layers: readonly Layer[];
}

/** A finding that matches a query, with what to highlight in its `rowLabel`. */
export interface SearchHit {
  readonly finding: Finding;
  /** 0 is best; hits are returned best first, so compare scores only within one result. */
  readonly score: number;
  /** ranges to highlight in the row label, [start, endExclusive]; computed when first read (only drawn rows need them) */
  readonly ranges: readonly (readonly [number, number])[];
}

/** A hit whose highlight ranges are computed on first read: a broad query matches 40,000 findings, a screen shows 40. */
function lazyHit(finding: Finding, score: number, compute: () => readonly (readonly [number, number])[]): SearchHit {
  let ranges: readonly (readonly [number, number])[] | undefined;
  return { finding, score, get ranges() { return (ranges ??= compute()); } };
}

// ---------------------------------------------------------------------------------------------
// Query parsing

type FieldName = 'severity' | 'namespace' | 'kind' | 'check' | 'layer';

const FIELD_ALIASES: Readonly<Record<string, FieldName>> = {
  sev: 'severity',
  severity: 'severity',
  ns: 'namespace',
  namespace: 'namespace',
  kind: 'kind',
  check: 'check',
  layer: 'layer',
};

interface QueryToken {
  /** The field name as typed, when the token starts with `name:` outside quotes. */
  readonly field?: string;
  /** The value (or the whole token when there is no field), quotes removed. */
  readonly value: string;
}

const SPACE = /\s/;
const FIELD_PREFIX = /^([A-Za-z][A-Za-z0-9_-]*):/;

function lexQuery(input: string): QueryToken[] {
  const tokens: QueryToken[] = [];
  const n = input.length;
  let i = 0;
  while (i < n) {
    while (i < n && SPACE.test(input.charAt(i))) i += 1;
    if (i >= n) break;
    let field: string | undefined;
    const prefix = FIELD_PREFIX.exec(input.slice(i, i + 64));
    if (prefix?.[1] !== undefined) {
      field = prefix[1];
      i += prefix[0].length;
    }
    let value = '';
    while (i < n && !SPACE.test(input.charAt(i))) {
      if (input.charAt(i) === '"') {
        const end = input.indexOf('"', i + 1);
        value += input.slice(i + 1, end < 0 ? n : end);
        i = end < 0 ? n : end + 1;
      } else {
        value += input.charAt(i);
        i += 1;
      }
    }
    tokens.push(field === undefined ? { value } : { field, value });
  }
  return tokens;
}

function resolveSeverity(name: string): Severity | undefined {
  const lower = name.toLowerCase();
  if (lower === '') return undefined;
  return SEVERITIES.find((s) => s === lower) ?? SEVERITIES.find((s) => s.startsWith(lower));
}

function resolveLayer(name: string): Layer | undefined {
  const lower = name.toLowerCase();
  if (lower === '') return undefined;
  const exact = LAYERS.find((l) => l === lower);
  if (exact) return exact;
  const prefixed = LAYERS.filter((l) => l.startsWith(lower));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/** `high`, `>=high`, `>high`, `<=low`, `<low`, `=high` → the severities it stands for, or undefined. */
function severitiesOf(part: string): Severity[] | undefined {
  const match = /^(>=|<=|>|<|=)?(.*)$/.exec(part);
  const op = match?.[1] ?? '=';
  const severity = resolveSeverity(match?.[2] ?? '');
  if (severity === undefined) return undefined;
  const rank = severityRank(severity);
  return SEVERITIES.filter((s) => {
    const r = severityRank(s);
    switch (op) {
      case '>=': return r <= rank;
      case '>': return r < rank;
      case '<=': return r >= rank;
      case '<': return r > rank;
      default: return r === rank;
    }
  });
}

/** Splits a query into field filters and fuzzy text; unknown `field:` tokens stay in the text; quoted values "a b" allowed. */
export function parseQuery(input: string): ParsedQuery {
  const text: string[] = [];
  const severities = new Set<Severity>();
  const layers = new Set<Layer>();
  const namespaces = new Set<string>();
  const kinds = new Set<string>();
  const checks = new Set<string>();
  for (const token of lexQuery(input)) {
    const field = token.field === undefined ? undefined : FIELD_ALIASES[token.field.toLowerCase()];
    if (token.field === undefined || field === undefined) {
      const whole = token.field === undefined ? token.value : `${token.field}:${token.value}`;
      if (whole !== '') text.push(whole);
      continue;
    }
    // Empty parts and a bare comparator (`sev:`, `sev:>=` while typing) add no constraint yet.
    const parts = token.value.split(',').map((p) => p.trim()).filter((p) => p !== '' && !(field === 'severity' && /^(>=|<=|>|<|=)$/.test(p)));
    if (parts.length === 0) continue;
    if (field === 'severity' || field === 'layer') {
      const resolved = parts.map((p) => (field === 'severity' ? severitiesOf(p) : resolveLayer(p)));
      if (resolved.some((r) => r === undefined)) {
        text.push(`${token.field}:${token.value}`);
        continue;
      }
      for (const r of resolved) {
        if (field === 'severity') for (const s of r as Severity[]) severities.add(s);
        else layers.add(r as Layer);
      }
      continue;
    }
    const target = field === 'namespace' ? namespaces : field === 'kind' ? kinds : checks;
    for (const p of parts) target.add(p.toLowerCase());
  }
  return {
    text: text.join(' ').trim(),
    severities: SEVERITIES.filter((s) => severities.has(s)),
    namespaces: [...namespaces],
    kinds: [...kinds],
    checks: [...checks],
    layers: LAYERS.filter((l) => layers.has(l)),
  };
}

// ---------------------------------------------------------------------------------------------
// Sorting and the severity filter

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function compareSubject(a: FindingSubject, b: FindingSubject): number {
  return (
    compareText(a.kind, b.kind) ||
    compareText(a.namespace ?? '', b.namespace ?? '') ||
    compareText(a.name, b.name) ||
    compareText(a.container ?? '', b.container ?? '') ||
    compareText(a.file ?? '', b.file ?? '') ||
    (a.line ?? 0) - (b.line ?? 0)
  );
}

const COMPARATORS: Readonly<Record<SortMode, (a: Finding, b: Finding) => number>> = {
  severity: (a, b) => severityRank(a.severity) - severityRank(b.severity) || compareText(a.checkId, b.checkId) || compareSubject(a.subject, b.subject),
  resource: (a, b) => compareSubject(a.subject, b.subject) || severityRank(a.severity) - severityRank(b.severity) || compareText(a.checkId, b.checkId),
  check: (a, b) => compareText(a.checkId, b.checkId) || severityRank(a.severity) - severityRank(b.severity) || compareSubject(a.subject, b.subject),
};

/** Stable sort: severity = most severe first, then check, then subject; resource = kind/ns/name, then severity; check = check id, then severity. */
export function sortFindings(findings: readonly Finding[], mode: SortMode): Finding[] {
  return [...findings].sort(COMPARATORS[mode]);
}

/** The findings at least as severe as `minimum` (all of them when undefined); `f` cycles the minimum. */
export function filterBySeverity(findings: readonly Finding[], minimum: Severity | undefined): Finding[] {
  return minimum === undefined ? [...findings] : findings.filter((f) => atLeast(f.severity, minimum));
}

// ---------------------------------------------------------------------------------------------
// Row label

/** Anything but printable ASCII: such text goes through sanitize() (which leaves printable ASCII unchanged). */
const NOT_PLAIN = /[^ -~]/;
const clean = (text: string): string => (text.length > 4096 || NOT_PLAIN.test(text) ? sanitize(text) : text);

/** The searched fields of a finding, sanitised for the terminal; these are fuse's documents. */
interface SearchDoc {
  readonly checkId: string;
  readonly title: string;
  readonly kind: string;
  readonly namespace: string | undefined;
  readonly name: string;
  readonly container: string | undefined;
  /** Where a manifest object sits (`file:line`), when the subject is not the file itself. */
  readonly where?: string;
  readonly message: string;
}

/** Fuse keys that appear in the row label, in label order. */
const LABEL_KEYS = ['checkId', 'kind', 'namespace', 'name', 'container', 'title'] as const;
type LabelKey = (typeof LABEL_KEYS)[number];

function docOf(finding: Finding, withMessage = true): SearchDoc {
  const s = finding.subject;
  return {
    checkId: clean(finding.checkId),
    title: clean(finding.title),
    kind: clean(s.kind),
    namespace: s.namespace === undefined ? undefined : clean(s.namespace),
    name: clean(s.name),
    container: s.container === undefined ? undefined : clean(s.container),
    ...(s.file !== undefined && s.file !== s.name ? { where: clean(`${s.file}${s.line !== undefined ? `:${s.line}` : ''}`) } : {}),
    message: withMessage ? clean(finding.message) : '',
  };
}

interface Label {
  readonly text: string;
  /** Start offset of each label field in `text`, -1 when absent. */
  readonly starts: Readonly<Record<LabelKey, number>>;
}

function labelOf(doc: SearchDoc): Label {
  let text = `${doc.checkId} `;
  const starts: Record<LabelKey, number> = { checkId: 0, kind: text.length, namespace: -1, name: -1, container: -1, title: -1 };
  text += `${doc.kind}/`;
  if (doc.namespace !== undefined) {
    starts.namespace = text.length;
    text += `${doc.namespace}/`;
  }
  starts.name = text.length;
  text += doc.name;
  if (doc.container !== undefined) {
    text += ':';
    starts.container = text.length;
    text += doc.container;
  }
  // Copies of one object in several manifest files differ only here.
  if (doc.where !== undefined) text += ` (${doc.where})`;
  text += ' ';
  starts.title = text.length;
  text += doc.title;
  return { text, starts };
}

/** The label a row shows and the search highlights: `${checkId} ${subject kind/ns/name[:container]} ${title}` — export it so the list renders the same string. Untrusted parts are sanitised (DESIGN.md §7), so highlight offsets match what is drawn. */
export function rowLabel(finding: Finding): string {
  return labelOf(docOf(finding, false)).text;
}

// ---------------------------------------------------------------------------------------------
// Words, trigrams, ranges

/** Fuse's default token-search tokenizer, passed to it explicitly so both sides split alike. */
const WORD = /[\p{L}\p{M}\p{N}_]+/gu;

/** The words of a query text, lowercased, as fuse's token search will see them. */
function termsOf(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

type GramKey = number | string;
/** Marks the start of a word, so `^ab` survives a typo later in a short word. */
const WORD_START = '\u0001';

function gramAt(s: string, i: number): GramKey {
  const a = s.charCodeAt(i);
  const b = s.charCodeAt(i + 1);
  const c = s.charCodeAt(i + 2);
  return a < 128 && b < 128 && c < 128 ? (a << 14) | (b << 7) | c : s.slice(i, i + 3);
}

/** Distinct trigrams of a word, including the start-marked one. */
function gramsOf(word: string): GramKey[] {
  const marked = WORD_START + word;
  const grams = new Set<GramKey>();
  for (let i = 0; i + 3 <= marked.length; i += 1) grams.add(gramAt(marked, i));
  return [...grams];
}

const WORD_CHAR = /[\p{L}\p{M}\p{N}_]/u;
function isWordChar(s: string, i: number): boolean {
  if (i < 0 || i >= s.length) return false;
  const c = s.charCodeAt(i);
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || (c >= 65 && c <= 90) || (c > 127 && WORD_CHAR.test(s.charAt(i)));
}

/** All occurrences of `needle` in `haystack` as [start, endExclusive], offset by `base`. */
function occurrences(haystack: string, needle: string, base: number, out: [number, number][]): void {
  if (needle === '') return;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) out.push([base + at, base + at + needle.length]);
}

/** Sorted, merged (overlapping or touching) ranges clamped to [0, length). Reorders `ranges`. */
function mergeRanges(ranges: [number, number][], length: number): (readonly [number, number])[] {
  for (let i = 1; i < ranges.length; i += 1) {
    if ((ranges[i] as [number, number])[0] < (ranges[i - 1] as [number, number])[0]) {
      ranges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      break;
    }
  }
  const out: [number, number][] = [];
  for (const [start, end] of ranges) {
    const s = Math.max(0, Math.min(start, length));
    const e = Math.max(0, Math.min(end, length));
    if (e <= s) continue;
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** Dense ranks of strings in code-unit order (the order compareText uses); undefined ranks 0, before every string. */
function ranksOf(values: readonly (string | undefined)[]): Int32Array {
  const distinct = [...new Set(values.filter((v): v is string => v !== undefined))].sort();
  const rank = new Map(distinct.map((v, i) => [v, i + 1]));
  return Int32Array.from(values, (v) => (v === undefined ? 0 : (rank.get(v) as number)));
}

const bitsFor = (count: number): number => Math.max(1, Math.ceil(Math.log2(count + 1)));

// ---------------------------------------------------------------------------------------------
// The index

/**
 * How many of the best candidates fuse.js itself ranks per query (the head of the list: three or
 * four screens). Fuse's token search measured 60–80 µs per finding on the 2-core benchmark machine
 * (bitap over seven fields, the message being about half of it), so ranking all 50,000 would take
 * seconds; 128 keeps it near 10 ms at any collection size. The rest of the matches follow, ordered
 * by the prefilter's score (fuse's bitap score of each query word against the finding's best
 * word, summed), then the sort order: every match is listed, only the tail's ranking is cheaper.
 */
const FUSE_RANKED = 128;
/** Texts up to this length use substring matching (fuse's fuzzy matching of one or two letters matches nearly everything). */
const SHORT_TEXT = 2;
/** Memoised per-word candidate sets (the words of the last few queries). */
const TERM_CACHE = 64;
/** Fuse's fuzziness: a word matches with up to ⌊0.35 × length⌋ edits. */
const THRESHOLD = 0.35;

const FUSE_OPTIONS: IFuseOptions<SearchDoc> = {
  keys: [
    { name: 'name', weight: 3 },
    { name: 'checkId', weight: 2 },
    { name: 'title', weight: 2 },
    { name: 'namespace', weight: 1.5 },
    { name: 'kind', weight: 1 },
    { name: 'container', weight: 1 },
    { name: 'message', weight: 0.5 },
  ],
  threshold: THRESHOLD,
  ignoreLocation: true,
  includeMatches: true,
  includeScore: true,
  useTokenSearch: true,
  tokenMatch: 'all',
  tokenize: WORD,
};

/** Fuse over vocabulary words: decides which words a query word matches (the same bitap as above). */
const WORD_FUSE_OPTIONS: IFuseOptions<string> = { threshold: THRESHOLD, ignoreLocation: true, includeScore: true, shouldSort: false };

/** The findings one query word selects, ascending doc ids, with the best similarity of each (≥ 1 when a word contains it literally). */
interface TermMatch {
  readonly docs: Int32Array;
  readonly sims: Float32Array;
  /** Vocabulary words containing the query word literally (a longer query word narrows from them). */
  readonly literal: Int32Array;
  /** Vocabulary words fuse matches with typos (ids). */
  readonly fuzzy: ReadonlySet<number>;
}

/** Filtered findings selected by every word so far, ascending doc ids, with summed similarity. */
interface Candidates {
  readonly docs: Int32Array;
  readonly totals: Float32Array;
  /** 1 when the finding contains every word literally. */
  readonly exact: Uint8Array;
}

interface SortOrder {
  readonly order: Int32Array;
  readonly pos: Int32Array;
}

type Range = readonly [number, number];
const NO_RANGES: readonly Range[] = Object.freeze([]);
const NO_WORDS: ReadonlySet<number> = new Set();

/** Distinct values of one field, so a filter is evaluated once per value instead of once per finding. */
class ValueTable {
  readonly values: string[] = [];
  readonly ids: Int32Array;
  readonly #byValue = new Map<string, number>();
  constructor(size: number) {
    this.ids = new Int32Array(size);
  }
  set(doc: number, value: string | undefined): void {
    if (value === undefined) {
      this.ids[doc] = -1;
      return;
    }
    let id = this.#byValue.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.#byValue.set(value, id);
    }
    this.ids[doc] = id;
  }
  /** Per value id, whether `predicate` holds. */
  table(predicate: (value: string) => boolean): Uint8Array {
    return Uint8Array.from(this.values, (v) => (predicate(v) ? 1 : 0));
  }
}

/** A growable Int32 list (millions of boxed array slots would cost far more). */
class IntList {
  data = new Int32Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length] = value;
    this.length += 1;
  }
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/** (item, key) pairs added in ascending item order, each pair once; byWord() groups items by key. */
class PairList {
  readonly #items = new IntList();
  readonly #keys = new IntList();
  #lastItem = new Int32Array(1024).fill(-1);
  add(item: number, key: number): void {
    if (key >= this.#lastItem.length) {
      const grown = new Int32Array(Math.max(key + 1, this.#lastItem.length * 2)).fill(-1);
      grown.set(this.#lastItem);
      this.#lastItem = grown;
    }
    if (this.#lastItem[key] === item) return;
    this.#lastItem[key] = item;
    this.#items.push(item);
    this.#keys.push(key);
  }
  /** CSR by counting sort: the items of key k are items[start[k] .. start[k+1]), ascending. */
  byWord(keys: number): [start: Int32Array, items: Int32Array] {
    const start = new Int32Array(keys + 1);
    const count = this.#keys.length;
    const keyData = this.#keys.data;
    const itemData = this.#items.data;
    for (let p = 0; p < count; p += 1) {
      const k = keyData[p] as number;
      start[k + 1] = (start[k + 1] as number) + 1;
    }
    for (let k = 0; k < keys; k += 1) start[k + 1] = (start[k + 1] as number) + (start[k] as number);
    const items = new Int32Array(count);
    const fill = start.slice(0, keys);
    for (let p = 0; p < count; p += 1) {
      const k = keyData[p] as number;
      items[fill[k] as number] = itemData[p] as number;
      fill[k] = (fill[k] as number) + 1;
    }
    return [start, items];
  }
}

/**
 * The distinct words of all findings. Words are found and hashed in place (FNV-1a over the
 * characters, open addressing), so the ~1.5 M word occurrences of 50,000 findings allocate a
 * string only for each new word.
 */
class Vocabulary {
  readonly words: string[] = [];
  #hashes = new Int32Array(1024);
  #table = new Int32Array(4096).fill(-1);
  /**
   * Calls `visit(id, start, end)` for each word of a lowercased text (fuse's tokenizer: letters,
   * marks, digits, `_`); new words are added, or, with `add` false, visited with id -1.
   */
  scan(lower: string, visit: (id: number, start: number, end: number) => void, add = true): void {
    if (NOT_PLAIN.test(lower)) {
      for (const m of lower.matchAll(WORD)) visit(this.#id(lower, m.index, m.index + m[0].length, add), m.index, m.index + m[0].length);
      return;
    }
    let start = -1;
    for (let i = 0; i <= lower.length; i += 1) {
      const c = i < lower.length ? lower.charCodeAt(i) : 32;
      if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95) {
        if (start < 0) start = i;
      } else if (start >= 0) {
        visit(this.#id(lower, start, i, add), start, i);
        start = -1;
      }
    }
  }
  #id(text: string, start: number, end: number, add: boolean): number {
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
    const mask = this.#table.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = this.#table[slot] as number;
      if (id < 0) return add ? this.#add(text.slice(start, end), hash, slot) : -1;
      if (this.#hashes[id] === hash && sameWord(this.words[id] as string, text, start, end)) return id;
    }
  }
  #add(word: string, hash: number, slot: number): number {
    const id = this.words.length;
    this.words.push(word);
    if (id === this.#hashes.length) {
      const grown = new Int32Array(id * 2);
      grown.set(this.#hashes);
      this.#hashes = grown;
    }
    this.#hashes[id] = hash;
    this.#table[slot] = id;
    if (this.words.length * 2 > this.#table.length) {
      const table = new Int32Array(this.#table.length * 2).fill(-1);
      const mask = table.length - 1;
      for (let w = 0; w < this.words.length; w += 1) {
        let at = (this.#hashes[w] as number) & mask;
        while (table[at] !== -1) at = (at + 1) & mask;
        table[at] = w;
      }
      this.#table = table;
    }
    return id;
  }
}

function sameWord(word: string, text: string, start: number, end: number): boolean {
  if (word.length !== end - start) return false;
  for (let i = 0; i < word.length; i += 1) if (word.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  return true;
}

/**
 * Dense ranks of the findings' subjects in compareSubject order (kind, namespace, name,
 * container, file, line), equal subjects equal rank. One native sort of composite keys
 * (fields joined by NUL, which sorts before every other character, so the key order is the
 * field-by-field order); the comparator is the fallback when a field holds a NUL or a line is odd.
 */
function subjectRanks(findings: readonly Finding[]): { readonly ranks: Int32Array; readonly count: number } {
  const n = findings.length;
  const ranks = new Int32Array(n);
  const keys = new Array<string>(n);
  const width = String(n).length;
  let composite = true;
  for (let d = 0; d < n && composite; d += 1) {
    const s = (findings[d] as Finding).subject;
    const line = s.line ?? 0;
    const parts = [s.kind, s.namespace ?? '', s.name, s.container ?? '', s.file ?? ''];
    if (!Number.isSafeInteger(line) || line < 0 || parts.some((p) => p.includes('\u0000'))) composite = false;
    keys[d] = `${parts.join('\u0000')}\u0000${String(line).padStart(16, '0')}\u0000${String(d).padStart(width, '0')}`;
  }
  let count = 0;
  if (composite) {
    keys.sort();
    let previous: string | undefined;
    for (const key of keys) {
      const subject = key.slice(0, key.length - width - 1);
      if (previous !== undefined && subject !== previous) count += 1;
      previous = subject;
      ranks[Number(key.slice(key.length - width))] = count;
    }
  } else {
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => compareSubject((findings[a] as Finding).subject, (findings[b] as Finding).subject));
    order.forEach((d, k) => {
      if (k > 0 && compareSubject((findings[order[k - 1] as number] as Finding).subject, (findings[d] as Finding).subject) !== 0) count += 1;
      ranks[d] = count;
    });
  }
  return { ranks, count: n === 0 ? 0 : count + 1 };
}

/** An index over a fixed set of findings for `/` search; build once per scan result. */
export class FindingIndex {
  readonly #findings: readonly Finding[];
  readonly #docs: SearchDoc[];
  /** Lowercased row label and message: the short-text substring haystacks. */
  readonly #labelLower: string[];
  readonly #messageLower: string[];
  /** Length of each row label as drawn. */
  readonly #labelLength: Int32Array;
  readonly #severity: Uint8Array;
  readonly #layer: Uint8Array;
  readonly #namespaces: ValueTable;
  readonly #kinds: ValueTable;
  readonly #checks: ValueTable;
  readonly #checkRank: Int32Array;
  readonly #subjectRank: Int32Array;
  readonly #subjectRanks: number;
  readonly #orders = new Map<SortMode, SortOrder>();
  /** Lowercased subject name → the finding(s) with that name (a number for one, the common case). */
  readonly #nameEqual = new Map<string, number | number[]>();
  /** Lowercased value of another label field (check, kind, namespace, container, title) → its findings. */
  readonly #fieldEqual = new Map<string, number[]>();
  /** Vocabulary: the distinct words of all findings. */
  readonly #vocabulary: Vocabulary;
  readonly #words: readonly string[];
  /** Postings word → findings (CSR: the docs of word w are #wordDocs[#wordStart[w] .. #wordStart[w+1]), ascending). */
  readonly #wordStart: Int32Array;
  readonly #wordDocs: Int32Array;
  /** Trigram → vocabulary words containing it (CSR by trigram id, like the postings). */
  readonly #gramIds = new Map<GramKey, number>();
  readonly #gramStart: Int32Array;
  readonly #gramWords: Int32Array;
  readonly #termCache = new Map<string, TermMatch>();
  #filterCache: { readonly key: string; readonly mask: Uint8Array | null } | undefined;
  /** The last result: a list re-derived on every cursor move asks the same question again. */
  #resultCache: { readonly key: string; readonly hits: readonly SearchHit[] } | undefined;
  #last:
    | { readonly mode: 'terms'; readonly filterKey: string; readonly terms: readonly string[]; readonly cand: Candidates }
    | { readonly mode: 'short'; readonly filterKey: string; readonly text: string; readonly matched: Uint8Array }
    | undefined;
  /** Scratch, all zero between uses. */
  readonly #docScratch: Float32Array;

  constructor(findings: readonly Finding[]) {
    const n = findings.length;
    this.#findings = findings;
    this.#docs = new Array<SearchDoc>(n);
    this.#labelLower = new Array<string>(n);
    this.#messageLower = new Array<string>(n);
    this.#labelLength = new Int32Array(n);
    this.#severity = new Uint8Array(n);
    this.#layer = new Uint8Array(n);
    this.#namespaces = new ValueTable(n);
    this.#kinds = new ValueTable(n);
    this.#checks = new ValueTable(n);
    this.#docScratch = new Float32Array(n);

    // Vocabulary and (finding, word) pairs. Words of repeated field values (check, kind,
    // namespace, container, title) are looked up once per distinct value.
    const vocabulary = new Vocabulary();
    const pairs = new PairList();
    const repeated = new Map<string, readonly number[]>();
    const postRepeated = (d: number, lower: string): void => {
      let ids = repeated.get(lower);
      if (!ids) {
        const found: number[] = [];
        vocabulary.scan(lower, (id) => found.push(id));
        ids = found;
        repeated.set(lower, ids);
      }
      for (const id of ids) pairs.add(d, id);
    };
    let doc = 0;
    const post = (id: number): void => pairs.add(doc, id);
    for (let d = 0; d < n; d += 1) {
      const finding = findings[d] as Finding;
      const fields = docOf(finding);
      this.#docs[d] = fields;
      const display = labelOf(fields).text;
      const label = display.toLowerCase();
      this.#labelLength[d] = display.length;
      const message = fields.message.toLowerCase();
      this.#labelLower[d] = label;
      this.#messageLower[d] = message;
      this.#severity[d] = severityRank(finding.severity);
      this.#layer[d] = LAYERS.indexOf(finding.layer);
      this.#namespaces.set(d, finding.subject.namespace?.toLowerCase());
      this.#kinds.set(d, finding.subject.kind.toLowerCase());
      this.#checks.set(d, finding.checkId.toLowerCase());
      postRepeated(d, fields.checkId.toLowerCase());
      postRepeated(d, fields.kind.toLowerCase());
      if (fields.namespace !== undefined) postRepeated(d, fields.namespace.toLowerCase());
      if (fields.container !== undefined) postRepeated(d, fields.container.toLowerCase());
      postRepeated(d, fields.title.toLowerCase());
      doc = d;
      vocabulary.scan(fields.name.toLowerCase(), post);
      vocabulary.scan(message, post);
      for (const key of LABEL_KEYS) {
        const value = fields[key];
        if (value === undefined) continue;
        const lower = value.toLowerCase();
        if (key === 'name') {
          const known = this.#nameEqual.get(lower);
          if (known === undefined) this.#nameEqual.set(lower, d);
          else if (typeof known === 'number') this.#nameEqual.set(lower, [known, d]);
          else known.push(d);
        } else {
          const list = this.#fieldEqual.get(lower);
          if (!list) this.#fieldEqual.set(lower, [d]);
          else if (list[list.length - 1] !== d) list.push(d);
        }
      }
    }
    this.#vocabulary = vocabulary;
    this.#words = vocabulary.words;
    [this.#wordStart, this.#wordDocs] = pairs.byWord(this.#words.length);

    // Trigram → words, in the same CSR layout.
    const gramPairs = new PairList();
    for (let w = 0; w < this.#words.length; w += 1) {
      const marked = WORD_START + (this.#words[w] as string);
      for (let i = 0; i + 3 <= marked.length; i += 1) {
        const key = gramAt(marked, i);
        let id = this.#gramIds.get(key);
        if (id === undefined) {
          id = this.#gramIds.size;
          this.#gramIds.set(key, id);
        }
        gramPairs.add(w, id);
      }
    }
    [this.#gramStart, this.#gramWords] = gramPairs.byWord(this.#gramIds.size);

    const subject = subjectRanks(findings);
    this.#subjectRank = subject.ranks;
    this.#subjectRanks = subject.count;
    this.#checkRank = ranksOf(findings.map((f) => f.checkId));
    this.#sortOrder('severity');
  }

  /**
   * Field filters first, then a cheap candidate prefilter, then fuse.js ranks only the best
   * candidates (fuzzy over title, checkId, subject kind/namespace/name/container, message); every
   * match is returned, best first, ties in `sort` order (default severity), at most `limit`.
   * Empty text → all filtered findings in sort order, no ranges. 1–2 characters → substring
   * matching, no fuse. Incremental: a query that adds words to the previous one narrows the
   * previous candidates; a word being typed reuses the memoised words (results never depend on
   * what was typed before). Repeating the last query returns the cached result.
   */
  search(query: string | ParsedQuery, options: { readonly sort?: SortMode; readonly limit?: number } = {}): SearchHit[] {
    const parsed = typeof query === 'string' ? parseQuery(query) : query;
    const limit = options.limit === undefined ? Infinity : Math.max(0, Math.floor(options.limit));
    const { key: filterKey, mask } = this.#filter(parsed);
    const text = parsed.text.trim();
    const key = JSON.stringify([filterKey, text, options.sort ?? 'severity', limit]);
    if (this.#resultCache?.key !== key) this.#resultCache = { key, hits: this.#search(text, filterKey, mask, this.#sortOrder(options.sort ?? 'severity'), limit) };
    return [...this.#resultCache.hits];
  }

  #search(text: string, filterKey: string, mask: Uint8Array | null, sort: SortOrder, limit: number): SearchHit[] {
    if (text === '') {
      const hits: SearchHit[] = [];
      for (let p = 0; p < sort.order.length && hits.length < limit; p += 1) {
        const d = sort.order[p] as number;
        if (mask === null || mask[d] === 1) hits.push({ finding: this.#findings[d] as Finding, score: 0, ranges: NO_RANGES });
      }
      return hits;
    }
    const terms = termsOf(text);
    if (text.length <= SHORT_TEXT || terms.length === 0) return this.#searchShort(text.toLowerCase(), filterKey, mask, sort, limit);
    return this.#searchTerms(text, terms, filterKey, mask, sort, limit);
  }

  /** The order of a sort mode, and each finding's position in it; equal to sortFindings (stable). */
  #sortOrder(mode: SortMode): SortOrder {
    const cached = this.#orders.get(mode);
    if (cached) return cached;
    const n = this.#findings.length;
    const sev = this.#severity;
    const check = this.#checkRank;
    const subject = this.#subjectRank;
    const [sevB, checkB, subjectB, indexB] = [3, bitsFor(check.reduce((m, r) => Math.max(m, r), 0)), bitsFor(this.#subjectRanks), bitsFor(n)];
    let order: Int32Array;
    if (sevB + checkB + subjectB + indexB <= 53) {
      const [S, C, U, I] = [2 ** sevB, 2 ** checkB, 2 ** subjectB, 2 ** indexB];
      const keys = new Float64Array(n);
      for (let d = 0; d < n; d += 1) {
        const [s, c, u] = [sev[d] as number, check[d] as number, subject[d] as number];
        const key = mode === 'severity' ? (s * C + c) * U + u : mode === 'resource' ? (u * S + s) * C + c : (c * S + s) * U + u;
        keys[d] = key * I + d;
      }
      keys.sort();
      order = Int32Array.from(keys, (key) => key % I);
    } else {
      const compare = COMPARATORS[mode];
      const findings = this.#findings;
      order = Int32Array.from(Array.from({ length: n }, (_, i) => i).sort((a, b) => compare(findings[a] as Finding, findings[b] as Finding) || a - b));
    }
    const pos = new Int32Array(n);
    for (let p = 0; p < n; p += 1) pos[order[p] as number] = p;
    const result = { order, pos };
    this.#orders.set(mode, result);
    return result;
  }

  /** The field-filter mask (null when no field filter applies), cached while the filters stay the same. */
  #filter(q: ParsedQuery): { readonly key: string; readonly mask: Uint8Array | null } {
    const lower = (values: readonly string[]): string[] => values.map((v) => v.toLowerCase());
    const [namespaces, kinds, checks] = [lower(q.namespaces), lower(q.kinds), lower(q.checks)];
    const key = JSON.stringify([q.severities, namespaces, kinds, checks, q.layers]);
    if (this.#filterCache?.key === key) return this.#filterCache;
    let mask: Uint8Array | null = null;
    if (q.severities.length + namespaces.length + kinds.length + checks.length + q.layers.length > 0) {
      const n = this.#findings.length;
      const sev = Uint8Array.from(SEVERITIES, (s) => (q.severities.length === 0 || q.severities.includes(s) ? 1 : 0));
      const layer = Uint8Array.from(LAYERS, (l) => (q.layers.length === 0 || q.layers.includes(l) ? 1 : 0));
      const ns = namespaces.length === 0 ? null : this.#namespaces.table((v) => namespaces.some((x) => v.includes(x)));
      const kind = kinds.length === 0 ? null : this.#kinds.table((v) => kinds.includes(v));
      const check = checks.length === 0 ? null : this.#checks.table((v) => checks.some((x) => v.includes(x)));
      const pass = (table: Uint8Array | null, id: number): boolean => table === null || (id >= 0 && table[id] === 1);
      mask = new Uint8Array(n);
      for (let d = 0; d < n; d += 1) {
        if (sev[this.#severity[d] as number] === 1 && layer[this.#layer[d] as number] === 1 &&
          pass(ns, this.#namespaces.ids[d] as number) && pass(kind, this.#kinds.ids[d] as number) && pass(check, this.#checks.ids[d] as number)) mask[d] = 1;
      }
    }
    this.#filterCache = { key, mask };
    return this.#filterCache;
  }

  /** 1–2 character text (or text without a word character): substring of the label or the message; no fuse. */
  #searchShort(text: string, filterKey: string, mask: Uint8Array | null, sort: SortOrder, limit: number): SearchHit[] {
    const last = this.#last;
    // Exact narrowing: whatever contains `text` contains any part of it.
    const pool = last?.mode === 'short' && last.filterKey === filterKey && text.includes(last.text) ? last.matched : null;
    const n = this.#findings.length;
    // Tier + 1 per finding (0: no match): 0 the name equals the text, 1 another label field does,
    // 2 a match at a word start in the label, 3 elsewhere in the label, 4 only in the message.
    // Scanned in index order (the strings' memory order), then bucketed in sort order.
    const matched = new Uint8Array(n);
    for (let d = 0; d < n; d += 1) {
      if ((mask !== null && mask[d] !== 1) || (pool !== null && pool[d] === 0)) continue;
      const label = this.#labelLower[d] as string;
      let at = label.indexOf(text);
      if (at < 0) {
        if ((this.#messageLower[d] as string).includes(text)) matched[d] = 5;
        continue;
      }
      let tier = 3;
      for (; at >= 0; at = label.indexOf(text, at + 1)) {
        if (!isWordChar(label, at - 1)) {
          tier = 2;
          break;
        }
      }
      matched[d] = tier + 1;
    }
    for (const [d, rank] of this.#equalRanks(text)) if (matched[d] !== 0) matched[d] = rank + 1;
    this.#last = { mode: 'short', filterKey, text, matched };
    const tiers: number[][] = [[], [], [], [], []];
    for (let p = 0; p < n; p += 1) {
      const d = sort.order[p] as number;
      const t = matched[d] as number;
      if (t !== 0) (tiers[t - 1] as number[]).push(d);
    }
    const hits: SearchHit[] = [];
    for (let tier = 0; tier < tiers.length; tier += 1) {
      for (const d of tiers[tier] as number[]) {
        if (hits.length >= limit) return hits;
        hits.push(lazyHit(this.#findings[d] as Finding, tier / 5, () => this.#literalRanges(d, [text], NO_WORDS)));
      }
    }
    return hits;
  }

  /** Highlights in the label: literal occurrences of `needles`, and whole words in `fuzzy` (word ids). */
  #literalRanges(d: number, needles: readonly string[], fuzzy: ReadonlySet<number>): readonly Range[] {
    const label = this.#labelLower[d] as string;
    const labelLength = this.#labelLength[d] as number;
    if (label.length !== labelLength) return NO_RANGES; // lowercasing changed the length (rare Unicode): offsets would not line up
    const only = needles.length === 1 ? needles[0] : undefined;
    if (only !== undefined && only !== '' && fuzzy.size === 0) {
      // One needle: occurrences come sorted, merge them as they come (most hits take this path).
      const out: [number, number][] = [];
      for (let at = label.indexOf(only); at >= 0; at = label.indexOf(only, at + 1)) {
        const last = out[out.length - 1];
        if (last && at <= last[1]) last[1] = at + only.length;
        else out.push([at, at + only.length]);
      }
      return out.length ? out : NO_RANGES;
    }
    const ranges: [number, number][] = [];
    for (const needle of needles) occurrences(label, needle, 0, ranges);
    if (fuzzy.size > 0) {
      this.#vocabulary.scan(label, (id, start, end) => {
        if (fuzzy.has(id)) ranges.push([start, end]);
      }, false);
    }
    return ranges.length ? mergeRanges(ranges, labelLength) : NO_RANGES;
  }

  /** Text of 3+ characters: per-word candidates (AND), the best FUSE_RANKED ranked by fuse.js, the rest after them. */
  #searchTerms(text: string, terms: readonly string[], filterKey: string, mask: Uint8Array | null, sort: SortOrder, limit: number): SearchHit[] {
    const distinct = [...new Set(terms)];
    const last = this.#last;
    let cand: Candidates;
    let rest: readonly string[];
    if (last?.mode === 'terms' && last.filterKey === filterKey && last.terms.length <= distinct.length && last.terms.every((t, i) => distinct[i] === t)) {
      // Only words were added: the previous candidates already satisfy the filters and the earlier words.
      cand = last.cand;
      rest = distinct.slice(last.terms.length);
    } else {
      cand = this.#initialCandidates(mask, this.#termMatch(distinct[0] as string));
      rest = distinct.slice(1);
    }
    for (const term of rest) cand = this.#narrow(cand, this.#termMatch(term));
    this.#last = { mode: 'terms', filterKey, terms: distinct, cand };
    const n = cand.docs.length;
    if (n === 0) return [];

    // Order every candidate: the name equal to the whole text, another label field equal to it,
    // literal matches of every word, then by summed similarity, then by sort order.
    const equalRank = this.#equalRanks(text.toLowerCase());
    const maxTotal = distinct.length * 1.2;
    const SCALE = 2 ** 21;
    const keys = new Float64Array(n);
    for (let k = 0; k < n; k += 1) {
      const d = cand.docs[k] as number;
      const gap = Math.min(SCALE - 1, Math.max(0, Math.round((maxTotal - (cand.totals[k] as number)) * 1000)));
      const rank = (equalRank.get(d) ?? 2) * 2 + 1 - (cand.exact[k] as number);
      keys[k] = (rank * SCALE + gap) * SCALE + (sort.pos[d] as number);
    }
    keys.sort();
    const ordered = new Int32Array(n);
    for (let k = 0; k < n; k += 1) ordered[k] = sort.order[(keys[k] as number) % SCALE] as number;
    const head = ordered.subarray(0, FUSE_RANKED);

    const results = new Fuse(Array.from(head, (d) => this.#docs[d] as SearchDoc), FUSE_OPTIONS).search(text);
    const ranked = results.map((r) => {
      const doc = head[r.refIndex] as number;
      const equal = equalRank.get(doc) ?? 2;
      return { doc, equal, score: equal < 2 ? 0 : r.score ?? 1, matches: r.matches ?? [] };
    });
    ranked.sort((a, b) => a.equal - b.equal || a.score - b.score || (sort.pos[a.doc] as number) - (sort.pos[b.doc] as number));

    const hits: SearchHit[] = [];
    for (const r of ranked) {
      if (hits.length >= limit) return hits;
      hits.push({ finding: this.#findings[r.doc] as Finding, score: r.score, ranges: this.#fuseRanges(r.doc, r.matches) });
    }
    // The rest, in prefilter order: head candidates fuse did not accept (their words did match), then beyond the head.
    const seen = new Set(ranked.map((r) => r.doc));
    const headMax = ranked.reduce((m, r) => Math.max(m, r.score), 0);
    const matches = distinct.map((t) => this.#termMatch(t));
    const fuzzy = new Set(matches.flatMap((m) => [...m.fuzzy]));
    let score = headMax;
    for (let k = 0; k < n && hits.length < limit; k += 1) {
      const d = ordered[k] as number;
      if (k < head.length && seen.has(d)) continue;
      const gap = Math.floor((keys[k] as number) / SCALE) % SCALE / 1000;
      score = Math.max(score, Math.min(1, gap / maxTotal)); // non-decreasing down the list
      hits.push(lazyHit(this.#findings[d] as Finding, score, () => this.#literalRanges(d, distinct, fuzzy)));
    }
    return hits;
  }

  /** Findings with a label field equal to the whole (lowercased) text: 0 the name, 1 another field. */
  #equalRanks(lowerText: string): Map<number, number> {
    const ranks = new Map<number, number>();
    for (const d of this.#fieldEqual.get(lowerText) ?? []) ranks.set(d, 1);
    const named = this.#nameEqual.get(lowerText);
    for (const d of named === undefined ? [] : typeof named === 'number' ? [named] : named) ranks.set(d, 0);
    return ranks;
  }

  #fuseRanges(d: number, matches: NonNullable<FuseResult<SearchDoc>['matches']>): readonly Range[] {
    const doc = this.#docs[d] as SearchDoc;
    const label = labelOf(doc);
    const ranges: [number, number][] = [];
    for (const m of matches) {
      const key = m.key as LabelKey | 'message' | undefined;
      if (key === undefined || key === 'message') continue;
      const start = label.starts[key];
      const value = doc[key];
      if (start < 0 || value === undefined) continue;
      for (const [s, e] of m.indices) ranges.push([start + Math.max(0, s), start + Math.min(value.length, e + 1)]);
    }
    return ranges.length ? mergeRanges(ranges, label.text.length) : NO_RANGES;
  }

  #initialCandidates(mask: Uint8Array | null, match: TermMatch): Candidates {
    const docs = new Int32Array(match.docs.length);
    const totals = new Float32Array(match.docs.length);
    const exact = new Uint8Array(match.docs.length);
    let count = 0;
    for (let k = 0; k < match.docs.length; k += 1) {
      const d = match.docs[k] as number;
      if (mask !== null && mask[d] !== 1) continue;
      const sim = match.sims[k] as number;
      docs[count] = d;
      totals[count] = sim;
      exact[count] = sim >= 1 ? 1 : 0;
      count += 1;
    }
    return { docs: docs.slice(0, count), totals: totals.slice(0, count), exact: exact.slice(0, count) };
  }

  /** Candidates ∩ the findings one more word selects. */
  #narrow(cand: Candidates, match: TermMatch): Candidates {
    const scratch = this.#docScratch;
    for (let k = 0; k < match.docs.length; k += 1) scratch[match.docs[k] as number] = match.sims[k] as number;
    const size = Math.min(cand.docs.length, match.docs.length);
    const docs = new Int32Array(size);
    const totals = new Float32Array(size);
    const exact = new Uint8Array(size);
    let count = 0;
    for (let k = 0; k < cand.docs.length; k += 1) {
      const d = cand.docs[k] as number;
      const sim = scratch[d] as number;
      if (sim === 0) continue;
      docs[count] = d;
      totals[count] = (cand.totals[k] as number) + sim;
      exact[count] = cand.exact[k] === 1 && sim >= 1 ? 1 : 0;
      count += 1;
    }
    for (let k = 0; k < match.docs.length; k += 1) scratch[match.docs[k] as number] = 0;
    return { docs: docs.slice(0, count), totals: totals.slice(0, count), exact: exact.slice(0, count) };
  }

  /**
   * The candidate prefilter for one query word, memoised. A word of 1–2 characters selects the
   * vocabulary words containing it. A longer word: vocabulary words containing it literally
   * (similarity 1.2 equal, 1.1 prefix, 1.0 inside), plus the vocabulary words sharing at least
   * ⌈T/4⌉ of its T distinct trigrams (one of them start-marked, so `^pr` survives a typo later in
   * the word) that fuse's own bitap accepts within the threshold (similarity 0.9 × (1 − score)).
   * The findings containing any of those words are the word's candidates.
   * Trade-off: bitap accepts ⌊0.35·length⌋ edits anywhere, and the q-gram lemma guarantees no
   * shared trigram for that many, so a word edited in every trigram-sized window (a 3–4 letter
   * word with a typo in the middle, or a match across a word boundary such as `paymentsapi` for
   * `payments-api`) can pass fuse yet is not a candidate. In exchange a keystroke touches a few
   * posting lists and a few hundred short words instead of 50,000 findings × 7 fields.
   */
  #termMatch(term: string): TermMatch {
    const cached = this.#termCache.get(term);
    if (cached) {
      this.#termCache.delete(term); // LRU: re-insert as newest
      this.#termCache.set(term, cached);
      return cached;
    }
    const words = this.#words;
    const accepted: { readonly word: number; readonly sim: number }[] = [];
    const literal: number[] = [];
    const fuzzy = new Set<number>();
    const literalSim = (word: string): number => (word === term ? 1.2 : word.startsWith(term) ? 1.1 : 1);
    if (term.length < 3) {
      // Narrow from the literal words of the word one character shorter, when memoised.
      const prefix = term.length > 1 ? this.#termCache.get(term.slice(0, -1)) : undefined;
      const visit = (w: number): void => {
        const word = words[w] as string;
        if (word.includes(term)) {
          accepted.push({ word: w, sim: literalSim(word) });
          literal.push(w);
        }
      };
      if (prefix) for (const w of prefix.literal) visit(w);
      else for (let w = 0; w < words.length; w += 1) visit(w);
    } else {
      const grams = gramsOf(term);
      const need = Math.max(1, Math.ceil(grams.length / 4));
      const counts = new Map<number, number>();
      for (const g of grams) {
        const id = this.#gramIds.get(g);
        if (id === undefined) continue;
        const end = this.#gramStart[id + 1] as number;
        for (let p = this.#gramStart[id] as number; p < end; p += 1) {
          const w = this.#gramWords[p] as number;
          counts.set(w, (counts.get(w) ?? 0) + 1);
        }
      }
      const unsure: number[] = [];
      for (const [w, shared] of counts) {
        const word = words[w] as string;
        if (word.includes(term)) {
          accepted.push({ word: w, sim: literalSim(word) });
          literal.push(w);
        } else if (shared >= need) {
          unsure.push(w);
        }
      }
      if (unsure.length > 0) {
        unsure.sort((a, b) => a - b);
        const verdicts = new Fuse(unsure.map((w) => words[w] as string), WORD_FUSE_OPTIONS).search(term);
        for (const r of verdicts) {
          const w = unsure[r.refIndex] as number;
          accepted.push({ word: w, sim: 0.9 * (1 - (r.score ?? 1)) });
          fuzzy.add(w);
        }
      }
      literal.sort((a, b) => a - b);
    }
    // Per finding, the best similarity of its words.
    const scratch = this.#docScratch;
    const touched = new IntList();
    for (const { word, sim } of accepted) {
      const end = this.#wordStart[word + 1] as number;
      for (let p = this.#wordStart[word] as number; p < end; p += 1) {
        const d = this.#wordDocs[p] as number;
        const before = scratch[d] as number;
        if (before === 0) touched.push(d);
        if (sim > before) scratch[d] = sim;
      }
    }
    const docs = touched.toArray().sort();
    const sims = Float32Array.from(docs, (d) => scratch[d] as number);
    for (const d of docs) scratch[d] = 0;
    const match: TermMatch = { docs, sims, literal: Int32Array.from(literal), fuzzy };
    this.#termCache.set(term, match);
    if (this.#termCache.size > TERM_CACHE) {
      const oldest = this.#termCache.keys().next().value;
      if (oldest !== undefined) this.#termCache.delete(oldest);
    }
    return match;
  }
}
