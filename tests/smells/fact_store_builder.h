// Builds small Seam fact stores for tests: the real schema (analyzer/lib/schema.sql)
// plus rows described in a compact YAML, so each rule can be tested on facts
// shaped exactly as `seam analyze` writes them.
//
//   symbols:  ["orders::place src/orders/orders.cc:12", "model::Book src/model/book.h:3 struct"]
//   edges:    ["orders::place -> catalog::find", "orders::place -> model::Book type_use x3"]
//   access:   ["orders::place insert orders", "orders::place read books title"]
//   routes:   ["POST /orders orders::place"]
//   tables:   ["orders src/orders/schema.cc:1"]        # CREATE TABLE seen in code
//   external: [third_party/json]                       # external modules
//
// A file's module is its directory. Test misuse throws std::runtime_error.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <string>

namespace seam::smells::testing {

class FactStoreBuilder {
 public:
  /// Creates (or truncates) `db_path` with the fact-store schema; project_root = `root`.
  FactStoreBuilder(const std::string& db_path, const std::string& root);
  ~FactStoreBuilder();
  FactStoreBuilder(const FactStoreBuilder&) = delete;
  FactStoreBuilder& operator=(const FactStoreBuilder&) = delete;

  int64_t module(const std::string& name, bool external = false);
  int64_t file(const std::string& path);
  int64_t symbol(const std::string& qualified_name, const std::string& file, int line, const std::string& kind = "function");
  void edge(const std::string& src, const std::string& dst, const std::string& kind = "call", int count = 1);
  void access(const std::string& symbol, const std::string& table, const std::string& op, const std::string& column = "");
  void route(const std::string& method, const std::string& path, const std::string& handler);
  void createTable(const std::string& table, const std::string& file, int line);

  /// Adds everything described by `yaml` (format above).
  void load(const std::string& yaml);

 private:
  void exec(const std::string& sql);
  int64_t symbolId(const std::string& name) const;

  sqlite3* db_ = nullptr;
  std::map<std::string, int64_t> modules_, files_, symbols_;
  std::map<int64_t, std::pair<int64_t, int>> symbol_site_;  // id -> (file, line)
  int64_t next_statement_ = 1;
};

/// Reads a whole file (throws when missing).
std::string readFile(const std::string& path);

}  // namespace seam::smells::testing
