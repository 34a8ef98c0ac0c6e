// The facts the smell rules need, read once from a Seam fact store (seam.db,
// schema in analyzer/lib/schema.sql) into memory. The database is opened
// read-only: a bad or foreign file is reported, never modified.
//
// Ids are the store's ids; 0 stands for SQL NULL (no file, no module).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "seam/smells/expected.h"

namespace seam::smells {

struct Module {
  int64_t id = 0;
  std::string name;
  bool external = false;
};

struct File {
  int64_t id = 0;
  std::string path;  // relative to project_root when inside it
  int64_t module_id = 0;
};

struct Symbol {
  int64_t id = 0;
  std::string kind;  // function | method | class | struct | ...
  std::string name;
  std::string qualified_name;
  int64_t file_id = 0;
  int line = 0;
  int col = 0;
  int64_t module_id = 0;
  bool is_definition = false;
};

struct Edge {
  int64_t src = 0;
  int64_t dst = 0;
  std::string kind;  // call | virtual_call | override | type_use | inherit | global_read | global_write
  int count = 1;
  int64_t file_id = 0;  // first site seen
  int line = 0;
  int col = 0;
};

struct TableAccess {
  int64_t symbol_id = 0;
  std::string table;   // lower-case base table
  std::string column;  // empty for whole-row operations
  std::string op;      // create | read | insert | update | delete
  int64_t file_id = 0; // of the SQL statement
  int line = 0;
  int col = 0;
  bool isWrite() const { return op == "insert" || op == "update" || op == "delete"; }
};

struct DbObject {
  std::string name;
  std::string kind;  // table | view | trigger | index
  int64_t file_id = 0;
  int line = 0;
};

struct Route {
  int64_t id = 0;
  std::string method;
  std::string path;
  int64_t handler_id = 0;
  int64_t file_id = 0;
  int line = 0;
  int64_t module_id = 0;
};

/// Everything loaded, plus id indexes. Immutable after loading.
struct Facts {
  std::string project_root;  // meta.project_root, may be empty
  std::vector<Module> modules;
  std::vector<File> files;
  std::vector<Symbol> symbols;
  std::vector<Edge> edges;
  std::vector<TableAccess> accesses;
  std::vector<DbObject> db_objects;
  std::vector<Route> routes;

  const Module* module(int64_t id) const;
  const File* file(int64_t id) const;
  const Symbol* symbol(int64_t id) const;
  /// Path of a file id, or "" when unknown.
  std::string_view path(int64_t file_id) const;
  /// Display name of a symbol id: qualified name, or "#id" when unknown.
  std::string symbolName(int64_t id) const;

  /// Builds the id indexes; call after filling the vectors (loadFacts does).
  void index();

 private:
  std::unordered_map<int64_t, size_t> module_index_, file_index_, symbol_index_;
};

/// Opens `db_path` read-only, checks that it is a Seam fact store of a schema
/// version this build reads, and loads the facts.
Expected<Facts> loadFacts(const std::string& db_path);

}  // namespace seam::smells
