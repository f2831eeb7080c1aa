/**
 * `oss-batch`: operator CLI for OSS Batch Operations jobs, plus the local emulator.
 * Bundled by scripts/build.mjs (entry src/cli/bin.ts) to dist/cli/oss-batch.js; bin/oss-batch launches it.
 * During development `npx tsx src/cli/main.ts …` runs it from source (see the end of this file).
 */
import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { version } from '../../package.json';
import { emulatorCommand } from './commands/emulator';
import { jobsCommand } from './commands/jobs';
import { reportCommand } from './commands/report';
import { printJson } from './context';
import { describeError } from './errors';
import { EXIT } from './exit-codes';

export function buildProgram(onServing: () => void = () => undefined): Command {
  const program = new Command('oss-batch')
    .description('Operate Alibaba Cloud OSS Batch Operations jobs, and run a local OSS emulator.')
    .addOption(new Option('--region <region>', 'region id (default: $OSS_REGION, $ALIBABA_CLOUD_REGION_ID or cn-hangzhou)'))
    .addOption(new Option('--endpoint <url>', 'OSS endpoint URL, e.g. http://127.0.0.1:9000 (default: $OSS_ENDPOINT or https://oss-<region>.aliyuncs.com)'))
    .option('--path-style', 'put the bucket in the URL path (automatic for IP and localhost endpoints)')
    .option('--json', 'machine output: one JSON document on stdout, nothing else (errors too)')
    .option('--no-color', 'no colors (also when NO_COLOR is set or the output is not a terminal)')
    .version(version, '--version', 'print the version of oss-batch')
    .addHelpText('after', `
Credentials come only from the Alibaba Cloud default chain: ALIBABA_CLOUD_ACCESS_KEY_ID,
ALIBABA_CLOUD_ACCESS_KEY_SECRET (and ALIBABA_CLOUD_SECURITY_TOKEN), a profile, or an ECS RAM role.
Global options may appear anywhere on the command line.

Exit codes: 0 success; 1 job Failed/Cancelled/too many failed tasks (or no report); 2 usage;
3 timeout; 4 OSS, network or credential error.

Examples:
  oss-batch jobs list --status Active,Suspended
  oss-batch --region cn-shanghai jobs wait <jobId> --max-failed-tasks 10
  oss-batch report summary --job <jobId>
  oss-batch emulator --port 9000`);
  program.addCommand(jobsCommand());
  program.addCommand(reportCommand());
  program.addCommand(emulatorCommand(onServing));
  // Commander exits on usage errors by default; override everywhere so main() picks the exit code.
  const all = (cmd: Command): Command[] => [cmd, ...cmd.commands.flatMap(all)];
  for (const cmd of all(program)) cmd.exitOverride().showHelpAfterError();
  return program;
}

/** Run the CLI. Resolves to the exit code, or to 'serving' while the emulator keeps running. */
export async function main(argv: string[]): Promise<number | 'serving'> {
  let serving = false;
  const program = buildProgram(() => { serving = true; });
  try {
    await program.parseAsync(argv, { from: 'user' });
    if (serving) return 'serving';
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (err) {
    const report = describeError(err);
    // --help and --version surface as "errors" with exit code 0 under exitOverride; commander printed them.
    if (report.exitCode === EXIT.OK) return EXIT.OK;
    // --json is read from the parsed options when parsing got that far, else from the raw arguments.
    const json = program.opts().json === true || argv.includes('--json');
    if (json) printJson(report.document);
    // Commander already printed its usage errors (with the command's help) to stderr.
    if (!(err instanceof CommanderError)) process.stderr.write(`oss-batch: ${report.message}\n`);
    return report.exitCode;
  }
}

/** Run the CLI and exit with its code; while the emulator serves, the process lives until a signal. */
export function runAndExit(argv: string[]): void {
  endQuietlyOnClosedPipe();
  main(argv).then((result) => {
    if (result !== 'serving') exitWhenFlushed(result);
  });
}

/**
 * Exit once stdout and stderr have written everything. An explicit exit keeps pooled keep-alive
 * sockets from holding the process open, but process.exit() drops what a pipe has not taken yet
 * (a pipe holds 64 KiB): each stream's callback for an empty write runs after all earlier data.
 */
export function exitWhenFlushed(code: number, streams: NodeJS.WritableStream[] = [process.stdout, process.stderr], exit: (code: number) => void = process.exit): void {
  process.exitCode = code;
  let pending = streams.length;
  const done = () => { if (--pending === 0) exit(code); };
  for (const stream of streams) stream.write('', done);
}

/** A reader that stops early (`oss-batch … | head -1`) is not an error: end without a stack trace. */
function endQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      process.exit(typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK);
    });
  }
}

/*
 * Run from source (`npx tsx src/cli/main.ts …`). `require.main === module` cannot tell: in the
 * bundle this file shares the bundle's `module`, and bin.ts already runs the CLI there. Only the
 * TypeScript source has a .ts file name, so the check is by name.
 */
if (__filename.endsWith('.ts') && process.argv[1] !== undefined && resolve(process.argv[1]) === __filename) {
  runAndExit(process.argv.slice(2));
}
