/**
 * A small pure Dockerfile parser for the Code layer (CHECKS.md §5, F-DOCKER). It follows
 * BuildKit's front end where it matters to checks: parser directives (`# escape=`), comment
 * lines (also inside continuations), line continuations with the escape character, heredocs
 * (`RUN <<EOF` … `EOF`, `<<-` strips leading tabs), stages (`FROM … AS name`), and `ARG`s
 * declared before the first `FROM`. It never throws: odd input yields what could be read.
 */

export interface Heredoc {
  /** The delimiter word, e.g. `EOF`. */
  readonly name: string;
  /** Body lines joined with `\n` (without the terminator line). */
  readonly body: string;
  /** `<<-`: leading tabs were stripped from the body and terminator. */
  readonly stripTabs: boolean;
  /** The delimiter was quoted: the shell does not expand the body. */
  readonly quoted: boolean;
}

export interface Instruction {
  /** Upper-case keyword: `FROM`, `RUN`, `USER`, … */
  readonly keyword: string;
  /** The text after the keyword, continuations joined, leading/trailing blanks trimmed. */
  readonly args: string;
  /** The instruction as written (keyword + args, continuations joined). */
  readonly original: string;
  /** 1-based line of the keyword. */
  readonly line: number;
  /** 1-based last line (of the last continuation or heredoc terminator). */
  readonly endLine: number;
  /** Leading `--name=value` / `--name` flags (e.g. `--platform`, `--chown`, `--mount`). */
  readonly flags: readonly { readonly name: string; readonly value?: string }[];
  readonly heredocs: readonly Heredoc[];
}

export interface Stage {
  /** 0-based position among the stages. */
  readonly index: number;
  readonly from: Instruction;
  /** The base image reference as written (variables not expanded). */
  readonly image: string;
  /** `AS name`, lower-cased as BuildKit compares stage names case-insensitively. */
  readonly name?: string;
  /** The instructions after FROM up to the next FROM. */
  readonly instructions: readonly Instruction[];
}

export interface ParsedDockerfile {
  /** The escape character from `# escape=` (default backslash). */
  readonly escape: '\\' | '`';
  readonly directives: Readonly<Record<string, string>>;
  readonly instructions: readonly Instruction[];
  /** `ARG`s before the first `FROM` (usable in FROM lines and re-declared inside stages). */
  readonly globalArgs: readonly Instruction[];
  readonly stages: readonly Stage[];
}

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9_-]*)\s*=\s*(.*?)\s*$/;
const HEREDOC = /<<(-?)\s*(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\2/g;
const KNOWN_DIRECTIVES = new Set(['syntax', 'escape', 'check']);
const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);

function parseFlags(args: string): { flags: { name: string; value?: string }[]; rest: string } {
  const flags: { name: string; value?: string }[] = [];
  let rest = args;
  for (;;) {
    const match = /^--([A-Za-z][A-Za-z0-9-]*)(?:=("[^"]*"|'[^']*'|\S*))?(?:\s+|$)/.exec(rest);
    if (!match) break;
    const raw = match[2];
    flags.push({ name: (match[1] ?? '').toLowerCase(), ...(raw !== undefined ? { value: raw.replace(/^(["'])(.*)\1$/, '$2') } : {}) });
    rest = rest.slice(match[0].length);
  }
  return { flags, rest };
}

export function parseDockerfile(text: string): ParsedDockerfile {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const directives: Record<string, string> = {};
  let escape: '\\' | '`' = '\\';

  // Parser directives: only at the very top, before any blank line, comment or instruction.
  let i = 0;
  for (; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/^\uFEFF/, '');
    const m = DIRECTIVE.exec(line.trim());
    if (!m || !line.trim().startsWith('#')) break;
    const key = (m[1] ?? '').toLowerCase();
    // An unknown or repeated directive is a comment, and a comment ends the directive block.
    if (!KNOWN_DIRECTIVES.has(key) || key in directives) break;
    directives[key] = m[2] ?? '';
    if (key === 'escape' && (m[2] === '`' || m[2] === '\\')) escape = m[2];
  }

  const instructions: Instruction[] = [];
  const isContinued = (line: string): boolean => {
    const trimmed = line.replace(/[ \t]+$/, '');
    return trimmed.endsWith(escape);
  };
  const stripContinuation = (line: string): string => {
    const trimmed = line.replace(/[ \t]+$/, '');
    return trimmed.slice(0, -1);
  };

  i = 0; // directives are comments for the instruction scanner
  while (i < lines.length) {
    const raw = lines[i] ?? '';
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      i++;
      continue;
    }
    const start = i;
    let joined = '';
    let current = raw;
    // Join continuations; comment and empty lines inside a continuation are skipped.
    for (;;) {
      if (isContinued(current) && i + 1 < lines.length) {
        joined += stripContinuation(current);
        i++;
        while (i < lines.length) {
          const next = (lines[i] ?? '').trim();
          if (next.startsWith('#') || next === '') i++;
          else break;
        }
        if (i >= lines.length) break;
        current = lines[i] ?? '';
      } else {
        joined += isContinued(current) ? stripContinuation(current) : current;
        break;
      }
    }
    let end = i;
    i++;

    const m = /^\s*([A-Za-z]+)(?:\s+|$)([\s\S]*)$/.exec(joined);
    if (!m) continue;
    const keyword = (m[1] ?? '').toUpperCase();
    const argsRaw = (m[2] ?? '').trim();

    // Heredocs: bodies follow the instruction, each up to its terminator line.
    const heredocs: Heredoc[] = [];
    if (HEREDOC_KEYWORDS.has(keyword)) {
      for (const h of argsRaw.matchAll(HEREDOC)) {
        const stripTabs = h[1] === '-';
        const name = h[3] ?? '';
        const body: string[] = [];
        while (i < lines.length) {
          const line = lines[i] ?? '';
          const candidate = stripTabs ? line.replace(/^\t+/, '') : line;
          end = i;
          i++;
          if (candidate === name) break;
          body.push(candidate);
        }
        heredocs.push({ name, body: body.join('\n'), stripTabs, quoted: h[2] !== '' });
      }
    }

    const { flags } = parseFlags(argsRaw);
    instructions.push({
      keyword,
      args: argsRaw,
      original: `${keyword}${argsRaw ? ` ${argsRaw}` : ''}`,
      line: start + 1,
      endLine: end + 1,
      flags,
      heredocs,
    });
  }

  const globalArgs: Instruction[] = [];
  const stages: Stage[] = [];
  let currentStage: { from: Instruction; image: string; name?: string; instructions: Instruction[] } | undefined;
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      if (currentStage) stages.push({ index: stages.length, ...currentStage });
      const { rest } = parseFlags(ins.args);
      const words = rest.split(/\s+/).filter(Boolean);
      const image = words[0] ?? '';
      const asIndex = words.findIndex((w, n) => n > 0 && w.toUpperCase() === 'AS');
      const name = asIndex > 0 ? words[asIndex + 1]?.toLowerCase() : undefined;
      currentStage = { from: ins, image, ...(name ? { name } : {}), instructions: [] };
    } else if (currentStage) {
      currentStage.instructions.push(ins);
    } else if (ins.keyword === 'ARG') {
      globalArgs.push(ins);
    }
  }
  if (currentStage) stages.push({ index: stages.length, ...currentStage });

  return { escape, directives, instructions, globalArgs, stages };
}

/** Removes one level of matching quotes: `"a b"` → `a b`. */
function unquote(value: string): string {
  const m = /^(["'])([\s\S]*)\1$/.exec(value);
  return m ? (m[2] ?? '') : value;
}

/** Splits on unquoted whitespace, keeping quotes (so `a="x y" b=1` is two words). */
function splitWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | undefined;
  for (let n = 0; n < text.length; n++) {
    const c = text[n] ?? '';
    if (quote) {
      word += c;
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && n + 1 < text.length) word += text[++n] ?? '';
    } else if (c === '"' || c === "'") {
      quote = c;
      word += c;
    } else if (/\s/.test(c)) {
      if (word) words.push(word);
      word = '';
    } else {
      word += c;
    }
  }
  if (word) words.push(word);
  return words;
}

/** `ARG NAME[=default] …` → entries in order (value undefined when no default). */
export function argEntries(ins: Instruction): { name: string; value?: string }[] {
  return splitWords(ins.args).map((word) => {
    const eq = word.indexOf('=');
    if (eq < 0) return { name: word };
    return { name: word.slice(0, eq), value: unquote(word.slice(eq + 1)) };
  });
}

/** `ENV a=b c=d` or the legacy `ENV a b c` (one pair) → entries in order. */
export function envEntries(ins: Instruction): { name: string; value: string }[] {
  const words = splitWords(ins.args);
  if (words.length === 0) return [];
  if (!(words[0] ?? '').includes('=')) {
    const m = /^(\S+)\s+([\s\S]*)$/.exec(ins.args);
    return m ? [{ name: m[1] ?? '', value: unquote((m[2] ?? '').trim()) }] : [{ name: words[0] ?? '', value: '' }];
  }
  return words.filter((w) => w.includes('=')).map((w) => {
    const eq = w.indexOf('=');
    return { name: w.slice(0, eq), value: unquote(w.slice(eq + 1)) };
  });
}

/** Default values of the global ARGs (before the first FROM). */
export function globalArgDefaults(file: ParsedDockerfile): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const ins of file.globalArgs) for (const { name, value } of argEntries(ins)) out.set(name, value);
  return out;
}

/**
 * Expands `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:+alt}` and `${VAR+alt}`
 * with `vars`. Returns `undefined` when a referenced variable has no value and no default,
 * so callers can tell "resolved" from "depends on a build argument".
 */
export function expandVariables(text: string, vars: ReadonlyMap<string, string | undefined>, escape: '\\' | '`' = '\\'): string | undefined {
  let unresolved = false;
  let out = '';
  for (let n = 0; n < text.length; n++) {
    const c = text[n] ?? '';
    if (c === escape && text[n + 1] === '$') {
      out += '$';
      n++;
      continue;
    }
    if (c !== '$') {
      out += c;
      continue;
    }
    const braced = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}/.exec(text.slice(n));
    const bare = braced ? undefined : /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(n));
    const m = braced ?? bare;
    if (!m) {
      out += c;
      continue;
    }
    const name = m[1] ?? '';
    const op = braced ? m[2] : undefined;
    const word = braced ? (m[3] ?? '') : '';
    const has = vars.has(name) && vars.get(name) !== undefined;
    const value = vars.get(name);
    const set = has && (op?.startsWith(':') ? value !== '' : true);
    if (op === ':-' || op === '-') {
      out += set ? (value ?? '') : word;
    } else if (op === ':+' || op === '+') {
      out += set ? word : '';
    } else if (has) {
      out += value ?? '';
    } else {
      unresolved = true;
    }
    n += m[0].length - 1;
  }
  return unresolved ? undefined : out;
}
