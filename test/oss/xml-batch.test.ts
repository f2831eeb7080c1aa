import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { CreateJobInput, JobDescriptor, JobOperation } from '../../src/oss/model';
import {
  decodeCreateJobRequest, decodeCreateJobResult, decodeDescribeJobResult, decodeListJobsResult, decodeUpdateJobPriorityResult,
  decodeUpdateJobStatusResult, encodeCreateJobRequest, encodeCreateJobResult, encodeDescribeJobResult, encodeListJobsResult,
  encodeUpdateJobPriorityResult, encodeUpdateJobStatusResult,
} from '../../src/oss/xml/batch';
import { XmlDecodeError } from '../../src/oss/xml/common';
import { decodeErrorXml, encodeErrorXml } from '../../src/oss/xml/error';

const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures', name), 'utf8');
/** Parsed tree with whitespace-only text dropped, for order-sensitive structural comparison. */
const tree = (xml: string) => new XMLParser({ preserveOrder: true, parseTagValue: false, ignoreDeclaration: true, trimValues: true }).parse(xml);

const seedInput: CreateJobInput = {
  confirmationRequired: false,
  operation: { type: 'PutObjectTagging', tags: [{ key: 'Environment', value: 'Production' }] },
  report: { bucket: 'report-bucket', enabled: true, prefix: 'batch-reports/', reportScope: 'AllTasks' },
  clientRequestToken: 'unique-token-123',
  manifest: {
    location: { etag: 'd41d8cd98f00b204e9800998ecf8427e', bucket: 'manifest-bucket', object: 'manifest.csv' },
    spec: { fields: 'Bucket,Key', format: 'OSS_BatchOperations_CSV_20250611' },
  },
  description: 'Batch job to set object tags',
  priority: 10,
  roleArn: 'arn:acs:ram::uid:role/BatchOperationRole',
};

describe('CreateJob', () => {
  test('encodes seed 000 sample request exactly (as parsed XML trees, element order included)', () => {
    expect(tree(encodeCreateJobRequest(seedInput))).toEqual(tree(fixture('seed-000-create-job-request.xml')));
  });

  test('decodes seed 000 sample request to the typed input', () => {
    expect(decodeCreateJobRequest(fixture('seed-000-create-job-request.xml'))).toEqual(seedInput);
  });

  test('docs/oss-api.md §1 example: AddObjectTagging, FailedTasksOnly report', () => {
    const xml = encodeCreateJobRequest({
      ...seedInput, operation: { type: 'AddObjectTagging', tags: [{ key: 'expire', value: 'true' }] },
      report: { bucket: 'rpt-bkt', enabled: true, prefix: 'batch-reports/', reportScope: 'FailedTasksOnly' },
    });
    expect(xml).toContain('<Operation><AddObjectTagging><TagSet><Tag><Key>expire</Key><Value>true</Value></Tag></TagSet></AddObjectTagging></Operation>');
  });

  test('DeleteObjectTagging is an empty element; generator replaces Manifest', () => {
    const xml = encodeCreateJobRequest({
      ...seedInput, operation: { type: 'DeleteObjectTagging' }, manifest: undefined, keyPrefixManifestGenerator: { sourceBucket: 'src', prefix: 'logs/' },
    });
    expect(xml).toContain('<Operation><DeleteObjectTagging></DeleteObjectTagging></Operation>');
    expect(xml).toContain('<ClientRequestToken>unique-token-123</ClientRequestToken><KeyPrefixManifestGenerator><SourceBucket>src</SourceBucket><Prefix>logs/</Prefix></KeyPrefixManifestGenerator><Description>');
    expect(decodeCreateJobRequest(xml).operation).toEqual({ type: 'DeleteObjectTagging' });
  });

  test('rejects zero or several operations, unknown operations and wrong types', () => {
    const xml = encodeCreateJobRequest(seedInput);
    expect(() => decodeCreateJobRequest(xml.replace(/<Operation>.*<\/Operation>/, '<Operation></Operation>'))).toThrow(/exactly one operation, found 0/);
    expect(() => decodeCreateJobRequest(xml.replace('</Operation>', '<DeleteObjectTagging></DeleteObjectTagging></Operation>'))).toThrow(/exactly one operation, found 2/);
    expect(() => decodeCreateJobRequest(xml.replace('</Operation>', '<CopyObject/></Operation>'))).toThrow(/unknown operation <CopyObject>/);
    expect(() => decodeCreateJobRequest(xml.replace('<Priority>10', '<Priority>abc'))).toThrow(/Priority> must be an integer/);
    expect(() => decodeCreateJobRequest(xml.replace('<Enabled>true', '<Enabled>yes'))).toThrow(/true or false/);
    expect(() => decodeCreateJobRequest(xml.replace(/<RoleArn>.*<\/RoleArn>/, ''))).toThrow(/RoleArn> is required/);
  });

  test('malformed documents are XmlDecodeErrors', () => {
    const xml = encodeCreateJobRequest(seedInput);
    for (const bad of [xml.slice(0, xml.length / 2), '<html><body>502 Bad Gateway</body></html>', '', 'not xml', '<Other/>']) {
      expect(() => decodeCreateJobRequest(bad)).toThrow(XmlDecodeError);
    }
  });

  test('special characters in text round-trip', () => {
    const input = { ...seedInput, description: 'a < b & c > "d" \'e\'', operation: { type: 'PutObjectTagging', tags: [{ key: 'k&<>', value: '' }] } as JobOperation };
    expect(decodeCreateJobRequest(encodeCreateJobRequest(input))).toEqual(input);
  });

  test('carriage returns, tabs and line ends in text round-trip (\r is sent as &#xD;, not normalized to \n)', () => {
    const description = 'line 1\r\nline 2\rline 3\n\ttabbed &#xD; literal';
    const input = { ...seedInput, description, operation: { type: 'PutObjectTagging', tags: [{ key: 'k', value: 'v\r1' }] } as JobOperation };
    const xml = encodeCreateJobRequest(input);
    expect(xml).toContain('line 1&#xD;\nline 2&#xD;line 3');
    expect(xml).toContain('&amp;#xD; literal');
    expect(decodeCreateJobRequest(xml)).toEqual(input);
  });

  test('descriptions of any characters XML 1.0 allows round-trip (property)', () => {
    const xmlChar = fc.string({ unit: fc.oneof(fc.constantFrom('\r', '\n', '\t', '&', '<', '>', '"', "'", ';', '#', 'x', 'D'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 40 })
      .filter((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(s) && s.trim() === s && s !== '');
    fc.assert(fc.property(xmlChar, (description) => {
      const input = { ...seedInput, description };
      expect(decodeCreateJobRequest(encodeCreateJobRequest(input))).toEqual(input);
    }), { numRuns: 300 });
  });

  test('round-trips arbitrary inputs', () => {
    const text = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() === s && s.length > 0);
    const op: fc.Arbitrary<JobOperation> = fc.oneof(
      fc.record({ type: fc.constant('PutObjectTagging' as const), tags: fc.array(fc.record({ key: text, value: text }), { minLength: 1, maxLength: 3 }) }),
      fc.record({ type: fc.constant('AddObjectTagging' as const), tags: fc.array(fc.record({ key: text, value: text }), { minLength: 1, maxLength: 1 }) }),
      fc.constant({ type: 'DeleteObjectTagging' as const }),
      fc.record({ type: fc.constant('PutObjectAcl' as const), acl: text }),
      fc.record({ type: fc.constant('RestoreObject' as const), days: fc.integer({ min: 1, max: 365 }), tier: text }),
    );
    fc.assert(fc.property(op, fc.integer({ min: 0, max: 2147483647 }), fc.boolean(), text, (operation, priority, confirmationRequired, token) => {
      const input: CreateJobInput = { ...seedInput, operation, priority, confirmationRequired, clientRequestToken: token };
      expect(decodeCreateJobRequest(encodeCreateJobRequest(input))).toEqual(input);
    }));
  });

  test('result', () => {
    expect(decodeCreateJobResult(encodeCreateJobResult('MzRjZGU2NGQ3YTY5NGRhMTkxZmZhYzY5OTM5YTcxYWU='))).toEqual({ jobId: 'MzRjZGU2NGQ3YTY5NGRhMTkxZmZhYzY5OTM5YTcxYWU=' });
  });
});

describe('ListJobs', () => {
  test('decodes seed 001 sample response (one descriptor is still an array)', () => {
    expect(decodeListJobsResult(fixture('seed-001-list-jobs-response.xml'))).toEqual({
      nextToken: 'next-page-token-456',
      jobs: [{
        creationTime: 1749983400,
        description: 'Batch job for setting object tags',
        jobId: 'MzRjZGU2NGQ3YTY5NGRhMTkxZmZhYzY5OTM5YTcxYWU=',
        operation: 'PutObjectTagging',
        priority: 10,
        progressSummary: { numberOfTasksFailed: 0, numberOfTasksSucceeded: 1000, totalNumberOfTasks: 1000, elapsedTimeInActiveSeconds: 3600 },
        status: 'Complete',
        terminationDate: 1749987000,
      }],
    });
  });

  test('round-trips, including an empty list without NextToken', () => {
    const result = decodeListJobsResult(fixture('seed-001-list-jobs-response.xml'));
    expect(decodeListJobsResult(encodeListJobsResult(result))).toEqual(result);
    expect(decodeListJobsResult(encodeListJobsResult({ jobs: [] }))).toEqual({ jobs: [] });
  });
});

describe('DescribeJob', () => {
  test('decodes the reference example', () => {
    const job = decodeDescribeJobResult(fixture('reference-describe-job-response.xml'));
    expect(job).toMatchObject({
      jobId: 'ZDc3YmY1ODUyNjg2NDM3OGExM2Y2YmQ5NDk0NWI2NTU=', status: 'Failed', confirmationRequired: false,
      failureReasons: [{ failureCode: 'TooManyFailures', failureReason: 'Too many failures.' }],
      operation: { type: 'PutObjectAcl', acl: 'public-read' },
      keyPrefixManifestGenerator: { sourceBucket: 'b', prefix: 'test/' },
      progressSummary: { numberOfTasksFailed: 3, numberOfTasksSucceeded: 0, totalNumberOfTasks: 3, elapsedTimeInActiveSeconds: 8 },
      terminationDate: 1785831929,
    });
  });

  test('round-trips; an empty JobFailure means no failures; several failures are kept', () => {
    const job: JobDescriptor = {
      jobId: 'J', status: 'Active', failureReasons: [], progressSummary: { numberOfTasksFailed: 0, numberOfTasksSucceeded: 5, totalNumberOfTasks: 9 },
      operation: { type: 'RestoreObject', days: 3, tier: 'Standard' }, report: { bucket: 'r', enabled: false },
      manifest: { location: { bucket: 'm', object: 'k.csv', versionId: 'v1' }, spec: { format: 'OSS_BatchOperations_CSV_20250611' } },
    };
    const xml = encodeDescribeJobResult(job);
    expect(xml).toContain('<FailureReasons><JobFailure></JobFailure></FailureReasons>');
    expect(decodeDescribeJobResult(xml)).toEqual(job);
    const failed = { ...job, status: 'Failed', failureReasons: [{ failureCode: 'A', failureReason: 'a' }, { failureCode: 'B', failureReason: 'b' }] };
    expect(decodeDescribeJobResult(encodeDescribeJobResult(failed))).toEqual(failed);
  });
});

describe('UpdateJobStatus / UpdateJobPriority / Error', () => {
  test('round-trips', () => {
    const s = { jobId: 'J=', status: 'Cancelling', statusUpdateReason: 'User requested cancellation' };
    expect(decodeUpdateJobStatusResult(encodeUpdateJobStatusResult(s))).toEqual(s);
    expect(decodeUpdateJobPriorityResult(encodeUpdateJobPriorityResult({ jobId: 'J', priority: 20 }))).toEqual({ jobId: 'J', priority: 20 });
  });

  test('error documents, with namespace; non-error bodies give undefined', () => {
    const body = { code: 'NoSuchBucket', message: 'The specified bucket does not exist.', requestId: 'R1', hostId: 'h', ec: '0015-00000101' };
    expect(decodeErrorXml(encodeErrorXml(body))).toEqual(body);
    expect(decodeErrorXml('<?xml version="1.0"?><Error xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com"><Code>AccessDenied</Code><Message>no</Message></Error>')).toEqual({ code: 'AccessDenied', message: 'no' });
    expect(decodeErrorXml('<html>502</html>')).toBeUndefined();
    expect(decodeErrorXml('')).toBeUndefined();
    expect(decodeErrorXml('<Error><Code>trunc')).toBeUndefined();
  });
});
