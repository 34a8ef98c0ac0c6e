// ModuleMapper: absolute file path => (stored path, module, external?).
//
// Stored paths are relative to the project root when the file is inside it,
// absolute otherwise. A file is external when it is outside the root, under a
// system include directory, or matches `exclude`; its module is
// "external:<name>" (e.g. external:std, external:sqlite3, external:boost).
// Otherwise: the first matching rule, else the directory strategy (the file's
// directory relative to the root, "." for files at the root, cut to `depth`),
// or, with the namespace strategy, the caller supplies the namespace.
//
// Thread safety: immutable after construction; safe to share across threads.
#pragma once

#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "seam/analyzer/config.h"

namespace seam::analyzer {

struct FileModule {
  std::string path;    ///< stored path
  std::string module;  ///< empty when the namespace strategy must decide
  bool external = false;
};

class ModuleMapper {
 public:
  /// `root` must be absolute and normalised (no trailing slash).
  ModuleMapper(std::string root, const AnalyzerConfig& config);

  FileModule map(std::string_view absolute_path) const;

  /// Module for a namespace ("a::b::c" => "a::b" at namespace_depth 2);
  /// "(global)" for the global namespace.
  std::string moduleForNamespace(std::string_view qualified_namespace) const;

  bool byNamespace() const { return config_.strategy == AnalyzerConfig::Strategy::kNamespace; }
  const std::string& root() const { return root_; }

 private:
  std::string root_;
  AnalyzerConfig config_;
  std::vector<std::regex> rule_regexes_;
  std::vector<std::regex> exclude_regexes_;
};

/// "external:<name>" for a path outside the project.
std::string externalModuleName(std::string_view absolute_path);

}  // namespace seam::analyzer
