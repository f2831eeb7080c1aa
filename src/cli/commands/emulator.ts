/** `oss-batch emulator`: run the local OSS until SIGINT/SIGTERM. */
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  DataDirLockedError, DEFAULT_TASKS_PER_SECOND, EMULATOR_ACCESS_KEY_ID, EMULATOR_ACCESS_KEY_SECRET, EMULATOR_HOST, EMULATOR_S3_REGION, FixturesError, parseFaultSpec, startEmulator, StoreCorruptError,
} from '../../emulator';
import { GlobalOptions, resolveRegion } from '../context';
import { CliError } from '../errors';
import { EXIT } from '../exit-codes';
import { wholeNumber } from './wait';

function port(value: string): number {
  const n = wholeNumber('--port', 0)(value);
  if (n > 65535) throw new InvalidArgumentError(`--port must be 0-65535, got ${n}`);
  return n;
}

function faultSpec(value: string): string {
  try {
    parseFaultSpec(value); // checked here so a bad spec is a usage error; startEmulator parses it again
  } catch (err) {
    throw new InvalidArgumentError(`${(err as Error).message} (grammar: docs/emulator.md)`);
  }
  return value;
}

interface EmulatorCommandOptions {
  port: number; host: string; dataDir?: string; accessKeyId: string; accessKeySecret: string;
  tasksPerSecond: number; faults?: string; seed: number; quiet?: boolean; fixtures?: string; s3Region?: string;
}

/** Environment variables for the credentials: a secret on the command line is visible in `ps`. */
export const EMULATOR_ACCESS_KEY_ID_ENV = 'OSS_EMULATOR_ACCESS_KEY_ID';
export const EMULATOR_ACCESS_KEY_SECRET_ENV = 'OSS_EMULATOR_ACCESS_KEY_SECRET';

/** `onServing` tells the entry point not to exit when the action returns: the server runs on. */
export function emulatorCommand(onServing: () => void): Command {
  return new Command('emulator')
    .description('run a local OSS (object + batch APIs, V4 signature check, job engine), S3 and S3 Control for demos and tests')
    .option('--port <port>', 'port; 0 picks a free one', port, 0)
    .option('--host <host>', 'address to listen on', EMULATOR_HOST)
    .option('--data-dir <dir>', 'state directory, kept across restarts (default: a new temporary directory)')
    .addOption(new Option('--access-key-id <id>', 'the one access key id accepted').env(EMULATOR_ACCESS_KEY_ID_ENV).default(EMULATOR_ACCESS_KEY_ID))
    .addOption(new Option('--access-key-secret <secret>', `its secret (prefer $${EMULATOR_ACCESS_KEY_SECRET_ENV}: arguments show in ps)`).env(EMULATOR_ACCESS_KEY_SECRET_ENV).default(EMULATOR_ACCESS_KEY_SECRET))
    .option('--fixtures <dir>', 'load objects at start: each subfolder of <dir> is a bucket, each file under it an object (key = its path)')
    .option('--region <region>', 'region the emulator serves; signatures must use it (default: $OSS_REGION, $ALIBABA_CLOUD_REGION_ID or cn-hangzhou)')
    .option('--s3-region <region>', `region of the S3 and S3 Control APIs; S3 requests may be signed for it or for --region (default: ${EMULATOR_S3_REGION})`)
    .option('--tasks-per-second <n>', 'job speed; 0 = as fast as possible', wholeNumber('--tasks-per-second', 0), DEFAULT_TASKS_PER_SECOND)
    .option('--faults <spec>', 'inject faults, e.g. "503:0.1,reset:0.05,latency:10-50ms,apis:CreateJob|DescribeJob" (S3 APIs: S3:PutObject, S3Control:CreateJob, …)', faultSpec)
    .option('--seed <n>', 'seed of the fault PRNG (same seed, same faults)', wholeNumber('--seed', 0), 1)
    .option('--quiet', 'do not log requests to stderr')
    .addHelpText('after', `
Prints exactly one line to stdout, "OSS emulator listening on http://HOST:PORT", then logs one
line per request to stderr (with --json the line is {"endpoint": …, "region": …}). Stops
cleanly (exit 0) on SIGINT or SIGTERM. Exit 2 when it cannot start on the given options: port
in use, --data-dir held by another emulator or corrupt (the message names the file), bad
--fixtures folder.

Default credentials (the emulator's own, not real ones; change them with the options above):
  export ALIBABA_CLOUD_ACCESS_KEY_ID=${EMULATOR_ACCESS_KEY_ID}
  export ALIBABA_CLOUD_ACCESS_KEY_SECRET=${EMULATOR_ACCESS_KEY_SECRET}
  export OSS_ENDPOINT=http://127.0.0.1:<port>
The same keys sign AWS requests (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY) to the S3 and S3
Control APIs on the same port; use S3_ENDPOINT=http://localhost:<port> (S3 Control clients send
to <account id>.localhost: see the README's S3 section).

Examples:
  oss-batch emulator --port 9000 --data-dir .emulator
  oss-batch emulator --fixtures ./fixtures      # ./fixtures/photos/a.jpg → oss://photos/a.jpg
  oss-batch emulator --tasks-per-second 50 --faults "503:0.1" --seed 7`)
    .action(async (opts: EmulatorCommandOptions, cmd: Command) => {
      // --region is a global option too: commander hands it to the program wherever it appears.
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const region = resolveRegion(g);
      let emulator;
      try {
        emulator = await startEmulator({
          port: opts.port, host: opts.host, dataDir: opts.dataDir, accessKeyId: opts.accessKeyId, accessKeySecret: opts.accessKeySecret,
          region, s3Region: opts.s3Region, tasksPerSecond: opts.tasksPerSecond, faults: opts.faults, seed: opts.seed, fixtures: opts.fixtures,
          log: opts.quiet ? undefined : (line) => process.stderr.write(`${line}\n`),
        });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') throw new CliError(EXIT.USAGE, `${opts.host}:${opts.port} is already in use: pick another --port (0 picks a free one)`);
        if (code === 'EADDRNOTAVAIL' || code === 'EACCES') throw new CliError(EXIT.USAGE, `cannot listen on ${opts.host}:${opts.port} (${code}): check --host and --port`);
        if (err instanceof StoreCorruptError || err instanceof FixturesError || err instanceof DataDirLockedError) {
          throw new CliError(EXIT.USAGE, (err as Error).message);
        }
        throw err;
      }
      const running = emulator;
      const stop = () => {
        running.stop().then(() => process.exit(EXIT.OK), (err: Error) => {
          process.stderr.write(`oss-batch: the emulator did not stop cleanly: ${err.message}\n`);
          process.exit(EXIT.API);
        });
      };
      // Handlers first: a reader may send SIGTERM the moment the line arrives.
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      onServing();
      // Still one line with --json, so a reader can wait for the first newline either way.
      process.stdout.write(g.json ? `${JSON.stringify({ endpoint: running.endpoint, region, s3Region: running.s3Region })}\n` : `OSS emulator listening on ${running.endpoint}\n`);
    });
}
