#include "seam/decomposer/cochange.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

extern char** environ;

namespace seam::decomposer {
namespace {

// Path -> node by the longest matching suffix at a '/' boundary.
class FileToNode {
 public:
  FileToNode(const CouplingGraph& g, const Facts& facts) {
    for (const FactFile& f : facts.files) {
      std::string node;
      const FactModule* m = facts.module(f.module_id);
      if (!m || m->external) continue;
      if (g.granularity == Granularity::kModule) node = m->name;
      else node = f.path;  // file granularity; class granularity falls back to the file node when it exists
      auto v = g.find(node);
      if (!v) continue;
      std::string p = f.path;
      while (true) {
        auto [it, inserted] = by_suffix_.emplace(p, *v);
        if (!inserted && it->second != *v) it->second = SIZE_MAX;  // ambiguous suffix
        size_t slash = p.find('/');
        if (slash == std::string::npos) break;
        p = p.substr(slash + 1);
      }
    }
  }
  size_t find(std::string p) const {
    while (true) {
      auto it = by_suffix_.find(p);
      if (it != by_suffix_.end()) return it->second;
      size_t slash = p.find('/');
      if (slash == std::string::npos) return SIZE_MAX;
      p = p.substr(slash + 1);
    }
  }

 private:
  std::unordered_map<std::string, size_t> by_suffix_;
};

}  // namespace

std::vector<Changeset> parseGitLog(const std::string& text) {
  std::vector<Changeset> out;
  std::stringstream records(text);
  std::string record;
  while (std::getline(records, record, '\x1e')) {
    std::stringstream lines(record);
    std::string line;
    Changeset files;
    while (std::getline(lines, line)) {
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
      if (!line.empty()) files.push_back(line);
    }
    if (!files.empty()) out.push_back(std::move(files));
  }
  return out;
}

Expected<std::vector<Changeset>> readGitHistory(const std::string& repo) {
  int fds[2];
  if (pipe(fds) != 0) return badInput("--git: cannot create a pipe");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  posix_spawn_file_actions_addclose(&actions, fds[1]);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  // Arguments go to git as-is: no shell, so a repository path cannot inject commands.
  std::vector<std::string> args = {"git", "-C", repo, "log", "--no-merges", "--no-renames",
                                   "--name-only", "--format=%x1e", "--", "."};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, "git", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    return badInput("--git: cannot run git");
  }
  std::string out;
  char buf[65536];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR)) {
    if (n > 0) out.append(buf, static_cast<size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return badInput("--git " + repo + ": not a git repository");
  return parseGitLog(out);
}

CoChangeResult coChange(const CouplingGraph& g, const Facts& facts, const std::vector<Changeset>& history,
                        const CoChangeOptions& o) {
  CoChangeResult result;
  FileToNode map(g, facts);
  std::vector<int> revisions(g.size(), 0);
  std::map<std::pair<size_t, size_t>, int> shared;
  for (const Changeset& files : history) {
    if (static_cast<int>(files.size()) > o.max_changeset_size) {
      result.skipped_large++;
      continue;
    }
    result.commits++;
    std::set<size_t> nodes;
    for (const std::string& f : files) {
      size_t v = map.find(f);
      if (v != SIZE_MAX) nodes.insert(v);
    }
    for (size_t v : nodes) revisions[v]++;
    for (auto a = nodes.begin(); a != nodes.end(); ++a) {
      for (auto b = std::next(a); b != nodes.end(); ++b) shared[{*a, *b}]++;
    }
  }
  for (const auto& [pair, n] : shared) {
    auto [a, b] = pair;
    if (revisions[a] < o.min_revisions || revisions[b] < o.min_revisions || n < o.min_shared_revisions) continue;
    double degree = n / ((revisions[a] + revisions[b]) / 2.0) * 100.0;
    if (degree < o.min_coupling_percent) continue;
    result.pairs.push_back({a, b, n, degree});
  }
  result.summary = std::to_string(result.pairs.size()) + " coupled pair(s) from " + std::to_string(result.commits) +
                   " commit(s)" +
                   (result.skipped_large ? ", " + std::to_string(result.skipped_large) + " large commit(s) skipped" : "");
  return result;
}

Expected<CoChangeResult> addCoChangeCoupling(CouplingGraph& g, const Facts& facts, const std::string& repo,
                                             const CoChangeOptions& o, double weight) {
  Expected<std::vector<Changeset>> history = readGitHistory(repo);
  if (!history) return history.error();
  CoChangeResult r = coChange(g, facts, *history, o);
  for (const CoChangePair& p : r.pairs) {
    double w = weight * p.degree / 100.0;
    if (w > 0) g.addWeight(p.a, p.b, {w, 0, 0, w});
  }
  return r;
}

}  // namespace seam::decomposer
