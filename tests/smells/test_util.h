// Shared helpers for the smells tests: temp paths, fact stores from YAML, runs.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>

#include "fact_store_builder.h"
#include "seam/smells/smells.h"

namespace seam::smells::testing {

/// A fresh directory under the gtest temp dir, unique per call.
inline std::filesystem::path freshDir(const std::string& tag) {
  static std::atomic<int> counter{0};
  auto dir = std::filesystem::path(::testing::TempDir()) /
             ("smells-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline void writeFile(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

/// Builds dir/seam.db from facts YAML and dir/services.yaml from `services`;
/// returns Options pointing at them.
inline Options storeWith(const std::filesystem::path& dir, const std::string& facts, const std::string& services) {
  {
    FactStoreBuilder b((dir / "seam.db").string(), dir.string());
    b.load(facts);
  }
  writeFile(dir / "services.yaml", services);
  Options o;
  o.db_path = (dir / "seam.db").string();
  o.services_path = (dir / "services.yaml").string();
  return o;
}

/// Runs the analysis and returns "RULE key" for each finding (fails the test on error).
inline std::vector<std::string> ruleKeys(const Options& o) {
  auto r = analyze(o);
  if (!r) {
    ADD_FAILURE() << r.error().message;
    return {};
  }
  std::vector<std::string> out;
  for (const auto& f : r->findings) out.push_back(f.rule_id + " " + f.key);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace seam::smells::testing
