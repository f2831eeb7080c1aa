/** `oss-batch emulator`: run the local OSS until SIGINT/SIGTERM. */
import { Command, InvalidArgumentError } from 'commander';
import { EMULATOR_ACCESS_KEY_ID, EMULATOR_ACCESS_KEY_SECRET, EMULATOR_REGION, startEmulator } from '../../emulator';

const whole = (name: string) => (v: string) => {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError(`${name} must be a whole number`);
  return Number(v);
};

export function emulatorCommand(): Command {
  return new Command('emulator')
    .description('run a local OSS (object + batch APIs, V4 signature check, job engine) for demos and tests')
    .option('--port <port>', 'port; 0 picks a free one', whole('--port'), 0)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--data-dir <dir>', 'state directory, kept across restarts (default: a new temp directory)')
    .option('--access-key-id <id>', 'accepted access key id', EMULATOR_ACCESS_KEY_ID)
    .option('--access-key-secret <secret>', 'accepted access key secret', EMULATOR_ACCESS_KEY_SECRET)
    .option('--region <region>', 'region the emulator serves', EMULATOR_REGION)
    .option('--tasks-per-second <n>', 'job speed; 0 = as fast as possible', whole('--tasks-per-second'), 0)
    .option('--faults <spec>', 'inject faults, e.g. "503:0.1,reset:0.05,latency:10-50ms,apis:CreateJob|DescribeJob" (grammar: docs/emulator.md)')
    .option('--seed <n>', 'seed of the fault PRNG', whole('--seed'), 1)
    .option('--quiet', 'do not log requests to stderr')
    .addHelpText('after', `
Prints exactly one line to stdout: "OSS emulator listening on http://HOST:PORT", then logs requests to stderr.
Point clients at it with the default credentials:
  export ALIBABA_CLOUD_ACCESS_KEY_ID=${EMULATOR_ACCESS_KEY_ID}
  export ALIBABA_CLOUD_ACCESS_KEY_SECRET=${EMULATOR_ACCESS_KEY_SECRET}
  export OSS_ENDPOINT=http://127.0.0.1:<port>
Example:
  oss-batch emulator --port 9000 --data-dir .emulator --tasks-per-second 50`)
    .action(async (opts: {
      port: number; host: string; dataDir?: string; accessKeyId: string; accessKeySecret: string; region: string;
      tasksPerSecond: number; faults?: string; seed: number; quiet?: boolean;
    }) => {
      const emulator = await startEmulator({
        port: opts.port, host: opts.host, dataDir: opts.dataDir, accessKeyId: opts.accessKeyId, accessKeySecret: opts.accessKeySecret,
        region: opts.region, tasksPerSecond: opts.tasksPerSecond, faults: opts.faults, seed: opts.seed,
        log: opts.quiet ? undefined : (line) => process.stderr.write(`${line}\n`),
      });
      const stop = () => {
        emulator.stop().then(() => process.exit(0), () => process.exit(1));
      };
      // Handlers first: a reader may send SIGTERM the moment the line arrives (stdout pipes write synchronously).
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      process.stdout.write(`OSS emulator listening on ${emulator.endpoint}\n`);
    });
}
