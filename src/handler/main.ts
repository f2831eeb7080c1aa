/**
 * Entry point of the bundled handler: `node handler.js create|delete`, run by Terraform's
 * local-exec provisioners with OSS_BATCH_EVENT (the terraform_data input) and OSS_BATCH_RESULT.
 * Credentials come from the environment through the default credential chain, never the event.
 * Exit codes (docs/handler.md): 0 ok, 1 outcome, 2 usage, 3 timeout, 4 OSS/API.
 */
import { OssClient } from '../oss/client';
import { ENV_EVENT, ENV_RESULT_FILE, HANDLER_COMMANDS, HandlerCommand, HandlerEvent } from '../shared/contract';
import { createBatchJob, deleteBatchJob } from './batch-job';
import type { HandlerDeps } from './deps';
import { EXIT, HandlerError } from './errors';
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
    throw usageError((err as Error).message);
  }
  return { command, event, resultFile };
}

export async function run(argv: string[], env: NodeJS.ProcessEnv, makeDeps: (event: HandlerEvent) => HandlerDeps = realDeps): Promise<void> {
  const { command, event, resultFile } = parseInvocation(argv, env);
  const partSize = manifestPartSize(env);
  const deps = makeDeps(event);
  if (event.kind === 'batch-job') {
    if (command === 'create') await createBatchJob(event, resultFile, deps);
    else await deleteBatchJob(event, resultFile, deps);
  } else if (command === 'create') {
    await buildManifest(event, resultFile, deps, partSize);
  } else {
    deps.log(`[${event.name}] retained manifest oss://${event.manifestBucket}/${event.manifestKey} (the handler never deletes objects)`);
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

function realDeps(event: HandlerEvent): HandlerDeps {
  const connection = event.kind === 'batch-job' ? event.spec.connection : event.connection;
  const client = new OssClient({ region: connection.region, endpoint: connection.endpoint, pathStyle: connection.pathStyle });
  return {
    batch: client, objects: client,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => Date.now(),
    random: Math.random,
    log: (line) => console.log(line),
  };
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
export async function main(argv: string[], env: NodeJS.ProcessEnv, stderr: (text: string) => void, makeDeps?: (event: HandlerEvent) => HandlerDeps): Promise<number> {
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
