ALTER TABLE `jobs` ADD `claimed_at_ms` integer;--> statement-breakpoint
ALTER TABLE `media` ADD `error_code` text;--> statement-breakpoint
ALTER TABLE `media` ADD `error_params` text;--> statement-breakpoint
CREATE INDEX `media_owner_status` ON `media` (`owner_id`,`status`);