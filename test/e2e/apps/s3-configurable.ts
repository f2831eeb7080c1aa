/**
 * A test app whose S3BatchJob is configured by the S3_BATCH_E2E environment variable (JSON), so one
 * end-to-end test can re-synthesize the same stack with a changed spec.
 */
import { App, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import { DeletionBehavior, S3BatchJob, S3BatchOperation, S3JobManifest, S3ManifestFromPrefix } from '../../../src';

export interface S3E2eConfig {
  stack: string;
  endpoint: string;
  region: string;
  accountId: string;
  sourceBucket: string;
  prefix: string;
  opsBucket: string;
  tags: Record<string, string>;
  manifest: 'generator' | 'listing' | 'csv';
  csvKey?: string;
  waitForCompletion?: boolean;
  maxFailedTasks?: number;
  cancelOnDelete?: boolean;
  /** Tag values and the account id as Terraform variables (defaults: the literal values) instead of literals. */
  asVariables?: boolean;
}

const config = JSON.parse(process.env.S3_BATCH_E2E ?? '{}') as S3E2eConfig;
const app = new App();
const stack = new TerraformStack(app, config.stack);
const connection = { region: config.region, endpoint: config.endpoint };

function manifest(): S3JobManifest {
  switch (config.manifest) {
    case 'csv':
      return S3JobManifest.fromCsv({ bucket: config.opsBucket, key: config.csvKey ?? 'manifest.csv' });
    case 'listing': {
      const listing = new S3ManifestFromPrefix(stack, 'Listing', {
        ...connection, sourceBucket: config.sourceBucket, prefix: config.prefix, manifestBucket: config.opsBucket,
      });
      new TerraformOutput(stack, 'ManifestObjectCount', { value: listing.objectCount });
      return S3JobManifest.fromManifestFromPrefix(listing);
    }
    default:
      return S3JobManifest.fromGenerator({ sourceBucket: config.sourceBucket, prefix: config.prefix });
  }
}

function variable(name: string, value: string): string {
  return new TerraformVariable(stack, name, { type: 'string', default: value }).stringValue;
}
const tags = config.asVariables ? Object.fromEntries(Object.entries(config.tags).map(([k, v]) => [k, variable(`tag_${k}`, v)])) : config.tags;
const accountId = config.asVariables ? variable('account_id', config.accountId) : config.accountId;

const job = new S3BatchJob(stack, 'Job', {
  ...connection,
  accountId,
  roleArn: `arn:aws:iam::${accountId}:role/BatchRole`,
  priority: 10,
  operation: S3BatchOperation.putObjectTagging(tags),
  manifest: manifest(),
  report: { bucket: config.opsBucket, prefix: 'reports' },
  waitForCompletion: config.waitForCompletion,
  maxFailedTasks: config.maxFailedTasks,
  deletionBehavior: config.cancelOnDelete ? DeletionBehavior.CANCEL : DeletionBehavior.RETAIN,
});
new TerraformOutput(stack, 'JobId', { value: job.jobId });
new TerraformOutput(stack, 'JobArn', { value: job.jobArn });
new TerraformOutput(stack, 'Status', { value: job.status });
new TerraformOutput(stack, 'TotalTasks', { value: job.totalTasks });
new TerraformOutput(stack, 'SucceededTasks', { value: job.succeededTasks });
new TerraformOutput(stack, 'FailedTasks', { value: job.failedTasks });
new TerraformOutput(stack, 'ReportLocation', { value: job.reportLocation });
new TerraformOutput(stack, 'Token', { value: job.clientRequestToken });
app.synth();
