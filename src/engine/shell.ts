/**
 * POSIX shell quoting for every value interpolated into a command the user may copy.
 * A hostile object name (`x'; rm -rf ~`) must stay one word, so every value is single-quoted;
 * only words the code itself chose from a fixed vocabulary may be passed as `literal()`.
 */

/** One shell word: `'…'` with embedded quotes as `'\''`. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

const LITERAL = Symbol('literal');

/** A word from the code's own vocabulary (e.g. `deployment`), printed unquoted. */
export interface Literal {
  readonly [LITERAL]: string;
}

export function literal(word: string): Literal {
  // Guard: a literal is never data from the cluster, so it is a plain identifier.
  if (!/^[a-z][a-z0-9.-]*$/.test(word)) throw new Error(`not a safe literal: ${JSON.stringify(word)}`);
  return { [LITERAL]: word };
}

/** Join already-decided words: literals pass through, strings are quoted, numbers printed. */
export function command(strings: TemplateStringsArray, ...values: readonly (string | number | Literal)[]): string {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    const word = typeof value === 'number' ? String(value) : typeof value === 'string' ? shellQuote(value) : value[LITERAL];
    out += word + (strings[i + 1] ?? '');
  });
  return out;
}
