CREATE TABLE `entity` (
	`id` text PRIMARY KEY NOT NULL,
	`capability_hash` text NOT NULL,
	`sni3` text,
	`employee_band` text,
	`county` text,
	`created_month` text NOT NULL,
	`synthetic` integer DEFAULT false NOT NULL,
	CONSTRAINT "entity_id_format" CHECK(length("entity"."id") = 32 AND "entity"."id" NOT GLOB '*[^0-9a-f]*'),
	CONSTRAINT "entity_capability_hash_format" CHECK(length("entity"."capability_hash") = 64 AND "entity"."capability_hash" NOT GLOB '*[^0-9a-f]*'),
	CONSTRAINT "entity_sni3_format" CHECK("entity"."sni3" IS NULL OR "entity"."sni3" GLOB '[0-9][0-9][0-9]'),
	CONSTRAINT "entity_employee_band_value" CHECK("entity"."employee_band" IS NULL OR "entity"."employee_band" IN ('0', '1-4', '5-9', '10-19', '20-49', '50-99', '100-249', '250+')),
	CONSTRAINT "entity_county_format" CHECK("entity"."county" IS NULL OR "entity"."county" GLOB '[0-9][0-9]'),
	CONSTRAINT "entity_created_month_format" CHECK("entity"."created_month" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `entity_capability_hash_unique` ON `entity` (`capability_hash`);--> statement-breakpoint
CREATE TABLE `year_summary` (
	`entity_id` text NOT NULL,
	`fiscal_start` text NOT NULL,
	`fiscal_end` text NOT NULL,
	`employees` integer,
	`balance` text NOT NULL,
	`result` text NOT NULL,
	`uploaded_month` text NOT NULL,
	PRIMARY KEY(`entity_id`, `fiscal_start`),
	FOREIGN KEY (`entity_id`) REFERENCES `entity`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "year_summary_start_format" CHECK("year_summary"."fiscal_start" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	CONSTRAINT "year_summary_end_format" CHECK("year_summary"."fiscal_end" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	CONSTRAINT "year_summary_uploaded_month_format" CHECK("year_summary"."uploaded_month" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]')
);
