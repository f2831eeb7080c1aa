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

test('a malformed endpoint is a usage error (exit 2) naming both places to fix it', () => {
  expect(() => makeClient({}, { OSS_ENDPOINT: 'not a url' })).toThrow(CliError);
  expect(() => makeClient({ endpoint: '::' }, {})).toThrow(/fix --endpoint or OSS_ENDPOINT/);
  try {
    makeClient({ endpoint: '::' }, {});
  } catch (err) {
    expect((err as CliError).exitCode).toBe(2);
  }
});

test('colors: a terminal, no --no-color, no NO_COLOR', () => {
  expect(useColor({}, true, {})).toBe(true);
  expect(useColor({ color: true }, false, {})).toBe(false);
  expect(useColor({}, undefined, {})).toBe(false);
  expect(useColor({ color: false }, true, {})).toBe(false);
  expect(useColor({}, true, { NO_COLOR: '1' })).toBe(false);
});
