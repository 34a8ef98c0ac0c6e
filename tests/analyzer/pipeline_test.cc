// The whole `seam analyze` pipeline on a small generated project in a temp
// directory with its own compile_commands.json: store contents, diagnostics,
// incremental runs, interruption, shard + merge, and refusal of bad inputs.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "seam/analyzer/analyze.h"
#include "seam/analyzer/fact_store.h"
#include "seam/analyzer/merge.h"
#include "seam/analyzer/show.h"

namespace seam::analyzer {
namespace {

namespace fs = std::filesystem;

std::string readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void writeFile(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

/// Every row of `sql`, each row's columns joined with '|', sorted.
std::vector<std::string> rows(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db) << "\n" << sql;
  std::vector<std::string> out;
  while (st && sqlite3_step(st) == SQLITE_ROW) {
    std::string row;
    for (int i = 0; i < sqlite3_column_count(st); ++i) {
      auto* t = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
      row += (i ? "|" : "") + std::string(t ? t : "NULL");
    }
    out.push_back(row);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  std::sort(out.begin(), out.end());
  return out;
}

/// The store's contents with every surrogate id replaced by what it names,
/// so two stores built in different orders compare equal when their facts do.
std::map<std::string, std::vector<std::string>> dump(const std::string& db) {
  std::map<std::string, std::vector<std::string>> d;
  d["modules"] = rows(db, "SELECT name, external FROM modules");
  d["files"] = rows(db, "SELECT f.path, m.name, f.hash, f.lines, f.is_header FROM files f JOIN modules m ON m.id = f.module_id");
  d["symbols"] = rows(db,
                      "SELECT s.usr, s.kind, s.qualified_name, f.path, s.line, s.col, m.name, s.is_definition, "
                      "s.lines FROM symbols s JOIN files f ON f.id = s.file_id JOIN modules m ON m.id = s.module_id");
  d["edges"] = rows(db,
                    "SELECT a.usr, b.usr, e.kind, e.count, f.path, e.line, e.col FROM edges e "
                    "JOIN symbols a ON a.id = e.src JOIN symbols b ON b.id = e.dst JOIN files f ON f.id = e.file_id");
  d["includes"] = rows(db,
                       "SELECT a.path, b.path, i.line FROM includes i JOIN files a ON a.id = i.from_file "
                       "JOIN files b ON b.id = i.to_file");
  d["tus"] = rows(db,
                  "SELECT f.path, t.command_hash, t.inputs_hash, t.status FROM translation_units t "
                  "JOIN files f ON f.id = t.file_id");
  d["tu_files"] = rows(db, "SELECT a.path, b.path FROM tu_files t JOIN files a ON a.id = t.tu_file_id JOIN files b ON b.id = t.file_id");
  d["routes"] = rows(db,
                     "SELECT r.method, r.path, r.framework, s.usr, f.path, r.line, m.name FROM routes r "
                     "LEFT JOIN symbols s ON s.id = r.handler_id JOIN files f ON f.id = r.file_id "
                     "LEFT JOIN modules m ON m.id = r.module_id");
  d["diagnostics"] = rows(db,
                          "SELECT t.path, f.path, d.severity, d.message, d.line, d.col FROM diagnostics d "
                          "JOIN files t ON t.id = d.tu_file_id LEFT JOIN files f ON f.id = d.file_id");
  d["sql_candidates"] = rows(db,
                             "SELECT c.caller_id, c.callee_id, c.callee_name, c.arg_index, c.text, c.complete, "
                             "f.path, c.line, c.col FROM sql_candidates c JOIN files f ON f.id = c.file_id");
  d["sql_statements"] = rows(db,
                             "SELECT s.symbol_id, f.path, s.line, s.col, s.sink, s.text, s.complete, s.parser, "
                             "COALESCE(s.error, '') FROM sql_statements s LEFT JOIN files f ON f.id = s.file_id");
  d["table_access"] = rows(db,
                           "SELECT s.text, a.symbol_id, a.table_name, COALESCE(a.column_name, ''), a.op, "
                           "COALESCE(a.via, '') FROM table_access a JOIN sql_statements s ON s.id = a.statement_id");
  return d;
}

class AnalyzerPipeline : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("seam-analyzer-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    writeFile(dir_ / "src/common/db.h", R"cc(
#pragma once
struct sqlite3;
extern "C" int sqlite3_exec(sqlite3*, const char*, int (*)(void*, int, char**, char**), void*, char**);
inline int runSql(sqlite3* db, const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr); }
struct Money { long cents; };
)cc");
    writeFile(dir_ / "src/catalog/catalog.cc", R"cc(
#include "common/db.h"
int g_books_loaded;
void createCatalog(sqlite3* db) { runSql(db, "CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT, price INTEGER)"); }
Money priceOf(sqlite3* db, int id) {
  ++g_books_loaded;
  sqlite3_exec(db, "SELECT price FROM books WHERE id = 1", nullptr, nullptr, nullptr);
  return Money{0};
}
)cc");
    writeFile(dir_ / "src/orders/orders.cc", R"cc(
#include "common/db.h"
Money priceOf(sqlite3* db, int id);
extern int g_books_loaded;
void placeOrder(sqlite3* db) {
  Money m = priceOf(db, 1);
  (void)m;
  g_books_loaded = 0;
  sqlite3_exec(db, "UPDATE books SET price = price + 1 WHERE id = 2", nullptr, nullptr, nullptr);
}
)cc");
    writeFile(dir_ / "src/main.cc", R"cc(
#include "common/db.h"
void createCatalog(sqlite3* db);
void placeOrder(sqlite3* db);
int main() { createCatalog(nullptr); placeOrder(nullptr); }
)cc");
    tus_ = {"src/catalog/catalog.cc", "src/orders/orders.cc", "src/main.cc"};
    writeCompileDb();
    options_.compile_db = (dir_ / "build").string();
    options_.root = dir_.string();
    options_.db_path = (dir_ / "seam.db").string();
    options_.jobs = 2;
  }
  void TearDown() override { fs::remove_all(dir_); }

  void writeCompileDb(const std::string& extra_flag = "") {
    std::string json = "[";
    for (size_t i = 0; i < tus_.size(); ++i) {
      json += (i ? ",\n" : "\n") + std::string("{\"directory\": \"") + dir_.string() +
              "\", \"command\": \"c++ -std=c++17 -Isrc " + extra_flag + " -c " + tus_[i] + " -o x.o\", \"file\": \"" +
              tus_[i] + "\"}";
    }
    writeFile(dir_ / "build/compile_commands.json", json + "\n]\n");
  }

  AnalyzeSummary run(AnalyzeOptions o) {
    auto result = analyze(o);
    EXPECT_TRUE(static_cast<bool>(result)) << (result ? "" : llvm::toString(result.takeError()));
    return result ? *result : AnalyzeSummary{};
  }
  AnalyzeSummary run() { return run(options_); }

  fs::path dir_;
  std::vector<std::string> tus_;
  AnalyzeOptions options_;
};

TEST_F(AnalyzerPipeline, FullRunRecordsModulesSymbolsEdgesAndSql) {
  AnalyzeSummary s = run();
  EXPECT_EQ(s.tus_total, 3u);
  EXPECT_EQ(s.tus_parsed, 3u);
  EXPECT_EQ(s.tus_with_errors, 0u);
  std::string db = options_.db_path;
  EXPECT_EQ(rows(db, "SELECT name FROM modules WHERE external = 0"),
            (std::vector<std::string>{"src", "src/catalog", "src/common", "src/orders"}));
  // The header's inline function is recorded once although three TUs read it.
  EXPECT_EQ(rows(db, "SELECT count(*) FROM symbol_decls WHERE qualified_name = 'runSql'"),
            std::vector<std::string>{"1"});
  EXPECT_EQ(rows(db,
                 "SELECT e.count FROM edges e JOIN symbols a ON a.id = e.src JOIN symbols b ON b.id = e.dst "
                 "WHERE a.qualified_name = 'runSql' AND b.qualified_name = 'sqlite3_exec'"),
            std::vector<std::string>{"1"});
  // Cross-module call, resolved to the definition in another TU.
  EXPECT_EQ(rows(db,
                 "SELECT e.kind, f.path FROM edges e JOIN symbols a ON a.id = e.src JOIN symbols b ON b.id = e.dst "
                 "JOIN files f ON f.id = b.file_id WHERE a.qualified_name = 'placeOrder' AND b.qualified_name = 'priceOf'"),
            std::vector<std::string>{"call|src/catalog/catalog.cc"});
  EXPECT_EQ(rows(db,
                 "SELECT e.kind FROM edges e JOIN symbols a ON a.id = e.src JOIN symbols b ON b.id = e.dst "
                 "WHERE a.qualified_name = 'placeOrder' AND b.qualified_name = 'g_books_loaded'"),
            std::vector<std::string>{"global_write"});
  EXPECT_EQ(rows(db,
                 "SELECT a.path, b.path FROM includes i JOIN files a ON a.id = i.from_file JOIN files b ON b.id = i.to_file"),
            (std::vector<std::string>{"src/catalog/catalog.cc|src/common/db.h", "src/main.cc|src/common/db.h",
                                      "src/orders/orders.cc|src/common/db.h"}));
  EXPECT_EQ(rows(db, "SELECT m.name FROM symbols s JOIN modules m ON m.id = s.module_id WHERE s.qualified_name = 'sqlite3_exec'"),
            std::vector<std::string>{"src/common"})
      << "declared in the project's own header";
  // SQL: statements reach table_access through the whole-store pass.
  auto accesses = rows(db,
                       "SELECT DISTINCT s.qualified_name, a.table_name, a.op FROM table_access a JOIN symbols s "
                       "ON s.id = a.symbol_id WHERE a.column_name IS NULL OR a.op != 'read'");
  EXPECT_NE(std::find(accesses.begin(), accesses.end(), "placeOrder|books|update"), accesses.end())
      << ::testing::PrintToString(accesses);
  EXPECT_EQ(rows(db, "SELECT value FROM meta WHERE key = 'project_root'"), std::vector<std::string>{dir_.string()});

  auto text = show(db, ShowView::kEdges, {});
  ASSERT_TRUE(static_cast<bool>(text));
  EXPECT_NE(text->find("src/orders"), std::string::npos);
  auto json = show(db, ShowView::kModules, ShowOptions{true, false, ""});
  ASSERT_TRUE(static_cast<bool>(json));
  EXPECT_NE(json->find("\"module\": \"src/catalog\""), std::string::npos);
}

TEST_F(AnalyzerPipeline, BrokenAndMissingTusAreDiagnosticsAndTheRunCompletes) {
  writeFile(dir_ / "src/broken/broken.cc", "int ok();\nint broken( { return undeclared_thing; }\n");
  tus_.push_back("src/broken/broken.cc");
  tus_.push_back("src/gone/missing.cc");
  writeCompileDb();
  AnalyzeSummary s = run();
  EXPECT_EQ(s.tus_parsed, 5u);
  EXPECT_EQ(s.tus_with_errors, 2u);
  std::string db = options_.db_path;
  EXPECT_EQ(rows(db, "SELECT f.path, t.status FROM translation_units t JOIN files f ON f.id = t.file_id WHERE t.status != 'ok'"),
            (std::vector<std::string>{"src/broken/broken.cc|errors", "src/gone/missing.cc|failed"}));
  auto diags = rows(db, "SELECT t.path, d.severity, d.line FROM diagnostics d JOIN files t ON t.id = d.tu_file_id");
  ASSERT_FALSE(diags.empty());
  EXPECT_EQ(diags.front().rfind("src/broken/broken.cc|error|2", 0), 0u) << ::testing::PrintToString(diags);
  EXPECT_EQ(rows(db, "SELECT count(*) > 0 FROM diagnostics d JOIN files t ON t.id = d.tu_file_id WHERE t.path = 'src/gone/missing.cc'"),
            std::vector<std::string>{"1"});
  EXPECT_EQ(rows(db, "SELECT count(*) FROM symbols WHERE qualified_name = 'placeOrder'"), std::vector<std::string>{"1"});
}

TEST_F(AnalyzerPipeline, IncrementalRunReparsesOnlyWhatChanged) {
  run();
  AnalyzeSummary again = run();
  EXPECT_TRUE(again.up_to_date);
  EXPECT_EQ(again.tus_parsed, 0u);
  EXPECT_EQ(again.tus_unchanged, 3u);

  writeFile(dir_ / "src/orders/orders.cc", readFile(dir_ / "src/orders/orders.cc") + "void refund() { placeOrder(nullptr); }\n");
  AnalyzeSummary one = run();
  EXPECT_EQ(one.tus_parsed, 1u);
  EXPECT_EQ(one.tus_unchanged, 2u);
  EXPECT_EQ(rows(options_.db_path, "SELECT count(*) FROM symbols WHERE qualified_name = 'refund'"),
            std::vector<std::string>{"1"});

  // The incremental store equals a fresh full run.
  AnalyzeOptions full = options_;
  full.db_path = (dir_ / "full.db").string();
  run(full);
  EXPECT_EQ(dump(options_.db_path), dump(full.db_path));

  // A header edit re-parses every TU that includes it.
  writeFile(dir_ / "src/common/db.h", readFile(dir_ / "src/common/db.h") + "struct Extra {};\n");
  AnalyzeSummary header = run();
  EXPECT_EQ(header.tus_parsed, 3u);
  EXPECT_EQ(rows(options_.db_path, "SELECT count(*) FROM symbols WHERE qualified_name = 'Extra'"),
            std::vector<std::string>{"1"});

  // A changed compile command re-parses that TU's command (all of them here).
  writeCompileDb("-DEXTRA=1");
  EXPECT_EQ(run().tus_parsed, 3u);
  // A TU removed from the compile database loses its facts.
  tus_.pop_back();
  writeCompileDb("-DEXTRA=1");
  AnalyzeSummary removed = run();
  EXPECT_EQ(removed.tus_removed, 1u);
  EXPECT_EQ(rows(options_.db_path, "SELECT count(*) FROM symbols WHERE qualified_name = 'main'"),
            std::vector<std::string>{"0"});
}

TEST_F(AnalyzerPipeline, InterruptedRunLeavesThePreviousStoreIntact) {
  run();
  std::string before = readFile(options_.db_path);
  writeFile(dir_ / "src/orders/orders.cc", "void changed() {}\n");
  writeFile(dir_ / "src/main.cc", "int main() { return 1; }\n");
  std::atomic<bool> cancel{false};
  AnalyzeOptions o = options_;
  o.jobs = 1;
  o.cancel = &cancel;
  o.on_progress = [&](size_t, size_t, const std::string&) { cancel = true; };
  auto result = analyze(o);
  ASSERT_FALSE(static_cast<bool>(result));
  std::error_code ec = llvm::errorToErrorCode(result.takeError());
  EXPECT_EQ(ec, std::errc::interrupted);
  EXPECT_EQ(readFile(options_.db_path), before);
  EXPECT_FALSE(fs::exists(options_.db_path + ".tmp"));
  EXPECT_FALSE(static_cast<bool>(validateStoreFile(options_.db_path)));
}

TEST_F(AnalyzerPipeline, ShardsMergeIntoTheFullRun) {
  run();
  std::vector<std::string> shards;
  size_t total = 0;
  for (unsigned i = 0; i < 2; ++i) {
    AnalyzeOptions o = options_;
    o.shard_index = i;
    o.shard_count = 2;
    o.db_path = (dir_ / ("shard" + std::to_string(i) + ".db")).string();
    total += run(o).tus_total;
    shards.push_back(o.db_path);
  }
  EXPECT_EQ(total, 3u);
  std::string merged = (dir_ / "merged.db").string();
  auto m = mergeStores(shards, merged, {});
  ASSERT_TRUE(static_cast<bool>(m)) << llvm::toString(m.takeError());
  EXPECT_EQ(m->tus, 3u);
  auto full = dump(options_.db_path);
  auto got = dump(merged);
  for (const auto& [table, contents] : full) EXPECT_EQ(got[table], contents) << "table " << table;
  EXPECT_FALSE(full["edges"].empty());
  EXPECT_FALSE(full["sql_statements"].empty());
}

TEST_F(AnalyzerPipeline, ForeignOrCorruptDatabaseIsRefusedAndUntouched) {
  writeFile(options_.db_path, "this is not a database, it is a shopping list\n");
  std::string before = readFile(options_.db_path);
  auto r = analyze(options_);
  ASSERT_FALSE(static_cast<bool>(r));
  EXPECT_EQ(llvm::errorToErrorCode(r.takeError()), std::errc::invalid_argument);
  EXPECT_EQ(readFile(options_.db_path), before);

  // A real SQLite database that is not Seam's.
  fs::remove(options_.db_path);
  sqlite3* db = nullptr;
  sqlite3_open(options_.db_path.c_str(), &db);
  sqlite3_exec(db, "CREATE TABLE precious (x); INSERT INTO precious VALUES (42);", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  before = readFile(options_.db_path);
  r = analyze(options_);
  ASSERT_FALSE(static_cast<bool>(r));
  std::string message = llvm::toString(r.takeError());
  EXPECT_NE(message.find("not a Seam fact store"), std::string::npos) << message;
  EXPECT_EQ(readFile(options_.db_path), before);
  EXPECT_FALSE(static_cast<bool>(show(options_.db_path, ShowView::kModules, {})));
}

TEST_F(AnalyzerPipeline, MissingOrMalformedCompileDatabaseIsBadInput) {
  AnalyzeOptions o = options_;
  o.compile_db = (dir_ / "nowhere").string();
  auto r = analyze(o);
  ASSERT_FALSE(static_cast<bool>(r));
  EXPECT_EQ(llvm::errorToErrorCode(r.takeError()), std::errc::invalid_argument);
  writeFile(dir_ / "build/compile_commands.json", "[{\"directory\": 42, ");
  r = analyze(options_);
  ASSERT_FALSE(static_cast<bool>(r));
  std::string message = llvm::toString(r.takeError());
  EXPECT_NE(message.find("malformed compile database"), std::string::npos) << message;
  EXPECT_FALSE(fs::exists(options_.db_path));
}

}  // namespace
}  // namespace seam::analyzer
