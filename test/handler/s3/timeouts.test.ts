/**
 * The S3 handler's SDK clients give up on a silent peer: a server that accepts connections and
 * never answers makes each attempt fail after the socket timeout, the SDK retries, and the call
 * ends with an AwsCallError (exit 4) instead of hanging the apply. Small timeouts are injected.
 */
import { createServer, Server, Socket } from 'node:net';
import { AwsCallError, HTTP_TIMEOUTS, makeClients } from '../../../src/handler/s3/aws';
import { S3ControlJobs } from '../../../src/handler/s3/control';
import { S3Objects } from '../../../src/handler/s3/objects';

let server: Server;
let port: number;
const sockets: Socket[] = [];
let requests = 0;
const saved = { ...process.env };

beforeAll(async () => {
  server = createServer((socket) => {
    sockets.push(socket);
    // Read the request, answer nothing.
    socket.once('data', () => { requests++; });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
  // Static credentials, so the default chain neither looks further (IMDS) nor fails before the request.
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
  delete process.env.AWS_PROFILE;
});

afterAll(async () => {
  process.env = saved;
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => server.close(resolve));
});

test('the handler\'s clients have a connect and an idle timeout (the OSS client\'s 30 s of silence)', async () => {
  const { s3, control } = makeClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' });
  for (const client of [s3, control]) {
    const config = await (client.config.requestHandler as unknown as { configProvider: Promise<Record<string, unknown>> }).configProvider;
    expect(config).toMatchObject({ connectionTimeout: 10_000, socketTimeout: 30_000 });
    expect(config.requestTimeout).toBeUndefined();
    client.destroy();
  }
  expect(HTTP_TIMEOUTS).toEqual({ connectionTimeout: 10_000, socketTimeout: 30_000 });
});

test('a peer that accepts and never answers: every attempt times out, the SDK retries, the call fails', async () => {
  const { s3, control } = makeClients({ region: 'us-east-1', endpoint: `http://127.0.0.1:${port}` }, { connectionTimeout: 1_000, socketTimeout: 200 });
  try {
    const head = await new S3Objects(s3).headEtag('bucket', 'key').then(() => undefined, (e: unknown) => e);
    expect(head).toBeInstanceOf(AwsCallError);
    expect((head as AwsCallError).message).toMatch(/^S3 HeadObject failed: TimeoutError: .*timed out after 200 ms of inactivity/);
    expect((head as AwsCallError).retryable).toBe(true);
    expect(requests).toBe(3); // standard retry mode, 3 attempts

    const describe = await new S3ControlJobs(control, '123456789012').describeJob('job').then(() => undefined, (e: unknown) => e);
    expect((describe as AwsCallError).message).toMatch(/^S3 Control DescribeJob failed: TimeoutError: /);
    expect(requests).toBe(6);
  } finally {
    s3.destroy();
    control.destroy();
  }
}, 30_000);
