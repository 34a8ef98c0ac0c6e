// The one reader of the fact store written by `seam analyze` (schema:
// analyzer/lib/schema.sql). The decomposer, the smell rules and whoever else
// needs facts without Clang read through it; the database file is the
// contract, and this library is its only reader outside the analyzer.
//
//   seam.db --openFactStore (application_id, user_version)--> loadFactStore --> Facts
//
// Facts are plain vectors in store order (ORDER BY id or key) plus id ->
// position indexes. Ids are the store's ids; 0 stands for SQL NULL (no file,
// no module, no symbol). A loaded Facts is immutable: share it by const
// reference across threads freely. Tests that fill the vectors by hand call
// reindex() afterwards. Lines, columns and counts are ints (as SQLite's
// sqlite3_column_int reads them); ids and sizes are 64-bit.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace seam::factstore {

/// PRAGMA application_id of every Seam fact store ('SEAM').
inline constexpr int kApplicationId = 0x5345414d;
/// The PRAGMA user_version this build reads: taken from analyzer/lib/schema.sql
/// at configure time (CMake), so the reader and the writer cannot disagree.
int schemaVersion();

struct Module {
  int64_t id = 0;
  std::string name;
  bool external = false;
};

struct File {
  int64_t id = 0;
  std::string path;  ///< relative to project_root when inside it
  int64_t module_id = 0;
  int64_t lines = 0;
  bool is_header = false;
};

struct Symbol {
  int64_t id = 0;
  std::string kind;  ///< function | method | constructor | class | struct | ... (schema.sql)
  std::string name;
  std::string qualified_name;
  int64_t file_id = 0;
  int line = 0;
  int col = 0;
  int64_t module_id = 0;
  int64_t lines = 0;  ///< extent of the definition
  bool is_definition = false;
};

struct Edge {
  int64_t src = 0;
  int64_t dst = 0;
  std::string kind;  ///< call | virtual_call | override | type_use | inherit | global_read | global_write
  int count = 1;
  int64_t file_id = 0;  ///< first site, as evidence
  int line = 0;
  int col = 0;
};

struct Include {
  int64_t from_file = 0;
  int64_t to_file = 0;
};

/// One table access of one SQL statement, located at the statement.
struct TableAccess {
  int64_t statement_id = 0;
  int64_t symbol_id = 0;  ///< the access's function, else the statement's (0 if unknown)
  std::string table;      ///< base table, lower-case (views and triggers already resolved)
  std::string column;     ///< empty for whole-row operations
  std::string op;         ///< create | read | insert | update | delete
  std::string via;        ///< view or trigger that caused the access, empty when direct
  int64_t file_id = 0;
  int line = 0;
  int col = 0;
  bool isWrite() const { return op == "insert" || op == "update" || op == "delete"; }
};

struct DbObject {
  std::string name;  ///< lower-case
  std::string kind;  ///< table | view | trigger | index
  int64_t file_id = 0;
  int line = 0;
};

struct Route {
  int64_t id = 0;
  std::string method;
  std::string path;
  int64_t handler_id = 0;
  int64_t module_id = 0;
  int64_t file_id = 0;
  int line = 0;
};

struct Facts {
  std::string source;        ///< path of the store, for messages
  std::string project_root;  ///< meta.project_root, may be empty
  std::vector<Module> modules;
  std::vector<File> files;
  std::vector<Symbol> symbols;
  std::vector<Edge> edges;
  std::vector<Include> includes;
  std::vector<TableAccess> table_accesses;  ///< one row per statement, table, op and column
  std::vector<DbObject> db_objects;
  std::vector<Route> routes;

  const Module* module(int64_t id) const;
  const File* file(int64_t id) const;
  const Symbol* symbol(int64_t id) const;
  /// The schema object named `name` (lower-case), or nullptr.
  const DbObject* dbObject(const std::string& name) const;
  /// Path of a file id, or "" when unknown.
  std::string_view path(int64_t file_id) const;
  /// "path:line" for evidence, "?" when the file is unknown.
  std::string location(int64_t file_id, int line) const;
  /// Display name of a symbol id: qualified name, else name, else "#id".
  std::string symbolName(int64_t id) const;
  /// True when at least one symbol belongs to a non-external module.
  bool hasAnalyzedCode() const;
  /// Rebuilds the id indexes from the vectors (loadFactStore does it).
  void reindex();

 private:
  std::unordered_map<int64_t, size_t> module_index_, file_index_, symbol_index_;
  std::unordered_map<std::string, size_t> db_object_index_;
};

/// Opens `path` read-only (SQLITE_OPEN_READONLY: a bad run can never modify
/// it), checks application_id and user_version, and loads every fact above.
/// On failure `facts` is empty and `error` is one line naming the file and
/// the problem: missing, empty, not SQLite, not a Seam store, another schema
/// version (with "re-run seam analyze"), or a malformed table.
struct LoadResult {
  std::optional<Facts> facts;
  std::string error;
  explicit operator bool() const { return facts.has_value(); }
};
LoadResult loadFactStore(const std::string& path);

}  // namespace seam::factstore
