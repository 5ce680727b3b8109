import { InputError } from '../util/errors.js';

/** Default BullMQ queue name (every campaign's jobs share it: jobs carry everything, and workers need know nothing else). */
export const DEFAULT_QUEUE_NAME = 'neurochaos';

/** The ioredis options a queue URL stands for (the password never printed). */
export interface QueueConnection {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls?: Record<string, never>;
  /** BullMQ's workers block on Redis: ioredis must not give up on a request. */
  maxRetriesPerRequest: null;
  /** For messages: the URL without its password. */
  display: string;
}

/**
 * Parses `--queue`: `redis://[user[:password]@]host[:port][/db]` or
 * `rediss://...` (TLS, for queues on shared networks). A password given by
 * `password` (read from an environment variable by the CLI, so it stays out of
 * the process list) takes precedence over one in the URL.
 *
 * @throws InputError naming `field` for another scheme, a bad port or db
 */
export function parseQueueUrl(url: string, field = '--queue', password?: string): QueueConnection {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InputError(field, `must be a URL redis://host:port or rediss://host:port (got ${JSON.stringify(url.replace(/:[^:@/]*@/, ':***@'))})`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new InputError(field, `must start with redis:// or rediss:// (TLS) (got ${u.protocol}//)`);
  if (!u.hostname) throw new InputError(field, 'names no host');
  const port = u.port === '' ? 6379 : Number(u.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InputError(field, `port must be in [1, 65535] (got ${u.port})`);
  const dbText = u.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0 || db > 15) throw new InputError(field, `database (the path) must be an integer in [0, 15] (got ${JSON.stringify(dbText)})`);
  const pass = password ?? (u.password ? decodeURIComponent(u.password) : undefined);
  const username = u.username ? decodeURIComponent(u.username) : undefined;
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port,
    db,
    ...(username ? { username } : {}),
    ...(pass ? { password: pass } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
    display: `${u.protocol}//${username ? `${username}${pass ? ':***' : ''}@` : pass ? ':***@' : ''}${u.host}${db ? `/${db}` : ''}`,
  };
}

/** The options ioredis takes (the display string left out). */
export function redisOptions(c: QueueConnection): Omit<QueueConnection, 'display'> {
  const { display: _d, ...rest } = c;
  return rest;
}

/**
 * Connects once and pings, failing fast: a wrong host, port or password is
 * reported at once instead of BullMQ retrying the connection forever.
 *
 * @throws InputError naming `field`, with the server's answer (never the password)
 */
export async function checkQueueReachable(c: QueueConnection, field = '--queue', timeoutMs = 5000): Promise<void> {
  const { Redis } = await import('ioredis');
  const client = new Redis({ ...redisOptions(c), lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: timeoutMs, enableOfflineQueue: false });
  let lastError: Error | null = null;
  client.on('error', (e: Error) => (lastError = e));
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    const why = (lastError ?? (e as Error)).message.split('\n')[0];
    throw new InputError(field, `cannot use the queue at ${c.display}: ${why}`);
  } finally {
    client.disconnect();
  }
}
