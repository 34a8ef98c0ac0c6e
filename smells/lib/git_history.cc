// git log without a shell: fork + execvp with an argv, stdout through a pipe.
#include "seam/smells/git_history.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

namespace seam::smells {
namespace {

struct ProcessResult {
  int status = -1;  // exit code, or -1 when it could not run or was killed
  std::string out;
};

// Runs argv[0] from PATH with stdin and stderr on /dev/null; returns its stdout.
ProcessResult run(const std::vector<std::string>& args) {
  ProcessResult r;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return r;
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return r;
  }
  if (pid == 0) {
    int devnull = open("/dev/null", O_RDWR);
    if (devnull >= 0) {
      dup2(devnull, 0);
      dup2(devnull, 2);
    }
    dup2(fds[1], 1);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  close(fds[1]);
  char buf[65536];
  for (;;) {
    ssize_t n = read(fds[0], buf, sizeof buf);
    if (n > 0) {
      r.out.append(buf, static_cast<size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;
    }
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace

std::vector<Commit> parseGitLog(const std::string& text) {
  // Each commit starts with the record separator 0x1e, then the hash line, then file names.
  std::vector<Commit> commits;
  size_t pos = 0;
  while ((pos = text.find('\x1e', pos)) != std::string::npos) {
    size_t end = text.find('\x1e', pos + 1);
    std::string_view record(text.data() + pos + 1, (end == std::string::npos ? text.size() : end) - pos - 1);
    Commit c;
    size_t line_start = 0;
    bool first = true;
    while (line_start < record.size()) {
      size_t nl = record.find('\n', line_start);
      if (nl == std::string_view::npos) nl = record.size();
      std::string_view line = record.substr(line_start, nl - line_start);
      if (first) {
        c.hash = std::string(line);
        first = false;
      } else if (!line.empty()) {
        c.files.emplace_back(line);
      }
      line_start = nl + 1;
    }
    if (!c.hash.empty()) commits.push_back(std::move(c));
    pos = end;
  }
  return commits;
}

Expected<std::vector<Commit>> readGitHistory(const std::string& repo, int max_commits) {
  ProcessResult check = run({"git", "-C", repo, "rev-parse", "--is-inside-work-tree"});
  if (check.status == 127 || check.status == -1) return badInput("cannot run git (is it installed?)");
  if (check.status != 0 || check.out.rfind("true", 0) != 0) return badInput(repo + ": not a git repository");
  // core.quotepath=off keeps non-ASCII names readable; -z is not used because
  // --name-only with a custom format is line-oriented and names never contain '\n' in practice.
  ProcessResult log = run({"git", "-C", repo, "-c", "core.quotepath=off", "log", "--no-merges", "--name-only",
                           "--no-renames", "--format=%x1e%H", "-n", std::to_string(max_commits), "HEAD"});
  if (log.status != 0) {
    // An empty repository has no HEAD: no history, not an error.
    ProcessResult head = run({"git", "-C", repo, "rev-parse", "--verify", "-q", "HEAD"});
    if (head.status != 0) return std::vector<Commit>{};
    return badInput(repo + ": git log failed");
  }
  return parseGitLog(log.out);
}

}  // namespace seam::smells
