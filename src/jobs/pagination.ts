/** Whole listings for the lifecycle and the CLI, on top of the client's page-by-page generators. */
import type { BatchApi, ObjectApi } from '../oss/api';
import { listAllJobs, listAllObjects } from '../oss/client';
import type { JobListEntry, ListJobsInput } from '../oss/model';

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
