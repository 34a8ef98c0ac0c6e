#include "common/schema.h"

#include "common/log.h"

namespace bookstore {

namespace {
constexpr int kSchemaVersion = 1;
}

void applySchema(Db& db, const std::vector<ModuleSchema>& schemas) {
  Transaction tx(db);
  for (const auto& schema : schemas) {
    log::debug(std::string("applying schema of ") + schema.module);
    db.execScript(schema.ddl);
  }
  db.execScript("PRAGMA user_version = " + std::to_string(kSchemaVersion));
  tx.commit();
}

}  // namespace bookstore
