/** `oss-batch report summary`: read a job's completion report (layout: docs/report-format.md). */
import { Command } from 'commander';
import { listAllObjects, OssClient } from '../../oss/client';
import { CsvFormatError, parseReportCsv, reportJobPrefix, reportManifestKey, ReportRow } from '../../oss/csv';
import { OssError } from '../../oss/errors';
import { GlobalOptions, makeClient, printJson } from '../context';
import { CliError } from '../errors';
import { EXIT } from '../exit-codes';
import { parseReportMeta, ReportFormatError, ReportMeta, reportSummaryText, summarizeReport } from '../report-summary';
import { jobIdArgument, wholeNumber } from './wait';

const isMissing = (err: unknown) => err instanceof OssError && (err.code === 'NoSuchKey' || (err.status === 404 && err.code !== 'NoSuchBucket'));

async function readText(client: OssClient, bucket: string, key: string): Promise<string> {
  return (await client.getObject(bucket, key)).body.toString('utf8');
}

/**
 * manifest.json when it is there; otherwise every CSV under the job's folder, so a report
 * written without our manifest still summarizes (counts then come from the rows).
 */
async function locateReport(client: OssClient, bucket: string, prefix: string, jobId: string): Promise<ReportMeta> {
  const manifestKey = reportManifestKey(prefix, jobId);
  try {
    return parseReportMeta(await readText(client, bucket, manifestKey), jobId, `oss://${bucket}/${manifestKey}`);
  } catch (err) {
    if (err instanceof ReportFormatError) throw new CliError(EXIT.OUTCOME, err.message);
    if (!isMissing(err)) throw err;
  }
  const folder = reportJobPrefix(prefix, jobId);
  const resultFiles: string[] = [];
  for await (const page of listAllObjects(client, bucket, { prefix: folder })) {
    resultFiles.push(...page.map((o) => o.key).filter((k) => k.toLowerCase().endsWith('.csv')));
  }
  if (resultFiles.length === 0) {
    // OSS uses the prefix verbatim, so "reports" and "reports/" are different places.
    const slash = prefix && !prefix.endsWith('/') ? ` (did you mean --prefix ${prefix}/ ?)` : '';
    throw new CliError(EXIT.OUTCOME, `no completion report at oss://${bucket}/${folder}${slash}: check --bucket and --prefix (the job's Report settings: \`oss-batch jobs describe ${jobId}\`), that the report is enabled and that the job has finished`);
  }
  return { jobId, resultFiles: resultFiles.sort() };
}

export function reportCommand(): Command {
  const report = new Command('report')
    .description('read completion reports')
    .addHelpText('after', `
Example:
  oss-batch report summary --bucket ops --prefix oss-batch-reports/ --job <jobId>`);

  report.command('summary')
    .description("summarize a job's completion report: counts by status and error code, first failed objects")
    .requiredOption('--bucket <bucket>', 'bucket the report was written to (the job\'s Report.Bucket)')
    .requiredOption('--job <jobId>', 'job id', jobIdArgument)
    .option('--prefix <prefix>', 'report prefix the job was created with (Report.Prefix)', '')
    .option('--failures <n>', 'failed objects to list', wholeNumber('--failures', 0), 20)
    .addHelpText('after', `
Reads <prefix>job-<jobId>/manifest.json and the result CSVs it names (docs/report-format.md);
unknown CSV columns are ignored. --json prints the summary with the failed rows.

Examples:
  oss-batch report summary --bucket ops --prefix oss-batch-reports/ --job <jobId>
  oss-batch --json report summary --bucket ops --job <jobId> --failures 1000 | jq '.failures[].key'`)
    .action(async (opts: { bucket: string; job: string; prefix: string; failures: number }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const client = makeClient(g);
      const meta = await locateReport(client, opts.bucket, opts.prefix, opts.job);
      const rows: ReportRow[] = [];
      for (const file of meta.resultFiles) {
        try {
          rows.push(...parseReportCsv(await readText(client, opts.bucket, file)));
        } catch (err) {
          if (isMissing(err)) throw new CliError(EXIT.OUTCOME, `the report names oss://${opts.bucket}/${file}, which does not exist: the report is incomplete`);
          if (err instanceof CsvFormatError) throw new CliError(EXIT.OUTCOME, `oss://${opts.bucket}/${file}: ${err.message}`);
          throw err;
        }
      }
      const summary = summarizeReport(meta, rows, opts.failures);
      if (g.json) return printJson(summary);
      console.log(reportSummaryText(summary));
    });
  return report;
}
