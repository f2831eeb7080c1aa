/**
 * What every command needs from the global options: an OssClient, the color decision, JSON output.
 * Credentials come only from the @alicloud/credentials default chain (environment, profile, RAM role):
 * the CLI has no credential options on purpose, so secrets never land in shell history.
 */
import type { HandlerDeps } from '../handler/deps';
import { OssClient } from '../oss/client';
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

export function makeClient(opts: GlobalOptions, env: NodeJS.ProcessEnv = process.env): OssClient {
  const endpoint = resolveEndpoint(opts, env);
  try {
    return new OssClient({ region: resolveRegion(opts, env), endpoint, pathStyle: opts.pathStyle || undefined });
  } catch (err) {
    // The only thing the constructor checks is the endpoint URL: a usage error, not an API one.
    throw new CliError(EXIT.USAGE, `${(err as Error).message}; fix --endpoint or OSS_ENDPOINT`);
  }
}

/** The poller's dependencies on the real clock; `log` decides where progress lines go. */
export function pollDeps(client: OssClient, log: (line: string) => void): HandlerDeps {
  return {
    batch: client, objects: client, log, now: () => Date.now(), random: Math.random,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

/** The whole machine output of a command: one JSON document. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
