// Finding the Clang resource directory at runtime. The builtin headers
// (stddef.h, stdarg.h, ...) must come from the same Clang as the library we
// parse with; a compile database written by g++ does not say where they are.
#include <dlfcn.h>

#include "clang/Tooling/ArgumentsAdjusters.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "seam/analyzer/analyze.h"

namespace seam::analyzer {
namespace {

bool hasBuiltinHeaders(const std::string& dir) {
  return llvm::sys::fs::exists(dir + "/include/stddef.h");
}

}  // namespace

std::string findResourceDir() {
  // 1. Beside the libclang-cpp actually loaded: <libdir>/clang/<version>.
  Dl_info info{};
  auto* symbol = reinterpret_cast<void*>(&clang::tooling::getClangSyntaxOnlyAdjuster);
  if (dladdr(symbol, &info) != 0 && info.dli_fname) {
    llvm::SmallString<256> lib;
    if (!llvm::sys::fs::real_path(info.dli_fname, lib)) {
      llvm::SmallString<256> dir = llvm::sys::path::parent_path(lib);
      llvm::sys::path::append(dir, "clang", SEAM_CLANG_VERSION);
      if (hasBuiltinHeaders(std::string(dir))) return std::string(dir);
    }
  }
  // 2. The LLVM this was built against.
  std::string built = std::string(SEAM_LLVM_LIBRARY_DIR) + "/clang/" + SEAM_CLANG_VERSION;
  if (hasBuiltinHeaders(built)) return built;
  return "";
}

}  // namespace seam::analyzer
