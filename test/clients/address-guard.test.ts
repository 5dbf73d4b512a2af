// The fetch guard's address rule: only public unicast addresses, whatever form they are written in.
import { describe, expect, it } from 'vitest';
import { isPublicAddress } from '../../src/clients/address-guard.ts';

describe('address guard', () => {
  it.each([
    '127.0.0.1', '127.8.9.10', '10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
    '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1',
    '::ffff:127.0.0.1', '::ffff:10.0.0.1', '::ffff:169.254.169.254', '[::1]', '64:ff9b::a00:1', '2002:a00:1::1', '2001:db8::1',
    'not-an-address', '',
  ])('[REQ-13][EC-41] %s is not a public address', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8', '[2606:4700::1]'])('[REQ-13] %s is a public address', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});
