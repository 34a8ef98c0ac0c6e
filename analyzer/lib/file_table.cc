#include "file_table.h"

#include <algorithm>

#include "hashing.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace seam::analyzer {
namespace {

bool looksLikeHeader(llvm::StringRef path) {
  llvm::StringRef ext = llvm::sys::path::extension(path);
  return !(ext == ".cc" || ext == ".cpp" || ext == ".cxx" || ext == ".c" || ext == ".c++" ||
           ext == ".C" || ext == ".m" || ext == ".mm");
}

}  // namespace

std::string absolutePath(const clang::FileEntry& entry) {
  llvm::StringRef real = entry.tryGetRealPathName();
  llvm::SmallString<256> path(real.empty() ? entry.getName() : real);
  llvm::sys::fs::make_absolute(path);
  llvm::sys::path::remove_dots(path, /*remove_dot_dot=*/true);
  return std::string(path.str());
}

FileTable::FileTable(const clang::SourceManager& sm, const ModuleMapper& mapper, FactBatch& out)
    : sm_(sm), mapper_(mapper), out_(out) {}

FileIndex FileTable::indexOf(clang::FileID fid) {
  if (fid.isInvalid()) return kNoFile;
  auto it = by_fid_.find(fid);
  if (it != by_fid_.end()) return it->second;
  FileIndex index = kNoFile;
  if (const clang::FileEntry* entry = sm_.getFileEntryForID(fid)) {
    index = add(entry, sm_.getBufferDataOrNone(fid));
  }
  by_fid_[fid] = index;
  return index;
}

FileIndex FileTable::add(const clang::FileEntry* entry, llvm::Optional<llvm::StringRef> contents) {
  auto it = by_entry_.find(entry);
  if (it != by_entry_.end()) return it->second;
  std::string abs = absolutePath(*entry);
  FileIndex index = indexOfPath(abs);
  FileFact& fact = out_.files[index];
  if (contents && fact.hash.empty()) {
    fact.hash = contentHash(*contents);
    fact.lines = static_cast<uint32_t>(std::count(contents->begin(), contents->end(), '\n'));
    if (!contents->empty() && contents->back() != '\n') ++fact.lines;
  }
  by_entry_[entry] = index;
  return index;
}

FileIndex FileTable::indexOfPath(llvm::StringRef absolute_path) {
  auto it = by_path_.find(absolute_path);
  if (it != by_path_.end()) return it->second;
  FileModule fm = mapper_.map(std::string_view(absolute_path.data(), absolute_path.size()));
  FileFact fact;
  fact.path = std::move(fm.path);
  fact.module = std::move(fm.module);
  fact.external = fm.external;
  fact.is_header = looksLikeHeader(absolute_path);
  auto index = static_cast<FileIndex>(out_.files.size());
  out_.files.push_back(std::move(fact));
  by_path_[absolute_path] = index;
  return index;
}

Loc FileTable::loc(clang::SourceLocation l) {
  Loc out;
  if (l.isInvalid()) return out;
  clang::SourceLocation e = sm_.getExpansionLoc(l);
  std::pair<clang::FileID, unsigned> decomposed = sm_.getDecomposedLoc(e);
  out.file = indexOf(decomposed.first);
  if (out.file == kNoFile) return out;
  out.line = sm_.getLineNumber(decomposed.first, decomposed.second);
  out.col = sm_.getColumnNumber(decomposed.first, decomposed.second);
  return out;
}

void FileTable::addAllLoadedFiles() {
  for (auto it = sm_.fileinfo_begin(); it != sm_.fileinfo_end(); ++it) {
    llvm::Optional<llvm::MemoryBufferRef> buffer = it->second->getBufferIfLoaded();
    llvm::Optional<llvm::StringRef> contents;
    if (buffer) contents = buffer->getBuffer();
    add(it->first, contents);
  }
}

}  // namespace seam::analyzer
