// Read-only view of the fact store written by `seam analyze` (schema:
// analyzer/lib/schema.sql, version 2). The decomposer reads it with plain
// SQLite and does not link the analyzer: the database file is the contract.
//
//   seam.db --loadFactStore--> Facts --buildCouplingGraph--> CouplingGraph
//
// Facts are plain vectors indexed by dense positions; the *_index maps turn
// store ids (USR hashes, rowids) into those positions.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "seam/decomposer/status.h"

namespace seam::decomposer {

inline constexpr int kFactStoreApplicationId = 0x5345414d;  // 'SEAM'
inline constexpr int kFactStoreSchemaVersion = 2;

struct FactModule {
  int64_t id = 0;
  std::string name;
  bool external = false;
};

struct FactFile {
  int64_t id = 0;
  std::string path;
  int64_t module_id = 0;  ///< 0 when the analyzer assigned none
  int64_t lines = 0;
  bool is_header = false;
};

struct FactSymbol {
  int64_t id = 0;
  std::string kind;  ///< function | method | class | ... (schema.sql)
  std::string name;
  std::string qualified_name;
  int64_t file_id = 0;
  int64_t line = 0;
  int64_t module_id = 0;
  int64_t lines = 0;
  bool is_definition = false;
};

struct FactEdge {
  int64_t src = 0;
  int64_t dst = 0;
  std::string kind;  ///< call | virtual_call | override | type_use | inherit | global_read | global_write
  int64_t count = 1;
  int64_t file_id = 0;  ///< first site, as evidence
  int64_t line = 0;
};

struct FactInclude {
  int64_t from_file = 0;
  int64_t to_file = 0;
};

/// One table access of one SQL statement, with the statement's location.
struct FactTableAccess {
  int64_t statement_id = 0;
  int64_t symbol_id = 0;  ///< function issuing the statement (0 if unknown)
  std::string table;
  std::string op;  ///< create | read | insert | update | delete
  int64_t file_id = 0;
  int64_t line = 0;
};

struct FactRoute {
  int64_t id = 0;
  std::string method;
  std::string path;
  int64_t handler_id = 0;
  int64_t module_id = 0;
  int64_t file_id = 0;
  int64_t line = 0;
};

struct Facts {
  std::string source;  ///< path of the store, for messages
  std::vector<FactModule> modules;
  std::vector<FactFile> files;
  std::vector<FactSymbol> symbols;
  std::vector<FactEdge> edges;
  std::vector<FactInclude> includes;
  std::vector<FactTableAccess> table_accesses;
  std::vector<FactRoute> routes;

  std::unordered_map<int64_t, size_t> module_index;  ///< modules.id -> position
  std::unordered_map<int64_t, size_t> file_index;    ///< files.id -> position
  std::unordered_map<int64_t, size_t> symbol_index;  ///< symbols.id -> position

  const FactModule* module(int64_t id) const;
  const FactFile* file(int64_t id) const;
  const FactSymbol* symbol(int64_t id) const;
  /// "path:line" for evidence, "?" when the file is unknown.
  std::string location(int64_t file_id, int64_t line) const;
  /// Rebuilds the *_index maps from the vectors (after filling them by hand in tests).
  void reindex();
};

/// Opens `path` read-only and loads every fact the decomposer uses. Fails with
/// a one-line message for: a missing file, a non-SQLite or foreign database
/// (application_id), another schema version (user_version), or a store with
/// no non-external symbols (nothing analyzed yet).
Expected<Facts> loadFactStore(const std::string& path);

}  // namespace seam::decomposer
