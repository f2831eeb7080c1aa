/**
 * `oss-batch`: operator CLI for OSS Batch Operations jobs, plus the local emulator.
 * Bundled by scripts/build.mjs to dist/cli/oss-batch.js; bin/oss-batch launches it.
 */
import { Command, CommanderError, Option } from 'commander';
import { emulatorCommand } from './commands/emulator';
import { jobsCommand } from './commands/jobs';
import { reportCommand } from './commands/report';
import { describeError, EXIT } from './errors';

export function buildProgram(): Command {
  const program = new Command('oss-batch')
    .description('Operate Alibaba Cloud OSS Batch Operations jobs, and run a local OSS emulator.\nCredentials come from ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET (/ ALIBABA_CLOUD_SECURITY_TOKEN), a profile or an ECS RAM role.')
    .addOption(new Option('--region <region>', 'region id (default: $OSS_REGION, $ALIBABA_CLOUD_REGION_ID or cn-hangzhou)'))
    .addOption(new Option('--endpoint <url>', 'OSS endpoint URL, e.g. http://127.0.0.1:9000 (default: $OSS_ENDPOINT or https://oss-<region>.aliyuncs.com)'))
    .option('--path-style', 'put the bucket in the URL path (default for IP/localhost endpoints)')
    .option('--json', 'print one JSON document on stdout instead of text')
    .option('--no-color', 'no colors in tables')
    .showHelpAfterError()
    .exitOverride();
  program.addCommand(jobsCommand());
  program.addCommand(reportCommand());
  program.addCommand(emulatorCommand());
  for (const cmd of program.commands) {
    cmd.exitOverride();
    for (const sub of cmd.commands) sub.exitOverride().showHelpAfterError();
  }
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version are "errors" with exit code 0 in commander's exitOverride mode.
      return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    const { message, exitCode } = describeError(err);
    process.stderr.write(`oss-batch: ${message}\n`);
    return exitCode;
  }
}
