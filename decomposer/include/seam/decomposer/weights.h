// Edge-weight model of the coupling graph: one non-negative weight per kind of
// evidence. Structural kinds multiply the number of sites (edges.count);
// data kinds are added once per shared table and pair of nodes (owner_write /
// owner_read: between a table's one creating node and another node that writes
// / only reads it; co_write / read_write / co_read: between two accessors of a
// table with no single creator); co_change
// multiplies the code-maat coupling degree (0..1); traffic scales calls into
// route handlers by observed request share.
//
// Defaults start from ServiceCutter's priorities (a shared written entity
// weighs most) and were measured on the bookstore: docs/decomposer.md.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "seam/decomposer/status.h"

namespace seam::decomposer {

struct Weights {
  std::map<std::string, double> by_kind;  ///< every key of knownKinds(), always present

  Weights();  ///< the defaults
  double operator[](const std::string& kind) const;
  /// Data weights set to 0: the "structure-only" baseline.
  Weights structureOnly() const;
  /// "call=1,co_write=10": overrides the named kinds.
  Status apply(const std::string& spec);
  Status set(const std::string& kind, double w);

  static const std::vector<std::string>& knownKinds();
  static const std::vector<std::string>& dataKinds();  ///< co_write, read_write, co_read, owner_write, owner_read
};

}  // namespace seam::decomposer
