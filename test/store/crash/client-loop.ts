// One OAuth client of the crash test, driven until the server dies under it: register, get a code
// through the consent form, redeem it, then refresh again and again before starting over. What the
// server acknowledged with a 200 goes into the ledger the moment the answer arrives, so the ledger
// holds exactly what a real client would rely on after the crash.
import type { Browser } from '../../kit/browser.ts';
import { newPkce } from '../../kit/pkce.ts';
import { approvedCode, ConnectionCut, redeemCode, refreshTokenOf, refreshWith, registerClient, type Answer } from './oauth-wire.ts';

export interface FlowPlan {
  /** Refreshes after the redemption, before the client starts a new flow. */
  refreshes: number;
  /** Redeem the code twice at once, like a client retrying too eagerly. */
  duplicateRedemption: boolean;
}

/**
 * `live`: the family was only ever rotated. `revoked`: a duplicate redemption was answered
 * invalid_grant, and that answer promised the family's revocation. `undecided`: a duplicate
 * redemption's answer was lost, so whether it revoked the family is unknown.
 */
export type Fate = 'live' | 'revoked' | 'undecided';

export interface Family {
  readonly label: string;
  readonly round: number;
  readonly clientId: string;
  readonly code: string;
  readonly verifier: string;
  /** Every refresh token received with a 200, in order; the first came with the code. */
  readonly tokens: string[];
  readonly fate: Fate;
}

export class Ledger {
  readonly families: Family[] = [];
  /** Code -> number of 200s its redemptions got; more than one is the bug this test hunts. */
  readonly redemptions = new Map<string, number>();
  refreshesAcknowledged = 0;
  duplicateRedemptions = 0;

  get codesExchanged(): number {
    return [...this.redemptions.values()].filter((wins) => wins > 0).length;
  }
}

export interface ClientOptions {
  base: string;
  /** Signed in once, before the first round; its session must survive every kill. */
  browser: Browser;
  ledger: Ledger;
  round: number;
  label: string;
  flows: readonly FlowPlan[];
}

/** Runs flows until the connection drops; any other surprise is thrown. */
export async function driveClient(options: ClientOptions): Promise<void> {
  try {
    for (let i = 0; ; i++) await runFlow(options, options.flows[i % options.flows.length]!, `${options.label}/f${i}`);
  } catch (error) {
    if (!(error instanceof ConnectionCut)) throw error;
  }
}

async function runFlow({ base, browser, ledger, round }: ClientOptions, plan: FlowPlan, label: string): Promise<void> {
  const clientId = await registerClient(base);
  const { verifier, challenge } = newPkce();
  const code = await approvedCode(browser, clientId, challenge);
  const family = { label, round, clientId, code, verifier };
  if (plan.duplicateRedemption) return redeemTwiceAtOnce(base, ledger, family);

  const redeemed = await redeemCode(base, clientId, code, verifier);
  const tokens = [refreshTokenOf(redeemed, `${label} redemption`)];
  ledger.redemptions.set(code, 1);
  ledger.families.push({ ...family, tokens, fate: 'live' });
  for (let i = 0; i < plan.refreshes; i++) {
    tokens.push(refreshTokenOf(await refreshWith(base, clientId, tokens.at(-1)!), `${label} refresh ${i + 1}`));
    ledger.refreshesAcknowledged++;
  }
}

type NewFamily = Omit<Family, 'tokens' | 'fate'>;

async function redeemTwiceAtOnce(base: string, ledger: Ledger, family: NewFamily): Promise<void> {
  ledger.duplicateRedemptions++;
  const answers = await Promise.allSettled([1, 2].map(() => redeemCode(base, family.clientId, family.code, family.verifier)));
  const given = answers.flatMap((a) => (a.status === 'fulfilled' ? [a.value] : []));
  const wins = given.filter((answer) => answer.status === 200);
  ledger.redemptions.set(family.code, wins.length);
  const refused = given.some(isInvalidGrant);
  if (wins[0] !== undefined) {
    ledger.families.push({ ...family, tokens: [refreshTokenOf(wins[0], `${family.label} redemption`)], fate: wins.length === 1 && refused ? 'revoked' : 'undecided' });
  }
  const dropped = answers.flatMap((a) => (a.status === 'rejected' ? [a.reason as unknown] : []));
  const surprise = dropped.find((reason) => !(reason instanceof ConnectionCut));
  if (dropped.length > 0) throw surprise ?? dropped[0];
  if (wins.length !== 1 || !refused) throw new Error(`${family.label}: two redemptions of one code at once got ${given.map((a) => `${a.status} ${String(a.json.error ?? 'with tokens')}`).join(' and ')}`);
}

export function isInvalidGrant(answer: Answer): boolean {
  return answer.status === 400 && answer.json.error === 'invalid_grant';
}
