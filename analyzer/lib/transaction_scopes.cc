// computeTransactions: transaction scopes and their groups over the whole
// store (see transaction_scopes.h for the pipeline, docs/fact-store.md for
// the rules). Everything is loaded into memory once; the work is a BFS per
// scope over the call graph, which is small next to parsing.
#include "seam/analyzer/transaction_scopes.h"

#include <sqlite3.h>

#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "seam/analyzer/fact_store.h"
#include "sqlite_util.h"
#include "transaction_sql.h"

namespace seam::analyzer {
namespace {

constexpr int kConfigured = 1;
constexpr int kUnbalancedPath = 2;
constexpr int kGuardDetectionDepth = 2;  ///< constructor -> wrapper -> sink

struct Site {
  int64_t fn = 0;
  std::string kind;
  int64_t target = 0;
  std::string target_name;
  int64_t aux = 0;
  int64_t file = 0;
  int line = 0, col = 0, end_line = 0, flags = 0;
  TxVerb verb = TxVerb::kNone;
};

struct Statement {
  int64_t id = 0, symbol = 0, file = 0;
  int line = 0;
  TxVerb verb = TxVerb::kNone;
};

struct Edge {
  int64_t dst = 0, file = 0;
  int line = 0;
};

struct Symbol {
  std::string kind, name;
  int line = 0, lines = 0;
};

enum Certainty { kExact = 0, kNested = 1, kCrossFunction = 2, kUnbalanced = 3 };
const char* certaintyName(int c) {
  switch (c) {
    case kNested: return "nested";
    case kCrossFunction: return "cross_function";
    case kUnbalanced: return "unbalanced";
    default: return "exact";
  }
}

struct Scope {
  int64_t entry = 0;
  std::string kind;  ///< guard | statement | savepoint
  std::string guard;
  int64_t file = 0;
  int line = 0, col = 0;
  std::optional<int> end_line;
  int range_end = 0;  ///< last line of the entry function inside the scope
  int certainty = kExact;
  std::vector<std::string> notes;
  int parent = -1;    ///< index into scopes
  int64_t id = 0;
  std::unordered_map<int64_t, int> reached;  ///< function -> depth (entry = 0)

  void raise(int c, std::string note) {
    certainty = std::max(certainty, c);
    notes.push_back(std::move(note));
  }
};

class Pass {
 public:
  explicit Pass(sqlite3* db) : db_(db) {}

  llvm::Expected<TransactionStats> run() {
    if (auto err = load()) return err;
    findGuardClasses();
    buildScopes();
    order();
    for (Scope& s : scopes_) computeGroup(s);
    nestDynamically();
    return write();
  }

 private:
  // --- loading ----------------------------------------------------------------

  llvm::Error load() {
    Stmt sites(db_,
               "SELECT function_id, kind, COALESCE(target_id, 0), COALESCE(target_name, ''), COALESCE(aux_id, 0), "
               "file_id, line, col, COALESCE(end_line, 0), flags FROM transaction_sites "
               "ORDER BY file_id, line, col, kind, function_id, target_id");
    if (!sites.ok()) return sqliteError(db_, "reading transaction_sites");
    while (sites.step() == SQLITE_ROW) {
      Site s;
      s.fn = sites.i64(0);
      s.kind = sites.text(1);
      s.target = sites.i64(2);
      s.target_name = sites.text(3);
      s.aux = sites.i64(4);
      s.file = sites.i64(5);
      s.line = static_cast<int>(sites.i64(6));
      s.col = static_cast<int>(sites.i64(7));
      s.end_line = static_cast<int>(sites.i64(8));
      s.flags = static_cast<int>(sites.i64(9));
      for (TxVerb v : {TxVerb::kBegin, TxVerb::kCommit, TxVerb::kRollback, TxVerb::kSavepoint, TxVerb::kRelease,
                       TxVerb::kRollbackTo}) {
        if (s.kind == toString(v)) s.verb = v;
      }
      sites_by_fn_[s.fn].push_back(sites_.size());
      sites_.push_back(std::move(s));
    }

    Stmt st(db_, "SELECT id, COALESCE(symbol_id, 0), COALESCE(file_id, 0), COALESCE(line, 0), text FROM sql_statements");
    if (!st.ok()) return sqliteError(db_, "reading sql_statements");
    while (st.step() == SQLITE_ROW) {
      Statement s{st.i64(0), st.i64(1), st.i64(2), static_cast<int>(st.i64(3)),
                  classifyTransactionSql(st.text(4)).verb};
      statements_by_symbol_[s.symbol].push_back(statements_.size());
      if (s.verb != TxVerb::kNone) {
        verbs_at_[{s.file, s.line}].insert(s.verb);
        verbs_of_fn_[s.symbol].insert(s.verb);
      }
      statements_.push_back(s);
    }

    Stmt ta(db_,
            "SELECT DISTINCT statement_id, table_name, op FROM table_access "
            "WHERE op IN ('read', 'insert', 'update', 'delete') ORDER BY statement_id, table_name, op");
    if (!ta.ok()) return sqliteError(db_, "reading table_access");
    while (ta.step() == SQLITE_ROW) access_[ta.i64(0)].emplace_back(ta.text(1), ta.text(2));

    Stmt ed(db_,
            "SELECT src, dst, kind, COALESCE(file_id, 0), COALESCE(line, 0) FROM edges "
            "WHERE kind IN ('call', 'virtual_call', 'override') ORDER BY src, dst, kind");
    if (!ed.ok()) return sqliteError(db_, "reading edges");
    while (ed.step() == SQLITE_ROW) {
      int64_t src = ed.i64(0), dst = ed.i64(1);
      Edge e{dst, ed.i64(3), static_cast<int>(ed.i64(4))};
      if (ed.text(2) == "override") {
        // dst is the base method: a call to it may run src.
        callees_[dst].push_back(Edge{src, ed.i64(3), static_cast<int>(ed.i64(4))});
      } else {
        callees_[src].push_back(e);
        callers_[dst].push_back(src);
      }
    }

    Stmt sy(db_, "SELECT id, kind, qualified_name, COALESCE(line, 0), lines FROM symbols");
    if (!sy.ok()) return sqliteError(db_, "reading symbols");
    while (sy.step() == SQLITE_ROW) {
      symbols_[sy.i64(0)] = Symbol{sy.text(1), sy.text(2), static_cast<int>(sy.i64(3)), static_cast<int>(sy.i64(4))};
    }

    Stmt fi(db_, "SELECT id, path FROM files");
    if (!fi.ok()) return sqliteError(db_, "reading files");
    while (fi.step() == SQLITE_ROW) paths_[fi.i64(0)] = fi.text(1);

    Stmt ro(db_, "SELECT id, handler_id FROM routes WHERE handler_id IS NOT NULL ORDER BY id");
    if (!ro.ok()) return sqliteError(db_, "reading routes");
    while (ro.step() == SQLITE_ROW) routes_by_handler_[ro.i64(1)].push_back(ro.i64(0));
    return llvm::Error::success();
  }

  std::string nameOf(int64_t id) const {
    auto it = symbols_.find(id);
    return it == symbols_.end() ? "symbol " + std::to_string(id) : it->second.name;
  }

  // --- guard classes ----------------------------------------------------------

  /// Whether `fn` sends one of `verbs` through a sink within `depth` calls.
  bool reaches(int64_t fn, const std::set<TxVerb>& verbs, int depth) const {
    std::vector<std::pair<int64_t, int>> work{{fn, 0}};
    std::unordered_set<int64_t> seen{fn};
    while (!work.empty()) {
      auto [f, d] = work.back();
      work.pop_back();
      if (auto it = verbs_of_fn_.find(f); it != verbs_of_fn_.end()) {
        for (TxVerb v : it->second)
          if (verbs.count(v)) return true;
      }
      if (d == depth) continue;
      if (auto it = callees_.find(f); it != callees_.end()) {
        for (const Edge& e : it->second)
          if (seen.insert(e.dst).second) work.emplace_back(e.dst, d + 1);
      }
    }
    return false;
  }

  void findGuardClasses() {
    std::map<int64_t, std::vector<const Site*>> by_class;
    for (const Site& s : sites_)
      if (s.kind == "guard") by_class[s.target].push_back(&s);
    for (const auto& [cls, sites] : by_class) {
      bool configured = false, begins = false;
      for (const Site* s : sites) {
        configured = configured || (s->flags & kConfigured);
        begins = begins || (s->aux && reaches(s->aux, {TxVerb::kBegin, TxVerb::kSavepoint}, kGuardDetectionDepth));
      }
      if (!configured && !begins) continue;
      const std::string prefix = sites.front()->target_name + "::";
      bool ends = false;
      for (const auto& [id, sym] : symbols_) {
        if (sym.name.compare(0, prefix.size(), prefix) != 0) continue;
        if (sym.kind != "method" && sym.kind != "constructor" && sym.kind != "destructor") continue;
        guard_members_.insert(id);
        ends = ends || reaches(id, {TxVerb::kCommit, TxVerb::kRollback, TxVerb::kRelease}, kGuardDetectionDepth);
      }
      guard_classes_[cls] = ends || configured;
    }
  }

  // --- scopes -----------------------------------------------------------------

  bool confirmed(const Site& s) const {
    if (s.flags & kConfigured) return true;
    auto it = verbs_at_.find({s.file, s.line});
    return it != verbs_at_.end() && it->second.count(s.verb);
  }

  int functionEnd(int64_t fn, int fallback) const {
    auto it = symbols_.find(fn);
    if (it == symbols_.end() || it->second.lines == 0) return fallback;
    return it->second.line + it->second.lines - 1;
  }

  /// The innermost scope of `fn` (among scopes_[from..]) that contains line.
  int enclosing(int64_t fn, int line, int col, size_t from) const {
    int best = -1;
    for (size_t i = from; i < scopes_.size(); ++i) {
      const Scope& p = scopes_[i];
      if (p.entry != fn) continue;
      bool after = line > p.line || (line == p.line && col > p.col);
      if (after && line <= p.range_end && (best < 0 || p.line >= scopes_[best].line)) best = static_cast<int>(i);
    }
    return best;
  }

  void buildScopes() {
    for (const auto& [fn, indices] : sites_by_fn_) {
      if (guard_members_.count(fn)) continue;  // the guard's own BEGIN/COMMIT are the guard
      const size_t first = scopes_.size();
      std::vector<const Site*> markers;
      for (size_t i : indices) {
        const Site& s = sites_[i];
        if (s.kind == "guard") {
          auto g = guard_classes_.find(s.target);
          if (g == guard_classes_.end()) continue;
          Scope sc;
          sc.entry = fn;
          sc.kind = "guard";
          sc.guard = s.target_name;
          sc.file = s.file;
          sc.line = s.line;
          sc.col = s.col;
          sc.end_line = s.end_line;
          sc.range_end = s.end_line;
          if (!g->second) {
            sc.raise(kUnbalanced, "guard class " + s.target_name +
                                      " begins a transaction but none of its members commits or rolls back");
          }
          scopes_.push_back(std::move(sc));
        } else if (s.verb != TxVerb::kNone && confirmed(s)) {
          markers.push_back(&s);
        }
      }
      std::sort(markers.begin(), markers.end(),
                [](const Site* a, const Site* b) { return std::tie(a->line, a->col) < std::tie(b->line, b->col); });
      for (size_t i = 0; i < markers.size(); ++i) {
        const Site& m = *markers[i];
        if (m.verb == TxVerb::kBegin) statementScope(fn, markers, i);
        else if (m.verb == TxVerb::kSavepoint) savepointScope(fn, markers, i);
      }
      // Lexical nesting among this function's scopes.
      for (size_t i = first; i < scopes_.size(); ++i) {
        Scope& s = scopes_[i];
        int p = enclosing(fn, s.line, s.col, first);
        if (p < 0 || p == static_cast<int>(i)) continue;
        s.parent = p;
        const Scope& parent = scopes_[p];
        std::string what = s.kind == "savepoint" ? "savepoint" : s.kind == "guard" ? "guard" : "BEGIN";
        s.raise(kNested, what + " inside the " + parent.kind + " scope at line " + std::to_string(parent.line) +
                             (s.kind == "guard" ? " (a nesting guard such as the bookstore's Transaction then "
                                                  "issues a SAVEPOINT)"
                                                : ""));
      }
    }
  }

  void statementScope(int64_t fn, const std::vector<const Site*>& markers, size_t i) {
    const Site& b = *markers[i];
    Scope sc;
    sc.entry = fn;
    sc.kind = "statement";
    sc.file = b.file;
    sc.line = b.line;
    sc.col = b.col;
    std::optional<int> end;
    for (size_t j = i + 1; j < markers.size() && markers[j]->verb != TxVerb::kBegin; ++j) {
      if (markers[j]->verb == TxVerb::kCommit || markers[j]->verb == TxVerb::kRollback) end = markers[j]->line;
    }
    const std::string where = "BEGIN at line " + std::to_string(b.line);
    if (end) {
      sc.end_line = end;
      sc.range_end = *end;
      if (b.flags & kUnbalancedPath) {
        sc.raise(kUnbalanced, "a path from " + where + " leaves " + nameOf(fn) +
                                  " without COMMIT or ROLLBACK (an early return or a throw)");
      }
    } else {
      sc.range_end = functionEnd(fn, b.end_line ? b.end_line : b.line);
      std::vector<std::string> closers = closersFor(fn);
      if (closers.empty()) {
        sc.raise(kUnbalanced, where + " is never committed or rolled back in " + nameOf(fn) +
                                  ", and no function it calls or shares a caller with ends a transaction");
      } else {
        std::string list;
        for (const std::string& c : closers) list += (list.empty() ? "" : ", ") + c;
        sc.raise(kCrossFunction, where + " is not ended in " + nameOf(fn) + "; ended in " + list +
                                     "; the group covers " + nameOf(fn) + " from BEGIN to its end only");
      }
    }
    scopes_.push_back(std::move(sc));
  }

  void savepointScope(int64_t fn, const std::vector<const Site*>& markers, size_t i) {
    const Site& s = *markers[i];
    Scope sc;
    sc.entry = fn;
    sc.kind = "savepoint";
    sc.file = s.file;
    sc.line = s.line;
    sc.col = s.col;
    auto sameName = [&](const std::string& other) {
      // Names may be prefixes ("sp" + n) or hold '?' for an unknown part.
      std::string a = s.target_name.substr(0, s.target_name.find('?'));
      std::string b = other.substr(0, other.find('?'));
      return a.empty() || b.empty() || a.compare(0, b.size(), b) == 0 || b.compare(0, a.size(), a) == 0;
    };
    std::optional<int> end;
    for (size_t j = i + 1; j < markers.size() && !end; ++j) {
      const Site& m = *markers[j];
      if ((m.verb == TxVerb::kRelease && sameName(m.target_name)) || m.verb == TxVerb::kCommit ||
          m.verb == TxVerb::kRollback) {
        end = m.line;
      }
    }
    const std::string where = "SAVEPOINT " + s.target_name + " at line " + std::to_string(s.line);
    if (end) {
      sc.end_line = end;
      sc.range_end = *end;
      if (s.flags & kUnbalancedPath) {
        sc.raise(kUnbalanced, "a path from " + where + " leaves " + nameOf(fn) + " without RELEASE or ROLLBACK");
      }
    } else {
      sc.range_end = functionEnd(fn, s.end_line ? s.end_line : s.line);
      sc.raise(kCrossFunction, where + " is not released in " + nameOf(fn) + "; it ends with its transaction");
    }
    scopes_.push_back(std::move(sc));
    // Outside any scope of its function: it nests in a transaction some
    // caller opened (raised again below if a lexical parent exists).
    if (enclosing(fn, s.line, s.col, 0) < 0) {
      scopes_.back().raise(kNested, where + " is outside any transaction of " + nameOf(fn) +
                                        ": it nests inside one its caller opened");
    }
  }

  /// Functions that end a transaction they did not begin and that `fn` calls
  /// or shares a caller with: where a BEGIN left open in fn is closed.
  std::vector<std::string> closersFor(int64_t fn) const {
    std::set<int64_t> related;
    if (auto it = callees_.find(fn); it != callees_.end())
      for (const Edge& e : it->second) related.insert(e.dst);
    if (auto it = callers_.find(fn); it != callers_.end()) {
      for (int64_t caller : it->second) {
        if (auto c = callees_.find(caller); c != callees_.end())
          for (const Edge& e : c->second) related.insert(e.dst);
      }
    }
    std::vector<std::string> out;
    for (int64_t r : related) {
      if (r == fn || guard_members_.count(r)) continue;
      bool ends = false, begins = false;
      if (auto it = verbs_of_fn_.find(r); it != verbs_of_fn_.end()) {
        ends = it->second.count(TxVerb::kCommit) || it->second.count(TxVerb::kRollback);
        begins = it->second.count(TxVerb::kBegin);
      }
      if (auto it = sites_by_fn_.find(r); it != sites_by_fn_.end()) {
        for (size_t i : it->second) {
          const Site& s = sites_[i];
          if (!(s.flags & kConfigured)) continue;
          ends = ends || s.verb == TxVerb::kCommit || s.verb == TxVerb::kRollback;
          begins = begins || s.verb == TxVerb::kBegin;
        }
      }
      if (ends && !begins) out.push_back(nameOf(r));
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  /// Ids in (path, line, col, kind, entry) order: the same in every store
  /// built from the same code.
  void order() {
    std::vector<size_t> idx(scopes_.size());
    for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    auto key = [&](size_t i) {
      const Scope& s = scopes_[i];
      auto p = paths_.find(s.file);
      return std::make_tuple(p == paths_.end() ? std::string() : p->second, s.line, s.col, s.kind, s.entry);
    };
    std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return key(a) < key(b); });
    std::vector<int> new_pos(scopes_.size());
    for (size_t pos = 0; pos < idx.size(); ++pos) new_pos[idx[pos]] = static_cast<int>(pos);
    std::vector<Scope> sorted;
    sorted.reserve(scopes_.size());
    for (size_t i : idx) sorted.push_back(std::move(scopes_[i]));
    for (size_t pos = 0; pos < sorted.size(); ++pos) {
      sorted[pos].id = static_cast<int64_t>(pos + 1);
      if (sorted[pos].parent >= 0) sorted[pos].parent = new_pos[sorted[pos].parent];
    }
    scopes_ = std::move(sorted);
    for (size_t i = 0; i < scopes_.size(); ++i) scopes_by_entry_[scopes_[i].entry].push_back(i);
  }

  // --- groups -----------------------------------------------------------------

  struct CallRow {
    int64_t caller, callee;
    int depth;
    int64_t file;
    int line;
  };
  struct AccessRow {
    std::string table, op;
    int64_t symbol, statement;
    int depth;
  };

  void computeGroup(Scope& s) {
    std::vector<CallRow>& calls = calls_[s.id];
    std::vector<AccessRow>& access = access_rows_[s.id];
    std::set<std::pair<int64_t, int64_t>> seen_calls;
    std::deque<int64_t> queue;
    s.reached[s.entry] = 0;
    auto inRange = [&](int line, int col) {
      return (line > s.line || (line == s.line && col >= s.col)) && line <= s.range_end;
    };
    auto visit = [&](int64_t caller, int64_t callee, int depth, int64_t file, int line) {
      if (guard_members_.count(callee)) return;  // the transaction's own mechanics
      if (seen_calls.insert({caller, callee}).second) calls.push_back(CallRow{caller, callee, depth, file, line});
      if (s.reached.emplace(callee, depth + 1).second) queue.push_back(callee);
    };
    auto addStatements = [&](const std::vector<size_t>& list, int depth, bool ranged) {
      for (size_t i : list) {
        const Statement& st = statements_[i];
        if (ranged && (st.file != s.file || !inRange(st.line, s.col))) continue;
        auto it = access_.find(st.id);
        if (it == access_.end()) continue;
        for (const auto& [table, op] : it->second) access.push_back(AccessRow{table, op, st.symbol, st.id, depth});
      }
    };

    // Depth 0: the entry function's own statements and call sites inside the scope.
    const Symbol* entry = symbols_.count(s.entry) ? &symbols_.at(s.entry) : nullptr;
    if (entry && entry->kind == "lambda") {
      // Statements inside a lambda are recorded on its enclosing function.
      std::vector<size_t> all(statements_.size());
      for (size_t i = 0; i < all.size(); ++i) all[i] = i;
      addStatements(all, 0, true);
    } else if (auto it = statements_by_symbol_.find(s.entry); it != statements_by_symbol_.end()) {
      addStatements(it->second, 0, true);
    }
    if (auto it = sites_by_fn_.find(s.entry); it != sites_by_fn_.end()) {
      for (size_t i : it->second) {
        const Site& site = sites_[i];
        if (site.kind != "call" || site.file != s.file || !inRange(site.line, site.col)) continue;
        if (site.target == s.entry) continue;
        visit(s.entry, site.target, 0, site.file, site.line);
      }
    }
    // Depth d+1: the call closure.
    while (!queue.empty()) {
      int64_t fn = queue.front();
      queue.pop_front();
      int depth = s.reached.at(fn);
      if (auto it = statements_by_symbol_.find(fn); it != statements_by_symbol_.end())
        addStatements(it->second, depth, false);
      if (auto it = callees_.find(fn); it != callees_.end()) {
        for (const Edge& e : it->second) visit(fn, e.dst, depth, e.file, e.line);
      }
    }
  }

  /// A scope whose entry function is reached from inside another scope runs
  /// nested in it there. First (lowest id) outer scope wins; mutual
  /// recursion (each reaches the other) makes no parent.
  void nestDynamically() {
    for (size_t i = 0; i < scopes_.size(); ++i) {
      const Scope& outer = scopes_[i];
      std::vector<std::pair<int64_t, int>> inner_entries(outer.reached.begin(), outer.reached.end());
      std::sort(inner_entries.begin(), inner_entries.end());
      for (const auto& [fn, depth] : inner_entries) {
        if (depth == 0) continue;
        auto it = scopes_by_entry_.find(fn);
        if (it == scopes_by_entry_.end()) continue;
        for (size_t j : it->second) {
          Scope& inner = scopes_[j];
          if (j == i || inner.parent >= 0 || inner.reached.count(outer.entry)) continue;
          inner.parent = static_cast<int>(i);
          inner.raise(kNested, "runs inside transaction " + std::to_string(outer.id) + " (" + nameOf(outer.entry) +
                                   " calls " + nameOf(fn) + " at depth " + std::to_string(depth - 1) +
                                   "); there a nesting guard such as the bookstore's Transaction issues a "
                                   "SAVEPOINT, elsewhere it is a transaction of its own");
        }
      }
    }
  }

  // --- writing ----------------------------------------------------------------

  llvm::Expected<TransactionStats> write() {
    auto fail = [&](const char* what) { return sqliteError(db_, std::string("writing ") + what); };
    for (const char* sql : {"DELETE FROM transaction_routes", "DELETE FROM transaction_calls",
                            "DELETE FROM transaction_access", "DELETE FROM transactions"}) {
      Stmt s(db_, sql);
      if (!s.ok() || s.run() != SQLITE_DONE) return fail(sql);
    }
    Stmt tx(db_,
            "INSERT INTO transactions(id, entry_symbol_id, kind, guard, file_id, line, end_line, parent_id, "
            "certainty, note, col) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    Stmt ac(db_,
            "INSERT INTO transaction_access(transaction_id, table_name, op, symbol_id, statement_id, depth) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    Stmt ca(db_,
            "INSERT INTO transaction_calls(transaction_id, caller_id, callee_id, depth, file_id, line) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    Stmt ro(db_, "INSERT INTO transaction_routes(transaction_id, route_id) VALUES (?1, ?2)");
    if (!tx.ok() || !ac.ok() || !ca.ok() || !ro.ok()) return fail("transactions (prepare)");
    TransactionStats stats;
    std::unordered_map<int64_t, std::vector<int64_t>> routes_of_entry;
    for (const Scope& s : scopes_) {
      tx.bind(1, s.id).bind(2, s.entry).bind(3, s.kind);
      if (s.guard.empty()) tx.bindNull(4);
      else tx.bind(4, s.guard);
      tx.bind(5, s.file).bind(6, s.line);
      if (s.end_line) tx.bind(7, *s.end_line);
      else tx.bindNull(7);
      if (s.parent >= 0) tx.bind(8, scopes_[s.parent].id);
      else tx.bindNull(8);
      tx.bind(9, certaintyName(s.certainty));
      std::string note;
      for (const std::string& n : s.notes) note += (note.empty() ? "" : "; ") + n;
      if (note.empty()) tx.bindNull(10);
      else tx.bind(10, note);
      if (tx.bind(11, s.col).run() != SQLITE_DONE) return fail("transactions");
      ++stats.transactions;
      if (s.certainty == kExact) ++stats.exact;

      for (const AccessRow& a : access_rows_[s.id]) {
        ac.bind(1, s.id).bind(2, a.table).bind(3, a.op);
        if (a.symbol) ac.bind(4, a.symbol);
        else ac.bindNull(4);
        if (ac.bind(5, a.statement).bind(6, a.depth).run() != SQLITE_DONE) return fail("transaction_access");
        ++stats.accesses;
      }
      for (const CallRow& c : calls_[s.id]) {
        ca.bind(1, s.id).bind(2, c.caller).bind(3, c.callee).bind(4, c.depth);
        if (c.file) ca.bind(5, c.file);
        else ca.bindNull(5);
        if (ca.bind(6, c.line).run() != SQLITE_DONE) return fail("transaction_calls");
        ++stats.calls;
      }
      auto [it, inserted] = routes_of_entry.try_emplace(s.entry);
      if (inserted) it->second = routesReaching(s.entry);
      for (int64_t route : it->second) {
        if (ro.bind(1, s.id).bind(2, route).run() != SQLITE_DONE) return fail("transaction_routes");
      }
    }
    return stats;
  }

  /// Routes whose handler reaches `fn` through call edges (fn itself included).
  std::vector<int64_t> routesReaching(int64_t fn) const {
    std::unordered_set<int64_t> seen{fn};
    std::vector<int64_t> work{fn};
    std::set<int64_t> routes;
    while (!work.empty()) {
      int64_t f = work.back();
      work.pop_back();
      if (auto it = routes_by_handler_.find(f); it != routes_by_handler_.end())
        routes.insert(it->second.begin(), it->second.end());
      if (auto it = callers_.find(f); it != callers_.end())
        for (int64_t c : it->second)
          if (seen.insert(c).second) work.push_back(c);
    }
    return {routes.begin(), routes.end()};
  }

  sqlite3* db_;
  std::vector<Site> sites_;
  std::map<int64_t, std::vector<size_t>> sites_by_fn_;  ///< ordered: deterministic scope building
  std::vector<Statement> statements_;
  std::unordered_map<int64_t, std::vector<size_t>> statements_by_symbol_;
  std::map<std::pair<int64_t, int>, std::set<TxVerb>> verbs_at_;
  std::unordered_map<int64_t, std::set<TxVerb>> verbs_of_fn_;
  std::unordered_map<int64_t, std::vector<std::pair<std::string, std::string>>> access_;
  std::unordered_map<int64_t, std::vector<Edge>> callees_;
  std::unordered_map<int64_t, std::vector<int64_t>> callers_;
  std::unordered_map<int64_t, Symbol> symbols_;
  std::unordered_map<int64_t, std::string> paths_;
  std::unordered_map<int64_t, std::vector<int64_t>> routes_by_handler_;
  std::unordered_set<int64_t> guard_members_;
  std::map<int64_t, bool> guard_classes_;  ///< class -> has an ending member
  std::vector<Scope> scopes_;
  std::unordered_map<int64_t, std::vector<size_t>> scopes_by_entry_;
  std::unordered_map<int64_t, std::vector<CallRow>> calls_;
  std::unordered_map<int64_t, std::vector<AccessRow>> access_rows_;
};

}  // namespace

llvm::Expected<TransactionStats> computeTransactions(sqlite3* store) {
  if (sqlite3_exec(store, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return sqliteError(store, "transactions: BEGIN");
  }
  auto stats = Pass(store).run();
  if (!stats) {
    sqlite3_exec(store, "ROLLBACK", nullptr, nullptr, nullptr);
    return stats.takeError();
  }
  if (sqlite3_exec(store, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    llvm::Error err = sqliteError(store, "transactions: COMMIT");
    sqlite3_exec(store, "ROLLBACK", nullptr, nullptr, nullptr);
    return err;
  }
  return stats;
}

}  // namespace seam::analyzer
