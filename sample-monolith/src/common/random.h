// A small deterministic PRNG (SplitMix64) for seeding: the same seed gives
// the same bookstore on every machine and every standard library, which
// std::uniform_int_distribution does not guarantee.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bookstore {

class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}

  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  /// Uniform in [lo, hi] (inclusive); requires lo <= hi.
  int64_t between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(next() % static_cast<uint64_t>(hi - lo + 1));
  }

  /// True with probability percent/100.
  bool chance(int percent) { return between(1, 100) <= percent; }

  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[static_cast<size_t>(between(0, static_cast<int64_t>(items.size()) - 1))];
  }

 private:
  uint64_t state_;
};

}  // namespace bookstore
