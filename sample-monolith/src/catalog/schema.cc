// Tables owned by the catalog.
#include "catalog/catalog.h"

namespace bookstore::catalog {
namespace {

constexpr const char* kCatalogDdl = R"sql(
CREATE TABLE IF NOT EXISTS categories (
  id        INTEGER PRIMARY KEY,
  name      TEXT NOT NULL UNIQUE,
  parent_id INTEGER REFERENCES categories(id)
);
CREATE TABLE IF NOT EXISTS authors (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  bio        TEXT,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS books (
  id             INTEGER PRIMARY KEY,
  isbn           TEXT NOT NULL UNIQUE,
  title          TEXT NOT NULL,
  description    TEXT,
  category_id    INTEGER REFERENCES categories(id),
  price_cents    INTEGER NOT NULL CHECK (price_cents >= 0),
  weight_grams   INTEGER NOT NULL DEFAULT 300 CHECK (weight_grams > 0),
  published_year INTEGER,
  active         INTEGER NOT NULL DEFAULT 1,
  rating_avg     REAL NOT NULL DEFAULT 0,
  rating_count   INTEGER NOT NULL DEFAULT 0,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS books_by_category ON books(category_id);
CREATE INDEX IF NOT EXISTS books_by_title ON books(title);
CREATE TABLE IF NOT EXISTS book_authors (
  book_id   INTEGER NOT NULL REFERENCES books(id),
  author_id INTEGER NOT NULL REFERENCES authors(id),
  PRIMARY KEY (book_id, author_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS book_authors_by_author ON book_authors(author_id);
)sql";

}  // namespace

std::string schemaDdl() { return kCatalogDdl; }

}  // namespace bookstore::catalog
