/**
 * The real Postgres for integration tests (127.0.0.1:5432, trust auth; override with TEST_DATABASE_URL).
 * Each test file works in a database of its own, created and dropped here, so files can run in parallel.
 */
import pg from "pg";

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** Null when Postgres answers; otherwise why not, for the skip message. */
export async function postgresUnavailableReason(): Promise<string | null> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (error) {
    return `no Postgres at ${TEST_DATABASE_URL} (${(error as Error).message}); set TEST_DATABASE_URL to run these tests`;
  } finally {
    await client.end().catch(() => {});
  }
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `edgewise_test_${label}_${process.pid}_${Math.floor(Math.random() * 1e9)}`.toLowerCase();
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * A store opened on a fresh test database, as a conformance suite's backend: `cleanup` closes the store,
 * then drops the database.
 */
export async function storeOnTestDatabase<S extends { close(): Promise<void> }>(
  label: string,
  open: (connectionString: string) => Promise<S>,
): Promise<{ store: S; cleanup(): Promise<void> }> {
  const db = await createTestDatabase(label);
  const store = await open(db.url);
  return {
    store,
    async cleanup() {
      await store.close();
      await db.drop();
    },
  };
}
