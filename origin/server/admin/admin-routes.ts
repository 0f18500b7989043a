/**
 * The operator's API under /v1/admin, behind ADMIN_API_KEY (a bearer key, as on the other routes):
 * GET /v1/admin/overview (what the dashboard shows) and POST /v1/admin/rollback, which restores a release
 * through rollbackRelease, the function `edgewise rollback` calls, under the `publish` run lock.
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { ApiError } from "../../../models/contracts/index.ts";
import { ErrorBody, inTurn, type RunLocks, requireApiKey } from "../../ingest/index.ts";
import { PublishError, rollbackRelease } from "../../release/index.ts";
import { type AdminDeps, adminOverview } from "./overview.ts";

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: ErrorBody } },
});

const security = [{ adminKey: [] }];

const overviewRoute = createRoute({
  method: "get",
  path: "/v1/admin/overview",
  operationId: "getAdminOverview",
  summary: "What the dashboard shows",
  description:
    "Releases with each served model's headline metric and the serving version, ingestion counts by type and rejected records by reason, the request history, the share of degraded answers the edge logged in the last hour, experiments' arms with confidence intervals, and the last learning runs with their off-policy estimates.",
  security,
  responses: {
    200: { description: "The overview", content: { "application/json": { schema: z.looseObject({}) } } },
    401: errorResponse("Missing or wrong admin key"),
  },
});

const RollbackBody = z.object({
  version: z
    .number()
    .int()
    .min(0)
    .optional()
    .openapi({ description: "the release to restore; default the one before the serving one" }),
});

const rollbackRoute = createRoute({
  method: "post",
  path: "/v1/admin/rollback",
  operationId: "rollbackRelease",
  summary: "Serve an earlier release again, as `edgewise rollback` does",
  security,
  request: { body: { required: false, content: { "application/json": { schema: RollbackBody } } } },
  responses: {
    200: {
      description: "The new manifest serves the restored release",
      content: {
        "application/json": {
          schema: z.object({
            manifest_version: z.number(),
            restored_from: z.number(),
            restored_users: z.number(),
          }),
        },
      },
    },
    400: errorResponse("A body that is not {version?: integer}"),
    401: errorResponse("Missing or wrong admin key"),
    422: errorResponse("No such release, or nothing earlier to restore (rollback_refused)"),
  },
});

export function registerAdminRoutes(
  app: OpenAPIHono,
  adminKey: string,
  deps: AdminDeps & { locks: RunLocks },
): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "adminKey", { type: "http", scheme: "bearer" });
  app.use("/v1/admin/*", requireApiKey(adminKey));
  app.openapi(overviewRoute, async (c) => c.json(await adminOverview(deps), 200));
  app.openapi(
    rollbackRoute,
    async (c) => {
      const body = RollbackBody.parse(await c.req.json().catch(() => ({})));
      const outcome = await inTurn(deps.locks, "publish", () =>
        deps.targets((targets) =>
          rollbackRelease(
            targets,
            deps.registry,
            body.version === undefined ? {} : { toVersion: body.version },
          ),
        ),
      ).catch((error: unknown) => {
        throw error instanceof PublishError ? new ApiError(422, "rollback_refused", error.message) : error;
      });
      return c.json(
        {
          manifest_version: outcome.manifest.version,
          restored_from: outcome.manifest.restoredFrom ?? outcome.manifest.version,
          restored_users: outcome.restoredUsers,
        },
        200,
      );
    },
    (result) => {
      if (!result.success) {
        throw new ApiError(400, "invalid_body", 'the body must be {"version": <release number>} or empty');
      }
      return undefined;
    },
  );
}
