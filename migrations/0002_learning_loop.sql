CREATE TABLE "learning_decisions" (
	"decision_id" text PRIMARY KEY NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"surface" text NOT NULL,
	"policy_id" text NOT NULL,
	"policy_version" text NOT NULL,
	"experiment_id" text,
	"experiment_arm" text,
	"record" jsonb NOT NULL,
	"holdout" boolean NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	"outcome" text,
	"slot_rewards" jsonb
);
--> statement-breakpoint
CREATE TABLE "learning_policies" (
	"policy_id" text PRIMARY KEY NOT NULL,
	"surface" text NOT NULL,
	"config" jsonb NOT NULL,
	"state" jsonb NOT NULL,
	"train_state" jsonb NOT NULL,
	"version" text NOT NULL,
	"published" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "learning_rewards" (
	"decision_id" text NOT NULL,
	"event_id" text NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"record" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"consumed_at" timestamp with time zone,
	CONSTRAINT "learning_rewards_decision_id_event_id_pk" PRIMARY KEY("decision_id","event_id")
);
--> statement-breakpoint
CREATE TABLE "learning_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone NOT NULL,
	"summary" jsonb NOT NULL,
	"bundle_version" text
);
--> statement-breakpoint
CREATE INDEX "learning_decisions_open_idx" ON "learning_decisions" USING btree ("ts") WHERE "learning_decisions"."closed_at" IS NULL;--> statement-breakpoint
CREATE INDEX "learning_decisions_holdout_idx" ON "learning_decisions" USING btree ("policy_id","closed_at") WHERE "learning_decisions"."holdout" AND "learning_decisions"."closed_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "learning_decisions_experiment_idx" ON "learning_decisions" USING btree ("experiment_id");--> statement-breakpoint
CREATE INDEX "learning_rewards_pending_idx" ON "learning_rewards" USING btree ("ts") WHERE "learning_rewards"."consumed_at" IS NULL;