// Fact store -> ReportModel. Every query aggregates in SQL (GROUP BY) so a
// large store is read once per fact kind, and every foreign key is resolved
// defensively: a dangling id becomes "unknown", never an out-of-range index.
#include "seam/reports/fact_store_loader.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "sqlite_db.h"

namespace seam::reports {
namespace {

using internal::ReadOnlyDb;
using internal::Row;

constexpr long long kSeamApplicationId = 0x5345414d;  // 'SEAM'
constexpr long long kSchemaVersion = 2;

bool isWrite(const std::string& op) { return op == "insert" || op == "update" || op == "delete"; }

class Loader {
 public:
  Loader(ReadOnlyDb& db, const LoadOptions& options, ReportModel& model)
      : db_(db), options_(options), m_(model) {}

  Status run() {
    for (auto step : {&Loader::checkSchema, &Loader::loadMeta, &Loader::loadModules,
                      &Loader::loadSymbols, &Loader::loadEdges, &Loader::loadTables,
                      &Loader::loadAccesses, &Loader::loadRoutes, &Loader::loadSummary}) {
      Status s = (this->*step)();
      if (!s.ok()) return s;
    }
    assignHeuristicOwners();
    return Status::Ok();
  }

 private:
  Status checkSchema() {
    long long app_id = 0, version = 0;
    Status s = db_.query("PRAGMA application_id", [&](const Row& r) { app_id = r.integer(0); });
    if (s.ok()) s = db_.query("PRAGMA user_version", [&](const Row& r) { version = r.integer(0); });
    if (!s.ok()) return s;
    if (app_id != kSeamApplicationId) {
      return Error{"not a Seam fact store (application_id is not 'SEAM'); create one with `seam analyze`"};
    }
    if (version != kSchemaVersion) {
      return Error{"fact store schema version " + std::to_string(version) + " is not supported (expected " +
                   std::to_string(kSchemaVersion) + "); re-run `seam analyze`"};
    }
    return Status::Ok();
  }

  Status loadMeta() {
    return db_.query("SELECT key, value FROM meta", [&](const Row& r) {
      std::string key = r.text(0);
      if (key == "project_root") m_.project_root = r.text(1);
      if (key == "seam_version") m_.seam_version = r.text(1);
    });
  }

  Status loadModules() {
    Status s = db_.query("SELECT id, name, external FROM modules ORDER BY name", [&](const Row& r) {
      if (r.integer(2) != 0) {
        m_.external_modules.push_back(r.text(1));
        return;
      }
      module_by_id_[r.integer(0)] = static_cast<int>(m_.modules.size());
      Module mod;
      mod.name = r.text(1);
      m_.modules.push_back(std::move(mod));
    });
    // Sizes by one grouped scan each (files has no module index; a correlated
    // subquery per module was quadratic).
    if (s.ok()) {
      s = db_.query("SELECT module_id, count(*), coalesce(sum(lines), 0) FROM files GROUP BY module_id",
                    [&](const Row& r) {
                      int mod = module(r, 0);
                      if (mod < 0) return;
                      m_.modules[mod].files = static_cast<int>(r.integer(1));
                      m_.modules[mod].lines = static_cast<int>(r.integer(2));
                    });
    }
    if (s.ok()) {
      s = db_.query("SELECT module_id, count(*) FROM symbols GROUP BY module_id", [&](const Row& r) {
        int mod = module(r, 0);
        if (mod >= 0) m_.modules[mod].symbols = static_cast<int>(r.integer(1));
      });
    }
    return s;
  }

  int module(const Row& r, int col) const {
    if (r.isNull(col)) return -1;
    auto it = module_by_id_.find(r.integer(col));
    return it == module_by_id_.end() ? -1 : it->second;
  }

  Status loadSymbols() {
    // Named entities a reader recognises, definitions and the largest first.
    return db_.query(
        "SELECT s.module_id, s.qualified_name, s.kind, f.path, s.line, s.lines FROM symbols s"
        " LEFT JOIN files f ON f.id = s.file_id"
        " WHERE s.module_id IS NOT NULL AND s.kind IN"
        "  ('function','method','constructor','class','struct','union','enum','variable')"
        " ORDER BY s.module_id, s.is_definition DESC, s.lines DESC, s.qualified_name",
        [&](const Row& r) {
          int mod = module(r, 0);
          if (mod < 0) return;
          auto& list = m_.modules[mod].symbol_details;
          if (static_cast<int>(list.size()) >= options_.max_symbols_per_module) return;
          list.push_back({r.text(1), r.text(2), {r.text(3), static_cast<int>(r.integer(4))},
                          static_cast<int>(r.integer(5))});
        });
  }

  Status loadEdges() {
    std::map<std::pair<int, int>, size_t> index;
    Status s = db_.query(
        "SELECT sa.module_id, sb.module_id, e.kind, sum(e.count) FROM edges e"
        " JOIN symbols sa ON sa.id = e.src JOIN symbols sb ON sb.id = e.dst"
        " WHERE sa.module_id != sb.module_id GROUP BY 1, 2, 3",
        [&](const Row& r) {
          int a = module(r, 0), b = module(r, 1);
          if (a < 0 || b < 0) return;  // external modules are listed, not drawn
          auto [it, inserted] = index.try_emplace({a, b}, m_.edges.size());
          if (inserted) m_.edges.push_back(ModuleEdge{a, b, 0, {}, {}});
          ModuleEdge& e = m_.edges[it->second];
          e.kinds[r.text(2)] += r.integer(3);
          e.weight += r.integer(3);
        });
    if (!s.ok()) return s;
    return db_.query(
        "SELECT sa.module_id, sb.module_id, sa.qualified_name, sb.qualified_name, e.kind, e.count,"
        " f.path, e.line FROM edges e"
        " JOIN symbols sa ON sa.id = e.src JOIN symbols sb ON sb.id = e.dst"
        " LEFT JOIN files f ON f.id = e.file_id"
        " WHERE sa.module_id != sb.module_id ORDER BY e.count DESC, sa.qualified_name, sb.qualified_name",
        [&](const Row& r) {
          auto it = index.find({module(r, 0), module(r, 1)});
          if (it == index.end()) return;
          auto& ev = m_.edges[it->second].evidence;
          if (static_cast<int>(ev.size()) >= options_.max_evidence_per_edge) return;
          ev.push_back({r.text(2), r.text(3), r.text(4), static_cast<int>(r.integer(5)),
                        {r.text(6), static_cast<int>(r.integer(7))}});
        });
  }

  int table(const std::string& raw_name) {
    std::string name = raw_name;
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto [it, inserted] = table_by_name_.try_emplace(name, static_cast<int>(m_.tables.size()));
    if (inserted) m_.tables.push_back(Table{name, {}, -1, -1, false});
    return it->second;
  }

  Status loadTables() {
    Status s = db_.query(
        "SELECT o.name, f.path, o.line FROM db_objects o LEFT JOIN files f ON f.id = o.file_id"
        " WHERE o.kind = 'table' ORDER BY o.name",
        [&](const Row& r) {
          int t = table(r.text(0));
          m_.tables[t].defined = {r.text(1), static_cast<int>(r.integer(2))};
        });
    if (!s.ok()) return s;
    // Tables that are only accessed (their CREATE was not seen) still belong in the matrix.
    return db_.query("SELECT DISTINCT table_name FROM table_access ORDER BY 1",
                     [&](const Row& r) { table(r.text(0)); });
  }

  Status loadAccesses() {
    std::map<std::pair<int, int>, size_t> index;
    std::map<std::pair<int, int>, std::set<long long>> statements;
    // The issuing function's module; the statement's file's module when the symbol is unknown.
    return db_.query(
        "SELECT coalesce(s.module_id, f.module_id), ta.table_name, ta.op, st.id, f.path, st.line,"
        " s.qualified_name, st.text FROM table_access ta"
        " JOIN sql_statements st ON st.id = ta.statement_id"
        " LEFT JOIN symbols s ON s.id = coalesce(ta.symbol_id, st.symbol_id)"
        " LEFT JOIN files f ON f.id = st.file_id ORDER BY f.path, st.line, st.id",
        [&](const Row& r) {
          int mod = module(r, 0);
          if (mod < 0) return;
          int t = table(r.text(1));
          auto [it, inserted] = index.try_emplace({mod, t}, m_.accesses.size());
          if (inserted) m_.accesses.push_back(TableAccess{mod, t, false, false, false, 0, {}});
          TableAccess& a = m_.accesses[it->second];
          std::string op = r.text(2);
          a.create |= op == "create";
          a.read |= op == "read";
          a.write |= isWrite(op);
          if (statements[{mod, t}].insert(r.integer(3)).second) {
            a.statements++;
            if (static_cast<int>(a.sites.size()) < options_.max_sites_per_access) {
              a.sites.push_back({{r.text(4), static_cast<int>(r.integer(5))}, r.text(6), r.text(7)});
            }
          }
        });
  }

  Status loadRoutes() {
    return db_.query(
        "SELECT r.method, r.path, r.framework, s.qualified_name, f.path, r.line,"
        " coalesce(r.module_id, s.module_id, f.module_id) FROM routes r"
        " LEFT JOIN symbols s ON s.id = r.handler_id LEFT JOIN files f ON f.id = r.file_id"
        " ORDER BY r.path, r.method",
        [&](const Row& r) {
          m_.routes.push_back({r.text(0), r.text(1), r.text(2), r.text(3),
                               {r.text(4), static_cast<int>(r.integer(5))}, module(r, 6)});
        });
  }

  Status loadSummary() {
    Summary& s = m_.summary;
    Status st = db_.query(
        "SELECT (SELECT count(*) FROM files), (SELECT count(*) FROM files WHERE is_header),"
        " (SELECT coalesce(sum(lines), 0) FROM files), (SELECT count(*) FROM symbols),"
        " (SELECT count(*) FROM translation_units), (SELECT count(*) FROM sql_statements),"
        " (SELECT count(*) FROM sql_statements WHERE complete), (SELECT count(*) FROM diagnostics)",
        [&](const Row& r) {
          s.files = static_cast<int>(r.integer(0));
          s.headers = static_cast<int>(r.integer(1));
          s.lines = static_cast<int>(r.integer(2));
          s.symbols = static_cast<int>(r.integer(3));
          s.translation_units = static_cast<int>(r.integer(4));
          s.statements = static_cast<int>(r.integer(5));
          s.complete_statements = static_cast<int>(r.integer(6));
          s.diagnostics = static_cast<int>(r.integer(7));
        });
    s.modules = static_cast<int>(m_.modules.size());
    s.external_modules = static_cast<int>(m_.external_modules.size());
    s.tables = static_cast<int>(m_.tables.size());
    s.routes = static_cast<int>(m_.routes.size());
    return st;
  }

  // Without a plan a table's owner is the module that writes it from the most
  // statements (creating it counts as one write); ties go to the first by name.
  void assignHeuristicOwners() {
    std::vector<int> best(m_.tables.size(), 0);
    for (const auto& a : m_.accesses) {
      int score = (a.write ? a.statements : 0) + (a.create ? 1 : 0);
      if (score > best[a.table]) {
        best[a.table] = score;
        m_.tables[a.table].owner_module = a.module;
      }
    }
  }

  ReadOnlyDb& db_;
  const LoadOptions& options_;
  ReportModel& m_;
  std::unordered_map<long long, int> module_by_id_;
  std::unordered_map<std::string, int> table_by_name_;
};

}  // namespace

Result<ReportModel> loadFactStore(const std::string& db_path, const LoadOptions& options) {
  ReadOnlyDb db;
  Status s = db.open(db_path);
  if (!s.ok()) return Error{s.error()};
  ReportModel model;
  Loader loader(db, options, model);
  s = loader.run();
  if (!s.ok()) return Error{db_path + ": " + s.error()};
  return model;
}

}  // namespace seam::reports
