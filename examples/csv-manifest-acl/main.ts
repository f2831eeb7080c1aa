/**
 * Make the objects listed in an existing CSV manifest private. The manifest (lines
 * `bucket,<url-encoded key>`) is an object you maintain; its ETag pins the exact content.
 *
 *   OSS_ENDPOINT=http://127.0.0.1:9000 npx tsx examples/csv-manifest-acl/main.ts
 */
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { BatchJob, BatchOperation, JobManifest, ObjectAcl } from '../../src';

const region = process.env.OSS_REGION ?? 'cn-hangzhou';
const endpoint = process.env.OSS_ENDPOINT;
const opsBucket = process.env.EXAMPLE_OPS_BUCKET ?? 'demo-ops';
const roleArn = process.env.EXAMPLE_ROLE_ARN ?? 'acs:ram::1234567890123456:role/BatchRole';

const app = new App();
const stack = new TerraformStack(app, 'csv-manifest-acl');

const job = new BatchJob(stack, 'MakePrivate', {
  region, endpoint, roleArn, priority: 5,
  operation: BatchOperation.putObjectAcl(ObjectAcl.PRIVATE),
  manifest: JobManifest.fromCsv({ bucket: opsBucket, key: 'manifests/shared-docs.csv' }),
  report: { bucket: opsBucket, prefix: 'reports/acl/' },
});

new TerraformOutput(stack, 'JobId', { value: job.jobId });
new TerraformOutput(stack, 'TotalTasks', { value: job.totalTasks });
new TerraformOutput(stack, 'SucceededTasks', { value: job.succeededTasks });

app.synth();
