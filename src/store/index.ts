/**
 * The corpus store: one interface, two engines. `openStore("postgres://…")` opens PostgreSQL;
 * anything else is a SQLite file path (created when missing).
 */
import { createHash } from 'node:crypto';
import { StoreError, type Store } from './types.js';

export * from './types.js';
export { normalizeName, prepareDocument, type PreparedDocument } from './rows.js';

export interface OpenOptions {
  /** PostgreSQL schema (also ?schema= in the URL). */
  schema?: string;
  /** SQLite: how long to wait for another process's lock (ms). */
  busyTimeoutMs?: number;
  /** SQLite: open an existing file read-only (no migration). */
  readonly?: boolean;
}

export const DEFAULT_STORE = 'whosaid.db';

export function isPostgresLocation(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

export async function openStore(location: string = DEFAULT_STORE, options: OpenOptions = {}): Promise<Store> {
  if (isPostgresLocation(location)) {
    const { PostgresStore } = await import('./postgres/index.js');
    return PostgresStore.open(location, { schema: options.schema });
  }
  if (!location) throw new StoreError('no store given');
  const { SqliteStore } = await import('./sqlite/index.js');
  return new SqliteStore(location, { busyTimeoutMs: options.busyTimeoutMs, readonly: options.readonly });
}

/**
 * The key a document is stored under: sha256 over its id and its content (the text, or the HTML as given).
 * The same content under the same id is the same document; a document with no id is keyed by its content alone.
 */
export function contentHash(content: string | Uint8Array, id?: string | null): string {
  const h = createHash('sha256');
  h.update('whosaid-doc/1\u0000');
  h.update(id ?? '');
  h.update('\u0000');
  h.update(content);
  return h.digest('hex');
}
