/** Handler failures carry the process exit code Terraform will see (documented in docs/handler.md). */
export const EXIT = { OK: 0, OUTCOME: 1, USAGE: 2, TIMEOUT: 3, API: 4 } as const;

export class HandlerError extends Error {
  constructor(readonly exitCode: number, message: string) {
    super(message);
    this.name = 'HandlerError';
  }
}

/** The event was written by another version of the constructs (its `format` differs). */
export class EventFormatError extends HandlerError {}

/** Appended to every verification failure: re-applying will not help by itself (docs/architecture.md, "The Terraform wiring"). */
export const RERUN_HINT =
  'The job has finished and will not run again on the next apply (same spec → same ClientRequestToken → same job). ' +
  'Fix the cause, then change the job spec or set a new `rerunToken` to run it again.';
