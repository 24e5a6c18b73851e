PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_peer_group` (
	`group_key` text PRIMARY KEY NOT NULL,
	`fiscal_year` integer NOT NULL,
	`level` text NOT NULL,
	`sni` text,
	`employee_band` text,
	`county` text,
	`n` integer NOT NULL,
	`mean_net_sales` real,
	`includes_synthetic` integer NOT NULL,
	`stats` blob NOT NULL,
	CONSTRAINT "peer_group_level_value" CHECK("__new_peer_group"."level" IN ('sni3', 'sni2', 'section', 'all')),
	CONSTRAINT "peer_group_released_size" CHECK("__new_peer_group"."n" >= 5),
	CONSTRAINT "peer_group_stats_figures" CHECK(typeof("__new_peer_group"."stats") = 'blob' AND length("__new_peer_group"."stats") > 0 AND length("__new_peer_group"."stats") % 48 = 0)
);
--> statement-breakpoint
-- No rows are copied: the JSON stats no longer fit, and the engine rebuilds every published
-- group from entity_metric at start, before the first request.
DROP TABLE `peer_group`;--> statement-breakpoint
ALTER TABLE `__new_peer_group` RENAME TO `peer_group`;--> statement-breakpoint
PRAGMA foreign_keys=ON;