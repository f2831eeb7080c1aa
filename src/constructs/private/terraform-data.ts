/**
 * A raw `terraform_data` resource. cdktf's own DataResource runs `terraform version` in a child
 * process for every instance at synth (~100 ms each, docs/architecture.md "The Terraform wiring"); this subclass synthesizes the
 * same JSON without that validation.
 */
import { Construct } from 'constructs';
import { IResolvable, ITerraformDependable, TerraformResource, TerraformResourceLifecycle } from 'cdktf';
import type { LocalExecProvisioner } from 'cdktf/lib/terraform-provisioner';

export interface TerraformDataConfig {
  readonly input: unknown;
  readonly triggersReplace?: unknown;
  readonly provisioners?: LocalExecProvisioner[];
  readonly lifecycle?: TerraformResourceLifecycle;
  readonly dependsOn?: ITerraformDependable[];
}

export class TerraformData extends TerraformResource {
  static readonly TYPE = 'terraform_data';
  private readonly config: TerraformDataConfig;

  constructor(scope: Construct, id: string, config: TerraformDataConfig) {
    super(scope, id, {
      terraformResourceType: TerraformData.TYPE,
      provisioners: config.provisioners,
      lifecycle: config.lifecycle,
      dependsOn: config.dependsOn,
    });
    this.config = config;
  }

  /** `terraform_data.<id>.id`: unknown until the resource is created. */
  get idRef(): string {
    return this.getStringAttribute('id');
  }

  /** `terraform_data.<id>.output`: the stored input. */
  get outputRef(): IResolvable {
    return this.interpolationForAttribute('output');
  }

  /** The address `terraform_data.<name>`, as `replace_triggered_by` wants it (a plain string). */
  get address(): string {
    return `${this.terraformResourceType}.${this.friendlyUniqueId}`;
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    const attributes: { [name: string]: unknown } = { input: this.config.input };
    if (this.config.triggersReplace !== undefined) attributes.triggers_replace = this.config.triggersReplace;
    return attributes;
  }
}
