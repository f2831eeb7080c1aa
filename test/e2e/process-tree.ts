/**
 * Find processes among the descendants of one process (e.g. the handler a test's own terraform
 * started), never machine-wide: other test runs on the same machine have look-alike processes.
 */
import { execFileSync } from 'node:child_process';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  args: string;
}

/** Every process on the machine as `ps -eo pid=,ppid=,args=` lists it. */
export function listProcesses(): ProcessInfo[] {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' });
  return out.split('\n').flatMap((line) => {
    const m = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    return m ? [{ pid: Number(m[1]), ppid: Number(m[2]), args: m[3] }] : [];
  });
}

/** The descendants of `rootPid` (children, grandchildren, …), nearest first; pure over a listing. */
export function descendantsOf(rootPid: number, processes: ProcessInfo[] = listProcesses()): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  let frontier = [rootPid];
  while (frontier.length) {
    const children = processes.filter((p) => frontier.includes(p.ppid) && !found.some((f) => f.pid === p.pid));
    found.push(...children);
    frontier = children.map((c) => c.pid);
  }
  return found;
}

/** The first descendant of `rootPid` whose command line matches, e.g. `/handler\.js create/`. */
export function findDescendant(rootPid: number, args: RegExp, processes?: ProcessInfo[]): ProcessInfo | undefined {
  return descendantsOf(rootPid, processes).find((p) => args.test(p.args));
}

/** Poll until such a descendant exists (a provisioner starts the handler a moment after apply begins). */
export async function waitForDescendant(rootPid: number, args: RegExp, timeoutMs = 30_000): Promise<ProcessInfo> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = findDescendant(rootPid, args);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no descendant of pid ${rootPid} matching ${args} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
