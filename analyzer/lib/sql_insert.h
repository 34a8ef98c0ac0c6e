// The target of an INSERT statement: SQLite's authorizer reports the table an
// INSERT writes (SQLITE_INSERT) but not its columns, so they are read from
// the statement's tokens: `INSERT [OR x] INTO [schema.]t [AS a] (c1, c2, ..)`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sql_lexer.h"

namespace seam::analyzer::sql {

struct InsertTarget {
  std::string table;                 ///< lower-case, unqualified
  std::vector<std::string> columns;  ///< lower-case, in statement order; empty without a list
  bool column_list = false;          ///< an explicit (c1, c2, ..) was given
  bool default_values = false;       ///< INSERT .. DEFAULT VALUES: no column is given a value
};

/// The INSERT/REPLACE target of one statement (after an optional WITH
/// clause), or nullopt when the statement is not an INSERT or its shape is
/// not understood.
std::optional<InsertTarget> insertTarget(const std::vector<Token>& tokens);

}  // namespace seam::analyzer::sql
