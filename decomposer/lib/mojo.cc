#include "seam/decomposer/mojo.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace seam::decomposer {
namespace {

std::vector<uint32_t> dense(const std::vector<uint32_t>& labels, size_t* k) {
  std::unordered_map<uint32_t, uint32_t> map;
  std::vector<uint32_t> out(labels.size());
  for (size_t i = 0; i < labels.size(); ++i) {
    out[i] = map.emplace(labels[i], static_cast<uint32_t>(map.size())).first->second;
  }
  *k = map.size();
  return out;
}

// Kuhn's augmenting paths; left = A clusters, right = B clusters.
class Matching {
 public:
  Matching(size_t left, size_t right) : adj_(left), match_right_(right, -1) {}
  void addEdge(size_t l, size_t r) { adj_[l].push_back(r); }
  size_t solve() {
    size_t size = 0;
    for (size_t l = 0; l < adj_.size(); ++l) {
      visited_.assign(match_right_.size(), 0);
      if (augment(l)) ++size;
    }
    return size;
  }

 private:
  bool augment(size_t l) {
    for (size_t r : adj_[l]) {
      if (visited_[r]) continue;
      visited_[r] = 1;
      if (match_right_[r] < 0 || augment(static_cast<size_t>(match_right_[r]))) {
        match_right_[r] = static_cast<int64_t>(l);
        return true;
      }
    }
    return false;
  }
  std::vector<std::vector<size_t>> adj_;
  std::vector<int64_t> match_right_;
  std::vector<char> visited_;
};

}  // namespace

int64_t mojoDistance(const std::vector<uint32_t>& a_labels, const std::vector<uint32_t>& b_labels) {
  size_t l = 0, m = 0;
  std::vector<uint32_t> a = dense(a_labels, &l), b = dense(b_labels, &m);
  std::vector<std::map<uint32_t, int64_t>> tags(l);
  std::vector<int64_t> size(l, 0);
  for (size_t i = 0; i < a.size(); ++i) tags[a[i]][b[i]]++, size[a[i]]++;
  Matching matching(l, m);
  int64_t moves = 0;
  for (size_t i = 0; i < l; ++i) {
    int64_t most = 0;
    for (const auto& [tag, count] : tags[i]) most = std::max(most, count);
    moves += size[i] - most;
    for (const auto& [tag, count] : tags[i]) {
      if (count == most) matching.addEdge(i, tag);
    }
  }
  int64_t groups = static_cast<int64_t>(matching.solve());
  return moves + static_cast<int64_t>(l) - groups;
}

int64_t maxMojoDistance(const std::vector<uint32_t>& b_labels) {
  size_t m = 0;
  std::vector<uint32_t> b = dense(b_labels, &m);
  std::vector<int64_t> sizes(m, 0);
  for (uint32_t x : b) sizes[x]++;
  std::sort(sizes.begin(), sizes.end());
  int64_t g = 0;
  for (int64_t s : sizes) {
    if (s > g) ++g;
  }
  return static_cast<int64_t>(b.size()) - g;
}

double mojoFm(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  int64_t max = maxMojoDistance(b);
  if (max == 0) return 100.0;
  return (1.0 - static_cast<double>(mojoDistance(a, b)) / static_cast<double>(max)) * 100.0;
}

double c2cCoverage(const std::vector<uint32_t>& a_labels, const std::vector<uint32_t>& b_labels, double threshold) {
  size_t l = 0, m = 0;
  std::vector<uint32_t> a = dense(a_labels, &l), b = dense(b_labels, &m);
  if (m == 0) return 0;
  std::vector<double> size_a(l, 0), size_b(m, 0);
  std::map<std::pair<uint32_t, uint32_t>, double> common;
  for (size_t i = 0; i < a.size(); ++i) size_a[a[i]]++, size_b[b[i]]++, common[{a[i], b[i]}]++;
  std::vector<char> covered(l, 0);
  for (const auto& [pair, c] : common) {
    if (c / std::max(size_a[pair.first], size_b[pair.second]) > threshold) covered[pair.first] = 1;
  }
  double count = 0;
  for (char c : covered) count += c;
  return count / static_cast<double>(m) * 100.0;
}

}  // namespace seam::decomposer
