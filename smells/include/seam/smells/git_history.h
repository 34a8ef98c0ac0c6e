// Change history from git, for change coupling (SEAM005). Runs
// `git -C REPO log --name-only ...` directly (fork/exec, no shell), so a path
// with spaces or quotes is passed through untouched.
#pragma once

#include <string>
#include <vector>

#include "seam/smells/expected.h"

namespace seam::smells {

struct Commit {
  std::string hash;
  std::vector<std::string> files;  // paths relative to the repository's top level
};

/// The last `max_commits` non-merge commits reachable from HEAD, newest first.
/// Fails with a one-line message when `repo` is not a git work tree or git is missing.
Expected<std::vector<Commit>> readGitHistory(const std::string& repo, int max_commits);

/// Parses the output of `git log --name-only --format=%x1e%H` (exposed for tests).
std::vector<Commit> parseGitLog(const std::string& text);

}  // namespace seam::smells
