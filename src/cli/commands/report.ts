/** `oss-batch report summary`: read a job's completion report (layout: docs/report-format.md). */
import { Command } from 'commander';
import { readReport, ReportError, ReportLocation } from '../../jobs/report';
import type { OssClient } from '../../oss/client';
import { DEFAULT_REPORT_PREFIX } from '../../shared/identity';
import { GlobalOptions, makeClient, printJson } from '../context';
import { CliError } from '../errors';
import { EXIT } from '../exit-codes';
import { reportSummaryText, summaryOf } from '../report-summary';
import { jobIdArgument, wholeNumber } from './wait';

/**
 * Where the report is: --bucket/--prefix when given; otherwise the job's own Report settings from
 * DescribeJob. A bucket without a prefix means the constructs' default prefix.
 */
export async function locateReport(client: OssClient, jobId: string, opts: { bucket?: string; prefix?: string }): Promise<ReportLocation> {
  if (opts.bucket !== undefined) return { bucket: opts.bucket, prefix: opts.prefix ?? DEFAULT_REPORT_PREFIX };
  const job = await client.describeJob(jobId);
  if (!job.report) throw new CliError(EXIT.OUTCOME, `job ${jobId} has no report settings in DescribeJob: give --bucket and --prefix`);
  if (!job.report.enabled) throw new CliError(EXIT.OUTCOME, `job ${jobId} was created with its completion report disabled: there is no report to read`);
  return { bucket: job.report.bucket, prefix: opts.prefix ?? job.report.prefix ?? '' };
}

export function reportCommand(): Command {
  const report = new Command('report')
    .description('read completion reports')
    .addHelpText('after', `
Example:
  oss-batch report summary --job <jobId>`);

  report.command('summary')
    .description("summarize a job's completion report: counts by status and error code, first failed objects")
    .requiredOption('--job <jobId>', 'job id', jobIdArgument)
    .option('--bucket <bucket>', "bucket the report was written to (default: the job's Report.Bucket from DescribeJob)")
    .option('--prefix <prefix>', `report prefix (default: the job's Report.Prefix; with --bucket: ${DEFAULT_REPORT_PREFIX})`)
    .option('--failures <n>', 'failed objects to list', wholeNumber('--failures', 0), 20)
    .addHelpText('after', `
Finds the report from the job's Report settings (DescribeJob) unless --bucket is given, then reads
<prefix>job-<jobId>/manifest.json and the result CSVs it names (docs/report-format.md); unknown
CSV columns are ignored, and without manifest.json every CSV in the job's folder is read.
--json prints the summary with the failed rows.

Examples:
  oss-batch report summary --job <jobId>
  oss-batch report summary --job <jobId> --bucket ops --prefix reports/
  oss-batch --json report summary --job <jobId> --failures 1000 | jq '.failures[].key'`)
    .action(async (opts: { bucket?: string; job: string; prefix?: string; failures: number }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const client = makeClient(g);
      const location = await locateReport(client, opts.job, opts);
      let reading;
      try {
        reading = await readReport(client, location, opts.job, { maxFailures: opts.failures });
      } catch (err) {
        if (!(err instanceof ReportError)) throw err;
        const check = err.kind === 'missing'
          ? `: check --bucket and --prefix (the job's Report settings: \`oss-batch jobs describe ${opts.job}\`), that the report is enabled and that the job has finished`
          : '';
        throw new CliError(EXIT.OUTCOME, `${err.message}${check}`);
      }
      const summary = summaryOf(reading);
      if (g.json) return printJson(summary);
      console.log(reportSummaryText(summary));
    });
  return report;
}
