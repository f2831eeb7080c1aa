/**
 * AWS S3 Batch Operations: copy every .log object under logs/ to a backup bucket in the
 * STANDARD_IA storage class. The manifest is built by listing the prefix at apply time
 * (S3ManifestFromPrefix: filters S3's generator does not have, and a CSV you can keep), then one
 * job copies the listed objects.
 *
 *   S3_ENDPOINT=http://localhost:9000 npx tsx examples/s3-copy-listing/main.ts
 */
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { S3BatchJob, S3BatchOperation, S3JobManifest, S3ManifestFromPrefix, S3StorageClass } from '../../src';

const region = process.env.AWS_REGION ?? 'us-east-1';
const endpoint = process.env.S3_ENDPOINT;
const accountId = process.env.EXAMPLE_ACCOUNT_ID ?? '123456789012';
const roleArn = process.env.EXAMPLE_ROLE_ARN ?? `arn:aws:iam::${accountId}:role/BatchRole`;
const sourceBucket = process.env.EXAMPLE_SOURCE_BUCKET ?? 'demo-s3-photos';
const opsBucket = process.env.EXAMPLE_OPS_BUCKET ?? 'demo-s3-ops';
const backupBucket = process.env.EXAMPLE_BACKUP_BUCKET ?? 'demo-s3-backup';

const app = new App();
const stack = new TerraformStack(app, 's3-copy-listing');

const logs = new S3ManifestFromPrefix(stack, 'Logs', {
  region, endpoint, sourceBucket, prefix: 'logs/', filter: { suffixes: ['.log'] }, manifestBucket: opsBucket,
});

const job = new S3BatchJob(stack, 'BackUpLogs', {
  region, endpoint, accountId, roleArn, priority: 5,
  operation: S3BatchOperation.putObjectCopy({ targetBucket: backupBucket, targetKeyPrefix: 'backup/', storageClass: S3StorageClass.STANDARD_IA }),
  manifest: S3JobManifest.fromManifestFromPrefix(logs),
  report: { bucket: opsBucket, prefix: 'reports' },
});

new TerraformOutput(stack, 'JobId', { value: job.jobId });
new TerraformOutput(stack, 'Status', { value: job.status });
new TerraformOutput(stack, 'TotalTasks', { value: job.totalTasks });
new TerraformOutput(stack, 'SucceededTasks', { value: job.succeededTasks });
new TerraformOutput(stack, 'FailedTasks', { value: job.failedTasks });
new TerraformOutput(stack, 'ManifestObjectCount', { value: logs.objectCount });
new TerraformOutput(stack, 'ManifestKey', { value: logs.key });

app.synth();
