/**
 * The edge's OpenAPI document is written from the same zod schemas the routes parse their queries and
 * bodies with: each route file describes its route here (`documentRoute`), next to its handler. The
 * handlers keep parsing as they did (bounded body reads, the API's own 400 messages), so describing a
 * route never changes what it answers. GET /openapi.json serves the document (app.ts).
 */
import { createRoute, type OpenAPIHono, type RouteConfig, z } from "@hono/zod-openapi";
import { ApiErrorBody } from "../../models/contracts/index.ts";
import type { EdgeContext } from "./edge-context.ts";

/** The bearer scheme every keyed route names (app.ts registers it). */
export const API_KEY_SECURITY = [{ apiKey: [] }];

export const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: ApiErrorBody } },
});

/** A JSON answer whose shape is not a shared schema: described in words, any object. */
export const jsonResponse = (description: string, schema: z.ZodType = z.looseObject({})) => ({
  description,
  content: { "application/json": { schema } },
});

export const jsonBody = (schema: z.ZodType, description?: string) => ({
  required: true,
  ...(description === undefined ? {} : { description }),
  content: { "application/json": { schema } },
});

/** What every keyed route may also answer. */
const KEYED_ERRORS = {
  401: errorResponse("No API key, or one this edge does not know (missing_api_key, invalid_api_key)"),
  500: errorResponse("A failure the edge logged (internal_error, invalid_configuration)"),
};

/**
 * Adds the route to the app's OpenAPI document. `keyed` (the default) adds the API key requirement
 * and the 401 and 500 answers every keyed route shares.
 */
export function documentRoute(
  app: OpenAPIHono<EdgeContext>,
  config: RouteConfig,
  options: { keyed?: boolean } = {},
): OpenAPIHono<EdgeContext> {
  const keyed = options.keyed ?? true;
  app.openAPIRegistry.registerPath(
    createRoute({
      ...config,
      ...(keyed ? { security: API_KEY_SECURITY } : { security: [] }),
      responses: keyed ? { ...KEYED_ERRORS, ...config.responses } : config.responses,
    }),
  );
  return app;
}
