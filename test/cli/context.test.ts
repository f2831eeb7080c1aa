/** Global options → region, endpoint, colors, client. */
import { makeClient, resolveEndpoint, resolveRegion, useColor } from '../../src/cli/context';
import { CliError } from '../../src/cli/errors';

test('region: --region, then OSS_REGION, then ALIBABA_CLOUD_REGION_ID, then cn-hangzhou', () => {
  const env = { OSS_REGION: 'cn-beijing', ALIBABA_CLOUD_REGION_ID: 'cn-shanghai' };
  expect(resolveRegion({ region: 'eu-central-1' }, env)).toBe('eu-central-1');
  expect(resolveRegion({}, env)).toBe('cn-beijing');
  expect(resolveRegion({}, { ALIBABA_CLOUD_REGION_ID: 'cn-shanghai', OSS_REGION: '' })).toBe('cn-shanghai');
  expect(resolveRegion({}, {})).toBe('cn-hangzhou');
});

test('endpoint: --endpoint, then OSS_ENDPOINT, else the client default', () => {
  expect(resolveEndpoint({ endpoint: 'http://a:1' }, { OSS_ENDPOINT: 'http://b:2' })).toBe('http://a:1');
  expect(resolveEndpoint({}, { OSS_ENDPOINT: 'http://b:2' })).toBe('http://b:2');
  expect(resolveEndpoint({}, {})).toBeUndefined();
  expect(makeClient({ region: 'cn-beijing' }, {}).endpoint).toBe('https://oss-cn-beijing.aliyuncs.com');
});

/** The error `fn` throws; fails the test when it throws nothing. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error, but nothing was thrown');
}

test('a malformed or non-http(s) endpoint is a usage error (exit 2) naming both places to fix it', () => {
  for (const [opts, env] of [[{}, { OSS_ENDPOINT: 'not a url' }], [{ endpoint: '::' }, {}], [{ endpoint: 'ftp://127.0.0.1:21' }, {}], [{}, { OSS_ENDPOINT: '127.0.0.1:9000' }]] as const) {
    const err = thrown(() => makeClient(opts, env));
    expect(err).toBeInstanceOf(CliError);
    expect(err).toMatchObject({ exitCode: 2, message: expect.stringContaining('fix --endpoint or OSS_ENDPOINT') });
  }
  expect(makeClient({ endpoint: 'HTTP://127.0.0.1:9000' }, {}).endpoint).toBe('HTTP://127.0.0.1:9000');
});

test('colors: a terminal, no --no-color, no NO_COLOR', () => {
  expect(useColor({}, true, {})).toBe(true);
  expect(useColor({ color: true }, false, {})).toBe(false);
  expect(useColor({}, undefined, {})).toBe(false);
  expect(useColor({ color: false }, true, {})).toBe(false);
  expect(useColor({}, true, { NO_COLOR: '1' })).toBe(false);
});
