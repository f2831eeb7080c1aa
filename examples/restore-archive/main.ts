/**
 * Restore archived objects under archive/ for 3 days. The job waits for the restore
 * requests to be accepted (OSS then thaws the objects in the background).
 *
 *   OSS_ENDPOINT=http://127.0.0.1:9000 npx tsx examples/restore-archive/main.ts
 */
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { BatchJob, BatchOperation, JobManifest, ManifestFromPrefix, ReportScope, RestoreTier } from '../../src';

const region = process.env.OSS_REGION ?? 'cn-hangzhou';
const endpoint = process.env.OSS_ENDPOINT;
const sourceBucket = process.env.EXAMPLE_SOURCE_BUCKET ?? 'demo-photos';
const opsBucket = process.env.EXAMPLE_OPS_BUCKET ?? 'demo-ops';
const roleArn = process.env.EXAMPLE_ROLE_ARN ?? 'acs:ram::1234567890123456:role/BatchRole';

const app = new App();
const stack = new TerraformStack(app, 'restore-archive');

const archived = new ManifestFromPrefix(stack, 'Archived', {
  region, endpoint, sourceBucket, prefix: 'archive/', manifestBucket: opsBucket,
  filter: { storageClasses: ['Archive', 'ColdArchive'] },
});

const job = new BatchJob(stack, 'Restore', {
  region, endpoint, roleArn, priority: 1,
  operation: BatchOperation.restoreObject({ days: 3, tier: RestoreTier.STANDARD }),
  manifest: JobManifest.fromManifestFromPrefix(archived),
  report: { bucket: opsBucket, prefix: 'reports/restore/', scope: ReportScope.FAILED_TASKS_ONLY },
});

new TerraformOutput(stack, 'JobId', { value: job.jobId });
new TerraformOutput(stack, 'TotalTasks', { value: job.totalTasks });

app.synth();
