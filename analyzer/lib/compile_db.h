// Compile database loading and the per-TU command Seam runs.
#pragma once

#include <string>
#include <vector>

#include "llvm/Support/Error.h"

namespace seam::analyzer {

struct TuCommand {
  std::string file;          ///< absolute, dot-free path of the main file
  std::string directory;     ///< working directory of the command
  std::vector<std::string> args;  ///< adjusted: syntax-only, no output/deps files, resource dir
  std::string command_hash;  ///< over the original arguments and directory
};

struct CompileDb {
  std::string path;          ///< the compile_commands.json read
  std::string cmake_source_dir;  ///< CMAKE_HOME_DIRECTORY from CMakeCache.txt beside it, if any
  std::vector<TuCommand> tus;    ///< one per distinct main file, in file order
};

/// Loads `-p` (a build directory or a compile_commands.json file).
/// invalid_argument errors for a missing or malformed database.
llvm::Expected<CompileDb> loadCompileDb(const std::string& p, const std::string& resource_dir);

/// Longest common directory of the TUs' main files.
std::string commonAncestor(const std::vector<TuCommand>& tus);

/// Absolute, dot-free, symlink-resolved (when it exists) form of a path.
std::string normalizePath(const std::string& path, const std::string& base = "");

}  // namespace seam::analyzer
