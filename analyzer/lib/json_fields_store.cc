#include "json_fields_store.h"

#include <sqlite3.h>

#include <string>

#include "sqlite_util.h"

namespace seam::analyzer {

llvm::Error writeJsonFields(sqlite3* db, const FactBatch& b, const std::vector<int64_t>& file_ids,
                            const std::vector<char>& writable) {
  if (b.type_members.empty() && b.json_fields.empty()) return llvm::Error::success();
  Stmt member(db,
              "INSERT OR IGNORE INTO type_members(owner_id, kind, position, name, cpp_type, json_type, items, "
              "nullable, record_id, file_id, line) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  if (!member.ok()) {
    return llvm::createStringError(std::errc::io_error, "preparing type_members insert: %s", sqlite3_errmsg(db));
  }
  for (const TypeMemberFact& m : b.type_members) {
    if (m.loc.file == kNoFile || m.loc.file >= writable.size() || !writable[m.loc.file]) continue;
    member.bind(1, m.owner_id).bind(2, m.kind).bind(3, m.position).bind(4, m.name).bind(5, m.cpp_type);
    member.bind(6, m.json_type).bind(7, m.items).bind(8, m.nullable ? 1 : 0);
    if (m.record_id) member.bind(9, m.record_id);
    else member.bindNull(9);
    member.bind(10, file_ids[m.loc.file]).bind(11, m.loc.line);
    if (member.run() != SQLITE_DONE) {
      return llvm::createStringError(std::errc::io_error, "writing type_members: %s", sqlite3_errmsg(db));
    }
  }
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
