/** Every example app, OSS and S3, deploys against the emulator with real Terraform. */
import { join } from 'node:path';
import { GetObjectTaggingCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ListJobsCommand } from '@aws-sdk/client-s3-control';
import { S3_ACCOUNT_ID, S3_BACKUP_BUCKET, S3_SEED, S3_SOURCE_BUCKET, s3Clients, seedS3ExampleData } from '../../examples/s3-seed';
import { DEFAULT_SEED, seedExampleData, SOURCE_BUCKET } from '../../examples/seed';
import { startEmulator } from '../../src/emulator';
import { OssClient } from '../../src/oss/client';
import { describeWithTerraform, synthApp, TerraformRunner, tmpWorkDir } from './terraform-harness';

const cases: { example: string; expectTasks: number; check?: (client: OssClient) => Promise<void> }[] = [
  {
    example: 'tag-prefix-manifest',
    expectTasks: DEFAULT_SEED.raw,
    check: async (client) => {
      expect(await client.getObjectTagging(SOURCE_BUCKET, 'raw/IMG_0007.jpg')).toEqual([{ key: 'env', value: 'prod' }]);
    },
  },
  {
    example: 'csv-manifest-acl',
    expectTasks: DEFAULT_SEED.docs,
    check: async (client) => {
      expect(await client.getObjectAcl(SOURCE_BUCKET, 'docs/shared report 2, v2.pdf')).toBe('private');
    },
  },
  {
    example: 'restore-archive',
    expectTasks: DEFAULT_SEED.archive,
    check: async (client) => {
      const head = await client.headObject(SOURCE_BUCKET, 'archive/2019/scan-0.tif');
      expect(head.restore).toMatch(/ongoing-request|expiry-date/);
    },
  },
  {
    example: 'key-prefix-generator',
    expectTasks: DEFAULT_SEED.logs,
    check: async (client) => {
      expect(await client.getObjectTagging(SOURCE_BUCKET, 'logs/app-3.log')).toEqual([{ key: 'retention', value: '90d' }]);
    },
  },
];

describeWithTerraform('examples deploy against the emulator', () => {
  test.each(cases)('$example', async ({ example, expectTasks, check }) => {
    const work = tmpWorkDir(example);
    const emulator = await startEmulator({ dataDir: join(work, 'data'), log: () => undefined });
    try {
      const client = new OssClient({ region: emulator.region, endpoint: emulator.endpoint, credentials: emulator.credentials });
      await seedExampleData(client);
      const env = {
        ALIBABA_CLOUD_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: emulator.credentials.accessKeySecret,
        OSS_ENDPOINT: emulator.endpoint,
        OSS_REGION: emulator.region,
      };
      const tf = new TerraformRunner(synthApp(`examples/${example}/main.ts`, join(work, 'out'), env), env);
      await tf.init();
      await tf.apply();
      const out = await tf.outputs();
      expect(String(out.JobId)).toMatch(/^[A-Za-z0-9]{44}$/);
      expect(out.TotalTasks).toBe(expectTasks);
      await check?.(client);
      expect((await client.listJobs()).jobs).toHaveLength(1);
    } finally {
      await emulator.stop();
    }
  });
});

const s3Cases: { example: string; expectTasks: number; check: (s3: S3Client) => Promise<void> }[] = [
  {
    example: 's3-tag-generator',
    expectTasks: S3_SEED.raw,
    check: async (s3) => {
      const { TagSet } = await s3.send(new GetObjectTaggingCommand({ Bucket: S3_SOURCE_BUCKET, Key: 'raw/IMG 0007.jpg' }));
      expect(TagSet).toEqual([{ Key: 'env', Value: 'prod' }]);
    },
  },
  {
    example: 's3-copy-listing',
    expectTasks: S3_SEED.logs,
    check: async (s3) => {
      const copy = await s3.send(new HeadObjectCommand({ Bucket: S3_BACKUP_BUCKET, Key: 'backup/logs/app-3.log' }));
      expect(copy.StorageClass).toBe('STANDARD_IA');
    },
  },
];

describeWithTerraform('S3 examples deploy against the emulator', () => {
  test.each(s3Cases)('$example', async ({ example, expectTasks, check }) => {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    const work = tmpWorkDir(example);
    const emulator = await startEmulator({ dataDir: join(work, 'data'), log: () => undefined });
    const endpoint = `http://localhost:${emulator.port}`;
    const credentials = { accessKeyId: emulator.credentials.accessKeyId, secretAccessKey: emulator.credentials.accessKeySecret };
    const { s3, control } = s3Clients({ endpoint, region: emulator.s3Region, credentials });
    try {
      await seedS3ExampleData(s3);
      const env = {
        AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey, AWS_REGION: emulator.s3Region,
        AWS_EC2_METADATA_DISABLED: 'true', S3_ENDPOINT: endpoint, EXAMPLE_ACCOUNT_ID: S3_ACCOUNT_ID,
      };
      const tf = new TerraformRunner(synthApp(`examples/${example}/main.ts`, join(work, 'out'), env), env);
      await tf.init();
      await tf.apply();
      const out = await tf.outputs();
      expect(String(out.JobId)).toMatch(/^[0-9a-f-]{36}$/);
      expect(out).toMatchObject({ Status: 'Complete', TotalTasks: expectTasks, SucceededTasks: expectTasks });
      await check(s3);
      expect((await control.send(new ListJobsCommand({ AccountId: S3_ACCOUNT_ID }))).Jobs).toHaveLength(1);
    } finally {
      s3.destroy();
      control.destroy();
      await emulator.stop();
    }
  });
});
