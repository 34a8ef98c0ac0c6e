#include "compile_db.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "hashing.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace seam::analyzer {

std::string normalizePath(const std::string& path, const std::string& base) {
  llvm::SmallString<256> p(path);
  if (!llvm::sys::path::is_absolute(p)) {
    llvm::SmallString<256> b(base);
    if (b.empty()) llvm::sys::fs::current_path(b);
    llvm::sys::path::append(b, p);
    p = b;
  }
  llvm::sys::path::remove_dots(p, /*remove_dot_dot=*/true);
  llvm::SmallString<256> real;
  if (!llvm::sys::fs::real_path(p, real)) return std::string(real.str());
  return std::string(p.str());
}

std::string commonAncestor(const std::vector<TuCommand>& tus) {
  if (tus.empty()) return "/";
  std::string prefix(llvm::sys::path::parent_path(tus.front().file));
  for (const TuCommand& tu : tus) {
    llvm::StringRef dir = llvm::sys::path::parent_path(tu.file);
    while (!prefix.empty() && !(dir == prefix || dir.startswith(prefix + "/"))) {
      prefix = std::string(llvm::sys::path::parent_path(prefix));
    }
  }
  return prefix.empty() ? "/" : prefix;
}

namespace {

std::string readCmakeSourceDir(const std::string& build_dir) {
  std::ifstream in(build_dir + "/CMakeCache.txt");
  std::string line;
  while (std::getline(in, line)) {
    static const std::string kKey = "CMAKE_HOME_DIRECTORY:INTERNAL=";
    if (line.rfind(kKey, 0) == 0) return line.substr(kKey.size());
  }
  return "";
}

}  // namespace

llvm::Expected<CompileDb> loadCompileDb(const std::string& p, const std::string& resource_dir) {
  CompileDb out;
  std::string file = p;
  if (llvm::sys::fs::is_directory(p)) file = p + "/compile_commands.json";
  if (!llvm::sys::fs::exists(file)) {
    return llvm::createStringError(std::errc::invalid_argument,
                                   "no compile database at %s (configure with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON "
                                   "or capture the build with bear)",
                                   file.c_str());
  }
  out.path = normalizePath(file);
  {
    // Validate the JSON first: LLVM's loader prints YAML parser errors to
    // stderr; this gives one clean line instead.
    std::ifstream in(out.path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    try {
      nlohmann::json parsed = nlohmann::json::parse(text.str());
      if (!parsed.is_array()) {
        return llvm::createStringError(std::errc::invalid_argument,
                                       "malformed compile database %s: not a JSON array", out.path.c_str());
      }
    } catch (const nlohmann::json::exception& e) {
      return llvm::createStringError(std::errc::invalid_argument, "malformed compile database %s: %s",
                                     out.path.c_str(), e.what());
    }
  }
  std::string error;
  auto db = clang::tooling::JSONCompilationDatabase::loadFromFile(
      out.path, error, clang::tooling::JSONCommandLineSyntax::AutoDetect);
  if (!db) {
    return llvm::createStringError(std::errc::invalid_argument, "malformed compile database %s: %s",
                                   out.path.c_str(), error.c_str());
  }
  out.cmake_source_dir = readCmakeSourceDir(std::string(llvm::sys::path::parent_path(out.path)));

  auto adjust = clang::tooling::combineAdjusters(
      clang::tooling::getClangStripOutputAdjuster(),
      clang::tooling::combineAdjusters(clang::tooling::getClangStripDependencyFileAdjuster(),
                                       clang::tooling::getClangSyntaxOnlyAdjuster()));
  std::set<std::string> seen;
  for (const clang::tooling::CompileCommand& cmd : db->getAllCompileCommands()) {
    TuCommand tu;
    tu.directory = cmd.Directory;
    tu.file = normalizePath(cmd.Filename, cmd.Directory);
    if (!seen.insert(tu.file).second) continue;  // first command wins, as in clangd
    std::string joined = cmd.Directory;
    for (const std::string& a : cmd.CommandLine) {
      joined += '\0';
      joined += a;
    }
    tu.command_hash = contentHash(joined);
    tu.args = adjust(cmd.CommandLine, cmd.Filename);
    if (tu.args.empty()) continue;
    // Flags GCC knows and Clang does not must not turn into errors; warnings
    // are not facts, so they are not computed at all.
    std::vector<std::string> extra = {"-Qunused-arguments", "-Wno-unknown-warning-option", "-w",
                                      "-fno-caret-diagnostics"};
    if (!resource_dir.empty()) extra.push_back("-resource-dir=" + resource_dir);
    tu.args.insert(tu.args.begin() + 1, extra.begin(), extra.end());
    out.tus.push_back(std::move(tu));
  }
  std::sort(out.tus.begin(), out.tus.end(), [](const TuCommand& a, const TuCommand& b) { return a.file < b.file; });
  return out;
}

}  // namespace seam::analyzer
