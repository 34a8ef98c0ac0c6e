#include "seam/decomposer/fact_store.h"

namespace seam::decomposer {

Expected<Facts> loadFactStore(const std::string& path) {
  factstore::LoadResult r = factstore::loadFactStore(path);
  if (!r) return badInput(r.error);
  if (!r.facts->hasAnalyzedCode()) return badInput(path + ": fact store has no analyzed symbols (run seam analyze first)");
  return std::move(*r.facts);
}

}  // namespace seam::decomposer
