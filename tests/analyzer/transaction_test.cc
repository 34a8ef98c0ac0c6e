// Transaction scopes: the statement classifier, then the whole pipeline
// (collector => transaction_sites => computeTransactions) on a small
// generated project with one function per case: an RAII guard with calls
// into other TUs, a guard block followed by code outside it, BEGIN..COMMIT,
// an early return (unbalanced), nested guards, savepoints, BEGIN and COMMIT
// in different functions, a guard reached from inside another guard, guards
// and begin/commit functions named in seam.yaml; plus discarded results,
// routes, shard merge and incremental runs.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "seam/analyzer/analyze.h"
#include "seam/analyzer/config.h"
#include "seam/analyzer/merge.h"
#include "seam/analyzer/show.h"
#include "transaction_sql.h"

namespace seam::analyzer {
namespace {

namespace fs = std::filesystem;

TEST(TransactionSql, ClassifiesTransactionControl) {
  EXPECT_EQ(classifyTransactionSql("BEGIN").verb, TxVerb::kBegin);
  EXPECT_EQ(classifyTransactionSql("begin immediate transaction;").verb, TxVerb::kBegin);
  EXPECT_EQ(classifyTransactionSql("START TRANSACTION ISOLATION LEVEL SERIALIZABLE").verb, TxVerb::kBegin);
  EXPECT_EQ(classifyTransactionSql("COMMIT").verb, TxVerb::kCommit);
  EXPECT_EQ(classifyTransactionSql("END TRANSACTION").verb, TxVerb::kCommit);
  EXPECT_EQ(classifyTransactionSql("ROLLBACK").verb, TxVerb::kRollback);
  TxStatement to = classifyTransactionSql("ROLLBACK TO SAVEPOINT sp2");
  EXPECT_EQ(to.verb, TxVerb::kRollbackTo);
  EXPECT_EQ(to.name, "sp2");
  TxStatement sp = classifyTransactionSql("SAVEPOINT sp", /*prefix=*/true);
  EXPECT_EQ(sp.verb, TxVerb::kSavepoint);
  EXPECT_EQ(sp.name, "sp");
  EXPECT_EQ(classifyTransactionSql("SAVEPOINT ", /*prefix=*/true).verb, TxVerb::kSavepoint);
  EXPECT_EQ(classifyTransactionSql("SAVEPOINT sp?").name, "sp?") << "an unknown part, as sql_statements writes it";
  EXPECT_EQ(classifyTransactionSql("RELEASE a").verb, TxVerb::kRelease);
}

TEST(TransactionSql, RejectsLookalikes) {
  for (const char* text : {"", "Begin processing", "END of report", "COMMIT; DELETE FROM t", "SAVEPOINT",
                           "ROLLBACK TO", "BEGIN TRANSACTION a b", "SELECT 1", "COMMITTED", "release notes here"}) {
    EXPECT_EQ(classifyTransactionSql(text).verb, TxVerb::kNone) << text;
  }
}

TEST(TransactionConfig, ParsesGuardsAndFunctionsAndRejectsMistakes) {
  auto ok = parseConfig("transactions:\n  guards: [db::Tx]\n  begin: [db::begin]\n  commit: [db::commit]\n"
                        "  rollback: [db::rollback]\n");
  ASSERT_TRUE(static_cast<bool>(ok)) << llvm::toString(ok.takeError());
  EXPECT_EQ(ok->transactions.guards, std::vector<std::string>{"db::Tx"});
  EXPECT_EQ(ok->transactions.rollback, std::vector<std::string>{"db::rollback"});
  for (const char* bad : {"transactions:\n  guard: [db::Tx]\n", "transactions:\n  guards: db::Tx\n",
                          "transactions: [a, b]\n"}) {
    auto parsed = parseConfig(bad);
    EXPECT_FALSE(static_cast<bool>(parsed)) << bad;
    if (!parsed) llvm::consumeError(parsed.takeError());
  }
}

void writeFile(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

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

using Rows = std::vector<std::string>;

const char* const kDbHeader = R"cc(
#pragma once
struct sqlite3;
extern "C" int sqlite3_exec(sqlite3*, const char*, int (*)(void*, int, char**, char**), void*, char**);
class Db {
 public:
  explicit Db(sqlite3* h) : h_(h) {}
  int exec(const char* sql) { return sqlite3_exec(h_, sql, nullptr, nullptr, nullptr); }
  int depth = 0;
 private:
  sqlite3* h_;
};
// Like the bookstore's Transaction: BEGIN, or a SAVEPOINT when nested.
class Tx {
 public:
  explicit Tx(Db& db);
  ~Tx();
  void commit();
 private:
  Db& db_;
  int level_;
  bool done_ = false;
};
namespace ext {  // a framework whose SQL Seam cannot see: named in seam.yaml
struct Guard {
  explicit Guard(int);
  ~Guard();
};
void begin();
void commit();
}
struct Router {
  void add(const char* path, void (*handler)(Db&));
};
)cc";

const char* const kDbSource = R"cc(
#include "db/db.h"
Tx::Tx(Db& db) : db_(db), level_(++db.depth) {
  if (level_ == 1) db_.exec("BEGIN IMMEDIATE");
  else db_.exec("SAVEPOINT sp");
}
Tx::~Tx() {
  if (!done_) db_.exec("ROLLBACK");
  --db_.depth;
}
void Tx::commit() {
  db_.exec("COMMIT");
  done_ = true;
}
void createSchema(Db& db) {
  db.exec("CREATE TABLE orders (id INTEGER PRIMARY KEY, total INTEGER)");
  db.exec("CREATE TABLE items (order_id INTEGER, sku TEXT)");
  db.exec("CREATE TABLE stock (sku TEXT, qty INTEGER)");
  db.exec("CREATE TABLE outbox (id INTEGER PRIMARY KEY, body TEXT)");
  db.exec("CREATE TABLE audit (note TEXT)");
}
)cc";

const char* const kStockSource = R"cc(
#include "db/db.h"
void reserve(Db& db) { db.exec("UPDATE stock SET qty = qty - 1 WHERE sku = 'a'"); }
int enqueue(Db& db, const char* body) {
  db.exec("INSERT INTO outbox (body) VALUES ('placed')");
  return body != nullptr;
}
int queued(Db& db) { return enqueue(db, "x"); }  // the result is used
)cc";

// Line numbers matter to the assertions below: keep the layout.
const char* const kShopSource = R"cc(
#include "db/db.h"
void reserve(Db& db);
int enqueue(Db& db, const char* body);

void placeOrder(Db& db) {
  Tx tx(db);
  db.exec("INSERT INTO orders (total) VALUES (1)");
  reserve(db);
  enqueue(db, "placed");
  tx.commit();
}

void afterScope(Db& db) {
  {
    Tx tx(db);
    db.exec("INSERT INTO items (order_id, sku) VALUES (1, 'a')");
    tx.commit();
  }
  db.exec("DELETE FROM audit");
}

void statementTx(Db& db) {
  db.exec("BEGIN");
  db.exec("UPDATE orders SET total = 2");
  db.exec("COMMIT");
  db.exec("INSERT INTO audit (note) VALUES ('after')");
}

void unbalancedTx(Db& db, bool fail) {
  db.exec("BEGIN");
  db.exec("DELETE FROM items");
  if (fail) return;
  db.exec("COMMIT");
}

void nestedGuards(Db& db) {
  Tx outer(db);
  db.exec("UPDATE stock SET qty = 0");
  {
    Tx inner(db);
    db.exec("DELETE FROM outbox");
    inner.commit();
  }
  outer.commit();
}

void savepoints(Db& db) {
  db.exec("BEGIN");
  db.exec("SAVEPOINT a");
  db.exec("INSERT INTO audit (note) VALUES ('a')");
  db.exec("RELEASE a");
  db.exec("COMMIT");
}

void openTx(Db& db) {
  db.exec("BEGIN");
  db.exec("UPDATE orders SET total = 3");
}
void closeTx(Db& db) { db.exec("COMMIT"); }
void crossFunction(Db& db) {
  openTx(db);
  reserve(db);
  closeTx(db);
}

void batch(Db& db) {
  Tx tx(db);
  placeOrder(db);
  tx.commit();
}

void configuredGuard(Db& db) {
  ext::Guard g(1);
  db.exec("DELETE FROM stock");
}

void configuredFunctions(Db& db) {
  ext::begin();
  db.exec("UPDATE items SET sku = 'b'");
  ext::commit();
}

void registerRoutes(Router& r) { r.add("/orders", &placeOrder); }
)cc";

const char* const kConfig = R"yaml(
routes:
  - callee: "Router::add"
    method: POST
    path_arg: 0
    handler_arg: 1
transactions:
  guards: ["ext::Guard"]
  begin: ["ext::begin"]
  commit: ["ext::commit"]
)yaml";

class TransactionPipeline : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("seam-txn-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    writeFile(dir_ / "src/db/db.h", kDbHeader);
    writeFile(dir_ / "src/db/db.cc", kDbSource);
    writeFile(dir_ / "src/stock/stock.cc", kStockSource);
    writeFile(dir_ / "src/shop/shop.cc", kShopSource);
    writeFile(dir_ / "seam.yaml", kConfig);
    std::string json = "[";
    std::vector<std::string> tus = {"src/db/db.cc", "src/stock/stock.cc", "src/shop/shop.cc"};
    for (size_t i = 0; i < tus.size(); ++i) {
      json += (i ? ",\n" : "\n") + std::string("{\"directory\": \"") + dir_.string() +
              "\", \"command\": \"c++ -std=c++17 -Isrc -c " + tus[i] + " -o x.o\", \"file\": \"" + tus[i] + "\"}";
    }
    writeFile(dir_ / "build/compile_commands.json", json + "\n]\n");
    options_.compile_db = (dir_ / "build").string();
    options_.root = dir_.string();
    options_.db_path = (dir_ / "seam.db").string();
    options_.config_path = (dir_ / "seam.yaml").string();
    options_.jobs = 2;
  }
  void TearDown() override { fs::remove_all(dir_); }

  void run(const AnalyzeOptions& o) {
    auto result = analyze(o);
    ASSERT_TRUE(static_cast<bool>(result)) << llvm::toString(result.takeError());
  }

  /// entry|kind|line|end_line|certainty for every scope.
  Rows scopes(const std::string& db) {
    return rows(db,
                "SELECT s.qualified_name, t.kind, t.line, COALESCE(t.end_line, 'NULL'), t.certainty "
                "FROM transactions t JOIN symbols s ON s.id = t.entry_symbol_id");
  }
  /// table|op|depth of the group of the scope opened at `line`.
  Rows group(const std::string& db, int line) {
    return rows(db,
                "SELECT DISTINCT a.table_name, a.op, a.depth FROM transaction_access a JOIN transactions t "
                "ON t.id = a.transaction_id WHERE t.line = " + std::to_string(line));
  }
  std::string note(const std::string& db, int line) {
    Rows r = rows(db, "SELECT COALESCE(note, '') FROM transactions WHERE line = " + std::to_string(line));
    return r.size() == 1 ? r[0] : "<" + std::to_string(r.size()) + " rows>";
  }

  /// Everything the pass wrote, with ids replaced by names.
  std::map<std::string, Rows> dump(const std::string& db) {
    std::map<std::string, Rows> d;
    d["transactions"] = rows(db,
                             "SELECT t.id, s.usr, t.kind, COALESCE(t.guard, ''), f.path, t.line, t.col, "
                             "COALESCE(t.end_line, ''), COALESCE(t.parent_id, ''), t.certainty, COALESCE(t.note, '') "
                             "FROM transactions t JOIN symbols s ON s.id = t.entry_symbol_id "
                             "JOIN files f ON f.id = t.file_id");
    d["access"] = rows(db,
                       "SELECT a.transaction_id, a.table_name, a.op, s.usr, st.text, st.line, a.depth "
                       "FROM transaction_access a JOIN symbols s ON s.id = a.symbol_id "
                       "JOIN sql_statements st ON st.id = a.statement_id");
    d["calls"] = rows(db,
                      "SELECT c.transaction_id, a.usr, b.usr, c.depth, c.line FROM transaction_calls c "
                      "JOIN symbols a ON a.id = c.caller_id JOIN symbols b ON b.id = c.callee_id");
    d["routes"] = rows(db,
                       "SELECT x.transaction_id, r.method, r.path FROM transaction_routes x "
                       "JOIN routes r ON r.id = x.route_id");
    d["sites"] = rows(db,
                      "SELECT f.path, function_id, kind, COALESCE(target_id, ''), COALESCE(target_name, ''), "
                      "COALESCE(aux_id, ''), line, col, COALESCE(end_line, ''), flags FROM transaction_sites t "
                      "JOIN files f ON f.id = t.file_id");
    d["discarded"] = rows(db, "SELECT src, dst, kind, count, discarded FROM edges WHERE discarded > 0");
    return d;
  }

  fs::path dir_;
  AnalyzeOptions options_;
};

TEST_F(TransactionPipeline, RecordsEveryScopeWithItsCertainty) {
  run(options_);
  const std::string db = options_.db_path;
  EXPECT_EQ(scopes(db), (Rows{
                            "afterScope|guard|16|19|exact",
                            "batch|guard|68|71|exact",
                            "configuredFunctions|statement|79|81|exact",
                            "configuredGuard|guard|74|76|exact",
                            "nestedGuards|guard|38|46|exact",
                            "nestedGuards|guard|41|44|nested",
                            "openTx|statement|57|NULL|cross_function",
                            "placeOrder|guard|7|12|nested",
                            "savepoints|savepoint|50|52|nested",
                            "savepoints|statement|49|53|exact",
                            "statementTx|statement|24|26|exact",
                            "unbalancedTx|statement|31|34|unbalanced",
                        }))
      << "Tx's own BEGIN/SAVEPOINT/COMMIT make no scopes: they are the guard";
  EXPECT_EQ(rows(db, "SELECT DISTINCT guard FROM transactions WHERE guard IS NOT NULL"),
            (Rows{"Tx", "ext::Guard"}));
}

TEST_F(TransactionPipeline, GroupFollowsCallsAcrossTranslationUnits) {
  run(options_);
  const std::string db = options_.db_path;
  // reserve()'s UPDATE ... SET qty = qty - 1 WHERE sku = ... also reads stock.
  EXPECT_EQ(group(db, 7), (Rows{"orders|insert|0", "outbox|insert|1", "stock|read|1", "stock|update|1"}));
  EXPECT_EQ(rows(db,
                 "SELECT a.qualified_name, b.qualified_name, c.depth FROM transaction_calls c "
                 "JOIN transactions t ON t.id = c.transaction_id JOIN symbols a ON a.id = c.caller_id "
                 "JOIN symbols b ON b.id = c.callee_id WHERE t.line = 7 AND b.qualified_name NOT LIKE 'Db::%' "
                 "AND b.qualified_name != 'sqlite3_exec'"),
            (Rows{"placeOrder|enqueue|0", "placeOrder|reserve|0"}))
      << "calls into the guard class itself (Tx::commit) are its mechanics, not listed";
  // The route that leads to the entry function.
  EXPECT_EQ(rows(db,
                 "SELECT r.method, r.path FROM transaction_routes x JOIN routes r ON r.id = x.route_id "
                 "JOIN transactions t ON t.id = x.transaction_id WHERE t.line = 7"),
            (Rows{"POST|/orders"}));
  // The outer guard's group includes what the nested guard's entry reaches.
  EXPECT_EQ(group(db, 68), (Rows{"orders|insert|1", "outbox|insert|2", "stock|read|2", "stock|update|2"}));
}

TEST_F(TransactionPipeline, ScopeEndsWithItsBlockOrItsCommit) {
  run(options_);
  const std::string db = options_.db_path;
  EXPECT_EQ(group(db, 16), (Rows{"items|insert|0"})) << "the DELETE after the guard's block is outside";
  EXPECT_EQ(group(db, 24), (Rows{"orders|update|0"})) << "the INSERT after COMMIT is outside";
  EXPECT_EQ(group(db, 79), (Rows{"items|update|0"}));
  EXPECT_EQ(group(db, 74), (Rows{"stock|delete|0"}));
}

TEST_F(TransactionPipeline, StatesTheUncertainty) {
  run(options_);
  const std::string db = options_.db_path;
  EXPECT_NE(note(db, 31).find("early return or a throw"), std::string::npos) << note(db, 31);
  EXPECT_EQ(group(db, 31), (Rows{"items|delete|0"})) << "unbalanced scopes keep their group";
  EXPECT_NE(note(db, 57).find("ended in closeTx"), std::string::npos) << note(db, 57);
  EXPECT_EQ(group(db, 57), (Rows{"orders|update|0"}));
  EXPECT_EQ(rows(db, "SELECT p.line FROM transactions t JOIN transactions p ON p.id = t.parent_id WHERE t.line = 41"),
            (Rows{"38"}));
  EXPECT_EQ(group(db, 38), (Rows{"outbox|delete|0", "stock|update|0"})) << "the nested guard is inside the outer";
  EXPECT_EQ(rows(db, "SELECT p.line FROM transactions t JOIN transactions p ON p.id = t.parent_id WHERE t.line = 50"),
            (Rows{"49"}));
  EXPECT_EQ(group(db, 50), (Rows{"audit|insert|0"}));
  // Reached from inside batch's guard: nested there, still its own row.
  EXPECT_EQ(rows(db, "SELECT p.line FROM transactions t JOIN transactions p ON p.id = t.parent_id WHERE t.line = 7"),
            (Rows{"68"}));
  EXPECT_NE(note(db, 7).find("SAVEPOINT"), std::string::npos) << note(db, 7);
  EXPECT_EQ(rows(db, "SELECT count(*) FROM transactions WHERE certainty = 'exact' AND note IS NOT NULL"),
            (Rows{"0"}));
  EXPECT_EQ(rows(db, "SELECT count(*) FROM transactions WHERE certainty != 'exact' AND note IS NULL"),
            (Rows{"0"}));
}

TEST_F(TransactionPipeline, CountsDiscardedResults) {
  run(options_);
  auto edge = [&](const std::string& src, const std::string& dst) {
    return rows(options_.db_path,
                "SELECT e.count, e.discarded FROM edges e JOIN symbols a ON a.id = e.src JOIN symbols b "
                "ON b.id = e.dst WHERE a.qualified_name = '" + src + "' AND b.qualified_name = '" + dst + "'");
  };
  EXPECT_EQ(edge("placeOrder", "enqueue"), (Rows{"1|1"})) << "a statement of its own: fire and forget";
  EXPECT_EQ(edge("queued", "enqueue"), (Rows{"1|0"})) << "returned: used";
  EXPECT_EQ(edge("placeOrder", "reserve"), (Rows{"1|1"})) << "void callee";
}

TEST_F(TransactionPipeline, ShardsMergeIntoTheFullRun) {
  run(options_);
  auto full = dump(options_.db_path);
  ASSERT_FALSE(full["transactions"].empty());
  std::vector<std::string> shards;
  for (unsigned i = 0; i < 2; ++i) {
    AnalyzeOptions o = options_;
    o.shard_index = i;
    o.shard_count = 2;
    o.db_path = (dir_ / ("shard" + std::to_string(i) + ".db")).string();
    run(o);
    shards.push_back(o.db_path);
  }
  std::string merged = (dir_ / "merged.db").string();
  auto m = mergeStores(shards, merged, {});
  ASSERT_TRUE(static_cast<bool>(m)) << llvm::toString(m.takeError());
  auto got = dump(merged);
  for (const auto& [table, want] : full) EXPECT_EQ(got[table], want) << table;
}

TEST_F(TransactionPipeline, IncrementalRunEqualsFullRun) {
  run(options_);
  // placeOrder no longer reserves stock; stock.cc is untouched.
  std::string shop = kShopSource;
  shop.replace(shop.find("  reserve(db);\n  enqueue"), std::string("  reserve(db);\n").size(), "  db.depth++;\n");
  writeFile(dir_ / "src/shop/shop.cc", shop);
  run(options_);
  EXPECT_EQ(group(options_.db_path, 7), (Rows{"orders|insert|0", "outbox|insert|1"}));
  AnalyzeOptions full = options_;
  full.db_path = (dir_ / "full.db").string();
  run(full);
  auto a = dump(options_.db_path);
  auto b = dump(full.db_path);
  for (const auto& [table, want] : b) EXPECT_EQ(a[table], want) << table;
}

TEST_F(TransactionPipeline, OlderStoreIsRebuilt) {
  run(options_);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(options_.db_path.c_str(), &db), SQLITE_OK);
  sqlite3_exec(db, "PRAGMA user_version = 1; DELETE FROM transactions;", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  // Readers refuse it, saying what to do; analyze rebuilds it.
  auto refused = show(options_.db_path, ShowView::kTransactions, ShowOptions{});
  ASSERT_FALSE(static_cast<bool>(refused));
  std::string why = llvm::toString(refused.takeError());
  EXPECT_NE(why.find("re-run seam analyze"), std::string::npos) << why;
  run(options_);
  EXPECT_EQ(rows(options_.db_path, "PRAGMA user_version"), (Rows{"2"}));
  EXPECT_EQ(scopes(options_.db_path).size(), 12u);
}

TEST_F(TransactionPipeline, ShowListsScopesAndGroups) {
  run(options_);
  auto view = parseShowView("transactions");
  ASSERT_TRUE(view.has_value());
  ShowOptions o;
  auto text = show(options_.db_path, *view, o);
  ASSERT_TRUE(static_cast<bool>(text)) << llvm::toString(text.takeError());
  EXPECT_NE(text->find("placeOrder"), std::string::npos) << *text;
  EXPECT_NE(text->find("POST /orders"), std::string::npos) << *text;
  EXPECT_NE(text->find("outbox:insert"), std::string::npos) << *text;
  o.json = true;
  auto json = show(options_.db_path, *view, o);
  ASSERT_TRUE(static_cast<bool>(json)) << llvm::toString(json.takeError());
  EXPECT_NE(json->find("\"certainty\": \"cross_function\""), std::string::npos) << *json;
  EXPECT_NE(json->find("\"table\": \"stock\""), std::string::npos) << *json;
}

}  // namespace
}  // namespace seam::analyzer

// --- the bookstore (store analysed once by AnalyzerBookstore) -----------------

namespace seam::analyzer {
namespace {

class TransactionBookstore : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* db = std::getenv("SEAM_BOOKSTORE_DB");
    if (!db || !fs::exists(db)) GTEST_SKIP() << "SEAM_BOOKSTORE_DB not set (run through ctest)";
    db_ = db;
  }
  /// The scope opened in `entry` (qualified name): id, or "" when not exactly one.
  std::string scopeOf(const std::string& entry) {
    Rows r = rows(db_,
                  "SELECT t.id FROM transactions t JOIN symbols s ON s.id = t.entry_symbol_id "
                  "WHERE s.qualified_name = '" + entry + "'");
    return r.size() == 1 ? r[0] : "";
  }
  std::string db_;
};

TEST_F(TransactionBookstore, PlaceOrderGroupSpansOrdersInventoryPaymentsAndNotifications) {
  std::string id = scopeOf("bookstore::orders::(anonymous namespace)::placeInTransaction");
  ASSERT_FALSE(id.empty()) << "one Transaction scope in placeInTransaction";
  // Seeding places orders inside seedIfEmpty's Transaction: nested there.
  std::string seed = scopeOf("bookstore::seedIfEmpty");
  ASSERT_FALSE(seed.empty());
  EXPECT_EQ(rows(db_, "SELECT kind, guard, certainty, parent_id FROM transactions WHERE id = " + id),
            (Rows{"guard|bookstore::Transaction|nested|" + seed}));
  // Orders, inventory (reserveLine; markPaid commits the reservations into
  // stock_movements), payments (charge) and notifications (enqueue's outbox).
  EXPECT_EQ(rows(db_,
                 "SELECT DISTINCT table_name FROM transaction_access WHERE op != 'read' AND transaction_id = " + id),
            (Rows{"order_items", "order_status_history", "orders", "outbox", "payments", "reservations", "stock",
                  "stock_movements"}));
  EXPECT_EQ(rows(db_, "SELECT DISTINCT op FROM transaction_access WHERE table_name = 'stock' AND transaction_id = " +
                          id + " AND op != 'read'"),
            (Rows{"update"}));
  // Reads: the book (catalog::requireActiveBook), the customer, the shipping rate.
  Rows reads = rows(db_, "SELECT DISTINCT table_name FROM transaction_access WHERE op = 'read' AND transaction_id = " + id);
  for (const char* t : {"books", "customers", "addresses", "shipping_rates"}) {
    EXPECT_NE(std::find(reads.begin(), reads.end(), t), reads.end()) << t;
  }
  // Routes that lead there: placing an order and checking out a cart.
  Rows routes = rows(db_,
                     "SELECT r.method || ' ' || r.path FROM transaction_routes x JOIN routes r ON r.id = x.route_id "
                     "WHERE x.transaction_id = " + id);
  EXPECT_EQ(routes, (Rows{"POST /api/cart/(\\d+)/checkout", "POST /api/orders"}));
  // payments::charge opens its own Transaction: nested (a SAVEPOINT) inside this one.
  std::string charge = scopeOf("bookstore::payments::charge");
  ASSERT_FALSE(charge.empty());
  EXPECT_EQ(rows(db_, "SELECT certainty, parent_id FROM transactions WHERE id = " + charge),
            (Rows{"nested|" + id}));
}

TEST_F(TransactionBookstore, NotificationResultIsDiscarded) {
  EXPECT_EQ(rows(db_,
                 "SELECT e.discarded = e.count FROM edges e JOIN symbols a ON a.id = e.src "
                 "JOIN symbols b ON b.id = e.dst WHERE a.qualified_name LIKE '%placeInTransaction' "
                 "AND b.qualified_name = 'bookstore::notifications::enqueue'"),
            (Rows{"1"}));
  EXPECT_EQ(rows(db_,
                 "SELECT e.discarded FROM edges e JOIN symbols a ON a.id = e.src JOIN symbols b ON b.id = e.dst "
                 "WHERE a.qualified_name LIKE '%placeInTransaction' AND b.qualified_name = 'bookstore::shipping::quote'"),
            (Rows{"0"}));
}

TEST_F(TransactionBookstore, EveryGuardIsRecordedAndNoneIsLost) {
  // sample-monolith has one Transaction per `Transaction tx(...)` line.
  Rows n = rows(db_, "SELECT count(*) FROM transactions WHERE kind = 'guard' AND guard = 'bookstore::Transaction'");
  ASSERT_EQ(n.size(), 1u);
  EXPECT_EQ(std::stoi(n[0]), 37);
  EXPECT_EQ(rows(db_, "SELECT count(*) FROM transactions WHERE certainty != 'exact' AND note IS NULL"), (Rows{"0"}));
}

}  // namespace
}  // namespace seam::analyzer
