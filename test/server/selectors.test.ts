import { describe, expect, it } from 'vitest';
import { matchesLabels, parseFieldSelector, parseLabelSelector, SelectorError } from '../../src/server/selectors.js';

const matches = (selector: string, labels?: Record<string, string>): boolean => matchesLabels(parseLabelSelector(selector), labels);

describe('label selectors', () => {
  it('parses every operator', () => {
    expect(parseLabelSelector('a=1, b==2,c!=3,d in (x, y),e notin (z),f,!g,h>4,i<5,app.kubernetes.io/name=web')).toEqual([
      { key: 'a', op: '=', values: ['1'] },
      { key: 'b', op: '=', values: ['2'] },
      { key: 'c', op: '!=', values: ['3'] },
      { key: 'd', op: 'in', values: ['x', 'y'] },
      { key: 'e', op: 'notin', values: ['z'] },
      { key: 'f', op: 'exists', values: [] },
      { key: 'g', op: '!', values: [] },
      { key: 'h', op: 'gt', values: ['4'] },
      { key: 'i', op: 'lt', values: ['5'] },
      { key: 'app.kubernetes.io/name', op: '=', values: ['web'] },
    ]);
    expect(parseLabelSelector('')).toEqual([]);
    expect(parseLabelSelector('env=')).toEqual([{ key: 'env', op: '=', values: [''] }]);
  });

  it('matches like Kubernetes: != and notin also select objects without the label', () => {
    expect(matches('app=web', { app: 'web' })).toBe(true);
    expect(matches('app=web', { app: 'db' })).toBe(false);
    expect(matches('app!=web', {})).toBe(true);
    expect(matches('app!=web', undefined)).toBe(true);
    expect(matches('app notin (web)', {})).toBe(true);
    expect(matches('app in (web,db)', {})).toBe(false);
    expect(matches('app in (web,db)', { app: 'db' })).toBe(true);
    expect(matches('app', { app: '' })).toBe(true);
    expect(matches('!app', { app: '' })).toBe(false);
    expect(matches('n>3', { n: '4' })).toBe(true);
    expect(matches('n>3', { n: 'x' })).toBe(false);
    expect(matches('n<3', { n: '3' })).toBe(false);
    expect(matches('a=1,b=2', { a: '1', b: '3' })).toBe(false);
    expect(matches('', undefined)).toBe(true);
  });

  it('rejects malformed selectors', () => {
    for (const bad of ['app in web', 'app in (a b)', 'a=1,', ',a', 'a b', '!', 'n>x', '=x', 'a=(b)']) {
      expect(() => parseLabelSelector(bad), bad).toThrow(SelectorError);
    }
  });
});

describe('field selectors', () => {
  it('parses =, == and != with escapes', () => {
    expect(parseFieldSelector('metadata.name=a,type!=kubernetes.io/tls, metadata.namespace==b')).toEqual([
      { field: 'metadata.name', equal: true, value: 'a' },
      { field: 'type', equal: false, value: 'kubernetes.io/tls' },
      { field: 'metadata.namespace', equal: true, value: 'b' },
    ]);
    expect(parseFieldSelector('metadata.name=a\\,b')).toEqual([{ field: 'metadata.name', equal: true, value: 'a,b' }]);
    expect(parseFieldSelector(' ')).toEqual([]);
    expect(() => parseFieldSelector('metadata.name')).toThrow(SelectorError);
  });
});
