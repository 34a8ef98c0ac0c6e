// The state file's shadow_diff table: bounded per route, newest first, and
// the in-place upgrade of a version 1 file.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>

#include "strangler/state_store.h"

namespace strangler {
namespace {

ShadowDiffRecord diff(const std::string& route, int n) {
  ShadowDiffRecord d;
  d.route = route;
  d.request_id = "req-" + std::to_string(n);
  d.request = "GET /api/books/" + std::to_string(n) + " HTTP/1.1\r\nHost: x\r\n\r\n";
  d.legacy = "HTTP/1.1 200\r\n\r\n{\"n\":1}";
  d.service = "HTTP/1.1 200\r\n\r\n{\"n\":2, \"bad\":\"\xff\"}";
  d.differences = {{"$.n", "1", "2"}, {"header:etag", "\"a\"", "(absent)"}};
  return d;
}

TEST(ShadowStoreTest, KeepsTheNewestPerRoute) {
  auto store = StateStore::open(":memory:");
  ASSERT_TRUE(store) << store.error();
  for (int i = 0; i < 10; ++i) ASSERT_TRUE((*store)->saveShadowDiff(diff("a", i), 4));
  ASSERT_TRUE((*store)->saveShadowDiff(diff("b", 100), 4));
  ASSERT_TRUE((*store)->saveShadowDiff(diff("b", 101), 0));  // keep 0: not stored
  auto a = (*store)->shadowDiffs("a", 100);
  ASSERT_TRUE(a) << a.error();
  ASSERT_EQ(a->size(), 4u);
  EXPECT_EQ(a->front().request_id, "req-9");
  EXPECT_EQ(a->back().request_id, "req-6");
  ASSERT_EQ(a->front().differences.size(), 2u);
  EXPECT_EQ(a->front().differences[1].where, "header:etag");
  EXPECT_EQ(a->front().differences[1].legacy, "\"a\"");
  EXPECT_GT(a->front().at_ms, 0);
  EXPECT_EQ(a->front().service, diff("a", 0).service) << "bytes are kept as they are";
  auto all = (*store)->shadowDiffs("", 100);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 5u);
  EXPECT_EQ(all->front().route, "b");
  EXPECT_EQ((*store)->shadowDiffs("a", 2)->size(), 2u);
}

TEST(ShadowStoreTest, UpgradesAVersion1FileInPlace) {
  std::string path = (std::filesystem::temp_directory_path() / ("strangler-v1-" + std::to_string(::getpid()) + ".db")).string();
  std::filesystem::remove(path);
  {
    // What the version 1 proxy wrote.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    const char* v1 =
        "CREATE TABLE route_state (route TEXT PRIMARY KEY, state TEXT NOT NULL, weight_bp INTEGER NOT NULL,"
        " updated_at INTEGER NOT NULL, reason TEXT NOT NULL DEFAULT '', actor TEXT NOT NULL DEFAULT '');"
        "CREATE TABLE route_event (id INTEGER PRIMARY KEY AUTOINCREMENT, route TEXT NOT NULL,"
        " old_state TEXT NOT NULL DEFAULT '', old_weight_bp INTEGER NOT NULL DEFAULT 0, new_state TEXT NOT NULL,"
        " new_weight_bp INTEGER NOT NULL, at INTEGER NOT NULL, reason TEXT NOT NULL DEFAULT '',"
        " actor TEXT NOT NULL DEFAULT '');"
        "INSERT INTO route_state VALUES ('books', 'canary', 2500, 1, 'ticket 1', 'ops');"
        "PRAGMA application_id=1398035022; PRAGMA user_version=1;";
    ASSERT_EQ(sqlite3_exec(db, v1, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
  }
  {
    auto store = StateStore::open(path);
    ASSERT_TRUE(store) << store.error();
    auto routes = (*store)->load();
    ASSERT_TRUE(routes);
    EXPECT_EQ(routes->at("books").weight, 2500u);
    ASSERT_TRUE((*store)->saveShadowDiff(diff("books", 1), 5));
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(s, 0), 2);
  sqlite3_finalize(s);
  sqlite3_close(db);
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
}

}  // namespace
}  // namespace strangler
