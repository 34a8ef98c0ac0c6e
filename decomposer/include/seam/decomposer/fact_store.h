// The decomposer's names for the shared fact-store reader (seam/factstore):
// the facts are seam::factstore's, loaded once by loadFactStore below, which
// only adds the decomposer's error type and its one extra requirement (a
// store with analyzed code in it).
//
//   seam.db --loadFactStore--> Facts --buildCouplingGraph--> CouplingGraph
#pragma once

#include <string>

#include "seam/decomposer/status.h"
#include "seam/factstore/fact_store.h"

namespace seam::decomposer {

using Facts = factstore::Facts;
using FactModule = factstore::Module;
using FactFile = factstore::File;
using FactSymbol = factstore::Symbol;
using FactEdge = factstore::Edge;
using FactInclude = factstore::Include;
using FactTableAccess = factstore::TableAccess;
using FactDbObject = factstore::DbObject;
using FactRoute = factstore::Route;

/// factstore::loadFactStore as a decomposer Expected (kBadInput), and a store
/// with no non-external symbols (nothing analyzed yet) is an error too.
Expected<Facts> loadFactStore(const std::string& path);

}  // namespace seam::decomposer
