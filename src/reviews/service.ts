// Ratings and reviews: what the routes and the pages call. Plain values in and out;
// mutations take the acting user and check rights after loading the entity.
export { rateTitle, recomputeTitleRatings, unrateTitle } from './ratings'
export { createReview, deleteReview, findUserReview, getReview, listReviews, updateReview } from './reviews'
