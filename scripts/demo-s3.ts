/**
 * `npm run demo -- --s3`: the S3 backend's whole path on a machine with no AWS account. Starts the
 * emulator (temp data dir; its S3 APIs serve us-east-1), loads sample objects with the AWS SDK, synthesizes
 * the s3-tag-generator example, runs real `terraform init` + `apply` (the S3 handler talks to the
 * emulator's S3 and S3 Control APIs through the AWS SDK), prints the JobId, status and counts,
 * shows the tags, and checks that a second plan starts nothing.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectTaggingCommand } from '@aws-sdk/client-s3';
import { ListJobsCommand } from '@aws-sdk/client-s3-control';
import { S3_ACCOUNT_ID, S3_SEED, S3_SOURCE_BUCKET, s3Clients, seedS3ExampleData } from '../examples/s3-seed';
import { startEmulator } from '../src/emulator';
import { DemoRunner } from './demo-runner';

const EXAMPLE = 's3-tag-generator';

export async function s3Demo(demo: DemoRunner): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'oss-batch-demo-s3-'));
  const emulator = await startEmulator({ dataDir: join(work, 'emulator-data'), log: () => undefined });
  const region = emulator.s3Region;
  // S3 Control clients put the account id in front of the host, so the endpoint is a name, not an IP.
  const endpoint = `http://localhost:${emulator.port}`;
  console.log(`Emulator (S3 + S3 Control, region ${region}) listening on ${endpoint} (data in ${emulator.dataDir})`);
  const credentials = { accessKeyId: emulator.credentials.accessKeyId, secretAccessKey: emulator.credentials.accessKeySecret };
  const { s3, control } = s3Clients({ endpoint, region, credentials });
  try {
    await seedS3ExampleData(s3);
    console.log(`Loaded ${S3_SEED.raw} objects under s3://${S3_SOURCE_BUCKET}/raw/ with the AWS SDK`);
    const env = demo.environment({
      AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey, AWS_REGION: region,
      AWS_EC2_METADATA_DISABLED: 'true', S3_ENDPOINT: endpoint, EXAMPLE_ACCOUNT_ID: S3_ACCOUNT_ID,
    });
    const value = await demo.deploy(EXAMPLE, work, env);
    console.log('\n=== Result');
    console.log(`JobId:           ${value('JobId')}`);
    console.log(`JobArn:          ${value('JobArn')}`);
    console.log(`Status:          ${value('Status')}`);
    console.log(`Tasks:           ${value('SucceededTasks')} succeeded, ${value('FailedTasks')} failed, ${value('TotalTasks')} total`);
    console.log(`Report:          ${value('ReportLocation')}`);
    for (const key of ['raw/IMG 0000.jpg', `raw/IMG ${String(S3_SEED.raw - 1).padStart(4, '0')}.jpg`]) {
      const { TagSet } = await s3.send(new GetObjectTaggingCommand({ Bucket: S3_SOURCE_BUCKET, Key: key }));
      console.log(`Tags on ${key}: ${(TagSet ?? []).map((t) => `${t.Key}=${t.Value}`).join(', ') || '(none)'}`);
    }
    await demo.planShowsNoChanges(env);
    const jobs = await control.send(new ListJobsCommand({ AccountId: S3_ACCOUNT_ID }));
    console.log(`S3 jobs in the emulator: ${(jobs.Jobs ?? []).length}`);
  } finally {
    s3.destroy();
    control.destroy();
    await emulator.stop();
    console.log('Emulator stopped.');
  }
}
