#include "seam/analyzer/show.h"

#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "seam/analyzer/fact_store.h"
#include "sqlite_util.h"

namespace seam::analyzer {
namespace {

using Json = nlohmann::ordered_json;
using Row = std::vector<std::string>;

/// Left-aligned columns separated by two spaces; numbers right-aligned.
std::string table(const Row& header, const std::vector<Row>& rows) {
  std::vector<size_t> width(header.size());
  for (size_t i = 0; i < header.size(); ++i) width[i] = header[i].size();
  for (const Row& r : rows)
    for (size_t i = 0; i < r.size() && i < width.size(); ++i) width[i] = std::max(width[i], r[i].size());
  auto numeric = [](const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  std::string out;
  auto line = [&](const Row& r) {
    std::string l;
    for (size_t i = 0; i < r.size(); ++i) {
      bool last = i + 1 == r.size();
      if (numeric(r[i])) l += fmt::format("{:>{}}", r[i], width[i]);
      else l += last ? r[i] : fmt::format("{:<{}}", r[i], width[i]);
      if (!last) l += "  ";
    }
    while (!l.empty() && l.back() == ' ') l.pop_back();
    out += l + "\n";
  };
  line(header);
  for (const Row& r : rows) line(r);
  return out;
}


llvm::Error queryError(sqlite3* db) { return sqliteError(db, "query"); }

llvm::Expected<std::string> showModules(sqlite3* db, const ShowOptions& o) {
  Stmt s(db, R"sql(
    WITH coupling AS (
      SELECT s.module_id AS src, d.module_id AS dst, SUM(e.count) AS w
      FROM edges e JOIN symbols s ON s.id = e.src JOIN symbols d ON d.id = e.dst
      WHERE s.module_id != d.module_id GROUP BY 1, 2)
    SELECT m.name, m.external,
      (SELECT count(*) FROM files f WHERE f.module_id = m.id),
      (SELECT COALESCE(SUM(lines), 0) FROM files f WHERE f.module_id = m.id),
      (SELECT count(*) FROM symbols s WHERE s.module_id = m.id),
      (SELECT COALESCE(SUM(w), 0) FROM coupling c JOIN modules x ON x.id = c.dst
         WHERE c.src = m.id AND (?1 OR x.external = 0)),
      (SELECT COALESCE(SUM(w), 0) FROM coupling c WHERE c.dst = m.id)
    FROM modules m WHERE (?1 OR m.external = 0) ORDER BY m.external, m.name)sql");
  if (!s.ok()) return queryError(db);
  s.bind(1, o.include_external ? 1 : 0);
  Json j = Json::array();
  std::vector<Row> rows;
  while (s.step() == SQLITE_ROW) {
    j.push_back({{"module", s.text(0)}, {"external", s.i64(1) != 0}, {"files", s.i64(2)}, {"lines", s.i64(3)},
                 {"symbols", s.i64(4)}, {"fan_out", s.i64(5)}, {"fan_in", s.i64(6)}});
    rows.push_back({s.text(0), s.text(2), s.text(3), s.text(4), s.text(5), s.text(6)});
  }
  if (o.json) return Json{{"modules", j}}.dump(2) + "\n";
  return table({"MODULE", "FILES", "LINES", "SYMBOLS", "FAN-OUT", "FAN-IN"}, rows);
}

llvm::Expected<std::string> showEdges(sqlite3* db, const ShowOptions& o) {
  Stmt s(db, R"sql(
    SELECT sm.name, dm.name, e.kind, SUM(e.count)
    FROM edges e JOIN symbols s ON s.id = e.src JOIN symbols d ON d.id = e.dst
    JOIN modules sm ON sm.id = s.module_id JOIN modules dm ON dm.id = d.module_id
    WHERE sm.id != dm.id AND (?1 OR (sm.external = 0 AND dm.external = 0))
      AND (?2 = '' OR sm.name = ?2 OR dm.name = ?2)
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3)sql");
  if (!s.ok()) return queryError(db);
  s.bind(1, o.include_external ? 1 : 0).bind(2, o.module);
  std::map<std::pair<std::string, std::string>, std::map<std::string, int64_t>> pairs;
  while (s.step() == SQLITE_ROW) pairs[{s.text(0), s.text(1)}][s.text(2)] = s.i64(3);
  Json j = Json::array();
  std::vector<Row> rows;
  for (const auto& [key, kinds] : pairs) {
    int64_t total = 0;
    std::string detail;
    Json k = Json::object();
    for (const auto& [kind, w] : kinds) {
      total += w;
      detail += fmt::format("{}{}={}", detail.empty() ? "" : " ", kind, w);
      k[kind] = w;
    }
    j.push_back({{"from", key.first}, {"to", key.second}, {"weight", total}, {"kinds", k}});
    rows.push_back({key.first, "->", key.second, std::to_string(total), detail});
  }
  if (o.json) return Json{{"edges", j}}.dump(2) + "\n";
  return table({"FROM", "", "TO", "WEIGHT", "KINDS"}, rows);
}

llvm::Expected<std::string> showTables(sqlite3* db, const ShowOptions& o) {
  Stmt s(db, R"sql(
    SELECT COALESCE(m.name, '(unknown)'), ta.table_name, ta.op, count(*)
    FROM table_access ta LEFT JOIN symbols s ON s.id = ta.symbol_id
    LEFT JOIN modules m ON m.id = s.module_id
    GROUP BY 1, 2, 3 ORDER BY 1, 2)sql");
  if (!s.ok()) return queryError(db);
  std::set<std::string> tables;
  std::map<std::string, std::map<std::string, std::set<char>>> matrix;  // module -> table -> letters
  while (s.step() == SQLITE_ROW) {
    std::string op = s.text(2);
    char letter = op == "create" ? 'C' : op == "read" ? 'R' : 'W';
    tables.insert(s.text(1));
    matrix[s.text(0)][s.text(1)].insert(letter);
  }
  auto letters = [](const std::set<char>& set) {
    std::string out;
    for (char c : {'C', 'R', 'W'})
      if (set.count(c)) out += c;
    return out;
  };
  if (o.json) {
    Json mods = Json::array();
    for (const auto& [module, row] : matrix) {
      Json access = Json::object();
      for (const auto& [t, set] : row) access[t] = letters(set);
      mods.push_back({{"module", module}, {"access", access}});
    }
    Json per_table = Json::array();
    for (const std::string& t : tables) {
      Json creators = Json::array(), readers = Json::array(), writers = Json::array();
      for (const auto& [module, row] : matrix) {
        auto it = row.find(t);
        if (it == row.end()) continue;
        if (it->second.count('C')) creators.push_back(module);
        if (it->second.count('R')) readers.push_back(module);
        if (it->second.count('W')) writers.push_back(module);
      }
      per_table.push_back({{"table", t}, {"creators", creators}, {"readers", readers}, {"writers", writers}});
    }
    return Json{{"tables", per_table}, {"modules", mods}}.dump(2) + "\n";
  }
  if (tables.empty()) return std::string("no table accesses recorded\n");
  Row header{"MODULE"};
  header.insert(header.end(), tables.begin(), tables.end());
  std::vector<Row> rows;
  for (const auto& [module, row] : matrix) {
    Row r{module};
    for (const std::string& t : tables) {
      auto it = row.find(t);
      r.push_back(it == row.end() ? "." : letters(it->second));
    }
    rows.push_back(std::move(r));
  }
  return table(header, rows) + "C = creates, R = reads, W = inserts/updates/deletes\n";
}

llvm::Expected<std::string> showRoutes(sqlite3* db, const ShowOptions& o) {
  Stmt s(db, R"sql(
    SELECT r.method, r.path, r.framework, COALESCE(s.qualified_name, '?'), COALESCE(s.kind, ''),
           COALESCE(m.name, ''), COALESCE(f.path, ''), COALESCE(r.line, 0)
    FROM routes r LEFT JOIN symbols s ON s.id = r.handler_id LEFT JOIN modules m ON m.id = r.module_id
    LEFT JOIN files f ON f.id = r.file_id ORDER BY r.path, r.method)sql");
  if (!s.ok()) return queryError(db);
  Json j = Json::array();
  std::vector<Row> rows;
  while (s.step() == SQLITE_ROW) {
    j.push_back({{"method", s.text(0)}, {"path", s.text(1)}, {"framework", s.text(2)}, {"handler", s.text(3)},
                 {"handler_kind", s.text(4)}, {"module", s.text(5)}, {"file", s.text(6)}, {"line", s.i64(7)}});
    rows.push_back({s.text(0), s.text(1), s.text(5), s.text(3), s.text(6) + ":" + s.text(7)});
  }
  if (o.json) return Json{{"routes", j}}.dump(2) + "\n";
  return table({"METHOD", "PATH", "MODULE", "HANDLER", "REGISTERED AT"}, rows);
}

llvm::Expected<std::string> showSymbols(sqlite3* db, const ShowOptions& o) {
  Stmt s(db, R"sql(
    SELECT s.kind, s.qualified_name, COALESCE(m.name, ''), COALESCE(f.path, ''), COALESCE(s.line, 0),
           s.is_definition, s.lines, s.id
    FROM symbols s LEFT JOIN modules m ON m.id = s.module_id LEFT JOIN files f ON f.id = s.file_id
    WHERE (?1 OR COALESCE(m.external, 0) = 0) AND (?2 = '' OR m.name = ?2)
    ORDER BY m.name, f.path, s.line, s.qualified_name)sql");
  if (!s.ok()) return queryError(db);
  s.bind(1, o.include_external ? 1 : 0).bind(2, o.module);
  Json j = Json::array();
  std::vector<Row> rows;
  while (s.step() == SQLITE_ROW) {
    j.push_back({{"id", s.i64(7)}, {"kind", s.text(0)}, {"name", s.text(1)}, {"module", s.text(2)},
                 {"file", s.text(3)}, {"line", s.i64(4)}, {"definition", s.i64(5) != 0}, {"lines", s.i64(6)}});
    rows.push_back({s.text(2), s.text(0), s.text(1), s.text(3) + ":" + s.text(4)});
  }
  if (o.json) return Json{{"symbols", j}}.dump(2) + "\n";
  return table({"MODULE", "KIND", "SYMBOL", "LOCATION"}, rows);
}

llvm::Expected<std::string> showDiagnostics(sqlite3* db, const ShowOptions& o) {
  Stmt s(db, R"sql(
    SELECT COALESCE(tf.path, ''), COALESCE(f.path, ''), COALESCE(d.line, 0), COALESCE(d.col, 0), d.severity,
           d.message, COALESCE(t.status, '')
    FROM diagnostics d LEFT JOIN files tf ON tf.id = d.tu_file_id LEFT JOIN files f ON f.id = d.file_id
    LEFT JOIN translation_units t ON t.file_id = d.tu_file_id
    ORDER BY tf.path, d.id)sql");
  if (!s.ok()) return queryError(db);
  Json j = Json::array();
  std::string text;
  while (s.step() == SQLITE_ROW) {
    j.push_back({{"tu", s.text(0)}, {"file", s.text(1)}, {"line", s.i64(2)}, {"col", s.i64(3)},
                 {"severity", s.text(4)}, {"message", s.text(5)}, {"tu_status", s.text(6)}});
    std::string where = s.text(1).empty() ? s.text(0) : fmt::format("{}:{}:{}", s.text(1), s.text(2), s.text(3));
    text += fmt::format("{}: {}: {}", where, s.text(4), s.text(5));
    if (s.text(1) != s.text(0)) text += fmt::format("  (in TU {})", s.text(0));
    text += "\n";
  }
  if (o.json) return Json{{"diagnostics", j}}.dump(2) + "\n";
  return text.empty() ? std::string("no diagnostics: every TU parsed cleanly\n") : text;
}

/// One block per scope: entry, kind, certainty, where, routes, the (table,
/// op) group with the smallest call depth per pair, and the note.
llvm::Expected<std::string> showTransactions(sqlite3* db, const ShowOptions& o) {
  Stmt s(db, R"sql(
    SELECT t.id, COALESCE(s.qualified_name, '?'), t.kind, COALESCE(t.guard, ''), COALESCE(f.path, ''), t.line,
           t.end_line, t.parent_id, t.certainty, COALESCE(t.note, ''), COALESCE(m.name, '')
    FROM transactions t LEFT JOIN symbols s ON s.id = t.entry_symbol_id LEFT JOIN files f ON f.id = t.file_id
    LEFT JOIN modules m ON m.id = s.module_id
    WHERE ?1 = '' OR m.name = ?1 ORDER BY t.id)sql");
  Stmt routes(db, R"sql(
    SELECT r.method, r.path FROM transaction_routes x JOIN routes r ON r.id = x.route_id
    WHERE x.transaction_id = ?1 ORDER BY r.path, r.method)sql");
  Stmt group(db, R"sql(
    SELECT table_name, op, MIN(depth) FROM transaction_access WHERE transaction_id = ?1
    GROUP BY table_name, op ORDER BY table_name, op)sql");
  if (!s.ok() || !routes.ok() || !group.ok()) return queryError(db);
  s.bind(1, o.module);
  Json j = Json::array();
  std::string text;
  size_t count = 0;
  while (s.step() == SQLITE_ROW) {
    ++count;
    int64_t id = s.i64(0);
    Json route_list = Json::array();
    std::string route_text;
    routes.bind(1, id);
    while (routes.step() == SQLITE_ROW) {
      route_list.push_back({{"method", routes.text(0)}, {"path", routes.text(1)}});
      route_text += (route_text.empty() ? "" : ", ") + routes.text(0) + " " + routes.text(1);
    }
    routes.reset();
    Json group_list = Json::array();
    std::map<std::string, std::string> ops;  // table -> "insert,read"
    group.bind(1, id);
    while (group.step() == SQLITE_ROW) {
      group_list.push_back({{"table", group.text(0)}, {"op", group.text(1)}, {"depth", group.i64(2)}});
      std::string& list = ops[group.text(0)];
      list += (list.empty() ? "" : ",") + group.text(1);
    }
    group.reset();
    std::string end = s.isNull(6) ? "?" : s.text(6);
    Json row = {{"id", id},           {"entry", s.text(1)},     {"module", s.text(10)},   {"kind", s.text(2)},
                {"file", s.text(4)},  {"line", s.i64(5)},       {"certainty", s.text(8)}, {"routes", route_list},
                {"group", group_list}};
    row["guard"] = s.text(3).empty() ? Json(nullptr) : Json(s.text(3));
    row["end_line"] = s.isNull(6) ? Json(nullptr) : Json(s.i64(6));
    row["parent"] = s.isNull(7) ? Json(nullptr) : Json(s.i64(7));
    row["note"] = s.text(9).empty() ? Json(nullptr) : Json(s.text(9));
    j.push_back(std::move(row));

    text += fmt::format("#{} {} {} {} at {}:{}-{}{}{}\n", id, s.text(1), s.text(2), s.text(8), s.text(4), s.text(5),
                        end, s.text(3).empty() ? "" : " guard " + s.text(3),
                        s.isNull(7) ? "" : " parent #" + s.text(7));
    text += "  routes: " + (route_text.empty() ? std::string("(none found)") : route_text) + "\n";
    std::string g;
    for (const auto& [table_name, list] : ops) g += (g.empty() ? "" : " ") + table_name + ":" + list;
    text += "  group:  " + (g.empty() ? std::string("(no table access)") : g) + "\n";
    if (!s.text(9).empty()) text += "  note:   " + s.text(9) + "\n";
  }
  if (o.json) return Json{{"transactions", j}}.dump(2) + "\n";
  if (count == 0) return std::string("no transaction scopes found\n");
  return text;
}

}  // namespace

std::optional<ShowView> parseShowView(const std::string& name) {
  if (name == "transactions") return ShowView::kTransactions;
  if (name == "modules") return ShowView::kModules;
  if (name == "edges") return ShowView::kEdges;
  if (name == "tables") return ShowView::kTables;
  if (name == "routes") return ShowView::kRoutes;
  if (name == "symbols") return ShowView::kSymbols;
  if (name == "diagnostics") return ShowView::kDiagnostics;
  return std::nullopt;
}

llvm::Expected<std::string> show(const std::string& db_path, ShowView view, const ShowOptions& options) {
  auto store = FactStore::open(db_path, /*read_only=*/true);
  if (!store) return store.takeError();
  sqlite3* db = (*store)->db();
  switch (view) {
    case ShowView::kModules: return showModules(db, options);
    case ShowView::kEdges: return showEdges(db, options);
    case ShowView::kTables: return showTables(db, options);
    case ShowView::kRoutes: return showRoutes(db, options);
    case ShowView::kSymbols: return showSymbols(db, options);
    case ShowView::kDiagnostics: return showDiagnostics(db, options);
    case ShowView::kTransactions: return showTransactions(db, options);
  }
  return std::string();
}

}  // namespace seam::analyzer
