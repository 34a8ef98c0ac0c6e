// Token-level SQL heuristics: see sql_fallback.h.
#include "sql_fallback.h"

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>

namespace seam::analyzer::sql {
namespace {

using Tokens = std::vector<Token>;

bool isOneOf(const Token& t, std::initializer_list<std::string_view> words) {
  if (t.kind != TokenKind::kWord) return false;
  return std::find(words.begin(), words.end(), t.lower) != words.end();
}

// Words that end a table reference (so they are not taken for an alias).
bool isClauseWord(const Token& t) {
  return isOneOf(t, {"where", "join", "inner", "left", "right", "full", "outer", "cross", "natural",
                     "on", "using", "group", "order", "limit", "having", "union", "except",
                     "intersect", "set", "values", "returning", "window", "offset", "for",
                     "lateral", "as", "select", "default", "indexed", "not", "straight_join",
                     "fetch", "into", "when", "then", "do", "where", "lock", "use", "force",
                     "ignore", "partition", "tablesample"});
}

// The tokens of the first statement only.
Tokens firstStatement(const Tokens& tokens) {
  Tokens out;
  for (const Token& t : tokens) {
    if (t.isPunct(';')) break;
    out.push_back(t);
  }
  return out;
}

bool allWordsIn(const Tokens& t, size_t from, std::initializer_list<std::string_view> words) {
  for (size_t i = from; i < t.size(); ++i) {
    if (!isOneOf(t[i], words)) return false;
  }
  return true;
}

// A table reference: [schema .] name. Returns the lower-case name and its
// qualifier, advancing `i` past it; nullopt (advancing past a '?') if the
// position holds no name.
struct TableRef {
  std::string name;
  std::string qualifier;
};
std::optional<TableRef> tableAt(const Tokens& t, size_t& i) {
  if (i >= t.size()) return std::nullopt;
  if (t[i].kind == TokenKind::kParam) {
    ++i;
    return std::nullopt;
  }
  if (!t[i].isName() || (t[i].kind == TokenKind::kWord && isClauseWord(t[i]))) return std::nullopt;
  TableRef ref{t[i].lower, {}};
  ++i;
  while (i + 1 < t.size() && t[i].isPunct('.') && t[i + 1].isName()) {
    ref.qualifier = ref.name;
    ref.name = t[i + 1].lower;
    i += 2;
  }
  return ref;
}

// Index of the token after the ')' matching the '(' at `open`.
size_t skipParens(const Tokens& t, size_t open) {
  int depth = 0;
  for (size_t i = open; i < t.size(); ++i) {
    if (t[i].isPunct('(')) ++depth;
    if (t[i].isPunct(')') && --depth == 0) return i + 1;
  }
  return t.size();
}

// Names defined by WITH: `name [(cols)] AS [NOT] [MATERIALIZED] (`.
std::set<std::string> cteNames(const Tokens& t) {
  std::set<std::string> names;
  for (size_t k = 1; k + 1 < t.size(); ++k) {
    if (!t[k].isWord("as")) continue;
    size_t body = k + 1;
    while (body < t.size() && isOneOf(t[body], {"not", "materialized"})) ++body;
    if (body >= t.size() || !t[body].isPunct('(')) continue;
    size_t name = k - 1;
    if (t[name].isPunct(')')) {  // column list: walk back to its '('
      int depth = 0;
      while (name > 0) {
        if (t[name].isPunct(')')) ++depth;
        if (t[name].isPunct('(') && --depth == 0) break;
        --name;
      }
      if (name == 0) continue;
      --name;
    }
    if (t[name].isName()) names.insert(t[name].lower);
  }
  return names;
}

class Extractor {
 public:
  explicit Extractor(const Tokens& tokens) : t_(tokens), ctes_(cteNames(tokens)) {}

  std::vector<TableAccess> run() {
    std::vector<bool> parens;  // per open '(': does it hold a subquery?
    for (size_t i = 0; i < t_.size();) {
      const Token& tok = t_[i];
      if (tok.isPunct('(')) {
        parens.push_back(i + 1 < t_.size() && isOneOf(t_[i + 1], {"select", "with", "values"}));
        ++i;
      } else if (tok.isPunct(')')) {
        if (!parens.empty()) parens.pop_back();
        ++i;
      } else if (tok.isWord("from") && (parens.empty() || parens.back())) {
        i = readList(i + 1);
      } else if (tok.kind == TokenKind::kWord && tok.lower.ends_with("join")) {
        size_t j = i + 1;
        if (auto ref = tableAt(t_, j)) add(*ref, "", SqlOp::kRead);
        i = j;
      } else if (isOneOf(tok, {"insert", "replace"}) && startsStatement(i)) {
        i = insertInto(i + 1);
      } else if (tok.isWord("update")) {
        i = update(i);
      } else if (tok.isWord("delete") && startsStatement(i)) {
        i = deleteFrom(i + 1);
      } else if (tok.isWord("truncate") && i == 0) {
        size_t j = i + 1;
        if (j < t_.size() && t_[j].isWord("table")) ++j;
        if (auto ref = tableAt(t_, j)) add(*ref, "", SqlOp::kDelete);
        i = j;
      } else if (tok.isWord("create") && i == 0) {
        return create();
      } else {
        ++i;
      }
    }
    return std::move(out_);
  }

 private:
  void add(const TableRef& ref, std::string column, SqlOp op) {
    if (ref.name.empty() || ref.name == "dual" || ref.name.starts_with("sqlite_")) return;
    if (ref.qualifier == "temp" || ref.qualifier == "pg_temp") return;
    if (op == SqlOp::kRead && ctes_.count(ref.name)) return;
    out_.push_back(TableAccess{ref.name, std::move(column), op, ""});
  }

  bool startsStatement(size_t i) const {
    return i == 0 || t_[i - 1].isPunct(')') || t_[i - 1].isPunct('(') ||
           isOneOf(t_[i - 1], {"explain", "plan", "then", "begin"}) || t_[i - 1].isPunct(';');
  }

  // Skips `[AS] alias` after a table reference.
  size_t skipAlias(size_t i) const {
    if (i < t_.size() && t_[i].isWord("as")) return i + 2;
    if (i < t_.size() && t_[i].isName() && !isClauseWord(t_[i])) return i + 1;
    return i;
  }

  // FROM a [AS x], b, (subquery) ...
  size_t readList(size_t i) {
    while (i < t_.size()) {
      if (t_[i].isPunct('(')) return i;  // a subquery: scanned by the main loop
      auto ref = tableAt(t_, i);
      if (ref) add(*ref, "", SqlOp::kRead);
      i = skipAlias(i);
      if (i < t_.size() && t_[i].isPunct(',')) {
        ++i;
        continue;
      }
      break;
    }
    return i;
  }

  size_t insertInto(size_t i) {
    while (i < t_.size() && isOneOf(t_[i], {"or", "replace", "rollback", "abort", "fail", "ignore",
                                            "low_priority", "delayed", "high_priority"})) {
      ++i;
    }
    if (i < t_.size() && t_[i].isWord("into")) ++i;
    auto ref = tableAt(t_, i);
    if (ref) {
      add(*ref, "", SqlOp::kInsert);
      last_insert_ = *ref;
    }
    return i;
  }

  size_t update(size_t i) {
    const Token* prev = i > 0 ? &t_[i - 1] : nullptr;
    if (prev && isOneOf(*prev, {"key", "do"})) {  // ON DUPLICATE KEY UPDATE / ON CONFLICT DO UPDATE
      if (!last_insert_) return i + 1;
      size_t j = i + 1;
      if (j < t_.size() && t_[j].isWord("set")) ++j;
      return setColumns(j, *last_insert_);
    }
    if (!startsStatement(i)) return i + 1;  // FOR UPDATE, ON UPDATE CASCADE, BEFORE UPDATE ...
    size_t j = i + 1;
    while (j < t_.size() && isOneOf(t_[j], {"or", "rollback", "abort", "replace", "fail", "ignore",
                                            "low_priority", "only"})) {
      ++j;
    }
    auto target = tableAt(t_, j);
    if (!target) return j;
    j = skipAlias(j);
    // Find SET at this nesting level (MySQL multi-table updates put JOINs first).
    int depth = 0;
    size_t k = j;
    for (; k < t_.size(); ++k) {
      if (t_[k].isPunct('(')) ++depth;
      if (t_[k].isPunct(')')) --depth;
      if (depth == 0 && t_[k].isWord("set")) break;
    }
    if (k == t_.size()) return j;
    size_t end = setColumns(k + 1, *target);
    if (hasWhere(end)) add(*target, "", SqlOp::kRead);
    return j;  // the main loop still sees FROM/JOIN and subqueries after the target
  }

  // col = expr, (a, b) = (...), ... up to a clause word at depth 0.
  size_t setColumns(size_t i, const TableRef& target) {
    while (i < t_.size()) {
      if (t_[i].isPunct('(')) {
        size_t close = skipParens(t_, i);
        for (size_t k = i + 1; k + 1 < close; ++k) {
          if (t_[k].isName()) add(target, t_[k].lower, SqlOp::kUpdate);
        }
        i = close;
      } else if (t_[i].isName()) {
        std::string col = t_[i].lower;
        ++i;
        while (i + 1 < t_.size() && t_[i].isPunct('.') && t_[i + 1].isName()) {
          col = t_[i + 1].lower;
          i += 2;
        }
        if (i < t_.size() && t_[i].isPunct('=')) add(target, col, SqlOp::kUpdate);
      } else {
        return i;
      }
      // Skip the value expression up to the next ',' at depth 0.
      int depth = 0;
      for (; i < t_.size(); ++i) {
        if (t_[i].isPunct('(')) ++depth;
        if (t_[i].isPunct(')')) {
          if (depth == 0) return i;
          --depth;
        }
        if (depth == 0 && (t_[i].isPunct(',') || t_[i].isPunct(';') ||
                           isOneOf(t_[i], {"where", "from", "returning", "order", "limit"}))) {
          break;
        }
      }
      if (i < t_.size() && t_[i].isPunct(',')) {
        ++i;
        continue;
      }
      return i;
    }
    return i;
  }

  bool hasWhere(size_t i) const {
    int depth = 0;
    for (; i < t_.size(); ++i) {
      if (t_[i].isPunct('(')) ++depth;
      if (t_[i].isPunct(')')) --depth;
      if (t_[i].isPunct(';')) return false;
      if (depth == 0 && t_[i].isWord("where")) return true;
    }
    return false;
  }

  size_t deleteFrom(size_t i) {
    while (i < t_.size() && isOneOf(t_[i], {"low_priority", "quick", "ignore"})) ++i;
    if (i >= t_.size() || !t_[i].isWord("from")) return i;
    ++i;
    auto ref = tableAt(t_, i);
    if (ref) {
      add(*ref, "", SqlOp::kDelete);
      if (hasWhere(i)) add(*ref, "", SqlOp::kRead);
    }
    return skipAlias(i);
  }

  // CREATE statements only yield the created object (temporary ones none).
  std::vector<TableAccess> create() {
    size_t i = 1;
    auto skip = [&](std::initializer_list<std::string_view> words) {
      while (i < t_.size() && isOneOf(t_[i], words)) ++i;
    };
    skip({"or", "replace"});
    if (i < t_.size() && isOneOf(t_[i], {"temp", "temporary"})) return {};
    skip({"unique", "virtual", "materialized", "global", "local", "unlogged"});
    if (i >= t_.size()) return {};
    std::string what = t_[i].lower;
    ++i;
    skip({"if", "not", "exists"});
    auto name = tableAt(t_, i);
    if (!name) return {};
    if (what == "table" || what == "view") {
      add(*name, "", SqlOp::kCreate);
    } else if (what == "index" || what == "trigger") {
      for (; i < t_.size(); ++i) {
        if (t_[i].isWord("on")) {
          ++i;
          if (auto table = tableAt(t_, i)) add(*table, "", SqlOp::kCreate);
          break;
        }
      }
    }
    return std::move(out_);
  }

  const Tokens& t_;
  std::set<std::string> ctes_;
  std::optional<TableRef> last_insert_;
  std::vector<TableAccess> out_;
};

}  // namespace

SqlKind statementKind(const Tokens& tokens) {
  if (tokens.empty() || tokens[0].kind != TokenKind::kWord) return SqlKind::kNotSql;
  const Token& f = tokens[0];
  if (isOneOf(f, {"select", "insert", "update", "delete", "replace", "with", "values", "merge",
                  "upsert", "truncate"})) {
    return SqlKind::kDml;
  }
  if (isOneOf(f, {"create", "drop", "alter"})) return SqlKind::kDdl;
  if (isOneOf(f, {"begin", "commit", "end", "rollback", "savepoint", "release"})) {
    return SqlKind::kTransaction;
  }
  if (f.isWord("start") && tokens.size() > 1 && tokens[1].isWord("transaction")) {
    return SqlKind::kTransaction;
  }
  return SqlKind::kOther;
}

bool looksLikeSqlTokens(const Tokens& all) {
  Tokens t = firstStatement(all);
  if (t.empty() || t[0].kind != TokenKind::kWord) return false;
  size_t n = t.size();
  auto at = [&](size_t i) -> const Token* { return i < n ? &t[i] : nullptr; };
  auto wordAt = [&](size_t i, std::initializer_list<std::string_view> words) {
    return i < n && isOneOf(t[i], words);
  };
  auto contains = [&](std::string_view w) {
    return std::any_of(t.begin(), t.end(), [&](const Token& x) { return x.isWord(w); });
  };
  const std::string& f = t[0].lower;
  if (f == "select") {
    if (n < 2) return false;
    if (contains("from")) return true;
    // SELECT without FROM (SELECT 1, SELECT last_insert_rowid()) has no
    // table, so no column names: every bare word must be a function call,
    // an alias or an expression keyword. Prose ("Select a book", "SELECT
    // failed: %s") has bare words.
    for (size_t i = 1; i < n; ++i) {
      if (t[i].kind != TokenKind::kWord) continue;
      if (i + 1 < n && t[i + 1].isPunct('(')) continue;
      if (t[i - 1].isWord("as")) continue;
      if (!isOneOf(t[i], {"as", "distinct", "all", "case", "when", "then", "else", "end", "not",
                          "is", "in", "and", "or", "null", "true", "false", "like", "glob",
                          "between", "current_timestamp", "current_date", "current_time",
                          "collate", "escape", "nocase"})) {
        return false;
      }
    }
    return true;
  }
  if (f == "insert" || f == "replace") {
    size_t i = 1;
    while (wordAt(i, {"or", "replace", "rollback", "abort", "fail", "ignore", "low_priority",
                      "delayed", "high_priority"})) {
      ++i;
    }
    return wordAt(i, {"into"});
  }
  if (f == "update") {
    size_t i = 1;
    while (wordAt(i, {"or", "rollback", "abort", "replace", "fail", "ignore", "low_priority",
                      "only"})) {
      ++i;
    }
    if (!at(i) || !(t[i].isName() || t[i].kind == TokenKind::kParam)) return false;
    return std::any_of(t.begin() + static_cast<long>(i) + 1, t.end(),
                       [](const Token& x) { return x.isWord("set"); });
  }
  if (f == "delete") {
    size_t i = 1;
    while (wordAt(i, {"low_priority", "quick", "ignore"})) ++i;
    return wordAt(i, {"from"});
  }
  if (f == "with") {
    size_t i = wordAt(1, {"recursive"}) ? 2 : 1;
    return at(i) && t[i].isName() && contains("as") &&
           (contains("select") || contains("insert") || contains("update") || contains("delete"));
  }
  if (f == "create") {
    size_t i = 1;
    while (wordAt(i, {"or", "replace", "temp", "temporary", "unique", "virtual", "materialized",
                      "global", "local", "unlogged"})) {
      ++i;
    }
    return wordAt(i, {"table", "view", "index", "trigger", "schema", "database", "sequence",
                      "function", "type", "extension", "procedure"});
  }
  if (f == "drop") {
    return wordAt(1, {"table", "view", "index", "trigger", "schema", "database", "sequence",
                      "function", "type", "extension", "procedure"});
  }
  if (f == "alter") return wordAt(1, {"table", "index", "view", "sequence", "database"});
  if (f == "truncate") return n <= 3 && n >= 2 && (t[1].isName());
  if (f == "begin") {
    return allWordsIn(t, 1, {"deferred", "immediate", "exclusive", "transaction", "work",
                             "isolation", "level", "read", "write", "only", "committed",
                             "uncommitted", "repeatable", "serializable"});
  }
  if (f == "start") return wordAt(1, {"transaction"});
  if (f == "commit" || f == "end") {
    return allWordsIn(t, 1, {"transaction", "work", "and", "no", "chain", "release"});
  }
  if (f == "rollback") {
    size_t i = 1;
    if (wordAt(i, {"transaction", "work"})) ++i;
    if (i == n) return true;
    if (!wordAt(i, {"to"})) return false;
    ++i;
    if (wordAt(i, {"savepoint"})) ++i;
    return i + 1 == n && t[i].isName();
  }
  if (f == "savepoint") return n == 2 && t[1].isName();
  if (f == "release") {
    size_t i = wordAt(1, {"savepoint"}) ? 2 : 1;
    return i + 1 == n && t[i].isName();
  }
  if (f == "pragma") {
    return n >= 2 && t[1].isName() &&
           (n == 2 || t[2].isPunct('=') || t[2].isPunct('(') || t[2].isPunct('.'));
  }
  if (f == "vacuum" || f == "analyze" || f == "reindex") return n == 1;
  if (f == "attach") return contains("as");
  if (f == "detach") return n <= 3;
  if (f == "values") return wordAt(1, {}) || (n > 1 && t[1].isPunct('('));
  if (f == "explain") {
    size_t i = 1;
    while (wordAt(i, {"query", "plan", "analyze", "verbose"})) ++i;
    return looksLikeSqlTokens(Tokens(t.begin() + static_cast<long>(i), t.end()));
  }
  if (f == "merge") return wordAt(1, {"into"});
  return false;
}

std::vector<TableAccess> tokenizerAccesses(const Tokens& tokens) {
  return Extractor(tokens).run();
}

}  // namespace seam::analyzer::sql
