/**
 * What every command needs from the global options: an OssClient, the color decision, JSON output.
 * Credentials come only from the @alicloud/credentials default chain (environment, profile, RAM role):
 * the CLI has no credential options on purpose, so secrets never land in shell history.
 */
import { JobDeps, realJobDeps } from '../jobs/deps';
import type { OssClient } from '../oss/client';
import { CliError } from './errors';
import { EXIT } from './exit-codes';

export interface GlobalOptions {
  region?: string;
  endpoint?: string;
  pathStyle?: boolean;
  json?: boolean;
  /** false with --no-color. */
  color?: boolean;
}

export const DEFAULT_REGION = 'cn-hangzhou';

export function resolveRegion(opts: GlobalOptions, env: NodeJS.ProcessEnv = process.env): string {
  return opts.region ?? (env.OSS_REGION || undefined) ?? (env.ALIBABA_CLOUD_REGION_ID || undefined) ?? DEFAULT_REGION;
}

export function resolveEndpoint(opts: GlobalOptions, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return opts.endpoint ?? (env.OSS_ENDPOINT || undefined);
}

/** Colors only for a terminal, and never with --no-color or NO_COLOR (https://no-color.org). */
export function useColor(opts: GlobalOptions, isTty: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  return opts.color !== false && !!isTty && !env.NO_COLOR;
}

/** The real dependencies (client, clock) for the global options. A malformed endpoint is a usage error. */
export function makeDeps(opts: GlobalOptions, env: NodeJS.ProcessEnv = process.env): JobDeps & { client: OssClient } {
  const endpoint = resolveEndpoint(opts, env);
  // Only http(s) reaches an OSS service; anything else (ftp://, a bare host) is a typo.
  if (endpoint !== undefined && !/^https?:\/\/[^/]/i.test(endpoint)) {
    throw new CliError(EXIT.USAGE, `the endpoint "${endpoint}" is not an http:// or https:// URL; fix --endpoint or OSS_ENDPOINT`);
  }
  try {
    return realJobDeps({ region: resolveRegion(opts, env), endpoint, pathStyle: opts.pathStyle || undefined });
  } catch (err) {
    // The only thing the client checks is the endpoint URL: a usage error, not an API one.
    throw new CliError(EXIT.USAGE, `${(err as Error).message}; fix --endpoint or OSS_ENDPOINT`);
  }
}

export function makeClient(opts: GlobalOptions, env: NodeJS.ProcessEnv = process.env): OssClient {
  return makeDeps(opts, env).client;
}

/** The whole machine output of a command: one JSON document. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
