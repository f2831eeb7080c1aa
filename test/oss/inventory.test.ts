/** The bucket inventory codec: OSS's layout written and read back, tolerant reading, clear errors. */
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { CsvFormatError } from '../../src/oss/csv';
import { encodeInventory, parseInventoryData, parseInventoryManifest } from '../../src/oss/inventory';

const RUN = new Date('2026-12-01T16:00:00Z');

describe('bucket inventory', () => {
  test('OSS layout: <prefix><bucket>/<id>/<run>/manifest.json and gzip data files under data/', () => {
    const written = encodeInventory({
      sourceBucket: 'photos', destinationBucket: 'inv', prefix: 'inventory/', inventoryId: 'daily', runTime: RUN,
      objects: [{ key: 'raw/a.jpg', size: 1 }, { key: 'raw/b.jpg', size: 2 }, { key: 'raw/c.jpg', size: 3 }], linesPerFile: 2,
    });
    expect(written.manifestKey).toBe('inventory/photos/daily/2026-12-01T16-00Z/manifest.json');
    expect(written.files.map((f) => f.key)).toEqual([
      'inventory/photos/daily/data/daily-2026-12-01T16-00Z.csv.gz', 'inventory/photos/daily/data/daily-2026-12-01T16-00Z-1.csv.gz',
      written.manifestKey,
    ]);
    const manifest = parseInventoryManifest(written.files[2].body.toString());
    expect(manifest).toMatchObject({ sourceBucket: 'photos', destinationBucket: 'inv', fileFormat: 'CSV', fileSchema: 'Bucket, Key, Size' });
    expect(manifest.files.map((f) => f.key)).toEqual(written.files.slice(0, 2).map((f) => f.key));
    expect(manifest.files[0].MD5checksum).toMatch(/^[0-9A-F]{32}$/);
  });

  test('any keys and version ids round-trip (property)', () => {
    const object = fc.record({ key: fc.string({ minLength: 1, maxLength: 30 }), size: fc.nat(), versionId: fc.option(fc.stringMatching(/^[A-Za-z0-9]{1,20}$/), { nil: undefined }) });
    fc.assert(fc.property(fc.array(object, { minLength: 1, maxLength: 20 }), fc.integer({ min: 1, max: 7 }), (objects, perFile) => {
      const written = encodeInventory({ sourceBucket: 'src', destinationBucket: 'inv', prefix: '', inventoryId: 'i', runTime: RUN, objects, linesPerFile: perFile });
      const manifest = parseInventoryManifest(written.files[written.files.length - 1].body.toString());
      const entries = written.files.slice(0, -1).flatMap((f) => parseInventoryData(f.key, f.body, manifest.fileSchema));
      const withVersions = objects.some((o) => o.versionId !== undefined);
      expect(entries).toEqual(objects.map((o) => ({ bucket: 'src', key: o.key, ...(withVersions && o.versionId ? { versionId: o.versionId } : {}) })));
    }), { numRuns: 200 });
  });

  test('reads columns by fileSchema and ignores the ones it does not need', () => {
    const csv = '"photos","raw%2Fx%20y.jpg","12","2026-01-01T00:00:00Z","Standard"\n';
    expect(parseInventoryData('d.csv', Buffer.from(csv), 'Bucket, Key, Size, LastModifiedDate, StorageClass'))
      .toEqual([{ bucket: 'photos', key: 'raw/x y.jpg' }]);
    expect(parseInventoryData('d.csv.gz', gzipSync(csv), 'Bucket,Key,Size,LastModifiedDate,StorageClass')).toHaveLength(1);
  });

  test('bad input: clear CsvFormatErrors', () => {
    expect(() => parseInventoryManifest('{')).toThrow(CsvFormatError);
    expect(() => parseInventoryManifest('{"fileFormat":"ORC","fileSchema":"Bucket, Key","files":[]}')).toThrow(/only CSV inventories/);
    expect(() => parseInventoryManifest('{"fileSchema":"Size","files":[]}')).toThrow(/lacks Bucket or Key/);
    expect(() => parseInventoryManifest('{"fileSchema":"Bucket, Key"}')).toThrow(/no files\[\]/);
    expect(() => parseInventoryData('d.csv.gz', Buffer.from('not gzip'), 'Bucket, Key')).toThrow(/not valid gzip/);
    expect(() => parseInventoryData('d.csv', Buffer.from('"photos",""\n'), 'Bucket, Key')).toThrow(/line 1 has no bucket or key/);
  });
});
