#include "seam/analyzer/merge.h"

#include <sqlite3.h>

#include "llvm/Support/FileSystem.h"
#include "seam/analyzer/fact_store.h"
#include "seam/analyzer/transaction_scopes.h"
#include "sqlite_util.h"

namespace seam::analyzer {

llvm::Expected<MergeSummary> mergeStores(const std::vector<std::string>& inputs, const std::string& output,
                                         const SqlOptions& sql) {
  if (inputs.empty()) return llvm::createStringError(std::errc::invalid_argument, "nothing to merge");
  // Validate everything before creating anything.
  std::string root;
  for (const std::string& in : inputs) {
    if (auto err = validateStoreFile(in)) return err;
    auto store = FactStore::open(in, /*read_only=*/true);
    if (!store) return store.takeError();
    std::string r = (*store)->meta("project_root");
    if (!root.empty() && r != root) {
      return llvm::createStringError(std::errc::invalid_argument,
                                     "%s was analysed with project root %s, not %s", in.c_str(), r.c_str(),
                                     root.c_str());
    }
    root = r;
  }
  if (llvm::sys::fs::exists(output)) {
    if (auto err = validateStoreFile(output)) return err;
  }
  const std::string tmp = output + ".tmp";
  auto created = FactStore::create(tmp);
  if (!created) return created.takeError();
  std::unique_ptr<FactStore> store = std::move(*created);
  auto discard = [&](llvm::Error err) -> llvm::Error {
    store.reset();
    llvm::sys::fs::remove(tmp);
    return err;
  };
  for (const std::string& in : inputs) {
    if (auto err = store->mergeFrom(in)) return discard(std::move(err));
  }
  if (auto err = store->begin()) return discard(std::move(err));
  if (auto err = store->rebuildDerived()) return discard(std::move(err));
  for (auto [key, value] : {std::pair<std::string, std::string>{"schema_version", std::to_string(kSchemaVersion)},
                            {"seam_version", "0.1.0"},
                            {"project_root", root},
                            {"shard", "merged"},
                            {"schema_path", sql.schema_path}}) {
    if (auto err = store->setMeta(key, value)) return discard(std::move(err));
  }
  if (auto err = store->commit()) return discard(std::move(err));
  auto resolved = resolveSql(store->db(), sql);
  if (!resolved) return discard(resolved.takeError());
  // Transaction scopes need the resolved statements (transaction_scopes.h).
  if (auto tx = computeTransactions(store->db()); !tx) return discard(tx.takeError());

  MergeSummary summary;
  summary.inputs = inputs.size();
  auto count = [&](const char* sql_text) -> size_t {
    Stmt s(store->db(), sql_text);
    return s.ok() && s.step() == SQLITE_ROW ? static_cast<size_t>(s.i64(0)) : 0;
  };
  summary.tus = count("SELECT count(*) FROM translation_units");
  summary.symbols = count("SELECT count(*) FROM symbols");
  summary.edges = count("SELECT count(*) FROM edges");
  store.reset();
  if (auto err = atomicReplace(tmp, output)) return discard(std::move(err));
  return summary;
}

}  // namespace seam::analyzer
