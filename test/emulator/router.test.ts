/** The route table: every row is reachable, first match wins, unknown sub-resources are NotImplemented. */
import { findRoute, levelOf, ROUTES, routeName } from '../../src/emulator/router';

const object = { bucket: 'b', key: 'k' };
const bucket = { bucket: 'b' };
const service = {};

test('each API name appears once and is reached by its own method, level and sub-resource', () => {
  expect(new Set(ROUTES.map((r) => r.api)).size).toBe(ROUTES.length);
  for (const route of ROUTES) {
    const target = route.level === 'object' ? object : route.level === 'bucket' ? bucket : service;
    const query: Record<string, string> = route.sub ? { [route.sub]: route.sub === 'list-type' ? '2' : '' } : {};
    if (route.api === 'DescribeJob') query.batchJobId = 'J';
    if (route.api === 'UploadPart') query.partNumber = '1';
    expect([route.api, findRoute(route.method, target, query)?.api]).toEqual([route.api, route.api]);
  }
});

test.each([
  ['GET', object, { versionId: 'v1' }, 'GetObject'],
  ['DELETE', object, { versionId: 'v1' }, 'DeleteObject'],
  ['GET', service, { batchJob: '', batchJobId: 'J' }, 'DescribeJob'],
  ['GET', service, { batchJob: '' }, 'ListJobs'],
  ['PUT', object, { uploadId: 'U' }, 'NotImplemented'], // a part needs its number
  ['POST', object, { tagging: '' }, 'NotImplemented'],
  ['GET', object, { symlink: '' }, 'NotImplemented'],
  ['PUT', object, { append: '', position: '0' }, 'NotImplemented'],
  ['GET', bucket, { acl: '' }, 'NotImplemented'],
  ['GET', bucket, { 'list-type': '1' }, 'NotImplemented'],
  ['GET', bucket, {}, 'NotImplemented'], // V1 ListObjects
  ['PUT', bucket, { lifecycle: '' }, 'NotImplemented'],
  ['GET', service, {}, 'NotImplemented'], // ListBuckets
  ['PATCH', object, {}, 'NotImplemented'],
])('%s %j %j → %s', (method, target, query, api) => {
  expect(routeName(method as string, target, query as Record<string, string>)).toBe(api);
});

test('levels and streamed bodies', () => {
  expect([levelOf(service), levelOf(bucket), levelOf(object)]).toEqual(['service', 'bucket', 'object']);
  expect(ROUTES.filter((r) => r.streamed).map((r) => r.api).sort()).toEqual(['PutObject', 'UploadPart']);
});
