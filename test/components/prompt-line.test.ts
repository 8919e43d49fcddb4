import { describe, expect, it } from 'vitest';
import { editLine } from '../../components/prompt-line.js';

describe('editLine', () => {
  it('appends typed and pasted text, deletes, clears, submits and cancels', () => {
    expect(editLine('pri', 'v', {})).toEqual({ text: 'priv' });
    expect(editLine('', 'ileged ns:shop', {})).toEqual({ text: 'ileged ns:shop' });
    expect(editLine('priv', '', { backspace: true })).toEqual({ text: 'pri' });
    expect(editLine('priv', 'u', { ctrl: true })).toEqual({ text: '' });
    expect(editLine('x', '\r', { return: true })).toBe('submit');
    expect(editLine('x', '', { escape: true })).toBe('cancel');
    expect(editLine('x', '', { upArrow: true })).toBeUndefined();
  });

  it('never lets an escape sequence or control character into the text', () => {
    expect(editLine('', 'a\u001B]52;c;AAAA\u0007b', {})).toEqual({ text: 'a]52;c;AAAAb' });
    expect(editLine('', '\u0000\u009B', {})).toBeUndefined();
  });
});
