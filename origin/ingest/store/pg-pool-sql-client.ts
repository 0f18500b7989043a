/**
 * SqlClient over a node-postgres Pool. The Neon driver's Pool is a fork of node-postgres with the same
 * client API, so postgres.ts and neon.ts share this, COPY (pg-copy-streams) included.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Pool, PoolClient } from "pg";
import { from as copyFromStdin } from "pg-copy-streams";
import { advisoryRunLocks } from "./run-locks.ts";
import type { SqlClient, SqlSession } from "./sql-client.ts";

type Prepare = (session: SqlSession) => Promise<void>;

function sessionOf(client: Pool | PoolClient): SqlSession {
  return {
    async query(text, params = []) {
      const result = await client.query<unknown[]>({ text, values: [...params], rowMode: "array" });
      return result.rows;
    },
    async copyFrom(table, columns, data) {
      if (!("release" in client)) {
        throw new Error("COPY needs a dedicated connection: call it inside transaction()");
      }
      const stream = client.query(copyFromStdin(`COPY ${table} (${columns.join(",")}) FROM STDIN`));
      await pipeline(Readable.from([data]), stream);
    },
  };
}

export interface PgPoolSqlClientOptions {
  /** Called with errors of idle pooled connections (the pool drops them and opens new ones). */
  onIdleError?: (error: Error) => void;
}

export function createPgPoolSqlClient(pool: Pool, options: PgPoolSqlClientOptions = {}): SqlClient {
  // Without a listener an idle connection's error (server restart, killed backend) crashes the process.
  pool.on("error", options.onIdleError ?? ((error) => console.warn(`postgres pool: ${error.message}`)));
  const preparedOn = new WeakMap<PoolClient, Set<Prepare>>();

  return {
    ...sessionOf(pool),
    async transaction(work, prepare) {
      const client = await pool.connect();
      let broken = false;
      const onError = () => {
        broken = true;
      };
      client.on("error", onError);
      try {
        const session = sessionOf(client);
        if (prepare) {
          const done = preparedOn.get(client) ?? new Set<Prepare>();
          if (!done.has(prepare)) {
            await prepare(session);
            done.add(prepare);
            preparedOn.set(client, done);
          }
        }
        await client.query("BEGIN");
        try {
          const result = await work(session);
          await client.query("COMMIT");
          return result;
        } catch (error) {
          await client.query("ROLLBACK").catch(() => {
            broken = true;
          });
          throw error;
        }
      } finally {
        // pg-pool itself also drops a client whose connection has ended; `broken` covers the cases it cannot see.
        client.removeListener("error", onError);
        client.release(broken);
      }
    },
    close: () => pool.end(),
    locks: advisoryRunLocks(async () => {
      const client = await pool.connect();
      // A held lock's connection sits idle for minutes: its error must not crash the process.
      const onError = () => {};
      client.on("error", onError);
      return {
        query: async (text, params) =>
          (await client.query<unknown[]>({ text, values: [...params], rowMode: "array" })).rows,
        release(destroy) {
          client.removeListener("error", onError);
          client.release(destroy);
        },
      };
    }),
  };
}
