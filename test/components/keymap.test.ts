import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { commandFor, helpBar, KEYMAP } from '../../components/keymap.js';

const noKey: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false,
} as Key;
const press = (input: string, key: Partial<Key> = {}) => commandFor(input, { ...noKey, ...key });

describe('keymap', () => {
  it('maps the keys of DESIGN.md §4', () => {
    expect(press('', { tab: true })).toBe('nextLayer');
    expect(press('', { tab: true, shift: true })).toBe('prevLayer');
    expect(['1', '2', '3', '4'].map((k) => press(k))).toEqual(['layer1', 'layer2', 'layer3', 'layer4']);
    expect([press('h'), press('l')]).toEqual(['prevLayer', 'nextLayer']);
    expect([press('j'), press('k'), press('g'), press('G')]).toEqual(['down', 'up', 'top', 'bottom']);
    expect([press('', { downArrow: true }), press('', { upArrow: true }), press('', { pageDown: true }), press('', { pageUp: true })]).toEqual(['down', 'up', 'pageDown', 'pageUp']);
    expect([press('\r', { return: true }), press('', { escape: true })]).toEqual(['open', 'back']);
    expect([press('r'), press('R'), press('r', { ctrl: true })]).toEqual(['runCheck', 'runLayer', 'runAll']);
    expect([press('/'), press('c'), press('y'), press('a'), press('s'), press('f'), press(':'), press('?'), press('q')])
      .toEqual(['search', 'copyCommand', 'copyPatch', 'accept', 'cycleSort', 'cycleSeverity', 'commandLine', 'help', 'quit']);
    expect(press('c', { ctrl: true })).toBe('quit');
  });

  it('gives every key at most one command, and every command a description', () => {
    const seen = new Map<string, string>();
    for (const b of KEYMAP) {
      expect(b.description.length).toBeGreaterThan(3);
      for (const k of b.keys) {
        const id = JSON.stringify(k);
        expect(seen.get(id), `${id} bound twice`).toBeUndefined();
        seen.set(id, b.command);
      }
    }
  });

  it('ignores unbound keys and meta combinations', () => {
    expect(press('x')).toBeUndefined();
    expect(press('q', { meta: true })).toBeUndefined();
  });

  it('generates the help bar from the keymap', () => {
    const bar = helpBar().map((b) => b.text);
    expect(bar).toEqual(expect.arrayContaining(['search', 'copy', 'quit', 'help']));
  });
});
