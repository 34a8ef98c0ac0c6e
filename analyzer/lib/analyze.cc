#include "seam/analyzer/analyze.h"

#include <sqlite3.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/FileManager.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/PCHContainerOperations.h"
#include "clang/Tooling/Tooling.h"
#include "compile_db.h"
#include "file_table.h"
#include "hashing.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "seam/analyzer/collect.h"
#include "seam/analyzer/config.h"
#include "seam/analyzer/fact_store.h"
#include "seam/analyzer/transaction_scopes.h"
#include "seam/analyzer/module_mapper.h"
#include "seam/analyzer/sql_resolve.h"
#include "sqlite_util.h"

namespace seam::analyzer {
namespace {

constexpr size_t kMaxDiagnosticsPerTu = 50;

/// Errors reported while parsing one TU, with absolute file paths.
class DiagnosticCollector : public clang::DiagnosticConsumer {
 public:
  struct Entry {
    std::string severity, message, path;
    unsigned line = 0, col = 0;
  };

  void HandleDiagnostic(clang::DiagnosticsEngine::Level level, const clang::Diagnostic& info) override {
    clang::DiagnosticConsumer::HandleDiagnostic(level, info);
    if (level < clang::DiagnosticsEngine::Error || entries.size() >= kMaxDiagnosticsPerTu) return;
    Entry e;
    e.severity = "error";
    llvm::SmallString<256> msg;
    info.FormatDiagnostic(msg);
    e.message = std::string(msg.str());
    if (info.getLocation().isValid() && info.hasSourceManager()) {
      const clang::SourceManager& sm = info.getSourceManager();
      clang::SourceLocation loc = sm.getExpansionLoc(info.getLocation());
      if (const clang::FileEntry* fe = sm.getFileEntryForID(sm.getFileID(loc))) e.path = absolutePath(*fe);
      e.line = sm.getExpansionLineNumber(loc);
      e.col = sm.getExpansionColumnNumber(loc);
    }
    entries.push_back(std::move(e));
  }

  std::vector<Entry> entries;
};

FileIndex fileIndexFor(FactBatch& b, const ModuleMapper& mapper, const std::string& abs) {
  FileModule fm = mapper.map(abs);
  for (size_t i = 0; i < b.files.size(); ++i) {
    if (b.files[i].path == fm.path) return static_cast<FileIndex>(i);
  }
  FileFact f;
  f.path = fm.path;
  f.module = fm.module;
  f.external = fm.external;
  f.is_header = false;
  b.files.push_back(std::move(f));
  return static_cast<FileIndex>(b.files.size() - 1);
}

/// Parses one TU and collects its facts. Runs on a worker thread: everything
/// it touches is local except the immutable mapper and config.
FactBatch parseTu(const TuCommand& tu, const ModuleMapper& mapper, const AnalyzerConfig& config) {
  FactBatch batch;
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> fs(llvm::vfs::createPhysicalFileSystem().release());
  fs->setCurrentWorkingDirectory(tu.directory);
  llvm::IntrusiveRefCntPtr<clang::FileManager> files(new clang::FileManager(clang::FileSystemOptions(), fs));
  DiagnosticCollector diags;
  clang::tooling::ToolInvocation invocation(tu.args, makeCollectAction(mapper, config, batch), files.get(),
                                            std::make_shared<clang::PCHContainerOperations>());
  invocation.setDiagnosticConsumer(&diags);
  bool ok = invocation.run();

  FileIndex main = fileIndexFor(batch, mapper, tu.file);
  batch.tu_file = main;
  batch.tu_path = batch.files[main].path;
  for (DiagnosticCollector::Entry& e : diags.entries) {
    DiagnosticFact d;
    d.severity = std::move(e.severity);
    d.message = std::move(e.message);
    if (!e.path.empty()) d.loc = Loc{fileIndexFor(batch, mapper, e.path), e.line, e.col};
    batch.diagnostics.push_back(std::move(d));
  }
  bool parsed = batch.files.size() > 1 || !batch.files[main].hash.empty();
  if (!ok && !parsed) {
    batch.status = "failed";
    if (batch.diagnostics.empty()) batch.diagnostics.push_back(DiagnosticFact{"error", "the TU could not be parsed", {}});
  } else if (!ok || !diags.entries.empty()) {
    batch.status = "errors";
  }
  batch.command_hash = tu.command_hash;
  std::vector<std::pair<std::string, std::string>> inputs;
  inputs.reserve(batch.files.size());
  for (const FileFact& f : batch.files) inputs.emplace_back(f.path, f.hash);
  batch.inputs_hash = inputsHash(std::move(inputs));
  return batch;
}

/// Content hashes of files on disk, each file read once per run.
class DiskHashes {
 public:
  explicit DiskHashes(std::string root) : root_(std::move(root)) {}
  const std::string& hashOf(const std::string& stored_path) {
    auto it = cache_.find(stored_path);
    if (it != cache_.end()) return it->second;
    std::string abs = llvm::sys::path::is_absolute(stored_path) ? stored_path : root_ + "/" + stored_path;
    std::string hash;
    if (auto buf = llvm::MemoryBuffer::getFile(abs, /*IsText=*/false, /*RequiresNullTerminator=*/false)) {
      hash = contentHash(std::string_view((*buf)->getBufferStart(), (*buf)->getBufferSize()));
    }
    return cache_.emplace(stored_path, std::move(hash)).first->second;
  }

 private:
  std::string root_;
  std::unordered_map<std::string, std::string> cache_;
};

size_t countRows(sqlite3* db, const char* table) {
  Stmt s(db, (std::string("SELECT count(*) FROM ") + table).c_str());
  return s.ok() && s.step() == SQLITE_ROW ? static_cast<size_t>(s.i64(0)) : 0;
}

struct Plan {
  std::vector<const TuCommand*> to_parse;
  std::vector<std::pair<int64_t, std::vector<int64_t>>> to_clear;  ///< (tu, files whose facts go)
  size_t unchanged = 0;
  size_t removed = 0;
};

/// Decides what an incremental run must redo, from the old store.
llvm::Expected<Plan> planIncremental(FactStore& old, const std::vector<const TuCommand*>& selected,
                                     const ModuleMapper& mapper, bool prune_missing) {
  Plan plan;
  auto tus = old.loadTus();
  if (!tus) return tus.takeError();
  DiskHashes disk(mapper.root());
  std::unordered_set<int64_t> current;
  for (const TuCommand* tu : selected) {
    std::string stored = mapper.map(tu->file).path;
    int64_t id = stableId(stored);
    current.insert(id);
    auto it = tus->find(id);
    if (it == tus->end()) {
      plan.to_parse.push_back(tu);
      continue;
    }
    const StoredTu& st = it->second;
    bool changed = st.command_hash != tu->command_hash;
    std::vector<std::pair<std::string, std::string>> now;
    std::unordered_set<std::string> changed_files;
    for (const auto& [path, hash] : st.inputs) {
      const std::string& h = disk.hashOf(path);
      if (h != hash) changed_files.insert(path);
      now.emplace_back(path, h);
    }
    if (!changed && inputsHash(std::move(now)) == st.inputs_hash) {
      ++plan.unchanged;
      continue;
    }
    plan.to_parse.push_back(tu);
    auto owned = old.ownedFiles(id);
    if (!owned) return owned.takeError();
    std::vector<int64_t> clear;
    for (const auto& [fid, path] : *owned) {
      if (fid == id || changed_files.count(path)) clear.push_back(fid);
    }
    plan.to_clear.emplace_back(id, std::move(clear));
  }
  if (prune_missing) {
    for (const auto& [id, st] : *tus) {
      if (current.count(id)) continue;
      auto owned = old.ownedFiles(id);
      if (!owned) return owned.takeError();
      std::vector<int64_t> clear;
      for (const auto& f : *owned) clear.push_back(f.first);
      plan.to_clear.emplace_back(id, std::move(clear));
      ++plan.removed;
    }
  }
  return plan;
}

llvm::Error interrupted() { return llvm::createStringError(std::errc::interrupted, "interrupted"); }

}  // namespace

llvm::Expected<AnalyzeSummary> analyze(const AnalyzeOptions& opt) {
  auto started = std::chrono::steady_clock::now();
  AnalyzeSummary summary;
  auto cancelled = [&] { return opt.cancel && opt.cancel->load(std::memory_order_relaxed); };

  if (opt.shard_count == 0 || opt.shard_index >= opt.shard_count) {
    return llvm::createStringError(std::errc::invalid_argument, "--shard must be I/N with 0 <= I < N");
  }

  std::string resource_dir = opt.resource_dir.empty() ? findResourceDir() : opt.resource_dir;
  auto cdb = loadCompileDb(opt.compile_db, resource_dir);
  if (!cdb) return cdb.takeError();
  if (cdb->tus.empty()) {
    return llvm::createStringError(std::errc::invalid_argument, "compile database %s has no entries",
                                   cdb->path.c_str());
  }
  std::string root = !opt.root.empty()                 ? normalizePath(opt.root)
                     : !cdb->cmake_source_dir.empty() ? normalizePath(cdb->cmake_source_dir)
                                                       : commonAncestor(cdb->tus);
  summary.root = root;

  // Like .clang-tidy, a seam.yaml at the project root applies without being named.
  summary.config_path = opt.config_path;
  if (summary.config_path.empty() && llvm::sys::fs::exists(root + "/seam.yaml")) {
    summary.config_path = root + "/seam.yaml";
  }
  AnalyzerConfig config;
  std::string config_text;
  if (!summary.config_path.empty()) {
    auto buf = llvm::MemoryBuffer::getFile(summary.config_path);
    if (!buf) {
      return llvm::createStringError(std::errc::invalid_argument, "cannot read config %s",
                                     summary.config_path.c_str());
    }
    config_text = std::string((*buf)->getBuffer());
    auto parsed = parseConfig(config_text);
    if (!parsed) return parsed.takeError();
    config = std::move(*parsed);
  }
  ModuleMapper mapper(root, config);

  // Selection: shard, then globs.
  std::vector<llvm::GlobPattern> globs;
  for (const std::string& g : opt.file_globs) {
    auto pat = llvm::GlobPattern::create(g);
    if (!pat) return llvm::createStringError(std::errc::invalid_argument, "bad file glob '%s'", g.c_str());
    globs.push_back(std::move(*pat));
  }
  std::vector<const TuCommand*> selected;
  for (const TuCommand& tu : cdb->tus) {
    std::string stored = mapper.map(tu.file).path;
    if (opt.shard_count > 1 && static_cast<uint64_t>(stableId(stored)) % opt.shard_count != opt.shard_index) continue;
    if (!globs.empty()) {
      bool any = false;
      for (const auto& g : globs) any = any || g.match(stored) || g.match(tu.file);
      if (!any) continue;
    }
    selected.push_back(&tu);
  }
  summary.tus_total = selected.size();

  // The incremental state is only valid for the same root, config and shard.
  std::string shard = std::to_string(opt.shard_index) + "/" + std::to_string(opt.shard_count);
  std::string settings = contentHash(root + '\0' + config_text + '\0' + shard);
  const std::string tmp = opt.db_path + ".tmp";
  // A store of an older schema is a stale cache: rebuilt by a full run.
  bool have_old = llvm::sys::fs::exists(opt.db_path) && !isOlderSeamStore(opt.db_path);
  if (have_old) {
    if (auto err = validateStoreFile(opt.db_path)) return err;
  }

  Plan plan;
  bool incremental = false;
  std::string old_schema;
  if (have_old && !opt.full) {
    auto old = FactStore::open(opt.db_path, /*read_only=*/true);
    if (!old) return old.takeError();
    old_schema = (*old)->meta("schema_path");
    if ((*old)->meta("settings_hash") == settings) {
      auto p = planIncremental(**old, selected, mapper, /*prune_missing=*/globs.empty());
      if (!p) return p.takeError();
      plan = std::move(*p);
      incremental = true;
    }
  }
  if (!incremental) plan.to_parse = selected;
  summary.tus_unchanged = plan.unchanged;
  summary.tus_removed = plan.removed;

  if (incremental && plan.to_parse.empty() && plan.to_clear.empty() && old_schema == opt.schema) {
    summary.up_to_date = true;
    auto store = FactStore::open(opt.db_path, true);
    if (!store) return store.takeError();
    sqlite3* db = (*store)->db();
    summary.files = countRows(db, "files");
    summary.symbols = countRows(db, "symbols");
    summary.edges = countRows(db, "edges");
    summary.routes = countRows(db, "routes");
    summary.statements = countRows(db, "sql_statements");
    summary.diagnostics = countRows(db, "diagnostics");
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return summary;
  }

  // Write into <db>.tmp: a copy of the old store when incremental.
  llvm::sys::fs::remove(tmp);
  std::unique_ptr<FactStore> store;
  if (incremental) {
    if (auto ec = llvm::sys::fs::copy_file(opt.db_path, tmp)) {
      return llvm::createStringError(ec, "cannot copy %s to %s", opt.db_path.c_str(), tmp.c_str());
    }
    auto s = FactStore::open(tmp, /*read_only=*/false);
    if (!s) return s.takeError();
    store = std::move(*s);
  } else {
    auto s = FactStore::create(tmp);
    if (!s) return s.takeError();
    store = std::move(*s);
  }
  auto discard = [&](llvm::Error err) -> llvm::Error {
    store.reset();
    llvm::sys::fs::remove(tmp);
    return err;
  };

  if (auto err = store->begin()) return discard(std::move(err));
  for (const auto& [tu, files] : plan.to_clear) {
    if (auto err = store->clearTu(tu, files)) return discard(std::move(err));
  }

  // Parse on a pool; this thread is the only writer.
  const size_t total = plan.to_parse.size();
  unsigned jobs = opt.jobs ? opt.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(std::min<size_t>(jobs, std::max<size_t>(total, 1)));
  std::mutex mu;
  std::condition_variable ready, space;
  std::deque<FactBatch> queue;  // guarded by mu
  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};
  auto worker = [&] {
    for (;;) {
      size_t i = next.fetch_add(1);
      if (i >= total || stop.load() || cancelled()) return;
      FactBatch b = parseTu(*plan.to_parse[i], mapper, config);
      std::unique_lock<std::mutex> lock(mu);
      space.wait(lock, [&] { return queue.size() < 2 * size_t(jobs) || stop.load(); });
      queue.push_back(std::move(b));
      ready.notify_one();
    }
  };
  std::vector<std::thread> pool;
  for (unsigned i = 0; i < jobs; ++i) pool.emplace_back(worker);

  llvm::Error write_error = llvm::Error::success();
  for (size_t done = 0; done < total;) {
    std::optional<FactBatch> batch;
    {
      std::unique_lock<std::mutex> lock(mu);
      bool woke = ready.wait_for(lock, std::chrono::milliseconds(100), [&] { return !queue.empty(); });
      if (woke) {
        batch = std::move(queue.front());
        queue.pop_front();
        space.notify_one();
      }
    }
    if (cancelled()) break;
    if (!batch) continue;
    if (auto err = store->writeBatch(*batch)) {
      write_error = std::move(err);
      break;
    }
    ++done;
    ++summary.tus_parsed;
    if (batch->status != "ok") ++summary.tus_with_errors;
    if (opt.on_progress) opt.on_progress(done, total, batch->tu_path);
  }
  stop = true;
  space.notify_all();
  for (std::thread& t : pool) t.join();
  if (write_error) return discard(std::move(write_error));
  if (cancelled()) return discard(interrupted());

  if (auto err = store->rebuildDerived()) return discard(std::move(err));
  for (auto [key, value] : {std::pair<std::string, std::string>{"schema_version", std::to_string(kSchemaVersion)},
                            {"seam_version", "0.1.0"},
                            {"project_root", root},
                            {"compile_db", cdb->path},
                            {"shard", shard},
                            {"settings_hash", settings},
                            {"schema_path", opt.schema}}) {
    if (auto err = store->setMeta(key, value)) return discard(std::move(err));
  }
  if (auto err = store->exec("INSERT OR REPLACE INTO meta(key, value) VALUES "
                             "('created_at', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))")) {
    return discard(std::move(err));
  }
  if (auto err = store->commit()) return discard(std::move(err));
  if (cancelled()) return discard(interrupted());

  SqlOptions sql;
  sql.extra_sinks = config.sql_sinks;
  sql.schema_path = opt.schema;
  auto resolved = resolveSql(store->db(), sql);
  if (!resolved) return discard(resolved.takeError());
  // Transaction scopes need the resolved statements (transaction_scopes.h).
  if (auto tx = computeTransactions(store->db()); !tx) return discard(tx.takeError());

  sqlite3* db = store->db();
  summary.files = countRows(db, "files");
  summary.symbols = countRows(db, "symbols");
  summary.edges = countRows(db, "edges");
  summary.routes = countRows(db, "routes");
  summary.statements = countRows(db, "sql_statements");
  summary.diagnostics = countRows(db, "diagnostics");
  if (cancelled()) return discard(interrupted());
  store.reset();  // closes the connection before the rename
  if (auto err = atomicReplace(tmp, opt.db_path)) return discard(std::move(err));
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace seam::analyzer
