/**
 * POSIX shell quoting for every value interpolated into a command the user may copy.
 * A hostile object name (`x'; rm -rf ~`) must stay one word, so every value is single-quoted.
 */

/** One shell word: `'…'` with embedded quotes as `'\''`. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Join already-decided words: literals pass through, values are quoted. */
export function command(strings: TemplateStringsArray, ...values: readonly (string | number)[]): string {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += (typeof value === 'number' ? String(value) : shellQuote(value)) + (strings[i + 1] ?? '');
  });
  return out;
}
