/**
 * Entry point of the S3 handler bundle: `node s3-handler.js create|delete`, run by Terraform's
 * local-exec provisioners with OSS_BATCH_EVENT (an S3 event) and OSS_BATCH_RESULT. It talks to S3
 * and S3 Control through the AWS SDK with its default credential chain. Exit codes as the OSS
 * handler's (docs/handler.md): 0 ok, 1 outcome, 2 usage, 3 timeout, 4 AWS/API.
 */
import { ENV_EVENT, ENV_RESULT_FILE, ENV_S3_ENDPOINT, HANDLER_COMMANDS, HandlerCommand, S3HandlerEvent } from '../../shared/contract';
import { Checks, NOTHING_DEFERRED } from '../../shared/validation';
import { EventFormatError, EXIT, HandlerError } from '../errors';
import { DEFAULT_PART_SIZE } from '../manifest-builder';
import { makeClients, S3Connection } from './aws';
import { createS3BatchJob, deleteS3BatchJob, S3HandlerDeps } from './batch-job';
import { S3ControlJobs } from './control';
import { parseS3Event } from './event';
import { buildS3Manifest } from './manifest';
import { S3Objects } from './objects';

export const USAGE = `usage: ${ENV_EVENT}='<S3 event json>' ${ENV_RESULT_FILE}=<path> node s3-handler.js <${HANDLER_COMMANDS.join('|')}>`;

export function parseInvocation(argv: string[], env: NodeJS.ProcessEnv): { command: HandlerCommand; event: S3HandlerEvent; resultFile: string } {
  const usageError = (problem: string) => new HandlerError(EXIT.USAGE, `${problem}\n${USAGE}`);
  const command = argv[0] as HandlerCommand;
  if (argv.length !== 1 || !HANDLER_COMMANDS.includes(command)) {
    throw usageError(argv.length === 0 ? 'no command given' : argv.length > 1 ? `expected one command, got "${argv.join(' ')}"` : `unknown command "${argv[0]}"`);
  }
  const raw = env[ENV_EVENT];
  if (!raw) throw usageError(`${ENV_EVENT} is not set`);
  const resultFile = env[ENV_RESULT_FILE];
  if (!resultFile) throw usageError(`${ENV_RESULT_FILE} is not set`);
  return { command, event: parseS3Event(raw), resultFile };
}

/**
 * `S3_ENDPOINT` in Terraform's environment wins over the stack's `endpoint` (the endpoint is not
 * identity, so the job is the same); checked like the prop.
 */
export function chooseS3Endpoint(event: S3HandlerEvent, env: NodeJS.ProcessEnv): { url?: string; overridden: boolean } {
  const fromEnv = env[ENV_S3_ENDPOINT];
  if (!fromEnv) return { url: event.connection.endpoint, overridden: false };
  try {
    const url = new Checks(`${ENV_S3_ENDPOINT} (environment)`, NOTHING_DEFERRED).endpoint(fromEnv);
    return { url, overridden: url !== event.connection.endpoint };
  } catch (err) {
    throw new HandlerError(EXIT.USAGE, (err as Error).message);
  }
}

/** OSS_BATCH_MANIFEST_PART_BYTES tunes the multipart part size, as for the OSS handler (S3's minimum part is 5 MiB; tests use less against the emulator). */
export function s3ManifestPartSize(env: NodeJS.ProcessEnv): number {
  const raw = env.OSS_BATCH_MANIFEST_PART_BYTES;
  if (!raw) return DEFAULT_PART_SIZE;
  if (!/^\d+$/.test(raw) || Number(raw) < 100 * 1024) throw new HandlerError(EXIT.USAGE, `OSS_BATCH_MANIFEST_PART_BYTES must be a whole number ≥ 102400, got "${raw}"`);
  return Number(raw);
}

export function realS3Deps(event: S3HandlerEvent, connection: S3Connection): S3HandlerDeps {
  const { s3, control } = makeClients(connection);
  // The manifest event has no account: S3 Control is not called for it.
  const accountId = event.kind === 's3-batch-job' ? event.identity.accountId : '';
  return {
    jobs: new S3ControlJobs(control, accountId), objects: new S3Objects(s3), connection,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)), now: () => Date.now(), random: Math.random,
    log: (line) => console.log(line),
  };
}

export async function run(
  argv: string[], env: NodeJS.ProcessEnv, makeDeps: (event: S3HandlerEvent, connection: S3Connection) => S3HandlerDeps = realS3Deps,
  log: (line: string) => void = (line) => console.log(line),
): Promise<void> {
  let invocation: ReturnType<typeof parseInvocation>;
  try {
    invocation = parseInvocation(argv, env);
  } catch (err) {
    // A destroy runs on the input stored in state, which another version may have written: cancelling on
    // a guess would be worse than doing nothing, and failing would block the whole apply.
    if (err instanceof EventFormatError && argv.length === 1 && argv[0] === 'delete') {
      log(`cdktf-oss-batch: not cancelling anything on destroy: ${err.message} Cancel a still-running job by hand with ` +
        '`aws s3control update-job-status --account-id <account> --job-id <id> --requested-job-status Cancelled` if needed.');
      return;
    }
    throw err;
  }
  const { command, event, resultFile } = invocation;
  const partSize = s3ManifestPartSize(env);
  const endpoint = chooseS3Endpoint(event, env);
  const connection: S3Connection = { region: event.identity.region, endpoint: endpoint.url, pathStyle: event.connection.pathStyle };
  const deps = makeDeps(event, connection);
  if (endpoint.overridden) deps.log(`[${event.name}] endpoint ${endpoint.url} from ${ENV_S3_ENDPOINT} (overrides the stack's ${event.connection.endpoint ?? 'default'})`);
  if (event.kind === 's3-batch-job') {
    if (command === 'create') await createS3BatchJob(event, resultFile, deps);
    else await deleteS3BatchJob(event, resultFile, deps);
  } else if (command === 'create') {
    await buildS3Manifest(event, resultFile, deps, partSize);
  } else {
    deps.log(`[${event.name}] retained the manifest in s3://${event.identity.manifestBucket}/${event.identity.manifestPrefix} (the handler never deletes objects)`);
  }
}

/** Run and map the outcome to an exit code; `stderr` receives the one error paragraph (AWS failures: exit 4, with the error code and request id). */
export async function main(argv: string[], env: NodeJS.ProcessEnv, stderr: (text: string) => void, makeDeps?: (event: S3HandlerEvent, connection: S3Connection) => S3HandlerDeps): Promise<number> {
  try {
    await run(argv, env, makeDeps);
    return EXIT.OK;
  } catch (err) {
    stderr(`cdktf-oss-batch: ${err instanceof Error ? err.message : String(err)}`);
    return err instanceof HandlerError ? err.exitCode : EXIT.API;
  }
}

if (require.main === module) {
  // The SDK warns on stderr about Node 20's end of support; the package supports Node ≥ 20, so that line would only be noise in Terraform's output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ||= 'true';
  main(process.argv.slice(2), process.env, (text) => console.error(text)).then((code) => process.exit(code));
}
