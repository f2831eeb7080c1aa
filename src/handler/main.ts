/**
 * Entry point of the bundled handler: `node handler.js create|delete`, run by Terraform's
 * local-exec provisioners with OSS_BATCH_EVENT (the terraform_data input) and OSS_BATCH_RESULT.
 * Credentials come from the environment through the default credential chain, never the event.
 */
import { OssClient } from '../oss/client';
import { CredentialsError } from '../oss/credentials';
import { OssError, OssNetworkError, OssResponseError } from '../oss/errors';
import { ENV_EVENT, ENV_RESULT_FILE, HANDLER_COMMANDS, HandlerCommand, HandlerEvent } from '../shared/contract';
import { createBatchJob, deleteBatchJob } from './batch-job';
import type { HandlerDeps } from './deps';
import { EXIT, HandlerError } from './errors';
import { buildManifest, DEFAULT_PART_SIZE } from './manifest-builder';

const USAGE = `usage: ${ENV_EVENT}='<event json>' ${ENV_RESULT_FILE}=<path> node handler.js <${HANDLER_COMMANDS.join('|')}>`;

export function parseInvocation(argv: string[], env: NodeJS.ProcessEnv): { command: HandlerCommand; event: HandlerEvent; resultFile: string } {
  const command = argv[0] as HandlerCommand;
  if (!HANDLER_COMMANDS.includes(command)) throw new HandlerError(EXIT.USAGE, `unknown command "${argv[0] ?? ''}"\n${USAGE}`);
  const raw = env[ENV_EVENT];
  if (!raw) throw new HandlerError(EXIT.USAGE, `${ENV_EVENT} is not set\n${USAGE}`);
  let event: HandlerEvent;
  try {
    event = JSON.parse(raw) as HandlerEvent;
  } catch (err) {
    throw new HandlerError(EXIT.USAGE, `${ENV_EVENT} is not valid JSON (${(err as Error).message})`);
  }
  if (event?.kind !== 'batch-job' && event?.kind !== 'manifest-from-prefix') throw new HandlerError(EXIT.USAGE, `${ENV_EVENT} has an unknown kind "${(event as { kind?: string })?.kind}"`);
  const resultFile = env[ENV_RESULT_FILE];
  if (!resultFile) throw new HandlerError(EXIT.USAGE, `${ENV_RESULT_FILE} is not set\n${USAGE}`);
  return { command, event, resultFile };
}

export async function run(argv: string[], env: NodeJS.ProcessEnv, makeDeps?: (event: HandlerEvent) => HandlerDeps): Promise<void> {
  const { command, event, resultFile } = parseInvocation(argv, env);
  const deps = makeDeps ? makeDeps(event) : realDeps(event);
  if (event.kind === 'batch-job') {
    if (command === 'create') await createBatchJob(event, resultFile, deps);
    else await deleteBatchJob(event, resultFile, deps);
  } else if (command === 'create') {
    await buildManifest(event, resultFile, deps, manifestPartSize(env));
  } else {
    deps.log(`[${event.name}] retained manifest oss://${event.manifestBucket}/${event.manifestKey}`);
  }
}

/** OSS_BATCH_MANIFEST_PART_BYTES tunes the multipart part size (OSS minimum 100 KiB); tests use it to force multipart. */
export function manifestPartSize(env: NodeJS.ProcessEnv): number {
  const raw = env.OSS_BATCH_MANIFEST_PART_BYTES;
  if (!raw) return DEFAULT_PART_SIZE;
  const bytes = Number(raw);
  if (!Number.isInteger(bytes) || bytes < 100 * 1024) throw new HandlerError(EXIT.USAGE, `OSS_BATCH_MANIFEST_PART_BYTES must be a whole number ≥ 102400, got "${raw}"`);
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

export function exitCodeFor(err: unknown): number {
  if (err instanceof HandlerError) return err.exitCode;
  if (err instanceof OssError || err instanceof OssNetworkError || err instanceof OssResponseError || err instanceof CredentialsError) return EXIT.API;
  return EXIT.API;
}

if (require.main === module) {
  run(process.argv.slice(2), process.env).then(
    () => process.exit(EXIT.OK),
    (err: Error) => {
      console.error(`cdktf-oss-batch: ${err.message}`);
      process.exit(exitCodeFor(err));
    },
  );
}
