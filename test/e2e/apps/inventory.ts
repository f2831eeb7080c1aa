/** A BatchJob over a bucket inventory run (JobManifest.fromInventoryReport); config from OSS_BATCH_INVENTORY (JSON). */
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { BatchJob, BatchOperation, JobManifest } from '../../../src';

const config = JSON.parse(process.env.OSS_BATCH_INVENTORY ?? '{}') as { endpoint: string; region: string; manifestKey: string; etag: string };
const app = new App();
const stack = new TerraformStack(app, 'inventory');
const job = new BatchJob(stack, 'Tag', {
  region: config.region, endpoint: config.endpoint,
  roleArn: 'acs:ram::1234567890123456:role/BatchRole', priority: 1,
  operation: BatchOperation.putObjectTagging({ inventoried: 'yes' }),
  manifest: JobManifest.fromInventoryReport({ bucket: 'inv-dest', manifestKey: config.manifestKey, etag: config.etag }),
  report: { bucket: 'inv-dest' },
});
new TerraformOutput(stack, 'JobId', { value: job.jobId });
new TerraformOutput(stack, 'TotalTasks', { value: job.totalTasks });
new TerraformOutput(stack, 'Token', { value: job.clientRequestToken });
app.synth();
