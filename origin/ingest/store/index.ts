export type {
  EventStore,
  EventStoreBackend,
  InsertBatchResult,
  InteractionBatch,
  ItemRow,
  StoredEvent,
  StreamEventsOptions,
  StreamInteractionsOptions,
  TransactionStep,
  UserRow,
} from "./event-store.ts";
export {
  type IsolatedWrite,
  StoreUnreachableError,
  tallyStored,
  writeIsolatingRefusals,
} from "./isolate-refusals.ts";
export type { MigrationReport } from "./migrate-under-lock.ts";
export { createNeonEventStore, type NeonEventStoreOptions, openNeonDatabase } from "./neon.ts";
export { type NeonLocalRelay, startNeonLocalRelay } from "./neon-local-relay.ts";
export { createPgliteEventStore, openPgliteDatabase, type PgliteEventStoreOptions } from "./pglite.ts";
export {
  createPostgresEventStore,
  openPostgresDatabase,
  type PostgresEventStoreOptions,
} from "./postgres.ts";
export {
  ADVISORY_LOCK_CLASS,
  advisoryLockObject,
  inTurn,
  type LockOutcome,
  RunBusyError,
  type RunLockName,
  type RunLocks,
} from "./run-locks.ts";
export type { SqlClient, SqlDatabase, SqlSession } from "./sql-client.ts";
export { type BulkMode, createSqlEventStore } from "./sql-event-store.ts";
export { isStoreUnreachable } from "./store-failure.ts";
