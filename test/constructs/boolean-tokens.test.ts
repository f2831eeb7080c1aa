/**
 * Boolean props given as Terraform references (`TerraformVariable.booleanValue` is an IResolvable,
 * not a string or number token). Identity and connection booleans are accepted and reach the
 * handler JSON-encoded by Terraform; settings are refused, since they are checked at synth.
 */
import { App, TerraformStack, TerraformVariable } from 'cdktf';
import { BatchJob, BatchJobProps, ManifestFromPrefix } from '../../src';
import { base, errorOf, resourceOf, synth } from './helpers';

const boolVariable = (stack: TerraformStack) => new TerraformVariable(stack, 'flag', { type: 'bool' }).booleanValue as unknown as boolean;

describe('boolean props as references', () => {
  const accepted: [string, (flag: boolean) => Partial<BatchJobProps>, string][] = [
    ['confirmationRequired', (flag) => ({ confirmationRequired: flag }), '"confirmationRequired":${jsonencode(var.flag)}'],
    ['report.enabled', (flag) => ({ report: { bucket: 'ops', enabled: flag } }), '"enabled":${jsonencode(var.flag)}'],
    ['pathStyle', (flag) => ({ pathStyle: flag }), '"pathStyle":${jsonencode(var.flag)}'],
  ];
  test.each(accepted)('BatchJob %s is JSON-encoded by Terraform', (_name, overrides, expected) => {
    const json = synth((stack) => new BatchJob(stack, 'J', base(overrides(boolVariable(stack)))));
    expect(resourceOf(json, 'J', 'job')[1].input).toContain(expected);
  });

  const refused: [string, (flag: boolean) => Partial<BatchJobProps>][] = [
    ['autoConfirm', (flag) => ({ confirmationRequired: true, autoConfirm: flag })],
    ['waitForCompletion', (flag) => ({ waitForCompletion: flag })],
  ];
  test.each(refused)('BatchJob setting %s must be a literal', (name, overrides) => {
    const stack = new TerraformStack(new App(), 'v');
    expect(errorOf(() => new BatchJob(stack, 'Job', base(overrides(boolVariable(stack))))))
      .toMatch(new RegExp(`^v/Job: ${name} must be a literal value \\(got an unresolved token\\): it is a setting`));
  });

  test('ManifestFromPrefix includeVersionIds: the CSV columns come from the listing result', () => {
    const json = synth((stack) => {
      const manifest = new ManifestFromPrefix(stack, 'M', {
        region: 'cn-hangzhou', sourceBucket: 'photos', manifestBucket: 'ops', includeVersionIds: boolVariable(stack),
      });
      expect(manifest._csvFields).toMatch(/TfToken/);
    });
    expect(resourceOf(json, 'M', 'job')[1].input).toContain('"includeVersionIds":${jsonencode(var.flag)}');
  });

  test('literal booleans are accepted', () => {
    const stack = new TerraformStack(new App(), 'v');
    expect(() => new BatchJob(stack, 'Job', base({
      confirmationRequired: true, autoConfirm: false, waitForCompletion: false, pathStyle: true, report: { bucket: 'ops', enabled: false },
    }))).not.toThrow();
    const manifest = new ManifestFromPrefix(stack, 'M', { region: 'cn-hangzhou', sourceBucket: 'photos', manifestBucket: 'ops', includeVersionIds: true });
    expect(manifest._csvFields).toBe('Bucket,Key,VersionId');
  });
});
