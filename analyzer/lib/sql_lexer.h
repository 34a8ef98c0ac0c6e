// A small SQL lexer shared by the statement splitter, looksLikeSql() and the
// tokenizer fallback of the SQL access analysis. It understands enough of
// the common dialects (SQLite, PostgreSQL, MySQL, T-SQL quoting) to find
// keywords and identifiers; it is not a parser and never fails: bytes it
// does not know become one-character punctuation tokens.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace seam::analyzer::sql {

enum class TokenKind {
  kWord,        ///< keyword or bare identifier; `lower` holds it lower-cased
  kQuotedName,  ///< "x", `x` or [x]; `lower` holds the unquoted name lower-cased
  kString,      ///< 'text' (also E'..', X'..')
  kNumber,
  kParam,       ///< ?, ?1, :name, @name, $1
  kPunct,       ///< one character: ( ) , ; . = * ...
};

struct Token {
  TokenKind kind;
  std::string_view text;  ///< a view into the lexed input
  std::string lower;      ///< words and quoted names: the identifier, lower-case
  size_t offset = 0;      ///< byte offset of the token in the input

  bool isWord(std::string_view w) const { return kind == TokenKind::kWord && lower == w; }
  bool isPunct(char c) const { return kind == TokenKind::kPunct && text.size() == 1 && text[0] == c; }
  bool isName() const { return kind == TokenKind::kWord || kind == TokenKind::kQuotedName; }
};

/// Splits `sql` into tokens, skipping whitespace and -- / /* */ comments.
std::vector<Token> lex(std::string_view sql);

/// ASCII lower-case copy (SQL identifiers are case-insensitive in ASCII).
std::string toLower(std::string_view s);

/// Splits a text into its statements (without the trailing ';'), using
/// sqlite3_complete so that ';' inside strings, comments and trigger bodies
/// do not split. Empty statements are dropped; the last statement may lack
/// its ';'.
std::vector<std::string_view> splitStatements(std::string_view sql);

}  // namespace seam::analyzer::sql
