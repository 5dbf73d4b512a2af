// The commit queue's in-place mode (src/core/state.ts, `owned`): a transition on an owned state
// writes aside and applies its writes to the collections only when it finishes, so the work per
// request no longer grows with the number of records. The model run checks, command by command,
// that it answers and ends exactly like copy-on-write; these pin down the mechanics.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priorConsentCovers } from '../../src/core/consent.ts';
import { collectionSize, emptyState, keysWhere, owned, Transaction } from '../../src/core/state.ts';
import type { CoreState, GrantRecord } from '../../src/core/index.ts';
import type { ClientRecord } from '../../src/core/index.ts';
import { register } from '../../src/core/register.ts';
import { defaultConfig } from '../../src/core/config.ts';

const client = (clientId: string): ClientRecord => ({ clientId, authMethod: 'none', redirectUris: ['https://a.example/cb'], grantTypes: ['authorization_code'], issuedAt: 0, source: 'dcr' });

describe('[store] transitions on a state the commit queue owns', () => {
  it('[store] an owned state is updated in place, and only once the transition finishes', () => {
    const base = owned(emptyState());
    const clients = base.clients;
    const tx = new Transaction(base);
    tx.put('clients', 'a', client('a'));
    expect(tx.get('clients', 'a')?.clientId).toBe('a');
    expect(Object.hasOwn(clients, 'a'), 'written before the transition finished').toBe(false);
    const next = tx.result();
    expect(next.clients).toBe(clients);
    expect(Object.hasOwn(clients, 'a')).toBe(true);
    expect(next).not.toBe(base);
    expect(new Transaction(next).get('clients', 'a')?.clientId).toBe('a');
  });

  it('[store] a state nobody owns is never written: copy-on-write as before', () => {
    const base = emptyState();
    const tx = new Transaction(base);
    tx.put('clients', 'a', client('a'));
    const next = tx.result();
    expect(base.clients).toEqual({});
    expect(next.clients).not.toBe(base.clients);
    expect(Object.keys(next.clients)).toEqual(['a']);
  });

  it('[store] deletes and overwrites within one transition end as the last write says', () => {
    const base = owned(emptyState());
    const first = new Transaction(base);
    first.put('clients', 'a', client('a'));
    first.put('clients', 'b', client('b'));
    const state = first.result();
    const second = new Transaction(state);
    second.delete('clients', 'a');
    expect(second.get('clients', 'a')).toBeUndefined();
    second.put('clients', 'a', { ...client('a'), clientName: 'again' });
    second.delete('clients', 'b');
    second.delete('clients', 'missing');
    expect(second.changes.map((c) => `${c.op} ${c.key}`)).toEqual(['delete a', 'put a', 'delete b']);
    const after = second.result();
    expect(after.clients).toEqual({ a: { ...client('a'), clientName: 'again' } });
  });

  it('[REQ-14] the client count stays right through in-place commits, so the cap holds without a scan per registration', () => {
    const config = { ...defaultConfig('https://as.example', { trustedRedirectOrigins: ['https://a.example'] }), limits: { ...defaultConfig('https://as.example').limits, maxClients: 3 } };
    let state = owned(emptyState());
    const metadata = { redirect_uris: ['https://a.example/cb'], token_endpoint_auth_method: 'none' };
    for (let i = 0; i < 3; i++) {
      const result = register(state, config, { type: 'register', now: 0, metadata, fresh: { clientId: `c${i}`, clientSecret: 's' } });
      expect(result.outcome.kind).toBe('registered');
      state = result.state;
      expect(collectionSize(state.clients)).toBe(i + 1);
    }
    const refused = register(state, config, { type: 'register', now: 0, metadata, fresh: { clientId: 'c3', clientSecret: 's' } });
    expect(refused.outcome.kind).toBe('error');
    const tx = new Transaction(state);
    tx.delete('clients', 'c0');
    state = tx.result();
    expect(collectionSize(state.clients)).toBe(2);
    expect(register(state, config, { type: 'register', now: 0, metadata, fresh: { clientId: 'c4', clientSecret: 's' } }).outcome.kind).toBe('registered');
  });
});

const grant = (grantId: string, clientId: string, userId: string): GrantRecord => ({
  grantId, userId, clientId, scopes: ['notes:read'], resource: 'https://as.example/mcp', createdAt: 0, lastUsedAt: 0, accessExpiresAt: 0, refreshHashes: [],
});

describe('[store] counts on a state the commit queue owns', () => {
  it('[REQ-14] a collection first counted after in-place writes is counted right, and the count then follows deletes', () => {
    let state: CoreState = owned(emptyState());
    for (const id of ['a', 'b', 'c']) {
      const tx = new Transaction(state);
      tx.put('clients', id, client(id));
      state = tx.result();
    }
    expect(collectionSize(state.clients)).toBe(3);
    const tx = new Transaction(state);
    tx.delete('clients', 'b');
    tx.put('clients', 'a', { ...client('a'), clientName: 'renamed' });
    state = tx.result();
    expect(collectionSize(state.clients)).toBe(2);
  });
});

describe('[store] lookups by field on a state the commit queue owns', () => {
  it('[REQ-16] the clientId index of grants equals a scan after any puts, moves and deletes, and remembered consent follows it', () => {
    const op = fc.record({ key: fc.constantFrom('g1', 'g2', 'g3', 'g4'), clientId: fc.constantFrom('c1', 'c2', 'c3'), remove: fc.boolean() });
    fc.assert(
      fc.property(fc.array(fc.array(op, { minLength: 1, maxLength: 3 }), { maxLength: 25 }), (batches) => {
        let state: CoreState = owned(emptyState());
        keysWhere(state.grants, 'clientId', 'c1'); // built before the writes: must be maintained
        for (const batch of batches) {
          const tx = new Transaction(state);
          for (const { key, clientId, remove } of batch) {
            if (remove) tx.delete('grants', key);
            else tx.put('grants', key, grant(key, clientId, 'u1'));
          }
          state = tx.result();
          for (const clientId of ['c1', 'c2', 'c3']) {
            const scanned = Object.values(state.grants).filter((g) => g.clientId === clientId).map((g) => g.grantId).sort();
            expect([...keysWhere(state.grants, 'clientId', clientId)].sort()).toEqual(scanned);
            expect(priorConsentCovers(state, 'u1', clientId, ['notes:read'])).toBe(scanned.length > 0);
          }
        }
      }),
    );
  });
});
