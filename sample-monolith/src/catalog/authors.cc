// Authors and categories.
#include <string>

#include "catalog/catalog_internal.h"
#include "common/clock.h"
#include "common/errors.h"
#include "common/json_fields.h"
#include "common/query_builder.h"

namespace bookstore::catalog {

Json listAuthors(Db& db, const std::optional<std::string>& name, const Paging& paging) {
  Select select("authors");
  select.columns({"id", "name", "created_at"});
  Params params;
  if (name) {
    select.where("name LIKE ?");
    params.emplace_back("%" + *name + "%");
  }
  int64_t total = db.queryInt(select.countSql(), params);
  select.orderBy("name, id").limit(paging.per_page).offset(paging.offset());
  return pageOf(db.query(select.sql(), params), paging, total);
}

Json authorDetails(Db& db, int64_t author_id) {
  auto row = db.queryOne("SELECT id, name, bio, created_at FROM authors WHERE id = ?", {author_id});
  if (!row) throw AppError::notFound("author " + std::to_string(author_id) + " not found");
  Json author = row->json();
  author["books"] = toJson(db.query(
      "SELECT b.id, b.title, b.price_cents FROM books b "
      "JOIN book_authors ba ON ba.book_id = b.id "
      "WHERE ba.author_id = ? AND b.active = 1 ORDER BY b.title LIMIT 100",
      {author_id}));
  return author;
}

Json createAuthor(Db& db, const Json& body) {
  std::string name = requireString(body, "name", 200);
  auto bio = optionalString(body, "bio", 4000);
  db.exec("INSERT INTO authors (name, bio, created_at) VALUES (?, ?, ?)", {name, bio, nowIso()});
  return authorDetails(db, db.lastInsertId());
}

Json updateAuthor(Db& db, int64_t author_id, const Json& body) {
  auto name = optionalString(body, "name", 200);
  auto bio = optionalString(body, "bio", 4000);
  Transaction tx(db);
  if (db.queryInt("SELECT COUNT(*) FROM authors WHERE id = ?", {author_id}) == 0) {
    throw AppError::notFound("author " + std::to_string(author_id) + " not found");
  }
  if (name) db.exec("UPDATE authors SET name = ? WHERE id = ?", {*name, author_id});
  if (bio) db.exec("UPDATE authors SET bio = ? WHERE id = ?", {*bio, author_id});
  tx.commit();
  return authorDetails(db, author_id);
}

Json listCategories(Db& db) {
  return Json{{"items", toJson(db.query(
                            "SELECT c.id, c.name, c.parent_id, "
                            "(SELECT COUNT(*) FROM books b WHERE b.category_id = c.id AND b.active = 1) "
                            "AS book_count FROM categories c ORDER BY c.name"))}};
}

Json categoryDetails(Db& db, int64_t category_id) {
  auto row = db.queryOne("SELECT id, name, parent_id FROM categories WHERE id = ?", {category_id});
  if (!row) throw AppError::notFound("category " + std::to_string(category_id) + " not found");
  Json category = row->json();
  category["children"] =
      toJson(db.query("SELECT id, name FROM categories WHERE parent_id = ? ORDER BY name", {category_id}));
  category["book_count"] =
      db.queryInt("SELECT COUNT(*) FROM books WHERE category_id = ? AND active = 1", {category_id});
  return category;
}

Json createCategory(Db& db, const Json& body) {
  std::string name = requireString(body, "name", 100);
  auto parent_id = optionalInt(body, "parent_id", 1, INT64_MAX);
  Transaction tx(db);
  if (parent_id && db.queryInt("SELECT COUNT(*) FROM categories WHERE id = ?", {*parent_id}) == 0) {
    throw AppError::invalid("unknown parent_id " + std::to_string(*parent_id));
  }
  if (db.queryInt("SELECT COUNT(*) FROM categories WHERE name = ?", {name}) > 0) {
    throw AppError::conflict("category '" + name + "' already exists");
  }
  db.exec("INSERT INTO categories (name, parent_id) VALUES (?, ?)", {name, parent_id});
  int64_t id = db.lastInsertId();
  tx.commit();
  return categoryDetails(db, id);
}

}  // namespace bookstore::catalog
