/** `oss-batch report summary`: read a job's completion report (layout: docs/report-format.md). */
import { Command, InvalidArgumentError } from 'commander';
import { parseReportCsv, ReportManifest, reportManifestKey, ReportRow } from '../../oss/csv';
import { OssError } from '../../oss/errors';
import { GlobalOptions, makeClient, printJson } from '../context';
import { CliError, EXIT } from '../errors';
import { reportSummaryText, summarizeReport } from '../format';

export function reportCommand(): Command {
  const report = new Command('report').description('read completion reports');
  report.command('summary')
    .description("summarize a job's completion report: counts by status and error code, first failed objects")
    .requiredOption('--bucket <bucket>', 'report bucket')
    .requiredOption('--job <jobId>', 'job id')
    .option('--prefix <prefix>', 'report prefix the job was created with', '')
    .option('--failures <n>', 'failed objects to list', (v) => {
      if (!/^\d+$/.test(v)) throw new InvalidArgumentError('--failures must be a whole number');
      return Number(v);
    }, 20)
    .addHelpText('after', '\nExample:\n  oss-batch report summary --bucket ops --prefix oss-batch-reports/ --job <jobId>')
    .action(async (opts: { bucket: string; job: string; prefix: string; failures: number }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const client = makeClient(g);
      const manifestKey = reportManifestKey(opts.prefix, opts.job);
      let manifest: ReportManifest;
      try {
        manifest = JSON.parse((await client.getObject(opts.bucket, manifestKey)).body.toString('utf8')) as ReportManifest;
      } catch (err) {
        if (err instanceof OssError && (err.code === 'NoSuchKey' || err.status === 404)) {
          throw new CliError(EXIT.OUTCOME, `no completion report at oss://${opts.bucket}/${manifestKey}: check --bucket/--prefix (the job's Report settings) and that the job has finished`);
        }
        throw err;
      }
      const rows: ReportRow[] = [];
      for (const file of manifest.resultFiles ?? []) rows.push(...parseReportCsv((await client.getObject(opts.bucket, file)).body.toString('utf8')));
      const summary = summarizeReport(manifest, rows, opts.failures);
      if (g.json) return printJson(summary);
      console.log(reportSummaryText(summary));
    });
  return report;
}
