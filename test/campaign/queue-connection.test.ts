import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseQueueUrl, redisOptions } from '../../src/campaign/queue-connection.js';
import { InputError } from '../../src/util/errors.js';

test('queue URLs: redis:// and rediss:// (TLS), a password from the URL or the environment, never displayed', () => {
  const plain = parseQueueUrl('redis://127.0.0.1:6380');
  assert.deepEqual(redisOptions(plain), { host: '127.0.0.1', port: 6380, db: 0, maxRetriesPerRequest: null });
  const tls = parseQueueUrl('rediss://user:s3cret@queue.example:6390/2');
  assert.equal(tls.host, 'queue.example');
  assert.equal(tls.port, 6390);
  assert.equal(tls.db, 2);
  assert.deepEqual(tls.tls, {});
  assert.equal(tls.username, 'user');
  assert.equal(tls.password, 's3cret');
  assert.equal(tls.display, 'rediss://user:***@queue.example:6390/2');
  const fromEnv = parseQueueUrl('redis://h:1', '--queue', 'from env');
  assert.equal(fromEnv.password, 'from env');
  assert.ok(!fromEnv.display.includes('from env'));
  assert.equal(parseQueueUrl('redis://h').port, 6379);
});

test('bad queue URLs name --queue', () => {
  for (const url of ['http://h:1', 'redis://h:99999', 'redis://h:1/x', 'not a url', 'redis://h:1/16']) {
    assert.throws(() => parseQueueUrl(url), (e: unknown) => e instanceof InputError && e.field === '--queue', url);
  }
});
