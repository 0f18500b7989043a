ALTER TABLE "raw_payloads" ADD COLUMN "dedup_key" text;--> statement-breakpoint
CREATE UNIQUE INDEX "raw_payloads_dedup_idx" ON "raw_payloads" USING btree ("dedup_key");