/** cdktf-oss-batch: declarative Alibaba Cloud OSS Batch Operations jobs for CDK for Terraform. */
export * from './constructs';
