#include "seam/analyzer/fact_store.h"

#include <sqlite3.h>

#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

#include "hashing.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "json_fields_store.h"
#include "sqlite_util.h"

namespace seam::analyzer {

const char* schemaSql() {
  static const char* const kSchema =
#include "schema.inc"
      ;
  return kSchema;
}

llvm::Error sqliteError(sqlite3* db, const std::string& what) {
  return llvm::createStringError(std::errc::io_error, "%s: %s", what.c_str(),
                                 db ? sqlite3_errmsg(db) : "out of memory");
}

namespace {

llvm::Error badStore(const std::string& path, const std::string& why) {
  return llvm::createStringError(std::errc::invalid_argument, "%s is not a Seam fact store (%s)", path.c_str(),
                                 why.c_str());
}

/// Opens with the pragmas a private, rename-into-place store can afford:
/// the file is discarded if we crash, so no journal is needed for safety.
llvm::Expected<sqlite3*> openRaw(const std::string& path, int flags) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return llvm::createStringError(std::errc::invalid_argument, "cannot open %s: %s", path.c_str(), msg.c_str());
  }
  sqlite3_busy_timeout(db, 5000);
  return db;
}

void tune(sqlite3* db) {
  sqlite3_exec(db,
               "PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF; PRAGMA temp_store=MEMORY;"
               "PRAGMA cache_size=-65536;",
               nullptr, nullptr, nullptr);
}

}  // namespace

bool isOlderSeamStore(const std::string& path) {
  if (!llvm::sys::fs::exists(path)) return false;
  auto db = openRaw(path, SQLITE_OPEN_READONLY);
  if (!db) {
    llvm::consumeError(db.takeError());
    return false;
  }
  bool older = false;
  {
    Stmt app(*db, "PRAGMA application_id");
    Stmt ver(*db, "PRAGMA user_version");
    older = app.ok() && app.step() == SQLITE_ROW && app.i64(0) == kApplicationId && ver.ok() &&
            ver.step() == SQLITE_ROW && ver.i64(0) >= 1 && ver.i64(0) < kSchemaVersion;
  }
  sqlite3_close(*db);
  return older;
}

llvm::Error validateStoreFile(const std::string& path) {
  if (!llvm::sys::fs::exists(path)) {
    return llvm::createStringError(std::errc::invalid_argument, "%s does not exist", path.c_str());
  }
  auto db = openRaw(path, SQLITE_OPEN_READONLY);
  if (!db) return db.takeError();
  llvm::Error result = llvm::Error::success();
  {
    Stmt app(*db, "PRAGMA application_id");
    Stmt ver(*db, "PRAGMA user_version");
    if (!app.ok() || app.step() != SQLITE_ROW) {
      result = badStore(path, sqlite3_errmsg(*db));
    } else if (app.i64(0) != kApplicationId) {
      result = badStore(path, "application_id is not 'SEAM'");
    } else if (!ver.ok() || ver.step() != SQLITE_ROW || ver.i64(0) != kSchemaVersion) {
      int64_t found = ver.ok() ? ver.i64(0) : -1;
      result = badStore(path, "schema version " + std::to_string(found) + ", expected " +
                                  std::to_string(kSchemaVersion) +
                                  (found >= 1 && found < kSchemaVersion ? "; re-run seam analyze" : ""));
    }
  }
  sqlite3_close(*db);
  return result;
}

llvm::Error atomicReplace(const std::string& tmp, const std::string& path) {
  int fd = ::open(tmp.c_str(), O_RDONLY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return llvm::createStringError(std::errc::io_error, "cannot rename %s over %s", tmp.c_str(), path.c_str());
  }
  llvm::SmallString<256> dir(path);
  llvm::sys::path::remove_filename(dir);
  if (dir.empty()) dir = ".";
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return llvm::Error::success();
}

struct FactStore::Statements {
  explicit Statements(sqlite3* db)
      : module(db, "INSERT OR IGNORE INTO modules(id, name, external) VALUES (?1, ?2, ?3)"),
        file(db,
             "INSERT INTO files(id, path, module_id, hash, lines, is_header) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
             "ON CONFLICT(id) DO UPDATE SET module_id = excluded.module_id, "
             "hash = COALESCE(excluded.hash, files.hash), lines = excluded.lines, is_header = excluded.is_header"),
        owner_get(db, "SELECT owner_tu FROM files WHERE id = ?1"),
        owner_set(db, "UPDATE files SET owner_tu = ?2 WHERE id = ?1"),
        tu(db,
           "INSERT OR REPLACE INTO translation_units(file_id, command_hash, inputs_hash, status, analyzed_at) "
           "VALUES (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"),
        tu_file(db, "INSERT OR IGNORE INTO tu_files(tu_file_id, file_id) VALUES (?1, ?2)"),
        symbol_owned(db,
                     "INSERT OR REPLACE INTO symbol_decls(id, file_id, usr, kind, name, qualified_name, line, col, "
                     "module_id, is_definition, lines) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"),
        symbol_shared(db,
                      "INSERT OR IGNORE INTO symbol_decls(id, file_id, usr, kind, name, qualified_name, line, col, "
                      "module_id, is_definition, lines) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"),
        edge(db,
             "INSERT INTO edge_sites(src, dst, kind, file_id, count, line, col, discarded) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
             "ON CONFLICT(src, dst, kind, file_id) DO UPDATE SET count = edge_sites.count + excluded.count, "
             "discarded = edge_sites.discarded + excluded.discarded"),
        include(db, "INSERT OR IGNORE INTO includes(from_file, to_file, line) VALUES (?1, ?2, ?3)"),
        route(db,
              "INSERT INTO routes(method, path, framework, handler_id, file_id, line, module_id) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
        diagnostic(db,
                   "INSERT INTO diagnostics(tu_file_id, file_id, severity, message, line, col) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
        candidate(db,
                  "INSERT INTO sql_candidates(tu_file_id, caller_id, callee_id, callee_name, arg_index, text, "
                  "complete, file_id, line, col) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"),
        sink(db,
             "INSERT OR IGNORE INTO sink_params(tu_file_id, file_id, function_id, param_index, callee_id, "
             "callee_name, arg_index) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
        tx_site(db,
                "INSERT INTO transaction_sites(tu_file_id, file_id, function_id, kind, target_id, target_name, "
                "aux_id, line, col, end_line, flags) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)") {}

  Stmt module, file, owner_get, owner_set, tu, tu_file, symbol_owned, symbol_shared, edge, include, route,
      diagnostic, candidate, sink, tx_site;

  bool ok() const {
    for (const Stmt* s : {&module, &file, &owner_get, &owner_set, &tu, &tu_file, &symbol_owned, &symbol_shared,
                          &edge, &include, &route, &diagnostic, &candidate, &sink, &tx_site}) {
      if (!s->ok()) return false;
    }
    return true;
  }
};

FactStore::FactStore(sqlite3* db) : db_(db) {}

FactStore::~FactStore() {
  stmts_.reset();
  sqlite3_close(db_);
}

FactStore::Statements& FactStore::stmts() {
  if (!stmts_) stmts_ = std::make_unique<Statements>(db_);
  return *stmts_;
}

llvm::Expected<std::unique_ptr<FactStore>> FactStore::create(const std::string& path) {
  llvm::sys::fs::remove(path);
  auto db = openRaw(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!db) return db.takeError();
  std::unique_ptr<FactStore> store(new FactStore(*db));
  tune(*db);
  if (auto err = store->exec(schemaSql())) return err;
  return store;
}

llvm::Expected<std::unique_ptr<FactStore>> FactStore::open(const std::string& path, bool read_only) {
  if (auto err = validateStoreFile(path)) return err;
  auto db = openRaw(path, read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE);
  if (!db) return db.takeError();
  std::unique_ptr<FactStore> store(new FactStore(*db));
  if (!read_only) tune(*db);
  return store;
}

llvm::Error FactStore::exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return llvm::createStringError(std::errc::io_error, "fact store: %s", msg.c_str());
  }
  return llvm::Error::success();
}

llvm::Error FactStore::setMeta(const std::string& key, const std::string& value) {
  Stmt s(db_, "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)");
  if (!s.ok() || s.bind(1, key).bind(2, value).run() != SQLITE_DONE) return sqliteError(db_, "meta");
  return llvm::Error::success();
}

std::string FactStore::meta(const std::string& key) {
  Stmt s(db_, "SELECT value FROM meta WHERE key = ?1");
  if (!s.ok()) return "";
  s.bind(1, key);
  return s.step() == SQLITE_ROW ? s.text(0) : "";
}

llvm::Expected<std::unordered_map<int64_t, StoredTu>> FactStore::loadTus() {
  std::unordered_map<int64_t, StoredTu> out;
  Stmt tus(db_,
           "SELECT t.file_id, f.path, t.command_hash, t.inputs_hash FROM translation_units t "
           "JOIN files f ON f.id = t.file_id");
  if (!tus.ok()) return sqliteError(db_, "reading translation_units");
  while (tus.step() == SQLITE_ROW) {
    StoredTu& tu = out[tus.i64(0)];
    tu.file_id = tus.i64(0);
    tu.path = tus.text(1);
    tu.command_hash = tus.text(2);
    tu.inputs_hash = tus.text(3);
  }
  Stmt inputs(db_, "SELECT tf.tu_file_id, f.path, COALESCE(f.hash, '') FROM tu_files tf JOIN files f ON f.id = tf.file_id");
  if (!inputs.ok()) return sqliteError(db_, "reading tu_files");
  while (inputs.step() == SQLITE_ROW) {
    auto it = out.find(inputs.i64(0));
    if (it != out.end()) it->second.inputs.emplace_back(inputs.text(1), inputs.text(2));
  }
  return out;
}

llvm::Expected<std::vector<std::pair<int64_t, std::string>>> FactStore::ownedFiles(int64_t tu) {
  std::vector<std::pair<int64_t, std::string>> out;
  Stmt s(db_, "SELECT id, path FROM files WHERE owner_tu = ?1");
  if (!s.ok()) return sqliteError(db_, "reading files");
  s.bind(1, tu);
  while (s.step() == SQLITE_ROW) out.emplace_back(s.i64(0), s.text(1));
  return out;
}

llvm::Error FactStore::clearTu(int64_t tu, const std::vector<int64_t>& cleared) {
  static const char* const kPerOrigin[] = {
      "DELETE FROM symbol_decls WHERE file_id = ?1", "DELETE FROM edge_sites WHERE file_id = ?1",
      "DELETE FROM includes WHERE from_file = ?1",   "DELETE FROM routes WHERE file_id = ?1",
      "DELETE FROM sql_candidates WHERE file_id = ?1", "DELETE FROM sink_params WHERE file_id = ?1",
      "DELETE FROM transaction_sites WHERE file_id = ?1",
      "DELETE FROM json_fields WHERE file_id = ?1",    "DELETE FROM type_members WHERE file_id = ?1",
      "UPDATE files SET owner_tu = NULL WHERE id = ?1"};
  for (const char* sql : kPerOrigin) {
    Stmt s(db_, sql);
    if (!s.ok()) return sqliteError(db_, sql);
    for (int64_t f : cleared) {
      if (s.bind(1, f).run() != SQLITE_DONE) return sqliteError(db_, sql);
      owners_.erase(f);
    }
  }
  static const char* const kPerTu[] = {"DELETE FROM diagnostics WHERE tu_file_id = ?1",
                                       "DELETE FROM tu_files WHERE tu_file_id = ?1",
                                       "DELETE FROM translation_units WHERE file_id = ?1"};
  for (const char* sql : kPerTu) {
    Stmt s(db_, sql);
    if (!s.ok() || s.bind(1, tu).run() != SQLITE_DONE) return sqliteError(db_, sql);
  }
  return llvm::Error::success();
}

llvm::Error FactStore::writeBatch(const FactBatch& b) {
  Statements& st = stmts();
  if (!st.ok()) return sqliteError(db_, "preparing writer statements");
  auto fail = [&](const char* what) { return sqliteError(db_, std::string("writing ") + what); };

  // Files and modules; file ids are path hashes, identical in every store.
  std::vector<int64_t> file_ids(b.files.size());
  std::vector<int64_t> module_ids(b.files.size());
  auto moduleId = [&](const std::string& name, bool external) -> int64_t {
    int64_t id = stableId(name);
    if (modules_written_.insert(id).second) {
      st.module.bind(1, id).bind(2, name).bind(3, external ? 1 : 0).run();
    }
    return id;
  };
  for (size_t i = 0; i < b.files.size(); ++i) {
    const FileFact& f = b.files[i];
    file_ids[i] = stableId(f.path);
    module_ids[i] = moduleId(f.module, f.external);
    st.file.bind(1, file_ids[i]).bind(2, f.path).bind(3, module_ids[i]);
    if (f.hash.empty()) st.file.bindNull(4);
    else st.file.bind(4, f.hash);
    if (st.file.bind(5, f.lines).bind(6, f.is_header ? 1 : 0).run() != SQLITE_DONE) return fail("files");
  }
  if (b.tu_file == kNoFile) return llvm::createStringError(std::errc::invalid_argument, "batch without a TU file");
  const int64_t tu = file_ids[b.tu_file];

  // Ownership: the first TU to record a project file records its facts; later
  // TUs skip them (header dedup). Released files (incremental) are re-claimed.
  std::vector<char> writable(b.files.size(), 0);
  for (size_t i = 0; i < b.files.size(); ++i) {
    if (b.files[i].external) continue;
    auto it = owners_.find(file_ids[i]);
    int64_t owner = 0;
    if (it != owners_.end()) {
      owner = it->second;
    } else {
      st.owner_get.bind(1, file_ids[i]);
      if (st.owner_get.step() == SQLITE_ROW && !st.owner_get.isNull(0)) owner = st.owner_get.i64(0);
      st.owner_get.reset();
    }
    if (owner == 0) {
      if (st.owner_set.bind(1, file_ids[i]).bind(2, tu).run() != SQLITE_DONE) return fail("owners");
      owner = tu;
      writable[i] = 1;
    }
    owners_[file_ids[i]] = owner;
  }
  auto canWrite = [&](FileIndex f) { return f != kNoFile && writable[f]; };

  if (st.tu.bind(1, tu).bind(2, b.command_hash).bind(3, b.inputs_hash).bind(4, b.status).run() != SQLITE_DONE)
    return fail("translation_units");
  for (int64_t id : file_ids) {
    if (st.tu_file.bind(1, tu).bind(2, id).run() != SQLITE_DONE) return fail("tu_files");
  }

  for (const SymbolFact& s : b.symbols) {
    if (s.loc.file == kNoFile) continue;
    bool external = b.files[s.loc.file].external;
    if (!external && !canWrite(s.loc.file)) continue;
    Stmt& q = external ? st.symbol_shared : st.symbol_owned;
    int64_t module = s.module.empty() ? module_ids[s.loc.file] : moduleId(s.module, false);
    q.bind(1, s.id).bind(2, file_ids[s.loc.file]).bind(3, s.usr).bind(4, s.kind).bind(5, s.name);
    q.bind(6, s.qualified_name).bind(7, s.loc.line).bind(8, s.loc.col).bind(9, module);
    if (q.bind(10, s.is_definition ? 1 : 0).bind(11, s.lines).run() != SQLITE_DONE) return fail("symbols");
  }
  for (const auto& [key, value] : b.edges) {
    if (!canWrite(key.origin)) continue;
    st.edge.bind(1, key.src).bind(2, key.dst).bind(3, toString(key.kind)).bind(4, file_ids[key.origin]);
    st.edge.bind(5, value.count).bind(6, value.first.line).bind(7, value.first.col).bind(8, value.discarded);
    if (st.edge.run() != SQLITE_DONE) return fail("edges");
  }
  for (const IncludeFact& inc : b.includes) {
    if (!canWrite(inc.from) || inc.to == kNoFile) continue;
    if (st.include.bind(1, file_ids[inc.from]).bind(2, file_ids[inc.to]).bind(3, inc.line).run() != SQLITE_DONE)
      return fail("includes");
  }
  for (const RouteFact& r : b.routes) {
    if (!canWrite(r.loc.file)) continue;
    st.route.bind(1, r.method).bind(2, r.path).bind(3, r.framework);
    if (r.handler_id) st.route.bind(4, r.handler_id);
    else st.route.bindNull(4);
    st.route.bind(5, file_ids[r.loc.file]).bind(6, r.loc.line).bind(7, module_ids[r.loc.file]);
    if (st.route.run() != SQLITE_DONE) return fail("routes");
  }
  for (const DiagnosticFact& d : b.diagnostics) {
    st.diagnostic.bind(1, tu);
    if (d.loc.file == kNoFile) st.diagnostic.bindNull(2);
    else st.diagnostic.bind(2, file_ids[d.loc.file]);
    st.diagnostic.bind(3, d.severity).bind(4, d.message).bind(5, d.loc.line).bind(6, d.loc.col);
    if (st.diagnostic.run() != SQLITE_DONE) return fail("diagnostics");
  }
  for (const SqlCandidateFact& c : b.sql_candidates) {
    if (!canWrite(c.loc.file)) continue;
    st.candidate.bind(1, tu);
    if (c.caller_id) st.candidate.bind(2, c.caller_id);
    else st.candidate.bindNull(2);
    st.candidate.bind(3, c.callee_id).bind(4, c.callee_name).bind(5, c.arg_index).bind(6, c.text);
    st.candidate.bind(7, c.complete ? 1 : 0).bind(8, file_ids[c.loc.file]).bind(9, c.loc.line).bind(10, c.loc.col);
    if (st.candidate.run() != SQLITE_DONE) return fail("sql_candidates");
  }
  for (const SinkParamFact& p : b.sink_params) {
    if (!canWrite(p.origin)) continue;
    st.sink.bind(1, tu).bind(2, file_ids[p.origin]).bind(3, p.function_id).bind(4, p.param_index);
    st.sink.bind(5, p.callee_id).bind(6, p.callee_name).bind(7, p.arg_index);
    if (st.sink.run() != SQLITE_DONE) return fail("sink_params");
  }
  for (const TransactionSiteFact& t : b.transaction_sites) {
    if (!canWrite(t.loc.file)) continue;
    st.tx_site.bind(1, tu).bind(2, file_ids[t.loc.file]).bind(3, t.function_id).bind(4, t.kind);
    if (t.target_id) st.tx_site.bind(5, t.target_id);
    else st.tx_site.bindNull(5);
    if (t.target_name.empty()) st.tx_site.bindNull(6);
    else st.tx_site.bind(6, t.target_name);
    if (t.aux_id) st.tx_site.bind(7, t.aux_id);
    else st.tx_site.bindNull(7);
    st.tx_site.bind(8, t.loc.line).bind(9, t.loc.col);
    if (t.end_line) st.tx_site.bind(10, t.end_line);
    else st.tx_site.bindNull(10);
    if (st.tx_site.bind(11, t.flags).run() != SQLITE_DONE) return fail("transaction_sites");
  }
  if (auto err = writeJsonFields(db_, b, file_ids, writable)) return err;
  return llvm::Error::success();
}

llvm::Error FactStore::rebuildDerived() {
  return exec(R"sql(
    -- Raw rows nothing refers to any more: external declarations recorded for
    -- a reference that is gone, files and modules no TU reads.
    DELETE FROM symbol_decls WHERE file_id IN (SELECT id FROM files WHERE owner_tu IS NULL)
      AND id NOT IN (SELECT dst FROM edge_sites) AND id NOT IN (SELECT src FROM edge_sites)
      AND id NOT IN (SELECT handler_id FROM routes WHERE handler_id IS NOT NULL);
    DELETE FROM files WHERE id NOT IN (SELECT file_id FROM tu_files)
      AND id NOT IN (SELECT file_id FROM symbol_decls);
    DELETE FROM modules WHERE id NOT IN (SELECT module_id FROM files WHERE module_id IS NOT NULL)
      AND id NOT IN (SELECT module_id FROM symbol_decls WHERE module_id IS NOT NULL);

    DELETE FROM symbols;
    INSERT INTO symbols(id, usr, kind, name, qualified_name, file_id, line, col, module_id, is_definition, lines)
      SELECT id, usr, kind, name, qualified_name, file_id, line, col, module_id, is_definition, lines FROM (
        SELECT *, row_number() OVER (PARTITION BY id ORDER BY is_definition DESC, file_id, line, col) AS rn
        FROM symbol_decls) WHERE rn = 1;

    -- One row per (src, dst, kind); the site is the one in the lowest file id
    -- (SQLite takes bare columns from the row that holds the MIN()).
    DELETE FROM edges;
    INSERT INTO edges(src, dst, kind, count, file_id, line, col, discarded)
      SELECT src, dst, kind, SUM(count), MIN(file_id), line, col, SUM(discarded) FROM edge_sites
      GROUP BY src, dst, kind;

    UPDATE routes SET module_id = COALESCE(
      (SELECT module_id FROM symbols WHERE symbols.id = routes.handler_id),
      (SELECT module_id FROM files WHERE files.id = routes.file_id));
  )sql");
}

llvm::Error FactStore::mergeFrom(const std::string& other) {
  if (auto err = validateStoreFile(other)) return err;
  Stmt attach(db_, "ATTACH DATABASE ?1 AS other");
  if (!attach.ok() || attach.bind(1, other).run() != SQLITE_DONE) return sqliteError(db_, "attaching " + other);
  owners_.clear();
  llvm::Error err = exec(R"sql(
    BEGIN;
    -- Project files the other store recorded facts for and this one has not:
    -- those facts are taken; all others are already here (header dedup).
    CREATE TEMP TABLE claimed AS
      SELECT o.id AS id FROM other.files o LEFT JOIN main.files m ON m.id = o.id
      WHERE o.owner_tu IS NOT NULL AND (m.id IS NULL OR m.owner_tu IS NULL);
    CREATE TEMP TABLE unowned AS SELECT id FROM other.files WHERE owner_tu IS NULL;

    INSERT OR IGNORE INTO main.modules SELECT * FROM other.modules;
    INSERT INTO main.files(id, path, module_id, hash, lines, is_header, owner_tu)
      SELECT id, path, module_id, hash, lines, is_header, owner_tu FROM other.files WHERE true
      ON CONFLICT(id) DO UPDATE SET owner_tu = COALESCE(files.owner_tu, excluded.owner_tu),
        hash = COALESCE(files.hash, excluded.hash);
    INSERT OR REPLACE INTO main.translation_units SELECT * FROM other.translation_units;
    INSERT OR IGNORE INTO main.tu_files SELECT * FROM other.tu_files;
    INSERT INTO main.diagnostics(tu_file_id, file_id, severity, message, line, col)
      SELECT tu_file_id, file_id, severity, message, line, col FROM other.diagnostics ORDER BY id;

    INSERT OR REPLACE INTO main.symbol_decls SELECT * FROM other.symbol_decls WHERE file_id IN claimed;
    INSERT OR IGNORE INTO main.symbol_decls SELECT * FROM other.symbol_decls WHERE file_id IN unowned;
    INSERT OR REPLACE INTO main.edge_sites SELECT * FROM other.edge_sites WHERE file_id IN claimed;
    INSERT OR IGNORE INTO main.includes SELECT * FROM other.includes WHERE from_file IN claimed;
    INSERT INTO main.routes(method, path, framework, handler_id, file_id, line, module_id)
      SELECT method, path, framework, handler_id, file_id, line, module_id FROM other.routes
      WHERE file_id IN claimed ORDER BY id;
    INSERT INTO main.sql_candidates(tu_file_id, caller_id, callee_id, callee_name, arg_index, text, complete,
                                    file_id, line, col)
      SELECT tu_file_id, caller_id, callee_id, callee_name, arg_index, text, complete, file_id, line, col
      FROM other.sql_candidates WHERE file_id IN claimed ORDER BY id;
    INSERT OR IGNORE INTO main.sink_params(tu_file_id, file_id, function_id, param_index, callee_id, callee_name,
                                           arg_index)
      SELECT tu_file_id, file_id, function_id, param_index, callee_id, callee_name, arg_index
      FROM other.sink_params WHERE file_id IN claimed;
    INSERT INTO main.transaction_sites(tu_file_id, file_id, function_id, kind, target_id, target_name, aux_id,
                                       line, col, end_line, flags)
      SELECT tu_file_id, file_id, function_id, kind, target_id, target_name, aux_id, line, col, end_line, flags
      FROM other.transaction_sites WHERE file_id IN claimed ORDER BY rowid;
    INSERT INTO main.json_fields(symbol_id, direction, parent, name, type, required, nullable, via, object, open,
                                 file_id, line, col)
      SELECT symbol_id, direction, parent, name, type, required, nullable, via, object, open, file_id, line, col
      FROM other.json_fields WHERE file_id IN claimed ORDER BY rowid;
    INSERT OR IGNORE INTO main.type_members SELECT * FROM other.type_members WHERE file_id IN claimed;
    DROP TABLE temp.claimed;
    DROP TABLE temp.unowned;
    COMMIT;
  )sql");
  if (err) llvm::consumeError(exec("ROLLBACK"));
  llvm::Error detach = exec("DETACH DATABASE other");
  if (err) {
    llvm::consumeError(std::move(detach));
    return err;
  }
  return detach;
}

}  // namespace seam::analyzer
