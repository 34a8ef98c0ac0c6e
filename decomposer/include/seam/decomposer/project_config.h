// The `decompose:` section of a project's seam.yaml: the weights and the
// decisions a team records in its repository (the way clang-tidy reads
// .clang-tidy) instead of repeating flags on every run. Decisions are what the
// code cannot show: a compliance boundary (PCI scope: keep apart), a bounded
// context the business has settled (keep together), the number of teams.
//
//   decompose:
//     weights: {co_write: 20}
//     data_coupling: owner        # pairs | owner
//     quality: modularity         # modularity | cpm
//     resolution: 1.5             # or services: N
//     services: 7
//     pin:   [[src/cart, src/orders]]
//     apart: [[src/orders, src/payments]]
//
// A file without the section is an empty config; unknown keys and values of
// the wrong type are errors naming the key (a typo must not silently change a
// plan).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "seam/decomposer/status.h"
#include "seam/decomposer/weights.h"

namespace seam::decomposer {

struct ProjectConfig {
  Weights weights;  ///< the defaults with `weights:` applied
  std::optional<std::string> data_coupling;
  std::optional<std::string> quality;
  std::optional<double> resolution;
  std::optional<size_t> services;
  std::vector<std::vector<std::string>> pin;
  std::vector<std::pair<std::string, std::string>> apart;

  bool hasDecisions() const { return resolution || services || !pin.empty() || !apart.empty(); }
};

Expected<ProjectConfig> parseProjectConfig(const std::string& yaml_text, const std::string& source);
Expected<ProjectConfig> readProjectConfig(const std::string& path);

}  // namespace seam::decomposer
