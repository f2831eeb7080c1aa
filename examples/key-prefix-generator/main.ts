/**
 * Let OSS generate the manifest server-side from a prefix (KeyPrefixManifestGenerator) and
 * add a tag to every object under logs/, keeping the tags they already have.
 *
 *   OSS_ENDPOINT=http://127.0.0.1:9000 npx tsx examples/key-prefix-generator/main.ts
 */
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { BatchJob, BatchOperation, DeletionBehavior, JobManifest } from '../../src';

const region = process.env.OSS_REGION ?? 'cn-hangzhou';
const endpoint = process.env.OSS_ENDPOINT;
const sourceBucket = process.env.EXAMPLE_SOURCE_BUCKET ?? 'demo-photos';
const opsBucket = process.env.EXAMPLE_OPS_BUCKET ?? 'demo-ops';
const roleArn = process.env.EXAMPLE_ROLE_ARN ?? 'acs:ram::1234567890123456:role/BatchRole';

const app = new App();
const stack = new TerraformStack(app, 'key-prefix-generator');

const job = new BatchJob(stack, 'MarkLogs', {
  region, endpoint, roleArn, priority: 3,
  operation: BatchOperation.addObjectTagging({ retention: '90d' }),
  manifest: JobManifest.fromKeyPrefix({ sourceBucket, prefix: 'logs/' }),
  report: { bucket: opsBucket, prefix: 'reports/logs/' },
  deletionBehavior: DeletionBehavior.CANCEL,
});

new TerraformOutput(stack, 'JobId', { value: job.jobId });
new TerraformOutput(stack, 'TotalTasks', { value: job.totalTasks });

app.synth();
