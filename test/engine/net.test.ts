import { describe, expect, it } from 'vitest';
import { cidrContains, hostOf, isAnyAddressRange, isIpAddress, isPrivateAddress, isPublicAddress, parseCidr, parseIPv4, parseIPv6, parseIp, unmapIPv4 } from '../../src/engine/net.js';

describe('parseIPv4', () => {
  it.each(['0.0.0.0', '10.0.0.1', '255.255.255.255', '192.168.1.20'])('accepts %s', (s) => expect(parseIPv4(s)).toBeDefined());
  it.each(['256.0.0.1', '10.0.0', '10.0.0.1.5', '010.0.0.1', '1.2.3.-4', '', 'a.b.c.d', '1.2.3.4 '])('rejects %j', (s) => expect(parseIPv4(s)).toBeUndefined());
  it('computes the value', () => expect(parseIPv4('1.2.3.4')?.value).toBe(0x01020304n));
});

describe('parseIPv6', () => {
  it.each(['::', '::1', 'fe80::1', '2001:db8::', '2001:db8:0:0:0:0:0:1', 'fc00::1', '::ffff:10.1.2.3', '64:ff9b::192.0.2.33', 'fe80::1%eth0'])('accepts %s', (s) =>
    expect(parseIPv6(s)).toBeDefined());
  it.each(['1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '1::2::3', 'g::1', '12345::', '::ffff:10.1.2', '1.2.3.4::', '10.0.0.1', ''])('rejects %j', (s) =>
    expect(parseIPv6(s)).toBeUndefined());
  it('expands ::', () => {
    expect(parseIPv6('::1')?.value).toBe(1n);
    expect(parseIPv6('2001:db8::1')?.value).toBe((0x20010db8n << 96n) | 1n);
  });
  it('reads an embedded IPv4 tail', () => expect(parseIPv6('::ffff:1.2.3.4')?.value).toBe((0xffffn << 32n) | 0x01020304n));
  it('unmaps ::ffff:a.b.c.d to IPv4', () => {
    const ip = unmapIPv4(parseIPv6('::ffff:8.8.8.8')!);
    expect(ip).toEqual(parseIPv4('8.8.8.8'));
  });
});

describe('parseIp / parseCidr', () => {
  it('accepts bracketed IPv6', () => expect(parseIp('[::1]')?.version).toBe(6));
  it('treats host names as non-IPs', () => {
    expect(isIpAddress('api.example.com')).toBe(false);
    expect(isIpAddress('10.0.0.1')).toBe(true);
  });
  it('parses prefixes', () => {
    expect(parseCidr('10.0.0.0/8')?.prefix).toBe(8);
    expect(parseCidr('10.0.0.1')?.prefix).toBe(32);
    expect(parseCidr('::/0')?.prefix).toBe(0);
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parseCidr('10.0.0.0/')).toBeUndefined();
    expect(parseCidr('10.0.0.0/08')).toBeUndefined();
    expect(parseCidr('fc00::/129')).toBeUndefined();
  });
});

describe('cidrContains', () => {
  it.each([
    ['10.0.0.0/8', '10.255.255.255', true],
    ['10.0.0.0/8', '11.0.0.0', false],
    ['172.16.0.0/12', '172.31.255.255', true],
    ['172.16.0.0/12', '172.32.0.0', false],
    ['0.0.0.0/0', '8.8.8.8', true],
    ['203.0.113.7/32', '203.0.113.7', true],
    ['203.0.113.7/32', '203.0.113.8', false],
    ['fc00::/7', 'fd12:3456::1', true],
    ['fc00::/7', 'fe00::1', false],
    ['10.0.0.0/8', '::ffff:10.1.1.1', true],
    ['10.0.0.0/8', 'fd00::1', false],
    ['::/0', '10.0.0.1', false],
    ['10.0.0.0/8', 'not-an-ip', false],
  ] as const)('%s contains %s: %s', (cidr, ip, expected) => expect(cidrContains(cidr, ip)).toBe(expected));
});

describe('isPrivateAddress (CHECKS.md §2 list)', () => {
  it.each([
    '10.0.0.1', '172.16.0.1', '172.31.255.254', '192.168.0.1', '100.64.0.1', '100.127.255.255', '127.0.0.1', '169.254.169.254',
    '::1', 'fc00::1', 'fd00:ec2::254', 'fe80::1', 'febf::1', '::ffff:192.168.1.1', '[::1]',
  ])('%s is private', (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
    expect(isPublicAddress(ip)).toBe(false);
  });
  it.each([
    '8.8.8.8', '172.32.0.1', '172.15.255.255', '100.63.255.255', '100.128.0.0', '192.169.0.1', '203.0.113.10', '0.0.0.0',
    '2001:db8::1', '2600:1f18::1', 'fec0::1', '::', '::ffff:8.8.8.8', '64:ff9b::8.8.8.8',
  ])('%s is public', (ip) => {
    expect(isPublicAddress(ip)).toBe(true);
    expect(isPrivateAddress(ip)).toBe(false);
  });
  it('a host name is neither', () => {
    expect(isPrivateAddress('localhost')).toBe(false);
    expect(isPublicAddress('localhost')).toBe(false);
  });
});

describe('isAnyAddressRange', () => {
  it.each([['0.0.0.0/0', true], ['::/0', true], ['0.0.0.0/1', false], ['10.0.0.0/8', false], ['garbage', false]] as const)('%s → %s', (r, v) =>
    expect(isAnyAddressRange(r)).toBe(v));
});

describe('hostOf', () => {
  it.each([
    ['https://10.0.0.1:6443', '10.0.0.1'],
    ['https://[2001:db8::1]:6443', '2001:db8::1'],
    ['https://ABC.gr7.us-east-1.eks.amazonaws.com', 'abc.gr7.us-east-1.eks.amazonaws.com'],
    ['10.0.0.1:6443', '10.0.0.1'],
  ])('%s → %s', (url, host) => expect(hostOf(url)).toBe(host));
});
