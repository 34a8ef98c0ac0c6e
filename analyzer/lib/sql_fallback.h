// Token-level SQL heuristics: the "is this SQL at all" gate, statement kinds,
// and the tokenizer fallback that extracts table accesses from statements
// SQLite cannot prepare (other dialects, '?' in identifier positions, tables
// missing from the schema). The fallback knows clause keywords, not grammar:
// its results are marked parser = tokenizer (lower confidence).
#pragma once

#include <vector>

#include "seam/analyzer/sql_access.h"
#include "sql_lexer.h"

namespace seam::analyzer::sql {

/// The kind of one statement, from its leading keyword(s).
SqlKind statementKind(const std::vector<Token>& tokens);

/// The gate behind looksLikeSql(): a leading SQL keyword plus the shape that
/// keyword requires (INSERT .. INTO, UPDATE .. SET, a complete BEGIN, ...).
bool looksLikeSqlTokens(const std::vector<Token>& tokens);

/// Accesses of one statement found by clause keywords: FROM/JOIN (reads),
/// INSERT/REPLACE INTO (insert), UPDATE .. SET cols and ON DUPLICATE KEY /
/// ON CONFLICT updates (update per column), DELETE FROM (delete), CREATE
/// TABLE (create). CTE names, subqueries, '?' and temporary tables are skipped.
/// Reads have no column (whole row): the tokenizer cannot resolve columns.
std::vector<TableAccess> tokenizerAccesses(const std::vector<Token>& tokens);

}  // namespace seam::analyzer::sql
