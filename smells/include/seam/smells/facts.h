// The facts the smell rules need: the shared fact-store reader's (seam/factstore)
// under the smells' names, loaded once into memory. The database is opened
// read-only: a bad or foreign file is reported, never modified.
//
// Ids are the store's ids; 0 stands for SQL NULL (no file, no module).
#pragma once

#include <string>

#include "seam/factstore/fact_store.h"
#include "seam/smells/expected.h"

namespace seam::smells {

using Module = factstore::Module;
using File = factstore::File;
using Symbol = factstore::Symbol;
using Edge = factstore::Edge;
using TableAccess = factstore::TableAccess;
using DbObject = factstore::DbObject;
using Route = factstore::Route;
using Facts = factstore::Facts;

/// Opens `db_path` read-only, checks that it is a Seam fact store of the
/// schema version this build reads, and loads the facts (factstore::loadFactStore).
Expected<Facts> loadFacts(const std::string& db_path);

}  // namespace seam::smells
