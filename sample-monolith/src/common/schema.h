// Schema setup. Each module owns its tables and declares them in its own
// schema.cc (`<module>::schemaDdl()`); main.cc applies them in dependency
// order with applySchema(). Statements use IF NOT EXISTS, so applying twice
// is harmless; PRAGMA user_version records that a schema was applied.
#pragma once

#include <string>
#include <vector>

#include "common/db.h"

namespace bookstore {

struct ModuleSchema {
  const char* module;  // e.g. "catalog"
  std::string ddl;     // CREATE TABLE/INDEX/VIEW/TRIGGER statements
};

/// Applies every module's DDL in the given order, in one transaction.
void applySchema(Db& db, const std::vector<ModuleSchema>& schemas);

}  // namespace bookstore
