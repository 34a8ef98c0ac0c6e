// The smells read the fact store through the shared reader (seam/factstore).
#include "seam/smells/facts.h"

namespace seam::smells {

Expected<Facts> loadFacts(const std::string& db_path) {
  factstore::LoadResult r = factstore::loadFactStore(db_path);
  if (!r) return badInput(r.error);
  return std::move(*r.facts);
}

}  // namespace seam::smells
