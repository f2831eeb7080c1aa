/**
 * AWS S3 Batch Operations: tag every object under raw/ with env=prod. S3 lists the objects itself
 * when the job starts (S3JobManifestGenerator); the job writes a completion report to the ops bucket.
 *
 *   S3_ENDPOINT=http://localhost:9000 npx tsx examples/s3-tag-generator/main.ts
 * Without S3_ENDPOINT the stack targets real S3 in AWS_REGION (default us-east-1) with the account
 * and role in EXAMPLE_ACCOUNT_ID / EXAMPLE_ROLE_ARN.
 */
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { ReportScope, S3BatchJob, S3BatchOperation, S3JobManifest } from '../../src';

const region = process.env.AWS_REGION ?? 'us-east-1';
const accountId = process.env.EXAMPLE_ACCOUNT_ID ?? '123456789012';
const roleArn = process.env.EXAMPLE_ROLE_ARN ?? `arn:aws:iam::${accountId}:role/BatchRole`;
const sourceBucket = process.env.EXAMPLE_SOURCE_BUCKET ?? 'demo-s3-photos';
const opsBucket = process.env.EXAMPLE_OPS_BUCKET ?? 'demo-s3-ops';

const app = new App();
const stack = new TerraformStack(app, 's3-tag-generator');

const job = new S3BatchJob(stack, 'TagRaw', {
  region, accountId, roleArn, priority: 10,
  endpoint: process.env.S3_ENDPOINT,
  description: 'tag raw photos for the prod lifecycle rule',
  operation: S3BatchOperation.putObjectTagging({ env: 'prod' }),
  manifest: S3JobManifest.fromGenerator({ sourceBucket, prefix: 'raw/' }),
  report: { bucket: opsBucket, prefix: 'reports', scope: ReportScope.ALL_TASKS },
});

new TerraformOutput(stack, 'JobId', { value: job.jobId });
new TerraformOutput(stack, 'JobArn', { value: job.jobArn });
new TerraformOutput(stack, 'Status', { value: job.status });
new TerraformOutput(stack, 'TotalTasks', { value: job.totalTasks });
new TerraformOutput(stack, 'SucceededTasks', { value: job.succeededTasks });
new TerraformOutput(stack, 'FailedTasks', { value: job.failedTasks });
new TerraformOutput(stack, 'ReportLocation', { value: job.reportLocation });
new TerraformOutput(stack, 'ClientRequestToken', { value: job.clientRequestToken });

app.synth();
