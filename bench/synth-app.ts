/**
 * Child process of the synth benchmark: builds `count` constructs of one kind and synthesizes,
 * timing only construct creation + synth (cdktf's own load time is excluded for both kinds).
 * Usage: tsx bench/synth-app.ts <batch-job|terraform-data> <count> <outdir>
 */
import { App, TerraformResource, TerraformStack } from 'cdktf';
import { BatchJob, BatchOperation, JobManifest } from '../src';

const [kind, countText, outdir] = process.argv.slice(2);
const count = Number(countText);
const start = process.hrtime.bigint();
const app = new App({ outdir });
const stack = new TerraformStack(app, 'bench');
for (let i = 0; i < count; i++) {
  if (kind === 'batch-job') {
    new BatchJob(stack, `Job${i}`, {
      region: 'cn-hangzhou', roleArn: 'acs:ram::1234567890123456:role/BatchRole', priority: i % 100,
      operation: BatchOperation.putObjectTagging({ env: 'prod', batch: String(i) }),
      manifest: JobManifest.fromKeyPrefix({ sourceBucket: 'photos', prefix: `raw/${i}/` }),
      report: { bucket: 'ops' },
    });
  } else {
    // The baseline docs/architecture.md names: a bare terraform_data TerraformResource with a comparable input.
    const resource = new TerraformResource(stack, `Data${i}`, { terraformResourceType: 'terraform_data' });
    resource.addOverride('input', { kind: 'bench', index: i, tags: { env: 'prod', batch: String(i) } });
  }
}
app.synth();
const ms = Number(process.hrtime.bigint() - start) / 1e6;
process.stdout.write(JSON.stringify({ kind, count, ms }));
