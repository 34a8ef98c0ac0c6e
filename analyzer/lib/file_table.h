// FileTable: the per-TU map from Clang's files to FactBatch::files entries.
//
// Each distinct file gets one FileFact (stored path, module, content hash,
// line count) the first time a location in it is seen. Lookups by FileID
// are cached, so turning a SourceLocation into a Loc is a hash-map probe.
// Not thread-safe: one table per TU, used on that TU's parser thread.
#pragma once

#include <string>

#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "seam/analyzer/facts.h"
#include "seam/analyzer/module_mapper.h"

namespace seam::analyzer {

class FileTable {
 public:
  FileTable(const clang::SourceManager& sm, const ModuleMapper& mapper, FactBatch& out);

  /// kNoFile for invalid/built-in/scratch locations.
  FileIndex indexOf(clang::FileID fid);
  FileIndex indexOf(clang::SourceLocation loc) {
    return loc.isValid() ? indexOf(sm_.getFileID(sm_.getExpansionLoc(loc))) : kNoFile;
  }
  /// For files known only by name (diagnostics, unreadable main files).
  FileIndex indexOfPath(llvm::StringRef absolute_path);

  Loc loc(clang::SourceLocation loc);
  bool isProject(FileIndex f) const { return f != kNoFile && !out_.files[f].external; }
  bool isProject(clang::SourceLocation l) { return isProject(indexOf(l)); }

  /// Adds every file the SourceManager has loaded (for tu_files and the
  /// inputs hash), including headers that produced no facts.
  void addAllLoadedFiles();

  const ModuleMapper& mapper() const { return mapper_; }
  const clang::SourceManager& sourceManager() const { return sm_; }

 private:
  FileIndex add(const clang::FileEntry* entry, llvm::Optional<llvm::StringRef> contents);

  const clang::SourceManager& sm_;
  const ModuleMapper& mapper_;
  FactBatch& out_;
  llvm::DenseMap<clang::FileID, FileIndex> by_fid_;
  llvm::DenseMap<const clang::FileEntry*, FileIndex> by_entry_;
  llvm::StringMap<FileIndex> by_path_;
};

/// Absolute, dot-free path of a file entry (its real path when known).
std::string absolutePath(const clang::FileEntry& entry);

}  // namespace seam::analyzer
