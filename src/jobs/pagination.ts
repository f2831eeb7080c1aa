/**
 * Listings over the BatchApi / ObjectApi interfaces, for the lifecycle and the CLI: page by page
 * (memory stays flat) or whole. They need no client, so code that only lists (the S3 handler's
 * shared parts among them) does not bundle the OSS client.
 */
import type { BatchApi, ObjectApi } from '../oss/api';
import type { JobListEntry, ListJobsInput, ListObjectsV2Input, ObjectSummary } from '../oss/model';

/** Every job, following NextToken. */
export async function* listAllJobs(api: BatchApi, input: ListJobsInput = {}): AsyncGenerator<JobListEntry> {
  let continuationToken = input.continuationToken;
  do {
    const page = await api.listJobs({ ...input, continuationToken });
    yield* page.jobs;
    continuationToken = page.nextToken;
  } while (continuationToken);
}

/** Every object under a prefix, page by page (memory stays flat). */
export async function* listAllObjects(api: ObjectApi, bucket: string, input: ListObjectsV2Input = {}): AsyncGenerator<ObjectSummary[]> {
  let continuationToken = input.continuationToken;
  do {
    const page = await api.listObjectsV2(bucket, { maxKeys: 1000, ...input, continuationToken });
    yield page.contents;
    continuationToken = page.isTruncated ? page.nextContinuationToken : undefined;
  } while (continuationToken);
}

/** Every object key under a prefix, following continuation tokens. */
export async function listKeys(objects: ObjectApi, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of listAllObjects(objects, bucket, { prefix })) keys.push(...page.map((o) => o.key));
  return keys;
}

/** Every job matching the input, following NextToken. */
export async function collectJobs(batch: BatchApi, input: ListJobsInput = {}): Promise<JobListEntry[]> {
  const jobs: JobListEntry[] = [];
  for await (const job of listAllJobs(batch, input)) jobs.push(job);
  return jobs;
}
