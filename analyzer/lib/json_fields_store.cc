#include "json_fields_store.h"

#include <sqlite3.h>

#include <string>

#include "sqlite_util.h"

namespace seam::analyzer {

llvm::Error writeJsonFields(sqlite3* db, const FactBatch& b, const std::vector<int64_t>& file_ids,
                            const std::vector<char>& writable) {
  if (b.json_fields.empty()) return llvm::Error::success();
  Stmt insert(db,
              "INSERT INTO json_fields(symbol_id, direction, parent, name, type, required, nullable, via, object, "
              "open, file_id, line, col) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
  if (!insert.ok()) {
    return llvm::createStringError(std::errc::io_error, "preparing json_fields insert: %s", sqlite3_errmsg(db));
  }
  for (const JsonFieldFact& f : b.json_fields) {
    if (f.loc.file == kNoFile || f.loc.file >= writable.size() || !writable[f.loc.file]) continue;
    insert.bind(1, f.symbol_id).bind(2, f.direction).bind(3, f.parent).bind(4, f.name).bind(5, f.type);
    insert.bind(6, f.required ? 1 : 0).bind(7, f.nullable ? 1 : 0).bind(8, f.via).bind(9, f.object);
    insert.bind(10, f.open ? 1 : 0).bind(11, file_ids[f.loc.file]).bind(12, f.loc.line).bind(13, f.loc.col);
    if (insert.run() != SQLITE_DONE) {
      return llvm::createStringError(std::errc::io_error, "writing json_fields: %s", sqlite3_errmsg(db));
    }
  }
  return llvm::Error::success();
}

}  // namespace seam::analyzer
