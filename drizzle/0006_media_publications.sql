-- Segment URIs were tagged with the job's attempt number, from none (1) to `?a=3` (the most
-- attempts a job gets), and a retried video's fresh job counted from 1 again. Publications
-- are now counted per media: one that may be transcoded again (not ready yet) and may have
-- published under those tags starts past them; a ready one keeps its plain names.
ALTER TABLE `media` ADD `publications` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `media` SET `publications` = 3 WHERE `status` IN ('queued', 'processing', 'failed');
