/** Every example app deploys against the emulator with real Terraform. */
import { join } from 'node:path';
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
