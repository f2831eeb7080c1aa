/** Text that XML would normalize (carriage returns) comes back from the emulator as it was sent. */
import type { RunningEmulator } from '../../src/emulator';
import { clientFor, jobInput, start, stopAndClean } from './helpers';

describe('text fidelity', () => {
  let emulator: RunningEmulator | undefined;
  afterEach(async () => stopAndClean(emulator));

  test('a description and a tag value with \\r, \\r\\n and \\t round-trip through CreateJob and DescribeJob', async () => {
    emulator = await start();
    const client = clientFor(emulator);
    await client.createBucket('source');
    await client.createBucket('reports');
    const description = 'first\r\nsecond\rthird\n\tfourth & <fifth>';
    const tags = [{ key: 'note', value: 'a\rb' }];
    const { jobId } = await client.createJob(jobInput({ description, operation: { type: 'PutObjectTagging', tags } }));
    const job = await client.describeJob(jobId);
    expect(job.description).toBe(description);
    expect(job.operation).toEqual({ type: 'PutObjectTagging', tags });
  });
});
