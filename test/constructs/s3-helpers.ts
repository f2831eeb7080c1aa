/** Shared helpers of the S3 construct tests: default props, tokens, and the handler's view of an event. */
import { App, TerraformStack } from 'cdktf';
import { S3BatchJob, S3BatchJobProps, S3BatchOperation, S3JobManifest } from '../../src';
import { parseS3Event } from '../../src/handler/s3/event';
import { s3JobToken } from '../../src/shared/token';
// helpers builds the handler bundles (OSS and S3) when they are missing.
import { resolveLikeTerraform, resourceOf } from './helpers';

export const S3_ROLE = 'arn:aws:iam::123456789012:role/BatchRole';

export const s3Base = (overrides: Partial<S3BatchJobProps> = {}): S3BatchJobProps => ({
  region: 'us-east-1', accountId: '123456789012', roleArn: S3_ROLE, priority: 10,
  operation: S3BatchOperation.putObjectTagging({ env: 'prod' }),
  manifest: S3JobManifest.fromGenerator({ sourceBucket: 'photos', prefix: 'raw/' }),
  report: { bucket: 'ops' }, ...overrides,
});

/** A fresh stack per call, so tokens of different props can be compared. */
export function s3TokenOf(props: S3BatchJobProps): string {
  return new S3BatchJob(new TerraformStack(new App(), 's'), 'J', props).clientRequestToken;
}

/** What the S3 handler does with the event it receives: check and normalize it again, then hash the identity. */
export function handlerS3Token(eventText: string): string {
  const event = parseS3Event(eventText);
  if (event.kind !== 's3-batch-job') throw new Error(`expected an s3-batch-job event, got ${event.kind}`);
  return s3JobToken(event.identity);
}

/** The token the handler computes for the job `J` of `json` once Terraform resolved `values`. */
export function applyTimeS3Token(json: Record<string, any>, values: Record<string, unknown>): string {
  return handlerS3Token(resolveLikeTerraform(resourceOf(json, 'J', 'job')[1].input, values));
}
