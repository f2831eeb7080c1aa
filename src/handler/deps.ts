/** Everything the handler's lifecycle touches outside itself: the core's dependencies plus Terraform's log. */
import type { JobDeps } from '../jobs/deps';

export interface HandlerDeps extends JobDeps {
  /** Progress for Terraform's live output (stdout). */
  log: (line: string) => void;
}
