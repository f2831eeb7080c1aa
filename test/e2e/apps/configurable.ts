/**
 * A test app whose BatchJob is configured by the OSS_BATCH_E2E environment variable (JSON),
 * so one end-to-end test can re-synthesize the same stack with a changed spec.
 */
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import {
  BatchJob, BatchJobProps, BatchOperation, DeletionBehavior, JobManifest, ManifestFromPrefix,
} from '../../../src';

export interface E2eConfig {
  stack: string;
  endpoint: string;
  region: string;
  sourceBucket: string;
  prefix: string;
  opsBucket: string;
  tags: Record<string, string>;
  manifest: 'prefix' | 'csv' | 'keyPrefix';
  csvKey?: string;
  waitForCompletion?: boolean;
  maxFailedTasks?: number;
  timeoutSeconds?: number;
  cancelOnDelete?: boolean;
}

const config = JSON.parse(process.env.OSS_BATCH_E2E ?? '{}') as E2eConfig;
const app = new App();
const stack = new TerraformStack(app, config.stack);
const connection = { region: config.region, endpoint: config.endpoint };

function manifest(): JobManifest {
  switch (config.manifest) {
    case 'csv':
      return JobManifest.fromCsv({ bucket: config.opsBucket, key: config.csvKey ?? 'manifest.csv' });
    case 'keyPrefix':
      return JobManifest.fromKeyPrefix({ sourceBucket: config.sourceBucket, prefix: config.prefix });
    default: {
      const fromPrefix = new ManifestFromPrefix(stack, 'Listing', {
        ...connection, sourceBucket: config.sourceBucket, prefix: config.prefix, manifestBucket: config.opsBucket,
      });
      new TerraformOutput(stack, 'ManifestObjectCount', { value: fromPrefix.objectCount });
      return JobManifest.fromManifestFromPrefix(fromPrefix);
    }
  }
}

const props: BatchJobProps = {
  ...connection,
  roleArn: 'acs:ram::1234567890123456:role/BatchRole',
  priority: 10,
  operation: BatchOperation.putObjectTagging(config.tags),
  manifest: manifest(),
  report: { bucket: config.opsBucket, prefix: 'reports/' },
  waitForCompletion: config.waitForCompletion,
  maxFailedTasks: config.maxFailedTasks,
  timeoutSeconds: config.timeoutSeconds,
  deletionBehavior: config.cancelOnDelete ? DeletionBehavior.CANCEL : DeletionBehavior.RETAIN,
};
const job = new BatchJob(stack, 'Job', props);
new TerraformOutput(stack, 'JobId', { value: job.jobId });
new TerraformOutput(stack, 'Status', { value: job.status });
new TerraformOutput(stack, 'TotalTasks', { value: job.totalTasks });
new TerraformOutput(stack, 'SucceededTasks', { value: job.succeededTasks });
new TerraformOutput(stack, 'FailedTasks', { value: job.failedTasks });
new TerraformOutput(stack, 'Token', { value: job.clientRequestToken });
app.synth();
