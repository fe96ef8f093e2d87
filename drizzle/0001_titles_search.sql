-- Full-text search over titles. SQLite's lower()/LIKE fold only ASCII, so the
-- title service writes folded text here (lower case, ё → е) and folds queries the
-- same way; unicode61 splits words for Cyrillic and Latin alike. rowid = titles.id.
CREATE VIRTUAL TABLE `titles_search` USING fts5(
  `name`, `original_name`, `description`,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3'
);
