// Deterministic sample data for an empty database (bookstore --seed).
#pragma once

#include "common/db.h"

namespace bookstore {

/// Seeds every module, in dependency order, when the catalog is empty; does
/// nothing otherwise. Same data on every run (fixed PRNG seed), apart from
/// the timestamps of changes made "now" (reservation expiry, for instance).
void seedIfEmpty(Db& db);

}  // namespace bookstore
