CREATE TABLE "events" (
	"event_id" text PRIMARY KEY NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "events_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"type" text NOT NULL,
	"user_id" text,
	"item_id" text,
	"ts" timestamp with time zone NOT NULL,
	"value" double precision,
	"text" text,
	"context" jsonb,
	"source" text NOT NULL,
	"entity" jsonb,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "item_documents" (
	"event_id" text PRIMARY KEY NOT NULL,
	"item_id" text NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"document" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "items" (
	"item_id" text PRIMARY KEY NOT NULL,
	"idx" integer GENERATED ALWAYS AS IDENTITY (sequence name "items_idx_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"title" text,
	"text" text,
	"categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"price" double precision,
	"image_url" text,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"attributes_ts" timestamp with time zone,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "items_idx_unique" UNIQUE("idx")
);
--> statement-breakpoint
CREATE TABLE "raw_payloads" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "raw_payloads_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"batch_id" text NOT NULL,
	"position" integer NOT NULL,
	"event_id" text,
	"accepted" boolean NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"payload" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"user_id" text PRIMARY KEY NOT NULL,
	"idx" integer GENERATED ALWAYS AS IDENTITY (sequence name "users_idx_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"attributes_ts" timestamp with time zone,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_idx_unique" UNIQUE("idx")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "events_seq_idx" ON "events" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "item_documents_item_ts_idx" ON "item_documents" USING btree ("item_id","ts");--> statement-breakpoint
CREATE INDEX "raw_payloads_batch_idx" ON "raw_payloads" USING btree ("batch_id");--> statement-breakpoint
CREATE INDEX "raw_payloads_event_idx" ON "raw_payloads" USING btree ("event_id");