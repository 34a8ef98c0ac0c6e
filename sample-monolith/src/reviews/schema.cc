// The reviews table and the triggers that keep books' rating aggregates.
#include "reviews/reviews.h"

namespace bookstore::reviews {
namespace {

// One expression, reused by every trigger: recompute from approved reviews.
#define RECOMPUTE_RATING(book)                                                                          \
  "UPDATE books SET "                                                                                   \
  "rating_count = (SELECT COUNT(*) FROM reviews WHERE book_id = " book " AND status = 'approved'), "    \
  "rating_avg = COALESCE((SELECT ROUND(AVG(rating), 2) FROM reviews WHERE book_id = " book              \
  " AND status = 'approved'), 0) WHERE id = " book ";"

constexpr const char* kReviewsDdl =
    "CREATE TABLE IF NOT EXISTS reviews ("
    "  id                INTEGER PRIMARY KEY,"
    "  book_id           INTEGER NOT NULL REFERENCES books(id),"
    "  customer_id       INTEGER NOT NULL REFERENCES customers(id),"
    "  rating            INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),"
    "  title             TEXT NOT NULL,"
    "  body              TEXT NOT NULL,"
    "  status            TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),"
    "  verified_purchase INTEGER NOT NULL DEFAULT 0,"
    "  created_at        TEXT NOT NULL,"
    "  moderated_at      TEXT,"
    "  UNIQUE (book_id, customer_id)"
    ");"
    "CREATE INDEX IF NOT EXISTS reviews_by_book ON reviews(book_id, status);"
    "CREATE TRIGGER IF NOT EXISTS reviews_rating_after_insert AFTER INSERT ON reviews "
    "WHEN NEW.status = 'approved' BEGIN " RECOMPUTE_RATING("NEW.book_id") " END;"
    "CREATE TRIGGER IF NOT EXISTS reviews_rating_after_moderation AFTER UPDATE OF status ON reviews "
    "BEGIN " RECOMPUTE_RATING("NEW.book_id") " END;"
    "CREATE TRIGGER IF NOT EXISTS reviews_rating_after_delete AFTER DELETE ON reviews "
    "WHEN OLD.status = 'approved' BEGIN " RECOMPUTE_RATING("OLD.book_id") " END;";

}  // namespace

std::string schemaDdl() { return kReviewsDdl; }

}  // namespace bookstore::reviews
