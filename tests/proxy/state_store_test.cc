// StateStore: persistence across reopen, history, refusal of foreign files.
#include "strangler/state_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace strangler {
namespace {

class ProxyStateStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("strangler-state-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "state.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(ProxyStateStoreTest, PersistsAcrossReopen) {
  {
    auto store = StateStore::open(path_);
    ASSERT_TRUE(store) << store.error();
    RouteStateRecord r;
    r.route = "catalog";
    r.state = RouteState::kCanary;
    r.weight_bp = 2500;
    r.reason = "first canary";
    r.actor = "alice";
    ASSERT_TRUE((*store)->save(r).isOk());
    ASSERT_TRUE((*store)->save("orders", RouteRollout{RouteState::kMigrated, 10000}).isOk());
  }
  auto store = StateStore::open(path_);
  ASSERT_TRUE(store) << store.error();
  auto all = (*store)->loadAll();
  ASSERT_TRUE(all) << all.error();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].route, "catalog");
  EXPECT_EQ((*all)[0].state, RouteState::kCanary);
  EXPECT_EQ((*all)[0].weight_bp, 2500u);
  EXPECT_EQ((*all)[0].reason, "first canary");
  EXPECT_EQ((*all)[0].actor, "alice");
  EXPECT_GT((*all)[0].updated_at_ms, 0);
  EXPECT_EQ((*all)[1].route, "orders");
  EXPECT_EQ((*all)[1].state, RouteState::kMigrated);

  auto map = (*store)->load();
  ASSERT_TRUE(map);
  EXPECT_EQ(map->at("catalog").weight, 2500u);
  EXPECT_EQ(map->at("orders").state, RouteState::kMigrated);
}

TEST_F(ProxyStateStoreTest, UsesWriteAheadLog) {
  auto store = StateStore::open(path_);
  ASSERT_TRUE(store) << store.error();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), "wal");
  sqlite3_finalize(s);
  sqlite3_close(db);
}

TEST_F(ProxyStateStoreTest, HistoryRecordsEveryChangeNewestFirst) {
  auto store = StateStore::open(path_);
  ASSERT_TRUE(store);
  ASSERT_TRUE((*store)->save("catalog", RouteRollout{RouteState::kCanary, 500}).isOk());
  ASSERT_TRUE((*store)->save("catalog", RouteRollout{RouteState::kCanary, 5000}).isOk());
  ASSERT_TRUE((*store)->save("other", RouteRollout{RouteState::kShadow, 0}).isOk());
  ASSERT_TRUE((*store)->save("catalog", RouteRollout{RouteState::kMigrated, 10000}).isOk());

  auto h = (*store)->history("catalog", 10);
  ASSERT_TRUE(h) << h.error();
  ASSERT_EQ(h->size(), 3u);
  EXPECT_EQ((*h)[0].old_state, "canary");
  EXPECT_EQ((*h)[0].old_weight_bp, 5000u);
  EXPECT_EQ((*h)[0].new_state, "migrated");
  EXPECT_EQ((*h)[2].old_state, "");  // first record of the route
  EXPECT_EQ((*h)[2].new_weight_bp, 500u);

  auto all = (*store)->history("", 2);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[1].route, "other");
}

TEST_F(ProxyStateStoreTest, EraseForgetsRouteAndKeepsHistory) {
  auto store = StateStore::open(path_);
  ASSERT_TRUE(store);
  ASSERT_TRUE((*store)->save("gone", RouteRollout{RouteState::kRetired, 10000}).isOk());
  ASSERT_TRUE((*store)->erase("gone", "removed from config", "config").isOk());
  auto all = (*store)->loadAll();
  ASSERT_TRUE(all);
  EXPECT_TRUE(all->empty());
  auto h = (*store)->history("gone", 10);
  ASSERT_TRUE(h);
  ASSERT_EQ(h->size(), 2u);
  EXPECT_EQ((*h)[0].old_state, "retired");
  EXPECT_EQ((*h)[0].new_state, "");
}

TEST_F(ProxyStateStoreTest, RejectsBadValuesWithoutWriting) {
  auto store = StateStore::open(path_);
  ASSERT_TRUE(store);
  EXPECT_FALSE((*store)->save("x", RouteRollout{RouteState::kCanary, 10001}).isOk());
  EXPECT_FALSE((*store)->save("", RouteRollout{RouteState::kCanary, 1}).isOk());
  auto all = (*store)->loadAll();
  ASSERT_TRUE(all);
  EXPECT_TRUE(all->empty());
  auto h = (*store)->history("", 10);
  ASSERT_TRUE(h);
  EXPECT_TRUE(h->empty());
}

TEST_F(ProxyStateStoreTest, RefusesForeignDatabaseUntouched) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE books(id INTEGER)", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto before = std::filesystem::file_size(path_);

  auto store = StateStore::open(path_);
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().find("another application"), std::string::npos) << store.error();
  EXPECT_EQ(std::filesystem::file_size(path_), before);
}

TEST_F(ProxyStateStoreTest, RefusesGarbageFile) {
  std::ofstream(path_) << "this is not a database, just text that is long enough to matter\n"
                       << std::string(200, 'x');
  auto store = StateStore::open(path_);
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().find(path_), std::string::npos) << store.error();
}

TEST_F(ProxyStateStoreTest, RefusesUnknownStateWrittenByHand) {
  {
    auto store = StateStore::open(path_);
    ASSERT_TRUE(store);
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  // The CHECK constraint stops a bad state even from another writer.
  EXPECT_NE(sqlite3_exec(db,
                         "INSERT INTO route_state(route, state, weight_bp, updated_at) "
                         "VALUES ('x', 'bogus', 0, 0)",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
}

TEST_F(ProxyStateStoreTest, InMemoryStoreWorks) {
  auto store = StateStore::open(":memory:");
  ASSERT_TRUE(store) << store.error();
  ASSERT_TRUE((*store)->save("a", RouteRollout{RouteState::kLegacy, 0}).isOk());
  auto all = (*store)->load();
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 1u);
}

}  // namespace
}  // namespace strangler

namespace strangler {
namespace {

TEST(ProxyStateStoreAnnotationTest, TagsSavesOfThisThreadOnly) {
  auto store = StateStore::open(":memory:");
  ASSERT_TRUE(store);
  {
    StateStore::Annotation note("ramp up", "admin");
    ASSERT_TRUE((*store)->save("a", RouteRollout{RouteState::kCanary, 100}).isOk());
  }
  ASSERT_TRUE((*store)->save("b", RouteRollout{RouteState::kLegacy, 0}).isOk());
  auto all = (*store)->loadAll();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].reason, "ramp up");
  EXPECT_EQ((*all)[0].actor, "admin");
  EXPECT_EQ((*all)[1].reason, "");
  EXPECT_EQ((*all)[1].actor, "proxy");
}

}  // namespace
}  // namespace strangler
