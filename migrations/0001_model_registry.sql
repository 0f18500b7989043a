CREATE TABLE "model_versions" (
	"name" text NOT NULL,
	"version" text NOT NULL,
	"kind" text NOT NULL,
	"metrics" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"size_bytes" bigint NOT NULL,
	"sha256" text NOT NULL,
	"training_window_start" timestamp with time zone,
	"training_window_end" timestamp with time zone,
	"status" text DEFAULT 'candidate' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_manifest_version" bigint,
	"notes" text,
	CONSTRAINT "model_versions_name_version_pk" PRIMARY KEY("name","version")
);
--> statement-breakpoint
CREATE TABLE "training_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"trigger" text NOT NULL,
	"outcome" text DEFAULT 'running' NOT NULL,
	"message" text
);
--> statement-breakpoint
CREATE INDEX "model_versions_status_idx" ON "model_versions" USING btree ("name","status");