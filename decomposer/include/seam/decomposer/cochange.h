// Co-change (logical) coupling from version control, after code-maat's
// coupling analysis (Tornhill): files changed in the same commits are coupled.
//
//   git log --name-only (posix_spawn, no shell) -> commits -> files -> nodes
//   degree(a, b) = shared_revisions(a, b) / mean(revisions(a), revisions(b)) * 100
//
// Commits touching more than max_changeset_size files are skipped (bulk
// reformatting, renames); pairs below the thresholds are dropped. Files map
// to graph nodes through the fact store's files table, matching the longest
// path suffix, so the repository root may differ from the project root.
#pragma once

#include <string>
#include <vector>

#include "seam/decomposer/coupling_graph.h"
#include "seam/decomposer/fact_store.h"
#include "seam/decomposer/status.h"

namespace seam::decomposer {

struct CoChangeOptions {
  int min_revisions = 5;          ///< code-maat --min-revs
  int min_shared_revisions = 5;   ///< code-maat --min-shared-revs
  double min_coupling_percent = 30;  ///< code-maat --min-coupling
  int max_changeset_size = 30;    ///< code-maat --max-changeset-size
};

/// One commit: the paths it touched, relative to the repository root.
using Changeset = std::vector<std::string>;

struct CoChangePair {
  size_t a = 0, b = 0;  ///< nodes, a < b
  int shared = 0;
  double degree = 0;  ///< percent
};

struct CoChangeResult {
  std::vector<CoChangePair> pairs;
  size_t commits = 0;
  size_t skipped_large = 0;
  std::string summary;  ///< one line for the notes
};

/// Parses `git log --name-only --format=%x1e` output (records split by 0x1e).
std::vector<Changeset> parseGitLog(const std::string& text);
/// Runs git in `repo` without a shell and returns the changesets.
Expected<std::vector<Changeset>> readGitHistory(const std::string& repo);
/// The coupled node pairs over `history`.
CoChangeResult coChange(const CouplingGraph& g, const Facts& facts, const std::vector<Changeset>& history,
                        const CoChangeOptions& options);
/// readGitHistory + coChange + adds weight * degree / 100 to each pair's edge.
Expected<CoChangeResult> addCoChangeCoupling(CouplingGraph& g, const Facts& facts, const std::string& repo,
                                             const CoChangeOptions& options, double weight);

}  // namespace seam::decomposer
