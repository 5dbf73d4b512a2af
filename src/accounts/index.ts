// User accounts: pure transitions over the account collections, plus async password hashing.
export type * from './types.ts';
export { emptyAccountsState } from './types.ts';
export { createUser, isValidUsername, removeUser } from './users.ts';
export { findSession, findUserById, findUserByName, hasUsers, liveSessionCount } from './queries.ts';
export type { CreateUserInput, CreateUserResult, RemoveUserResult } from './users.ts';
export { MAX_EMAIL_LENGTH, isPlausibleEmail, setUserEmail } from './email.ts';
export type { SetUserEmailInput, SetUserEmailResult } from './email.ts';
export { DEFAULT_SESSION_TTL, startSession, endSession, endAllSessions, pruneSessions } from './sessions.ts';
export type { StartSessionInput, StartSessionResult, EndSessionsResult } from './sessions.ts';
export { DEFAULT_SETUP_TTL, issueSetupToken, findSetup, setupProblem, consumeSetup } from './setup.ts';
export type { IssueSetupInput, ConsumeSetupInput, IssueSetupResult, ConsumeSetupResult, SetupProblem } from './setup.ts';
export { MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH, passwordProblem, hashPassword, verifyPassword } from './passwords.ts';
export type { PasswordProblem } from './passwords.ts';
export { csrfMatches } from './csrf.ts';
