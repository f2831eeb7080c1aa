/**
 * Boolean props given as Terraform references (`TerraformVariable.booleanValue` is an IResolvable,
 * not a string or number token) must be refused like any other token where a literal is required:
 * accepted, they would reach the handler as the text "<unresolved-token>" instead of a boolean, and
 * the ClientRequestToken would be the same whatever the variable's value.
 */
import { App, TerraformStack, TerraformVariable } from 'cdktf';
import { BatchJob, BatchJobProps, ManifestFromPrefix } from '../../src';
import { base, errorOf } from './helpers';

const boolVariable = (stack: TerraformStack) => new TerraformVariable(stack, 'flag', { type: 'bool' }).booleanValue as unknown as boolean;

describe('boolean props must be literals', () => {
  const cases: [string, (flag: boolean) => Partial<BatchJobProps>, RegExp][] = [
    ['confirmationRequired', (flag) => ({ confirmationRequired: flag }), /^v\/Job: confirmationRequired must be known at synth time/],
    ['report.enabled', (flag) => ({ report: { bucket: 'ops', enabled: flag } }), /^v\/Job: report.enabled must be known at synth time/],
    ['autoConfirm', (flag) => ({ confirmationRequired: true, autoConfirm: flag }), /^v\/Job: autoConfirm must be a literal value/],
    ['waitForCompletion', (flag) => ({ waitForCompletion: flag }), /^v\/Job: waitForCompletion must be a literal value/],
    ['pathStyle', (flag) => ({ pathStyle: flag }), /^v\/Job: pathStyle must be a literal value/],
  ];
  test.each(cases)('BatchJob %s', (_name, overrides, message) => {
    const stack = new TerraformStack(new App(), 'v');
    expect(errorOf(() => new BatchJob(stack, 'Job', base(overrides(boolVariable(stack)))))).toMatch(message);
  });

  test('ManifestFromPrefix includeVersionIds', () => {
    const stack = new TerraformStack(new App(), 'm');
    expect(errorOf(() => new ManifestFromPrefix(stack, 'M', {
      region: 'cn-hangzhou', sourceBucket: 'photos', manifestBucket: 'ops', includeVersionIds: boolVariable(stack),
    }))).toMatch(/^m\/M: includeVersionIds must be known at synth time/);
  });

  test('literal booleans are accepted', () => {
    const stack = new TerraformStack(new App(), 'v');
    expect(() => new BatchJob(stack, 'Job', base({
      confirmationRequired: true, autoConfirm: false, waitForCompletion: false, pathStyle: true, report: { bucket: 'ops', enabled: false },
    }))).not.toThrow();
    expect(() => new ManifestFromPrefix(stack, 'M', { region: 'cn-hangzhou', sourceBucket: 'photos', manifestBucket: 'ops', includeVersionIds: true })).not.toThrow();
  });
});
