// The catalogue's service: what its routes and the pages call (never the API over HTTP).
// Plain values in and out; mutations take the acting user and check rights themselves,
// after loading the entity (a missing one is a 404 before any 403).
export {
  createEpisode,
  deleteEpisode,
  type EpisodeLink,
  type EpisodeNeighbours,
  findEpisodeNeighbours,
  findEpisodeRow,
  getEpisode,
  updateEpisode,
} from './episodes'
export { popularGenres } from './genres'
export { listTitles, type TitlePage } from './list'
export { forgetTitleLists } from './list-cache'
export { foldText } from './search'
export { fillSearchIndex } from './search-index'
export { createSeason, deleteSeason, findSeasonRow, getSeason, updateSeason } from './seasons'
export { type CatalogueStore, createTitle, deleteTitle, findTitleRow, getTitle, loadTitle, updateTitle } from './titles'
export { ratingSummary } from './json'
