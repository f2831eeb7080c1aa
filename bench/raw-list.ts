/** Baseline child of the manifest benchmark: page through ListObjectsV2 and print the key count. */
import { OssClient } from '../src/oss/client';

(async () => {
  const client = new OssClient({ region: 'cn-hangzhou', endpoint: process.env.ENDPOINT! });
  let token: string | undefined;
  let count = 0;
  do {
    const page = await client.listObjectsV2(process.env.BUCKET!, { prefix: 'k/', maxKeys: 1000, continuationToken: token });
    count += page.contents.length;
    token = page.isTruncated ? page.nextContinuationToken : undefined;
  } while (token);
  process.stdout.write(String(count));
})();
