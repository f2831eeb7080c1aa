/**
 * Entry point of the bundled handler: `node handler.js create|delete`, run by Terraform's
 * local-exec provisioners with OSS_BATCH_EVENT (the terraform_data input) and OSS_BATCH_RESULT.
 * Credentials come from the environment through the default credential chain, never the event.
 * Exit codes (docs/handler.md): 0 ok, 1 outcome, 2 usage, 3 timeout, 4 OSS/API. The invocation
 * itself (commands, environment, exit codes) is shared with the S3 handler (./invocation.ts).
 */
import { realJobDeps } from '../jobs/deps';
import { ENV_ENDPOINT, HandlerEvent } from '../shared/contract';
import { createBatchJob, deleteBatchJob } from './batch-job';
import type { HandlerDeps } from './deps';
import { parseEvent } from './event';
import * as invocation from './invocation';
import type { EndpointChoice, HandlerSpec, Invocation } from './invocation';
import { buildManifest } from './manifest-builder';

export { errorText, exitCodeFor, manifestPartSize } from './invocation';
export type { EndpointChoice } from './invocation';

export const USAGE = invocation.usageLine('event json', 'handler.js');

export function parseInvocation(argv: string[], env: NodeJS.ProcessEnv): Invocation<HandlerEvent> {
  return invocation.parseInvocation(argv, env, USAGE, parseEvent);
}

/** `OSS_ENDPOINT` in Terraform's environment wins over the stack's `endpoint` (invocation.ts). */
export function chooseEndpoint(event: HandlerEvent, env: NodeJS.ProcessEnv): EndpointChoice {
  return invocation.chooseEndpoint(event, env, ENV_ENDPOINT);
}

async function dispatch({ command, event, resultFile }: Invocation<HandlerEvent>, deps: HandlerDeps, partSize: number): Promise<void> {
  if (event.kind === 'batch-job') {
    if (command === 'create') await createBatchJob(event, resultFile, deps);
    else await deleteBatchJob(event, resultFile, deps);
  } else if (command === 'create') {
    await buildManifest(event, resultFile, deps, partSize);
  } else {
    deps.log(`[${event.name}] retained the manifest in oss://${event.identity.manifestBucket}/${event.identity.manifestPrefix} (the handler never deletes objects)`);
  }
}

function spec(makeDeps: (event: HandlerEvent, endpoint: EndpointChoice) => HandlerDeps): HandlerSpec<HandlerEvent, HandlerDeps> {
  return { usage: USAGE, parseEvent, endpointVariable: ENV_ENDPOINT, manualCancel: '`oss-batch jobs cancel <id>`', makeDeps, dispatch };
}

export async function run(
  argv: string[], env: NodeJS.ProcessEnv, makeDeps: (event: HandlerEvent, endpoint: EndpointChoice) => HandlerDeps = realDeps,
  log: (line: string) => void = (line) => console.log(line),
): Promise<void> {
  await invocation.runInvocation(argv, env, spec(makeDeps), log);
}

function realDeps(event: HandlerEvent, endpoint: EndpointChoice): HandlerDeps {
  return { ...realJobDeps({ region: event.identity.region, endpoint: endpoint.url, pathStyle: event.connection.pathStyle }), log: (line) => console.log(line) };
}

/** Run and map the outcome to an exit code; `stderr` receives the one error paragraph. */
export async function main(argv: string[], env: NodeJS.ProcessEnv, stderr: (text: string) => void, makeDeps?: (event: HandlerEvent, endpoint: EndpointChoice) => HandlerDeps): Promise<number> {
  return invocation.exitCodeOf(() => run(argv, env, makeDeps), stderr);
}

if (require.main === module) {
  main(process.argv.slice(2), process.env, (text) => console.error(text)).then((code) => process.exit(code));
}
