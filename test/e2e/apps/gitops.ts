/**
 * The stack of a multi-environment GitOps pipeline: identity values come from Terraform variables
 * (one `-var` set per environment) and the source bucket from another resource's attribute.
 * Connection props come from the environment at synth (OSS_BATCH_GITOPS JSON), so a test can
 * change only the endpoint or the path style.
 */
import { App, TerraformOutput, TerraformResource, TerraformStack, TerraformVariable } from 'cdktf';
import { BatchJob, BatchOperation, JobManifest, ManifestFromPrefix } from '../../../src';

interface GitOpsConfig {
  endpoint: string;
  region: string;
  pathStyle?: boolean;
}

const config = JSON.parse(process.env.OSS_BATCH_GITOPS ?? '{}') as GitOpsConfig;
const app = new App();
const stack = new TerraformStack(app, 'gitops');
const variable = (name: string, type: string) => new TerraformVariable(stack, name, { type });
const roleArn = variable('role_arn', 'string');
const priority = variable('priority', 'number');
const tagKey = variable('tag_key', 'string');
const tagValue = variable('tag_value', 'string');
const reportPrefix = variable('report_prefix', 'string');

// Stands for a bucket resource of the stack: its name is known only through an attribute.
const sourceBucket = new TerraformResource(stack, 'SourceBucket', { terraformResourceType: 'terraform_data' });
sourceBucket.addOverride('input', 'gitops-src');

const connection = { region: config.region, endpoint: config.endpoint, pathStyle: config.pathStyle };
const listing = new ManifestFromPrefix(stack, 'Listing', {
  ...connection, sourceBucket: sourceBucket.getStringAttribute('output'), prefix: 'data/', manifestBucket: 'gitops-ops',
});
const job = new BatchJob(stack, 'Tag', {
  ...connection,
  roleArn: roleArn.stringValue,
  priority: priority.numberValue,
  operation: BatchOperation.putObjectTagging({ [tagKey.stringValue]: tagValue.stringValue }),
  manifest: JobManifest.fromManifestFromPrefix(listing),
  report: { bucket: 'gitops-ops', prefix: reportPrefix.stringValue },
});
new TerraformOutput(stack, 'JobId', { value: job.jobId });
new TerraformOutput(stack, 'Token', { value: job.clientRequestToken });
new TerraformOutput(stack, 'ManifestKey', { value: listing.key });
app.synth();
