// What must hold once the killed server is running again, family by family. Each check spends the
// family (reuse detection or a code replay revokes it), so a family is checked once, right after
// the restart that follows its round, and never driven again.
import { expect } from 'vitest';
import { isInvalidGrant, type Family } from './client-loop.ts';
import { redeemCode, refreshTokenOf, refreshWith, type Answer } from './oauth-wire.ts';

export class Checks {
  passed = 0;

  /** One wire-level expectation; counted once it holds. */
  holds(condition: boolean, message: string): void {
    expect(condition, message).toBe(true);
    this.passed++;
  }

  refused(answer: Answer, message: string): void {
    this.holds(isInvalidGrant(answer), `${message}; got ${answer.status} ${JSON.stringify(answer.json)}`);
  }
}

/**
 * `live`: the last acknowledged token works (a fresh rotation, or the grace retry of a rotation
 * whose answer the kill swallowed); the one before it is now a reuse and revokes the family; the
 * code stays spent. `revoked`: the acknowledged refusal of a duplicate redemption revoked the
 * family for good. `undecided`: only the code is known to be spent.
 */
export async function checkFamily(base: string, family: Family, checks: Checks): Promise<void> {
  const { label, clientId, code, verifier, tokens } = family;
  const replay = () => redeemCode(base, clientId, code, verifier);
  const refresh = (token: string) => refreshWith(base, clientId, token);

  if (family.fate === 'live') {
    // REQ-16: the last refresh token a 200 handed out still works after the kill.
    const resumed = await refresh(tokens.at(-1)!);
    checks.holds(resumed.status === 200, `${label}: the last acknowledged of ${tokens.length} refresh token(s) is refused after the restart: ${resumed.status} ${JSON.stringify(resumed.json)}`);
    const newest = refreshTokenOf(resumed, `${label} refresh after the restart`);
    const predecessor = tokens.at(-2);
    if (predecessor !== undefined) {
      // REQ-16: a token rotated by a later acknowledged call is reuse, and reuse kills the family.
      checks.refused(await refresh(predecessor), `${label}: a refresh token rotated by an acknowledged call was accepted again`);
      checks.refused(await refresh(newest), `${label}: reuse of a rotated token did not revoke the family`);
      checks.refused(await replay(), `${label}: a code redeemed with a 200 was redeemed again after the restart`);
    } else {
      // REQ-09: the code stays spent, and replaying it revokes what it produced.
      checks.refused(await replay(), `${label}: a code redeemed with a 200 was redeemed again after the restart`);
      checks.refused(await refresh(newest), `${label}: replaying the code did not revoke its tokens`);
    }
    return;
  }
  if (family.fate === 'revoked') {
    checks.refused(await refresh(tokens[0]!), `${label}: the family a duplicate redemption revoked (acknowledged) came back after the restart`);
  }
  checks.refused(await replay(), `${label}: a code redeemed with a 200 was redeemed again after the restart`);
}
