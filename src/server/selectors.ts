/**
 * `labelSelector` and `fieldSelector` query parameters, parsed and matched the way the real
 * API server does (k8s.io/apimachinery `labels.Parse` and `fields.ParseSelector`), so a
 * client that works here works against a cluster.
 */

/** A selector the server cannot parse; answered 400 BadRequest with this message. */
export class SelectorError extends Error {}

export type LabelOperator = 'exists' | '!' | '=' | '!=' | 'in' | 'notin' | 'gt' | 'lt';

export interface LabelRequirement {
  readonly key: string;
  readonly op: LabelOperator;
  readonly values: readonly string[];
}

type Token = { kind: 'id'; text: string } | { kind: 'op'; text: string };

/** Characters that end an identifier; everything else (including `/` and `.`) is part of one. */
const SPECIAL = new Set([' ', '\t', '\n', ',', '(', ')', '=', '!', '<', '>']);

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] as string;
    if (c === ' ' || c === '\t' || c === '\n') {
      i++;
    } else if ((c === '=' || c === '!') && input[i + 1] === '=') {
      tokens.push({ kind: 'op', text: c + '=' });
      i += 2;
    } else if (SPECIAL.has(c)) {
      tokens.push({ kind: 'op', text: c });
      i++;
    } else {
      let j = i;
      while (j < input.length && !SPECIAL.has(input[j] as string)) j++;
      tokens.push({ kind: 'id', text: input.slice(i, j) });
      i = j;
    }
  }
  return tokens;
}

/** Parses a label selector such as `app=web,tier in (fe,be),!legacy`. Empty input selects everything. */
export function parseLabelSelector(input: string): LabelRequirement[] {
  const tokens = tokenize(input);
  const requirements: LabelRequirement[] = [];
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const fail = (why: string): never => {
    throw new SelectorError(`unable to parse requirement: ${why} in label selector "${input}"`);
  };
  const expectId = (what: string): string => {
    const t = tokens[pos++];
    if (t?.kind !== 'id') fail(`expected ${what}`);
    return (t as Token).text;
  };
  /** A value may be empty: `env=` selects labels whose value is the empty string. */
  const value = (): string => {
    const t = peek();
    if (t?.kind === 'id') {
      pos++;
      return t.text;
    }
    return '';
  };

  while (pos < tokens.length) {
    const first = peek();
    if (first?.kind === 'op' && first.text === '!') {
      pos++;
      requirements.push({ key: expectId('key after "!"'), op: '!', values: [] });
    } else {
      const key = expectId('key');
      const op = peek();
      if (op === undefined || (op.kind === 'op' && op.text === ',')) {
        requirements.push({ key, op: 'exists', values: [] });
      } else if (op.kind === 'op' && (op.text === '=' || op.text === '==' || op.text === '!=')) {
        pos++;
        requirements.push({ key, op: op.text === '!=' ? '!=' : '=', values: [value()] });
      } else if (op.kind === 'op' && (op.text === '<' || op.text === '>')) {
        pos++;
        const v = value();
        if (!/^-?\d+$/.test(v)) fail(`for 'gt', 'lt' operators, the value must be an integer, got "${v}"`);
        requirements.push({ key, op: op.text === '>' ? 'gt' : 'lt', values: [v] });
      } else if (op.kind === 'id' && (op.text === 'in' || op.text === 'notin')) {
        pos++;
        const open = tokens[pos++];
        if (open?.kind !== 'op' || open.text !== '(') fail(`expected "(" after "${op.text}"`);
        const values: string[] = [];
        for (;;) {
          values.push(value());
          const t = tokens[pos++];
          if (t?.kind === 'op' && t.text === ')') break;
          if (t?.kind !== 'op' || t.text !== ',') fail('expected "," or ")" in value set');
        }
        requirements.push({ key, op: op.text, values });
      } else {
        fail(`unexpected "${op.text}" after key "${key}"`);
      }
    }
    const sep = tokens[pos];
    if (sep === undefined) break;
    if (sep.kind !== 'op' || sep.text !== ',') fail(`expected "," but found "${sep.text}"`);
    pos++;
    if (pos === tokens.length) fail('trailing ","');
  }
  return requirements;
}

export function matchesLabels(requirements: readonly LabelRequirement[], labels: Readonly<Record<string, string>> | undefined): boolean {
  for (const r of requirements) {
    const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
    const v = has ? labels[r.key] : undefined;
    switch (r.op) {
      case 'exists': if (!has) return false; break;
      case '!': if (has) return false; break;
      case '=': if (v !== r.values[0]) return false; break;
      // `!=` and `notin` also match objects that lack the label, as in Kubernetes.
      case '!=': if (v === r.values[0]) return false; break;
      case 'in': if (v === undefined || !r.values.includes(v)) return false; break;
      case 'notin': if (v !== undefined && r.values.includes(v)) return false; break;
      case 'gt':
      case 'lt': {
        if (v === undefined || !/^-?\d+$/.test(v)) return false;
        const n = Number(v);
        const limit = Number(r.values[0]);
        if (r.op === 'gt' ? !(n > limit) : !(n < limit)) return false;
        break;
      }
    }
  }
  return true;
}

export interface FieldRequirement {
  readonly field: string;
  readonly equal: boolean;
  readonly value: string;
}

/** Splits on `sep` outside backslash escapes; the field selector grammar escapes `\,` `\=` `\\`. */
function splitEscaped(input: string, sep: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < input.length; i++) {
    const c = input[i] as string;
    if (c === '\\' && i + 1 < input.length) {
      current += c + input[++i];
    } else if (c === sep) {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

const unescape = (s: string): string => s.replace(/\\(.)/g, '$1');

/** Parses `metadata.name=x,type!=kubernetes.io/tls`. Field support is checked by the caller. */
export function parseFieldSelector(input: string): FieldRequirement[] {
  if (input.trim() === '') return [];
  return splitEscaped(input, ',').map((term) => {
    const m = /^(.*?)(==|!=|=)(.*)$/s.exec(term);
    if (!m) throw new SelectorError(`invalid selector: '${input}'; can't understand '${term}'`);
    return { field: (m[1] as string).trim(), equal: m[2] !== '!=', value: unescape(m[3] as string) };
  });
}
