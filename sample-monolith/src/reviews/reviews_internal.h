// Review services used by the reviews module's own routes.
#pragma once

#include <optional>
#include <string>

#include "common/db.h"
#include "common/http.h"

namespace bookstore::reviews {

struct ReviewFilter {
  std::optional<int64_t> book_id;
  std::optional<int64_t> customer_id;
  std::optional<int64_t> min_rating;
  std::string status = "approved";
};

Json reviewDetails(Db& db, int64_t review_id);
Json listReviews(Db& db, const ReviewFilter& filter, const Paging& paging);
Json createReview(Db& db, const Json& body);
Json moderateReview(Db& db, int64_t review_id, const std::string& status);
void deleteReview(Db& db, int64_t review_id);
/// Average, count and a 1-5 star histogram of approved reviews.
Json bookSummary(Db& db, int64_t book_id);

}  // namespace bookstore::reviews
