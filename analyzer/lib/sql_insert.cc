// INSERT targets from tokens: see sql_insert.h.
#include "sql_insert.h"

namespace seam::analyzer::sql {

std::optional<InsertTarget> insertTarget(const std::vector<Token>& tokens) {
  size_t i = 0;
  // WITH [RECURSIVE] name [(cols)] AS [NOT] [MATERIALIZED] (...), ...: skip to
  // the first top-level INSERT/REPLACE.
  int depth = 0;
  for (; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (t.isPunct('(')) ++depth;
    if (t.isPunct(')')) --depth;
    if (depth == 0 && (t.isWord("insert") || t.isWord("replace"))) break;
    if (depth == 0 && i == 0 && !t.isWord("with")) return std::nullopt;
  }
  if (i >= tokens.size()) return std::nullopt;
  ++i;
  if (i < tokens.size() && tokens[i].isWord("or")) i += 2;  // OR REPLACE / IGNORE / ...
  if (i >= tokens.size() || !tokens[i].isWord("into")) return std::nullopt;
  ++i;
  if (i >= tokens.size() || !tokens[i].isName()) return std::nullopt;
  InsertTarget target;
  target.table = tokens[i].lower;
  ++i;
  if (i + 1 < tokens.size() && tokens[i].isPunct('.') && tokens[i + 1].isName()) {
    target.table = tokens[i + 1].lower;  // schema.table
    i += 2;
  }
  if (i + 1 < tokens.size() && tokens[i].isWord("as") && tokens[i + 1].isName()) i += 2;
  if (i < tokens.size() && tokens[i].isPunct('(')) {
    // A column list, unless it is `VALUES(` etc. (then there is no list).
    target.column_list = true;
    for (++i; i < tokens.size() && !tokens[i].isPunct(')'); ++i) {
      if (tokens[i].isPunct(',')) continue;
      if (!tokens[i].isName()) return std::nullopt;  // not a plain column list
      target.columns.push_back(tokens[i].lower);
    }
    if (i >= tokens.size() || target.columns.empty()) return std::nullopt;
    return target;
  }
  if (i + 1 < tokens.size() && tokens[i].isWord("default") && tokens[i + 1].isWord("values")) {
    target.default_values = true;
  }
  return target;
}

}  // namespace seam::analyzer::sql
