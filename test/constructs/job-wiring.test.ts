/** What BatchJob and S3BatchJob share in their wiring: the destroy step only for CANCEL, and one result file per stack, construct and workspace. */
import { TerraformStack } from 'cdktf';
import { BatchJob, DeletionBehavior, S3BatchJob } from '../../src';
import { base, resourceOf, synth } from './helpers';
import { s3Base } from './s3-helpers';

type MakeJob = (stack: TerraformStack, id: string, deletionBehavior?: DeletionBehavior) => unknown;
const JOBS: [string, MakeJob][] = [
  ['BatchJob', (stack, id, deletionBehavior) => new BatchJob(stack, id, base({ deletionBehavior }))],
  ['S3BatchJob', (stack, id, deletionBehavior) => new S3BatchJob(stack, id, s3Base({ deletionBehavior }))],
];

describe.each(JOBS)('%s', (_name, make) => {
  test('retained jobs have no destroy step (nothing to do); cancel adds it', () => {
    const json = synth((stack) => {
      make(stack, 'Keep');
      make(stack, 'Retain', DeletionBehavior.RETAIN);
      make(stack, 'Cancel', DeletionBehavior.CANCEL);
    });
    const steps = (prefix: string) => resourceOf(json, prefix, 'job')[1].provisioner.map((p: any) => p['local-exec'].when);
    expect(steps('Keep')).toEqual([undefined]);
    expect(steps('Retain')).toEqual([undefined]);
    expect(steps('Cancel')).toEqual([undefined, 'destroy']);
  });

  test('result files are per stack and per construct, and stable across synths', () => {
    const fileOf = (json: any, prefix: string) => resourceOf(json, prefix, 'job')[1].provisioner[0]['local-exec'].environment.OSS_BATCH_RESULT;
    const build = (stack: TerraformStack) => {
      make(stack, 'A');
      make(stack, 'B');
    };
    const first = synth(build, 'prod');
    expect(fileOf(first, 'A')).toMatch(/^\.oss-batch\/prod\/\$\{terraform\.workspace\}\/[0-9a-f]{42}\.json$/);
    expect(fileOf(first, 'A')).not.toBe(fileOf(first, 'B'));
    expect(fileOf(synth(build, 'prod'), 'A')).toBe(fileOf(first, 'A'));
  });
});
