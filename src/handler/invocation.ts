/**
 * The invocation both handler bundles share: `node <bundle> create|delete` with OSS_BATCH_EVENT and
 * OSS_BATCH_RESULT, the endpoint override from the environment, the manifest part size, and the
 * mapping of the outcome to an exit code and one stderr paragraph. Each bundle brings its event
 * parser, its usage line and what to run (docs/handler.md).
 */
import { ENV_EVENT, ENV_RESULT_FILE, HANDLER_COMMANDS, HandlerCommand } from '../shared/contract';
import { Checks, NOTHING_DEFERRED } from '../shared/validation';
import { EventFormatError, EXIT, HandlerError } from './errors';
import { DEFAULT_PART_SIZE } from './manifest-builder';

export interface Invocation<E> {
  command: HandlerCommand;
  event: E;
  resultFile: string;
}

/** What every event has that the invocation looks at. */
export interface EventBase {
  name: string;
  connection: { endpoint?: string };
}

export interface EndpointChoice {
  /** The URL to use, or undefined for the region's default endpoint. */
  readonly url?: string;
  /** True when the environment replaced the stack's endpoint. */
  readonly overridden: boolean;
}

/** One handler bundle: its words and its lifecycles. */
export interface HandlerSpec<E extends EventBase, D extends { log: (line: string) => void }> {
  /** Shown after every command or environment problem. */
  usage: string;
  /** Parse, check and normalize the event; every problem a HandlerError (exit 2). */
  parseEvent: (raw: string) => E;
  /** The environment variable whose endpoint wins over the stack's (e.g. OSS_ENDPOINT). */
  endpointVariable: string;
  /** How to cancel a job by hand, named when a delete leaves a job alone. */
  manualCancel: string;
  makeDeps: (event: E, endpoint: EndpointChoice) => D;
  /** Runs the command on the parsed event. */
  dispatch: (invocation: Invocation<E>, deps: D, partSize: number) => Promise<void>;
}

export function usageLine(eventWhat: string, bundle: string): string {
  return `usage: ${ENV_EVENT}='<${eventWhat}>' ${ENV_RESULT_FILE}=<path> node ${bundle} <${HANDLER_COMMANDS.join('|')}>`;
}

export function parseInvocation<E>(argv: string[], env: NodeJS.ProcessEnv, usage: string, parseEvent: (raw: string) => E): Invocation<E> {
  const usageError = (problem: string) => new HandlerError(EXIT.USAGE, `${problem}\n${usage}`);
  const command = argv[0] as HandlerCommand;
  if (argv.length !== 1 || !HANDLER_COMMANDS.includes(command)) {
    throw usageError(argv.length === 0 ? 'no command given' : argv.length > 1 ? `expected one command, got "${argv.join(' ')}"` : `unknown command "${argv[0]}"`);
  }
  const raw = env[ENV_EVENT];
  if (!raw) throw usageError(`${ENV_EVENT} is not set`);
  const resultFile = env[ENV_RESULT_FILE];
  if (!resultFile) throw usageError(`${ENV_RESULT_FILE} is not set`);
  let event: E;
  try {
    event = parseEvent(raw);
  } catch (err) {
    // The parser's messages name the construct and the prop: the usage line would only be noise.
    if (err instanceof HandlerError) throw err;
    throw usageError((err as Error).message);
  }
  return { command, event, resultFile };
}

/**
 * A destroy runs on the input stored in state, which another version may have written (e.g. the
 * resource being replaced after an upgrade). Failing there would block the whole apply; cancelling
 * on a guess would be worse: such a delete does nothing and says so. Returns that line, or
 * undefined when the failure stands.
 */
export function skippedDeleteLine(err: unknown, argv: string[], manualCancel: string): string | undefined {
  if (!(err instanceof EventFormatError) || argv.length !== 1 || argv[0] !== 'delete') return undefined;
  return `cdktf-oss-batch: not cancelling anything on destroy: ${err.message} Cancel a still-running job by hand with ${manualCancel} if needed.`;
}

/** OSS_BATCH_MANIFEST_PART_BYTES tunes the multipart part size (OSS minimum 100 KiB, S3 5 MiB); tests use it to force multipart. */
export function manifestPartSize(env: NodeJS.ProcessEnv): number {
  const raw = env.OSS_BATCH_MANIFEST_PART_BYTES;
  if (!raw) return DEFAULT_PART_SIZE;
  const bytes = Number(raw);
  if (!/^\d+$/.test(raw) || bytes < 100 * 1024) throw new HandlerError(EXIT.USAGE, `OSS_BATCH_MANIFEST_PART_BYTES must be a whole number ≥ 102400, got "${raw}"`);
  return bytes;
}

/**
 * The endpoint in Terraform's environment (`variable`) wins over the stack's `endpoint`: a runner
 * inside a VPC uses the internal endpoint without touching the stack (the endpoint is not identity,
 * so the job is the same). Checked like the prop, so a typo fails with the prop's message.
 */
export function chooseEndpoint(event: EventBase, env: NodeJS.ProcessEnv, variable: string): EndpointChoice {
  const fromEnv = env[variable];
  if (!fromEnv) return { url: event.connection.endpoint, overridden: false };
  try {
    const url = new Checks(`${variable} (environment)`, NOTHING_DEFERRED).endpoint(fromEnv);
    return { url, overridden: url !== event.connection.endpoint };
  } catch (err) {
    throw new HandlerError(EXIT.USAGE, (err as Error).message);
  }
}

export async function runInvocation<E extends EventBase, D extends { log: (line: string) => void }>(
  argv: string[], env: NodeJS.ProcessEnv, spec: HandlerSpec<E, D>, log: (line: string) => void,
): Promise<void> {
  let invocation: Invocation<E>;
  try {
    invocation = parseInvocation(argv, env, spec.usage, spec.parseEvent);
  } catch (err) {
    const line = skippedDeleteLine(err, argv, spec.manualCancel);
    if (line === undefined) throw err;
    log(line);
    return;
  }
  const { event } = invocation;
  const partSize = manifestPartSize(env);
  const endpoint = chooseEndpoint(event, env, spec.endpointVariable);
  const deps = spec.makeDeps(event, endpoint);
  if (endpoint.overridden) deps.log(`[${event.name}] endpoint ${endpoint.url} from ${spec.endpointVariable} (overrides the stack's ${event.connection.endpoint ?? 'default'})`);
  await spec.dispatch(invocation, deps, partSize);
}

/**
 * HandlerErrors carry their own code; everything else that escapes the lifecycle comes from
 * talking to the service (OssError, OssNetworkError, CredentialsError, AwsCallError — their
 * messages carry the code and request id) and exits 4.
 */
export function exitCodeFor(err: unknown): number {
  return err instanceof HandlerError ? err.exitCode : EXIT.API;
}

/** The stderr paragraph Terraform shows for a failure. */
export function errorText(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return `cdktf-oss-batch: ${message}`;
}

/** Run and map the outcome to an exit code; `stderr` receives the one error paragraph. */
export async function exitCodeOf(run: () => Promise<void>, stderr: (text: string) => void): Promise<number> {
  try {
    await run();
    return EXIT.OK;
  } catch (err) {
    stderr(errorText(err));
    return exitCodeFor(err);
  }
}
