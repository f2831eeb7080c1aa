/** Jobs whose manifest is a bucket inventory run (format OSS_InventoryReport_CSV_20250611). */
import type { RunningEmulator } from '../../src/emulator';
import { encodeInventory } from '../../src/oss/inventory';
import { MANIFEST_FORMAT_INVENTORY } from '../../src/oss/model';
import { clientFor, jobInput, start, stopAndClean, waitForStatus } from './helpers';

describe('inventory manifests', () => {
  let emulator: RunningEmulator | undefined;
  afterEach(async () => stopAndClean(emulator));

  async function setUp(keys: string[], versions = false) {
    emulator = await start();
    const client = clientFor(emulator);
    for (const bucket of ['source', 'inv', 'reports']) await client.createBucket(bucket);
    const objects = [];
    for (const key of keys) {
      const put = await client.putObject('source', key, 'b');
      objects.push({ key, size: 1, ...(versions ? { versionId: put.versionId ?? 'null' } : {}) });
    }
    const inventory = encodeInventory({ sourceBucket: 'source', destinationBucket: 'inv', prefix: '', inventoryId: 'all', runTime: new Date(0), objects, linesPerFile: 2 });
    const etags: string[] = [];
    for (const file of inventory.files) etags.push((await client.putObject('inv', file.key, file.body)).etag);
    const manifest = { location: { bucket: 'inv', object: inventory.manifestKey, etag: etags[etags.length - 1] }, spec: { format: MANIFEST_FORMAT_INVENTORY } };
    return { client, inventory, manifest };
  }

  test('every object of every data file is a task', async () => {
    const keys = ['a', 'b/c d', 'e,"f"', 'g'];
    const { client, manifest } = await setUp(keys);
    const { jobId } = await client.createJob(jobInput({ keyPrefixManifestGenerator: undefined, manifest }));
    const job = await waitForStatus(client, jobId, ['Complete', 'Failed']);
    expect(job.status).toBe('Complete');
    expect(job.progressSummary).toMatchObject({ totalNumberOfTasks: 4, numberOfTasksSucceeded: 4, numberOfTasksFailed: 0 });
    for (const key of keys) expect(await client.getObjectTagging('source', key)).toEqual([{ key: 'batch', value: 'done' }]);
  });

  test('a data file that is gone fails the job with the reason, never Complete with nothing done', async () => {
    const { client, inventory, manifest } = await setUp(['a', 'b', 'c']);
    await client.deleteObject('inv', inventory.files[1].key);
    const { jobId } = await client.createJob(jobInput({ keyPrefixManifestGenerator: undefined, manifest }));
    const job = await waitForStatus(client, jobId, ['Complete', 'Failed']);
    expect(job.status).toBe('Failed');
    expect(job.failureReasons?.[0]?.failureReason).toMatch(/the manifest could not be read/);
  });

  test('a manifest.json that is not an inventory fails the job naming the problem', async () => {
    const { client, manifest } = await setUp(['a']);
    const put = await client.putObject('inv', 'bad/manifest.json', '{"fileSchema":"Size","files":[]}');
    const { jobId } = await client.createJob(jobInput({
      keyPrefixManifestGenerator: undefined, manifest: { ...manifest, location: { bucket: 'inv', object: 'bad/manifest.json', etag: put.etag } },
    }));
    const job = await waitForStatus(client, jobId, ['Complete', 'Failed']);
    expect(job.status).toBe('Failed');
    expect(job.failureReasons?.[0]?.failureReason).toMatch(/fileSchema "Size" lacks Bucket or Key/);
  });
});
