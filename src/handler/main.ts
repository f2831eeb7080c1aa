/**
 * Entry point of the bundled handler: `node handler.js create|delete`, run by Terraform's
 * local-exec provisioners with OSS_BATCH_EVENT (the terraform_data input) and OSS_BATCH_RESULT.
 * Credentials come from the environment through the default credential chain, never the event.
 * Exit codes (docs/handler.md): 0 ok, 1 outcome, 2 usage, 3 timeout, 4 OSS/API.
 */
import { realJobDeps } from '../jobs/deps';
import { ENV_ENDPOINT, ENV_EVENT, ENV_RESULT_FILE, HANDLER_COMMANDS, HandlerCommand, HandlerEvent } from '../shared/contract';
import { Checks, NOTHING_DEFERRED } from '../shared/validation';
import { createBatchJob, deleteBatchJob } from './batch-job';
import type { HandlerDeps } from './deps';
import { EventFormatError, EXIT, HandlerError } from './errors';
import { parseEvent } from './event';
import { buildManifest, DEFAULT_PART_SIZE } from './manifest-builder';

export const USAGE = `usage: ${ENV_EVENT}='<event json>' ${ENV_RESULT_FILE}=<path> node handler.js <${HANDLER_COMMANDS.join('|')}>`;

export function parseInvocation(argv: string[], env: NodeJS.ProcessEnv): { command: HandlerCommand; event: HandlerEvent; resultFile: string } {
  const usageError = (problem: string) => new HandlerError(EXIT.USAGE, `${problem}\n${USAGE}`);
  const command = argv[0] as HandlerCommand;
  if (argv.length !== 1 || !HANDLER_COMMANDS.includes(command)) {
    throw usageError(argv.length === 0 ? 'no command given' : argv.length > 1 ? `expected one command, got "${argv.join(' ')}"` : `unknown command "${argv[0]}"`);
  }
  const raw = env[ENV_EVENT];
  if (!raw) throw usageError(`${ENV_EVENT} is not set`);
  const resultFile = env[ENV_RESULT_FILE];
  if (!resultFile) throw usageError(`${ENV_RESULT_FILE} is not set`);
  let event: HandlerEvent;
  try {
    event = parseEvent(raw);
  } catch (err) {
    // parseEvent's messages name the construct and the prop: the usage line would only be noise.
    if (err instanceof HandlerError) throw err;
    throw usageError((err as Error).message);
  }
  return { command, event, resultFile };
}

export async function run(
  argv: string[], env: NodeJS.ProcessEnv, makeDeps: (event: HandlerEvent, endpoint: EndpointChoice) => HandlerDeps = realDeps,
  log: (line: string) => void = (line) => console.log(line),
): Promise<void> {
  let invocation: ReturnType<typeof parseInvocation>;
  try {
    invocation = parseInvocation(argv, env);
  } catch (err) {
    // A destroy runs on the input stored in state, which an older version may have written (e.g. the
    // resource being replaced after an upgrade). Failing there would block the whole apply; cancelling
    // on a guess would be worse: do nothing, say so, and name the manual way.
    if (err instanceof EventFormatError && argv.length === 1 && argv[0] === 'delete') {
      log(`cdktf-oss-batch: not cancelling anything on destroy: ${err.message} Cancel a still-running job by hand with \`oss-batch jobs cancel <id>\` if needed.`);
      return;
    }
    throw err;
  }
  const { command, event, resultFile } = invocation;
  const partSize = manifestPartSize(env);
  const endpoint = chooseEndpoint(event, env);
  const deps = makeDeps(event, endpoint);
  if (endpoint.overridden) deps.log(`[${event.name}] endpoint ${endpoint.url} from ${ENV_ENDPOINT} (overrides the stack's ${event.connection.endpoint ?? 'default'})`);
  if (event.kind === 'batch-job') {
    if (command === 'create') await createBatchJob(event, resultFile, deps);
    else await deleteBatchJob(event, resultFile, deps);
  } else if (command === 'create') {
    await buildManifest(event, resultFile, deps, partSize);
  } else {
    deps.log(`[${event.name}] retained the manifest in oss://${event.identity.manifestBucket}/${event.identity.manifestPrefix} (the handler never deletes objects)`);
  }
}

/** OSS_BATCH_MANIFEST_PART_BYTES tunes the multipart part size (OSS minimum 100 KiB); tests use it to force multipart. */
export function manifestPartSize(env: NodeJS.ProcessEnv): number {
  const raw = env.OSS_BATCH_MANIFEST_PART_BYTES;
  if (!raw) return DEFAULT_PART_SIZE;
  const bytes = Number(raw);
  if (!/^\d+$/.test(raw) || bytes < 100 * 1024) throw new HandlerError(EXIT.USAGE, `OSS_BATCH_MANIFEST_PART_BYTES must be a whole number ≥ 102400, got "${raw}"`);
  return bytes;
}

export interface EndpointChoice {
  /** The URL to use, or undefined for the region's default endpoint. */
  readonly url?: string;
  /** True when ${ENV_ENDPOINT} replaced the stack's endpoint. */
  readonly overridden: boolean;
}

/**
 * `OSS_ENDPOINT` in Terraform's environment wins over the stack's `endpoint`: a runner inside a VPC
 * uses the internal endpoint without touching the stack (the endpoint is not identity, so the job
 * is the same). Checked like the prop, so a typo fails with the prop's message.
 */
export function chooseEndpoint(event: HandlerEvent, env: NodeJS.ProcessEnv): EndpointChoice {
  const fromEnv = env[ENV_ENDPOINT];
  if (!fromEnv) return { url: event.connection.endpoint, overridden: false };
  try {
    const url = new Checks(`${ENV_ENDPOINT} (environment)`, NOTHING_DEFERRED).endpoint(fromEnv);
    return { url, overridden: url !== event.connection.endpoint };
  } catch (err) {
    throw new HandlerError(EXIT.USAGE, (err as Error).message);
  }
}

function realDeps(event: HandlerEvent, endpoint: EndpointChoice): HandlerDeps {
  return { ...realJobDeps({ region: event.identity.region, endpoint: endpoint.url, pathStyle: event.connection.pathStyle }), log: (line) => console.log(line) };
}

/**
 * HandlerErrors carry their own code; everything else that escapes the lifecycle comes from
 * talking to OSS (OssError, OssNetworkError, OssResponseError, CredentialsError — their messages
 * carry the code and request id) and exits 4.
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
export async function main(argv: string[], env: NodeJS.ProcessEnv, stderr: (text: string) => void, makeDeps?: (event: HandlerEvent, endpoint: EndpointChoice) => HandlerDeps): Promise<number> {
  try {
    await run(argv, env, makeDeps);
    return EXIT.OK;
  } catch (err) {
    stderr(errorText(err));
    return exitCodeFor(err);
  }
}

if (require.main === module) {
  main(process.argv.slice(2), process.env, (text) => console.error(text)).then((code) => process.exit(code));
}
