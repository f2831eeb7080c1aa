/**
 * Tag every object under photos/raw/ with env=prod: a manifest is built from a prefix
 * listing at apply time, then one batch job tags the listed objects and writes a report.
 *
 *   OSS_ENDPOINT=http://127.0.0.1:9000 npx tsx examples/tag-prefix-manifest/main.ts
 * Without OSS_ENDPOINT the stack targets real OSS in OSS_REGION (default cn-hangzhou).
 */
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { BatchJob, BatchOperation, JobManifest, ManifestFromPrefix, ReportScope } from '../../src';

const region = process.env.OSS_REGION ?? 'cn-hangzhou';
const endpoint = process.env.OSS_ENDPOINT;
const sourceBucket = process.env.EXAMPLE_SOURCE_BUCKET ?? 'demo-photos';
const opsBucket = process.env.EXAMPLE_OPS_BUCKET ?? 'demo-ops';
const roleArn = process.env.EXAMPLE_ROLE_ARN ?? 'acs:ram::1234567890123456:role/BatchRole';

const app = new App();
const stack = new TerraformStack(app, 'tag-prefix-manifest');

const manifest = new ManifestFromPrefix(stack, 'Raw', {
  region, endpoint, sourceBucket, prefix: 'raw/', manifestBucket: opsBucket,
});

const job = new BatchJob(stack, 'TagRaw', {
  region, endpoint, roleArn, priority: 10,
  description: 'tag raw photos for the prod lifecycle rule',
  operation: BatchOperation.putObjectTagging({ env: 'prod' }),
  manifest: JobManifest.fromManifestFromPrefix(manifest),
  report: { bucket: opsBucket, prefix: 'reports/', scope: ReportScope.ALL_TASKS },
});

new TerraformOutput(stack, 'JobId', { value: job.jobId });
new TerraformOutput(stack, 'Status', { value: job.status });
new TerraformOutput(stack, 'TotalTasks', { value: job.totalTasks });
new TerraformOutput(stack, 'SucceededTasks', { value: job.succeededTasks });
new TerraformOutput(stack, 'FailedTasks', { value: job.failedTasks });
new TerraformOutput(stack, 'ReportLocation', { value: job.reportLocation });
new TerraformOutput(stack, 'ManifestObjectCount', { value: manifest.objectCount });
new TerraformOutput(stack, 'ClientRequestToken', { value: job.clientRequestToken });

app.synth();
