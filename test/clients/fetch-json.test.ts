// The guarded fetch on its own: what it refuses before connecting, after the name lookup and on
// the wire. Every connection goes to the local test host on 127.0.0.1.
import { lookup as realLookup } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchJson } from '../../src/clients/fetch-json.ts';
import { DocumentHost } from '../kit/document-host.ts';

let host: DocumentHost;
beforeAll(async () => {
  host = await DocumentHost.start();
});
afterAll(() => host.close());

/** A resolver that answers `addresses` for every name: the guard must judge all of them. */
const fakeDns = (...addresses: string[]) =>
  ((_name: string, _options: unknown, callback: (error: null, found: { address: string; family: number }[]) => void) =>
    callback(null, addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })))) as unknown as typeof realLookup;

describe('guarded JSON fetch', () => {
  it('[REQ-13] a document on a mapped test host is fetched with its max-age', async () => {
    host.serve('https://cimd.test/a.json', { hello: 'world' }, { headers: { 'cache-control': 'public, max-age=900' } });
    expect(await fetchJson('https://cimd.test/a.json', host.fetchPolicy())).toEqual({ ok: true, body: { hello: 'world' }, maxAge: 900 });
  });

  it('[REQ-13] no-store and no-cache read as "as short as allowed"', async () => {
    host.serve('https://cimd.test/b.json', { b: 1 }, { headers: { 'cache-control': 'no-store' } });
    expect(await fetchJson('https://cimd.test/b.json', host.fetchPolicy())).toMatchObject({ ok: true, maxAge: 0 });
  });

  it('[EC-41] a name resolving to loopback, private or link-local addresses is refused before connecting', async () => {
    for (const address of ['127.0.0.1', '192.168.0.10', '169.254.169.254', '::1', '::ffff:10.0.0.1']) {
      const result = await fetchJson('https://anything.test/doc.json', { ...host.fetchPolicy(), hosts: {}, lookup: fakeDns(address) });
      expect(result, address).toEqual({ ok: false, why: `anything.test resolves to a non-public address (${address})` });
    }
  });

  it('[EC-41] one private address among public ones is enough to refuse (no picking the nice one)', async () => {
    // The production rule (public unicast is reachable) judges here; the private answer stops it before any connection.
    const result = await fetchJson('https://mixed.test/doc.json', { ...host.fetchPolicy(), hosts: {}, reachable: undefined as never, lookup: fakeDns('93.184.216.34', '10.0.0.7') });
    expect(result).toEqual({ ok: false, why: 'mixed.test resolves to a non-public address (10.0.0.7)' });
  });

  it('[EC-41] IP literals are judged without a lookup', async () => {
    expect(await fetchJson('https://127.0.0.1/doc.json', { ...host.fetchPolicy(), hosts: {} })).toEqual({ ok: false, why: '127.0.0.1 is not a public address' });
    expect(await fetchJson('https://[::1]/doc.json', { ...host.fetchPolicy(), hosts: {} })).toEqual({ ok: false, why: '::1 is not a public address' });
  });

  it('[EC-41] the connected address is checked again: a mapped name reached elsewhere is refused', async () => {
    // The mapping says 127.0.0.2, the socket lands on 127.0.0.1 (where the host listens): refused.
    const policy = host.fetchPolicy();
    const result = await fetchJson('https://cimd.test/a.json', { ...policy, hosts: { 'cimd.test': { address: '127.0.0.1', port: host.port } }, lookup: fakeDns('127.0.0.1') });
    expect(result.ok).toBe(true);
    const elsewhere = await fetchJson('https://cimd.test/a.json', { ...policy, hosts: { 'cimd.test': { address: '127.0.0.2', port: host.port } } });
    expect(elsewhere.ok).toBe(false);
  });

  it('[EC-41] a certificate the test CA did not sign is not trusted (no CA given)', async () => {
    host.serve('https://cimd.test/c.json', { c: 1 });
    const result = await fetchJson('https://cimd.test/c.json', { ...host.fetchPolicy(), ca: undefined as never });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.why).toContain('TLS certificate is not trusted');
  });

  it('[EC-41] only https URLs are fetched', async () => {
    expect(await fetchJson('http://cimd.test/a.json', host.fetchPolicy())).toEqual({ ok: false, why: 'is not an https URL' });
  });

  it('[EC-41] the byte cap holds however the body is sent', async () => {
    host.serve('https://cimd.test/big.json', { big: 'y'.repeat(6000) });
    expect(await fetchJson('https://cimd.test/big.json', { ...host.fetchPolicy(), maxBytes: 5120 })).toEqual({ ok: false, why: 'is larger than 5120 bytes' });
  });

  it('[EC-41] application/*+json content types are JSON', async () => {
    host.serve('https://cimd.test/d.json', { d: 1 }, { headers: { 'content-type': 'application/cimd+json; charset=utf-8' } });
    expect(await fetchJson('https://cimd.test/d.json', host.fetchPolicy())).toEqual({ ok: true, body: { d: 1 } });
  });
});
