CREATE TABLE `invites` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`token_hash` text NOT NULL,
	`created_by` integer,
	`expires_at_ms` integer NOT NULL,
	`used_by` integer,
	`used_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`used_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invites_token_hash` ON `invites` (`token_hash`);--> statement-breakpoint
CREATE TABLE `password_resets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`token_hash` text NOT NULL,
	`user_id` integer NOT NULL,
	`created_by` integer,
	`expires_at_ms` integer NOT NULL,
	`used_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `password_resets_token_hash` ON `password_resets` (`token_hash`);--> statement-breakpoint
CREATE INDEX `password_resets_user` ON `password_resets` (`user_id`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_media` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title_id` integer,
	`episode_id` integer,
	`owner_id` integer,
	`status` text DEFAULT 'uploading' NOT NULL,
	`progress` real DEFAULT 0 NOT NULL,
	`error` text,
	`error_code` text,
	`error_params` text,
	`original_filename` text,
	`size_bytes` integer,
	`duration_sec` real,
	`source` text,
	`renditions` text DEFAULT '[]' NOT NULL,
	`audio` text DEFAULT '[]' NOT NULL,
	`subtitles` text DEFAULT '[]' NOT NULL,
	`is_playable` integer DEFAULT false NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`title_id`) REFERENCES `titles`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`episode_id`) REFERENCES `episodes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
INSERT INTO `__new_media`("id", "title_id", "episode_id", "owner_id", "status", "progress", "error", "error_code", "error_params", "original_filename", "size_bytes", "duration_sec", "source", "renditions", "audio", "subtitles", "is_playable", "created_at", "updated_at") SELECT "id", "title_id", "episode_id", "owner_id", "status", "progress", "error", "error_code", "error_params", "original_filename", "size_bytes", "duration_sec", "source", "renditions", "audio", "subtitles", "is_playable", "created_at", "updated_at" FROM `media`;--> statement-breakpoint
DROP TABLE `media`;--> statement-breakpoint
ALTER TABLE `__new_media` RENAME TO `media`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `media_title` ON `media` (`title_id`);--> statement-breakpoint
CREATE INDEX `media_episode` ON `media` (`episode_id`);--> statement-breakpoint
CREATE INDEX `media_owner_status` ON `media` (`owner_id`,`status`);--> statement-breakpoint
CREATE TABLE `__new_titles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`original_name` text,
	`year` integer,
	`description` text,
	`genres` text DEFAULT '[]' NOT NULL,
	`name_key` text NOT NULL,
	`owner_id` integer,
	`rating_sum` integer DEFAULT 0 NOT NULL,
	`rating_count` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
INSERT INTO `__new_titles`("id", "kind", "name", "original_name", "year", "description", "genres", "name_key", "owner_id", "rating_sum", "rating_count", "created_at", "updated_at") SELECT "id", "kind", "name", "original_name", "year", "description", "genres", "name_key", "owner_id", "rating_sum", "rating_count", "created_at", "updated_at" FROM `titles`;--> statement-breakpoint
DROP TABLE `titles`;--> statement-breakpoint
ALTER TABLE `__new_titles` RENAME TO `titles`;--> statement-breakpoint
CREATE INDEX `titles_created` ON `titles` (`created_at`);--> statement-breakpoint
CREATE INDEX `titles_year` ON `titles` (`year`);--> statement-breakpoint
CREATE INDEX `titles_name_key` ON `titles` (`name_key`);--> statement-breakpoint
CREATE INDEX `titles_owner` ON `titles` (`owner_id`);--> statement-breakpoint
ALTER TABLE `sessions` ADD `user_agent` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `last_seen_at_ms` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `username_skeleton` text;--> statement-breakpoint
ALTER TABLE `users` ADD `is_admin` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `disabled_at` text;--> statement-breakpoint
CREATE INDEX `users_username_skeleton` ON `users` (`username_skeleton`);