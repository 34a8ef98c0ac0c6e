// Weighted and sticky choice between legacy and a service for one request.
//
// A request gets a bucket in [0, 10000): the hash of its sticky key when the
// route is sticky and the key is present, a per-worker random number
// otherwise. It goes to the service iff bucket < weight (basis points), so
// weight 0 sends nothing, 10000 everything, and a sticky key always lands on
// the same side for a given weight (raising the weight only moves keys from
// legacy to the service, never back).
#pragma once

#include <cstdint>
#include <string_view>

#include "strangler/config.h"

namespace strangler {

/// Stable 64-bit hash (FNV-1a followed by the splitmix64 finalizer, so that
/// similar keys spread evenly).
std::uint64_t stableHash(std::string_view key);

/// Maps a 64-bit value uniformly onto [0, 10000) (multiply-shift, no modulo bias
/// worth measuring).
inline std::uint32_t toBucket(std::uint64_t h) {
  return static_cast<std::uint32_t>((static_cast<unsigned __int128>(h) * 10000u) >> 64);
}

inline std::uint32_t stickyBucket(std::string_view key) { return toBucket(stableHash(key)); }

/// True iff a request in `bucket` goes to the service at `weight` bp.
inline bool bucketChoosesService(std::uint32_t bucket, std::uint32_t weight) { return bucket < weight; }

/// Small fast per-worker PRNG (xoshiro256**); not thread-safe by design.
class FastRandom {
 public:
  explicit FastRandom(std::uint64_t seed);
  std::uint64_t next();

 private:
  std::uint64_t s_[4];
};

}  // namespace strangler
