/**
 * The handler's wait: the lifecycle core's loop (src/jobs/wait.ts), its events printed as lines
 * for Terraform, and a timeout turned into exit 3 with what happens on the next apply.
 */
import { eventLine, JobEvent } from '../jobs/events';
import { WaitDeps, waitForJob, WaitTimeoutError } from '../jobs/wait';
import type { JobDescriptor } from '../oss/model';
import { EXIT, HandlerError } from './errors';

export interface WaitOptions {
  name: string;
  timeoutSeconds: number;
  autoConfirm: boolean;
  /** Said after "job <id> is still <status> after <n> s." on a timeout. */
  timeoutHint: string;
  /** Every event, besides the printed lines. */
  onEvent?: (event: JobEvent) => void;
  /** Which DescribeJob failures are worth another poll; default: the OSS client's retryable errors. */
  isRetryable?: (err: unknown) => boolean;
  /** Shown while a job waits for confirmation; default `oss-batch jobs confirm <id>`. */
  confirmCommand?: string;
}

/** Both handlers' deps: the core's (any backend's DescribeJob and UpdateJobStatus) and Terraform's log. */
export type HandlerWaitDeps = WaitDeps & { log: (line: string) => void };

export async function waitForTerminal(jobId: string, deps: HandlerWaitDeps, options: WaitOptions): Promise<JobDescriptor> {
  try {
    return await waitForJob(jobId, deps, {
      timeoutSeconds: options.timeoutSeconds, autoConfirm: options.autoConfirm,
      isRetryable: options.isRetryable, confirmCommand: options.confirmCommand,
      onEvent: (event) => {
        const line = eventLine(options.name, event);
        if (line !== undefined) deps.log(line);
        options.onEvent?.(event);
      },
    });
  } catch (err) {
    if (err instanceof WaitTimeoutError) throw new HandlerError(EXIT.TIMEOUT, `${err.message} ${options.timeoutHint}`);
    throw err;
  }
}
