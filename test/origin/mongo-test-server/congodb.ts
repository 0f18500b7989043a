/**
 * A MongoDB wire-protocol server for tests: CongoDB from @push.rocks/smartmongo (TypeScript, in memory).
 * No real mongod can be installed here (see ../shared/NOTES.md), so tests against it check our use of the
 * official driver, not compatibility with every MongoDB server behaviour. This folder is its own npm package
 * (installed by the root's `prepare` script) so that smartmongo and the stubs its install needs stay out of
 * the product's dependencies; this file lives in it so that the import below resolves to its node_modules.
 */
import { createServer } from "node:net";
import { congodb } from "@push.rocks/smartmongo";

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") {
    throw new Error("no TCP port");
  }
  return address.port;
}

export async function startCongoDb(): Promise<{ url: string; stop(): Promise<void> }> {
  const server = new congodb.CongoServer({ host: "127.0.0.1", port: await freePort() });
  await server.start();
  return { url: server.getConnectionUri(), stop: () => server.stop() };
}
