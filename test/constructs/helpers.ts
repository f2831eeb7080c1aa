/** Shared helpers of the construct tests: default props, synthesis and lookups in the JSON. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { App, TerraformStack, Testing } from 'cdktf';
import { BatchJob, BatchJobProps, BatchOperation, JobManifest } from '../../src';
import type { BatchJobEvent, ManifestFromPrefixEvent } from '../../src/shared/contract';

const ROOT = resolve(__dirname, '../..');

/** The constructs ship dist/handler as an asset: build it once when a plain `jest` run lacks a bundle (OSS or S3). */
export function ensureHandlerBundle(): void {
  if (!['handler.js', 's3-handler.js'].every((file) => existsSync(join(ROOT, 'dist/handler', file)))) {
    execFileSync(process.execPath, ['scripts/build.mjs', '--bundles-only'], { cwd: ROOT, stdio: 'inherit' });
  }
}
ensureHandlerBundle();

export const ROLE = 'acs:ram::1234567890123456:role/BatchRole';

export const base = (overrides: Partial<BatchJobProps> = {}): BatchJobProps => ({
  region: 'cn-hangzhou', roleArn: ROLE, priority: 10,
  operation: BatchOperation.putObjectTagging({ env: 'prod' }),
  manifest: JobManifest.fromKeyPrefix({ sourceBucket: 'photos', prefix: 'raw/' }),
  report: { bucket: 'ops' }, ...overrides,
});

export type Json = Record<string, any>;

export function synth(build: (stack: TerraformStack) => void, stackName = 'test'): Json {
  const stack = new TerraformStack(Testing.app(), stackName);
  build(stack);
  return JSON.parse(Testing.synth(stack));
}

export const resources = (json: Json): Json => json.resource?.terraform_data ?? {};

/** The terraform_data resource of construct `prefix` whose role is `role` (job or result). */
export function resourceOf(json: Json, prefix: string, role: 'job' | 'result'): [name: string, resource: Json] {
  const found = Object.entries(resources(json)).find(([name]) => name.startsWith(`${prefix}_${role}_`));
  if (!found) throw new Error(`no ${role} resource for ${prefix} in ${Object.keys(resources(json)).join(', ')}`);
  return found as [string, Json];
}

/** The event a job resource carries, as Terraform will read it (template escapes undone). */
export function eventOf<T = BatchJobEvent>(json: Json, prefix: string): T {
  return JSON.parse(unescapeTemplate(resourceOf(json, prefix, 'job')[1].input)) as T;
}

export const manifestEventOf = (json: Json, prefix: string) => eventOf<ManifestFromPrefixEvent>(json, prefix);

/**
 * The two-resource wiring of a job construct `prefix` with DeletionBehavior.CANCEL and a `JobId`
 * output, running `bundle` (handler.js or s3-handler.js): nothing but two terraform_data, the create
 * and destroy steps, the identity as `triggers_replace`, the result resource reading the file once.
 */
export function expectJobWiring(json: Json, prefix: string, bundle: string): void {
  // Absence: no provider, no data sources, no other resource types (cdktf's DataResource would
  // add nothing to the JSON either, but it is not used: see the terraform-data test).
  expect(json.provider).toBeUndefined();
  expect(json.data).toBeUndefined();
  expect(Object.keys(json.resource)).toEqual(['terraform_data']);
  expect(Object.keys(resources(json))).toHaveLength(2);

  const [jobName, job] = resourceOf(json, prefix, 'job');
  const [resultName, result] = resourceOf(json, prefix, 'result');
  expect(job.provisioner).toHaveLength(2);
  const [create, destroy] = job.provisioner.map((p: Json) => p['local-exec']);
  expect(create.command).toMatch(new RegExp(`^node "assets/OssBatchHandler/[0-9A-F]+/${bundle.replace('.', '\\.')}" create$`));
  expect(create.when).toBeUndefined();
  expect(create.environment).toEqual({ OSS_BATCH_EVENT: '${self.input}', OSS_BATCH_RESULT: expect.stringMatching(/^\.oss-batch\/test\/\$\{terraform\.workspace\}\/[0-9a-f]{42}\.json$/) });
  // The destroy step may reference only self and literals: the same environment.
  expect(destroy).toEqual({ when: 'destroy', command: create.command.replace(/create$/, 'delete'), environment: create.environment });
  // The identity itself (as JSON text), so a changed value replaces the job; never the connection or settings.
  expect(JSON.parse(job.triggers_replace)).toEqual(eventOf<{ identity: unknown }>(json, prefix).identity);
  expect(job.lifecycle).toBeUndefined();

  const file = create.environment.OSS_BATCH_RESULT;
  expect(result.provisioner).toBeUndefined();
  expect(result.triggers_replace).toBeUndefined();
  // On the job's id: an in-place update of the job (endpoint, settings) keeps the stored result.
  expect(result.lifecycle).toEqual({ ignore_changes: ['input'], replace_triggered_by: [`terraform_data.${jobName}.id`] });
  expect(result.input).toBe(`\${jsondecode(terraform_data.${jobName}.id == "unknown-until-apply" ? "{}" : (fileexists("${file}") ? file("${file}") : "{}"))}`);
  expect(json.output.JobId.value).toBe(`\${terraform_data.${resultName}.output.jobId}`);
}

/**
 * Terraform's reading of literal text in a template: `$${` is a literal `${`, `%%{` a literal `%{`
 * (HCL spec, template literals). Only for text without real interpolations.
 */
export function unescapeTemplate(text: string): string {
  return text.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

/** A fresh stack per call, so tokens of different props can be compared. */
export function tokenOf(props: BatchJobProps): string {
  return new BatchJob(new TerraformStack(new App(), 's'), 'J', props).clientRequestToken;
}

/** The ValidationError message a constructor throws (fails the test when it does not throw). */
export function errorOf(make: () => unknown): string {
  try {
    make();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a ValidationError, but the construct was created');
}

/**
 * What Terraform does with the event text at apply: each `${jsonencode(<expression>)}` becomes the
 * JSON of that expression's value (taken from `values`), and template escapes are undone. Throws on
 * an expression without a value, so a test cannot silently leave one unresolved.
 */
export function resolveLikeTerraform(text: string, values: Record<string, unknown>): string {
  const resolved = text.replace(/\$\{jsonencode\(([^()]*(?:\([^()]*\))?[^()]*)\)\}/g, (_, expression: string) => {
    if (!(expression in values)) throw new Error(`no value for ${expression} in ${text}`);
    return JSON.stringify(values[expression]);
  });
  if (/(^|[^$])\$\{/.test(resolved.replace(/\$\$\{/g, ''))) throw new Error(`unresolved interpolation left in ${resolved}`);
  return unescapeTemplate(resolved);
}

/** Rebuilds `value` with its keys inserted in another order (same content). */
export function shuffledKeys<T>(value: T, seed: number): T {
  if (Array.isArray(value) || value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const keys = Object.keys(value as object);
  const rotated = keys.map((_, i) => keys[(i + seed) % keys.length]).reverse();
  return Object.fromEntries(rotated.map((k) => [k, shuffledKeys((value as any)[k], seed + 1)])) as T;
}

export function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
