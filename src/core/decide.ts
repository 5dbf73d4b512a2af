// The user's answer on the consent page: approve some or all requested scopes, or deny.
import { accessDenied, invalidRequest } from './errors.ts';
import { errorRedirect, successRedirect } from './redirect.ts';
import { hashSecret } from './secrets.ts';
import { Transaction } from './state.ts';
import type { CoreConfig, CoreState, DecideCommand, StepResult, DecideOutcome } from './types.ts';

export function decide(state: CoreState, config: CoreConfig, command: DecideCommand): StepResult<DecideOutcome> {
  const tx = new Transaction(state);
  const request = tx.get('pending', command.requestId);
  if (!request || command.now >= request.expiresAt) {
    if (request) tx.delete('pending', request.requestId);
    const error = invalidRequest('this authorization request expired or is unknown; start again from the app', 'REQ-09');
    return { state: tx.result(), changes: tx.changes, outcome: { kind: 'error', error } };
  }

  if (!command.decision.approve) {
    tx.delete('pending', request.requestId);
    // EC-25: a refusal goes back to the client, with state and iss like any other response.
    const redirect = errorRedirect(config, request.redirectUri, accessDenied('the user declined the request', 'EC-25'), request.state);
    return { state: tx.result(), changes: tx.changes, outcome: { kind: 'redirect', redirect } };
  }

  const approved = command.decision.scopes ?? request.scopes;
  if (approved.length === 0 || !approved.every((s) => request.scopes.includes(s))) {
    return { state, changes: [], outcome: { kind: 'error', error: invalidRequest('approved scopes must be a non-empty subset of the requested ones', 'REQ-17') } };
  }

  tx.delete('pending', request.requestId);
  const codeHash = hashSecret(command.fresh.code);
  tx.put('codes', codeHash, {
    codeHash,
    clientId: request.clientId,
    userId: command.userId,
    redirectUri: request.redirectUri,
    scopes: [...new Set(approved)].sort(),
    resource: request.resource,
    codeChallenge: request.codeChallenge,
    ...(request.nonce === undefined ? {} : { nonce: request.nonce }),
    issuedAt: command.now,
    expiresAt: command.now + Math.min(config.codeTtl, 600), // codes live at most 10 minutes
  });
  const redirect = successRedirect(config, request.redirectUri, command.fresh.code, request.state);
  return { state: tx.result(), changes: tx.changes, outcome: { kind: 'redirect', redirect } };
}
