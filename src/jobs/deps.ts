/** What the lifecycle touches outside itself (API, clock, randomness), so tests drive it with fakes. */
import type { BatchApi, ObjectApi } from '../oss/api';
import { OssClient } from '../oss/client';

export interface JobDeps {
  batch: BatchApi;
  objects: ObjectApi;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  random: () => number;
}

export interface Connection {
  region: string;
  /** Full URL; the region's public endpoint when absent. */
  endpoint?: string;
  pathStyle?: boolean;
}

/** The one factory of real dependencies: an OssClient on the real clock. */
export function realJobDeps(connection: Connection): JobDeps & { client: OssClient } {
  const client = new OssClient({ region: connection.region, endpoint: connection.endpoint, pathStyle: connection.pathStyle });
  return {
    client, batch: client, objects: client,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => Date.now(),
    random: Math.random,
  };
}

/** Where a client talks to, when it is an OssClient (for commands we print, e.g. the report command). */
export function connectionOf(api: unknown): Connection | undefined {
  return api instanceof OssClient ? { region: api.region, endpoint: api.endpoint } : undefined;
}
