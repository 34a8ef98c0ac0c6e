// Builds fact stores for the reports tests: the real schema
// (analyzer/lib/schema.sql) plus inline or fixture-file INSERTs.
#pragma once

#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace seam::reports::testing {

inline std::string readText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string fixturePath(const std::string& name) { return std::string(SEAM_REPORTS_FIXTURES) + "/" + name; }

/// A fresh path in the test's temporary directory.
inline std::string tempPath(const std::string& name) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  auto dir = std::filesystem::path(::testing::TempDir()) / "seam_reports" / info->test_suite_name() / info->name();
  std::filesystem::create_directories(dir);
  auto path = dir / name;
  std::filesystem::remove(path);
  return path.string();
}

/// Executes `sql` on a new database at `path`; fails the test on error.
inline void execSql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  // Durability is irrelevant for a test fixture; fsyncs made each store take a second.
  sqlite3_exec(db, "PRAGMA synchronous = OFF; PRAGMA journal_mode = MEMORY;", nullptr, nullptr, nullptr);
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string message = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << message;
}

/// A fact store with the schema and `inserts`.
inline std::string makeStore(const std::string& name, const std::string& inserts) {
  std::string path = tempPath(name);
  execSql(path, readText(SEAM_SCHEMA_SQL) + "\n" + inserts);
  return path;
}

/// The shared fixture store (fixtures/store.sql): bookstore modules plus XSS payloads.
inline std::string makeFixtureStore() { return makeStore("store.db", readText(fixturePath("store.sql"))); }

}  // namespace seam::reports::testing
