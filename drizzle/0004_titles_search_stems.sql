-- The search index gains the Snowball stems of every word (Russian for Cyrillic words,
-- English for the rest), so «брата» finds «Брат» and "running" finds "Run". Stems are
-- computed in JavaScript, so the table is rebuilt empty here and the server fills it at
-- start-up from `titles` (src/catalogue/search-index.ts) before it serves a request.
DROP TABLE `titles_search`;--> statement-breakpoint
CREATE VIRTUAL TABLE `titles_search` USING fts5(
  `name`, `original_name`, `description`,
  `name_stems`, `original_name_stems`, `description_stems`,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3'
);
