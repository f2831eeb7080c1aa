/** Global options → an OssClient. Credentials only from the default chain (environment, profiles, RAM role). */
import { OssClient } from '../oss/client';

export interface GlobalOptions {
  region?: string;
  endpoint?: string;
  pathStyle?: boolean;
  json?: boolean;
  color?: boolean;
}

export function resolveRegion(opts: GlobalOptions, env: NodeJS.ProcessEnv = process.env): string {
  return opts.region ?? env.OSS_REGION ?? env.ALIBABA_CLOUD_REGION_ID ?? 'cn-hangzhou';
}

export function makeClient(opts: GlobalOptions, env: NodeJS.ProcessEnv = process.env): OssClient {
  return new OssClient({ region: resolveRegion(opts, env), endpoint: opts.endpoint ?? env.OSS_ENDPOINT, pathStyle: opts.pathStyle || undefined });
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
