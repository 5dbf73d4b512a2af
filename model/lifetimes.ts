// The lifetimes the model enforces, in seconds: its own reading of `chatgpt-apps/auth.md`, section
// Decisions, and deliberately not the core's configuration. Were the model to read the core's
// defaults, a changed default would change both sides at once and no model run could notice.
// `test/model/lifetimes.test.ts` checks that this table, the document and the core agree.
const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const LIFETIMES = {
  /** "Pending authorization request lifetime: 30 minutes". */
  pendingTtl: 30 * MINUTE,
  /** "Code lifetime: 300 seconds", and never more than 600 s. */
  codeTtl: 300,
  /** "Access token lifetime: 1 hour". */
  accessTokenTtl: HOUR,
  /** "Access token clock tolerance: 0 seconds": `/mcp` refuses a token from `exp` on. */
  accessTokenTolerance: 0,
  /** "Refresh token lifetime: 30 days, sliding". */
  refreshTokenTtl: 30 * DAY,
  /** "Refresh grace window: 60 seconds". */
  refreshGrace: 60,
  /** "Reuse-detection memory: 7 days". */
  reuseDetection: 7 * DAY,
  /** "Unused client lifetime: 24 hours": a DCR client that never connected. */
  unusedClientTtl: 24 * HOUR,
  /** "Idle client lifetime: 90 days": after its last code exchange, with nothing left. */
  idleClientTtl: 90 * DAY,
  /** "Client assertion lifetime: 330 seconds": `exp` at most 5 minutes ahead, plus 30 s of skew. */
  assertionMaxAhead: 330,
  /** "Client assertion not-before skew: 30 seconds": an `nbf` may be that far in our future. */
  assertionNotBeforeSkew: 30,
} as const;

export type Lifetimes = { readonly [K in keyof typeof LIFETIMES]: number };

/** Counts the rules fix besides time: "Grace retries: 3 per rotation" (a rotated token answers at most this many retries). */
export const GRACE_RETRIES = 3;
