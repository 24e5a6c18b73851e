CREATE TABLE `entity_metric` (
	`entity_id` text NOT NULL,
	`fiscal_year` integer NOT NULL,
	`sni3` text,
	`employee_band` text,
	`county` text,
	`synthetic` integer NOT NULL,
	`net_sales` real NOT NULL,
	`metric_values` blob NOT NULL,
	PRIMARY KEY(`entity_id`, `fiscal_year`),
	FOREIGN KEY (`entity_id`) REFERENCES `entity`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `entity_metric_cell` ON `entity_metric` (`fiscal_year`,`sni3`,`employee_band`,`county`);--> statement-breakpoint
CREATE TABLE `peer_group` (
	`group_key` text PRIMARY KEY NOT NULL,
	`fiscal_year` integer NOT NULL,
	`level` text NOT NULL,
	`sni` text,
	`employee_band` text,
	`county` text,
	`n` integer NOT NULL,
	`mean_net_sales` real,
	`includes_synthetic` integer NOT NULL,
	`stats` text NOT NULL,
	CONSTRAINT "peer_group_level_value" CHECK("peer_group"."level" IN ('sni3', 'sni2', 'section', 'all')),
	CONSTRAINT "peer_group_released_size" CHECK("peer_group"."n" >= 5),
	CONSTRAINT "peer_group_stats_json" CHECK(json_valid("peer_group"."stats"))
);
