/**
 * Entry point of the S3 handler bundle: `node s3-handler.js create|delete`, run by Terraform's
 * local-exec provisioners with OSS_BATCH_EVENT (an S3 event) and OSS_BATCH_RESULT. It talks to S3
 * and S3 Control through the AWS SDK with its default credential chain. The invocation (commands,
 * environment, exit codes: 0 ok, 1 outcome, 2 usage, 3 timeout, 4 AWS/API) is the OSS handler's
 * (../invocation.ts, docs/handler.md).
 */
import { ENV_S3_ENDPOINT, S3HandlerEvent } from '../../shared/contract';
import { EndpointChoice, exitCodeOf, HandlerSpec, Invocation, runInvocation, usageLine } from '../invocation';
import { makeClients, S3Connection } from './aws';
import { createS3BatchJob, deleteS3BatchJob, S3HandlerDeps } from './batch-job';
import { S3ControlJobs } from './control';
import { parseS3Event } from './event';
import { buildS3Manifest } from './manifest';
import { S3Objects } from './objects';

export const USAGE = usageLine('S3 event json', 's3-handler.js');

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

async function dispatch({ command, event, resultFile }: Invocation<S3HandlerEvent>, deps: S3HandlerDeps, partSize: number): Promise<void> {
  if (event.kind === 's3-batch-job') {
    if (command === 'create') await createS3BatchJob(event, resultFile, deps);
    else await deleteS3BatchJob(event, resultFile, deps);
  } else if (command === 'create') {
    await buildS3Manifest(event, resultFile, deps, partSize);
  } else {
    deps.log(`[${event.name}] retained the manifest in s3://${event.identity.manifestBucket}/${event.identity.manifestPrefix} (the handler never deletes objects)`);
  }
}

function spec(makeDeps: (event: S3HandlerEvent, connection: S3Connection) => S3HandlerDeps): HandlerSpec<S3HandlerEvent, S3HandlerDeps> {
  return {
    usage: USAGE, parseEvent: parseS3Event, endpointVariable: ENV_S3_ENDPOINT,
    manualCancel: '`aws s3control update-job-status --account-id <account> --job-id <id> --requested-job-status Cancelled`',
    // One endpoint serves both clients; the region is the identity's.
    makeDeps: (event: S3HandlerEvent, endpoint: EndpointChoice) =>
      makeDeps(event, { region: event.identity.region, endpoint: endpoint.url, pathStyle: event.connection.pathStyle }),
    dispatch,
  };
}

export async function run(
  argv: string[], env: NodeJS.ProcessEnv, makeDeps: (event: S3HandlerEvent, connection: S3Connection) => S3HandlerDeps = realS3Deps,
  log: (line: string) => void = (line) => console.log(line),
): Promise<void> {
  await runInvocation(argv, env, spec(makeDeps), log);
}

/** Run and map the outcome to an exit code; `stderr` receives the one error paragraph (AWS failures: exit 4, with the error code and request id). */
export async function main(argv: string[], env: NodeJS.ProcessEnv, stderr: (text: string) => void, makeDeps?: (event: S3HandlerEvent, connection: S3Connection) => S3HandlerDeps): Promise<number> {
  return exitCodeOf(() => run(argv, env, makeDeps), stderr);
}

if (require.main === module) {
  // The SDK warns on stderr about Node 20's end of support; the package supports Node ≥ 20, so that line would only be noise in Terraform's output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ||= 'true';
  main(process.argv.slice(2), process.env, (text) => console.error(text)).then((code) => process.exit(code));
}
