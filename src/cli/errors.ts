// How a verb fails in front of an operator: one line saying what is wrong and how to fix it, and a
// non-zero exit code; the stack trace only with LOG_LEVEL=debug.

/** A failure whose message is already written for the operator. `exitCode` 2 is bad usage. */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(message: string, readonly exitCode: number = 1) {
    super(message);
  }
}
