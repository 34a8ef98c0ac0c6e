// FactStore: the SQLite fact store (schema in analyzer/lib/schema.sql,
// documented in docs/fact-store.md).
//
//   FactBatch (one per TU) => writeBatch: files/modules upserted; facts whose
//   origin file is already owned by another TU are dropped (header facts are
//   recorded once); raw per-origin rows go to symbol_decls / edge_sites
//   => rebuildDerived: symbols (best declaration per id) and edges (counts
//   summed per (src, dst, kind)) recomputed from the raw rows.
//
// Safety: Seam never writes a user's store in place. analyze and merge write
// `<db>.tmp` and rename it over `<db>` on success (see atomicReplace), so an
// interrupted run leaves the previous store intact. A file that is not a
// Seam store (application_id / user_version mismatch, not SQLite) is refused
// before anything is written.
//
// Thread safety: a FactStore is one SQLite connection, used by one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "llvm/Support/Error.h"
#include "seam/analyzer/facts.h"

struct sqlite3;

namespace seam::analyzer {

inline constexpr int kSchemaVersion = 2;
inline constexpr int kApplicationId = 0x5345414d;  // 'SEAM'

/// The embedded schema.sql.
const char* schemaSql();

/// Ok if `path` is a readable Seam store of this schema version; an
/// invalid_argument error naming the problem otherwise. Never modifies it.
llvm::Error validateStoreFile(const std::string& path);

/// True if `path` is a Seam store of an older schema version (1 ..
/// kSchemaVersion-1): `seam analyze` rebuilds such a store with a full run
/// (it is a cache of the code); readers refuse it ("re-run seam analyze").
bool isOlderSeamStore(const std::string& path);

/// Renames `tmp` over `path` after flushing it to disk.
llvm::Error atomicReplace(const std::string& tmp, const std::string& path);

/// What the store knows about one translation unit.
struct StoredTu {
  int64_t file_id = 0;
  std::string path;
  std::string command_hash;
  std::string inputs_hash;
  /// Every file the TU read: stored path and content hash at analysis time.
  std::vector<std::pair<std::string, std::string>> inputs;
};

class FactStore {
 public:
  ~FactStore();
  FactStore(const FactStore&) = delete;
  FactStore& operator=(const FactStore&) = delete;

  /// Creates a fresh store at `path` (an existing file there is replaced).
  static llvm::Expected<std::unique_ptr<FactStore>> create(const std::string& path);
  /// Opens an existing, validated store for reading and writing.
  static llvm::Expected<std::unique_ptr<FactStore>> open(const std::string& path, bool read_only);

  sqlite3* db() const { return db_; }

  llvm::Error exec(const std::string& sql);
  llvm::Error begin() { return exec("BEGIN"); }
  llvm::Error commit() { return exec("COMMIT"); }

  llvm::Error setMeta(const std::string& key, const std::string& value);
  std::string meta(const std::string& key);

  /// Every TU recorded, keyed by file id.
  llvm::Expected<std::unordered_map<int64_t, StoredTu>> loadTus();

  /// Deletes a TU's per-TU rows (translation_units, tu_files, diagnostics)
  /// and every fact whose origin is one of `cleared` (file ids owned by that
  /// TU), and releases ownership of those files so a later batch re-records them.
  llvm::Error clearTu(int64_t tu_file_id, const std::vector<int64_t>& cleared);

  /// Files owned by a TU (its main file and the headers it recorded).
  llvm::Expected<std::vector<std::pair<int64_t, std::string>>> ownedFiles(int64_t tu_file_id);

  llvm::Error writeBatch(const FactBatch& batch);

  /// Recomputes symbols, edges and route modules from the raw rows and drops
  /// rows nothing refers to any more (incremental runs).
  llvm::Error rebuildDerived();

  /// Merges another store's facts (see merge.h).
  llvm::Error mergeFrom(const std::string& other_path);

 private:
  explicit FactStore(sqlite3* db);
  struct Statements;
  Statements& stmts();

  sqlite3* db_ = nullptr;
  std::unique_ptr<Statements> stmts_;
  /// owner_tu per file id, cached for the writer (0 = none).
  std::unordered_map<int64_t, int64_t> owners_;
  std::unordered_set<int64_t> modules_written_;
};

/// The writer-side error for SQLite failures.
llvm::Error sqliteError(sqlite3* db, const std::string& what);

}  // namespace seam::analyzer
