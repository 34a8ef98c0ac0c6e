// The SQL lexer: see sql_lexer.h.
#include "sql_lexer.h"

#include <sqlite3.h>

namespace seam::analyzer::sql {
namespace {

bool isIdentStart(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}
bool isIdentChar(unsigned char c) { return isIdentStart(c) || (c >= '0' && c <= '9') || c == '$'; }
bool isDigit(unsigned char c) { return c >= '0' && c <= '9'; }

// Index just past a quoted run starting at s[i] == quote, where a doubled
// closing quote is an escaped one. Unterminated runs end at the input's end.
size_t skipQuoted(std::string_view s, size_t i, char close) {
  for (size_t j = i + 1; j < s.size(); ++j) {
    if (s[j] != close) continue;
    if (close != ']' && j + 1 < s.size() && s[j + 1] == close) {
      ++j;
      continue;
    }
    return j + 1;
  }
  return s.size();
}

// The unquoted, unescaped name inside a quoted identifier token.
std::string unquote(std::string_view tok) {
  if (tok.size() < 2) return std::string(tok);
  char close = tok.front() == '[' ? ']' : tok.front();
  std::string_view inner = tok.substr(1, tok.back() == close ? tok.size() - 2 : tok.size() - 1);
  std::string out;
  for (size_t i = 0; i < inner.size(); ++i) {
    out += inner[i];
    if (inner[i] == close && close != ']' && i + 1 < inner.size() && inner[i + 1] == close) ++i;
  }
  return out;
}

}  // namespace

std::string toLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::vector<Token> lex(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  auto emit = [&](TokenKind kind, size_t begin, size_t end) {
    Token t{kind, s.substr(begin, end - begin), {}, begin};
    if (kind == TokenKind::kWord) t.lower = toLower(t.text);
    if (kind == TokenKind::kQuotedName) t.lower = toLower(unquote(t.text));
    out.push_back(std::move(t));
    i = end;
  };
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    char next = i + 1 < s.size() ? s[i + 1] : '\0';
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      ++i;
    } else if (c == '-' && next == '-') {
      size_t nl = s.find('\n', i);
      i = nl == std::string_view::npos ? s.size() : nl + 1;
    } else if (c == '/' && next == '*') {
      size_t end = s.find("*/", i + 2);
      i = end == std::string_view::npos ? s.size() : end + 2;
    } else if (c == '\'') {
      emit(TokenKind::kString, i, skipQuoted(s, i, '\''));
    } else if (c == '"' || c == '`') {
      emit(TokenKind::kQuotedName, i, skipQuoted(s, i, static_cast<char>(c)));
    } else if (c == '[') {
      emit(TokenKind::kQuotedName, i, skipQuoted(s, i, ']'));
    } else if (isDigit(c) || (c == '.' && isDigit(static_cast<unsigned char>(next)))) {
      size_t j = i + 1;
      while (j < s.size() && (isIdentChar(static_cast<unsigned char>(s[j])) || s[j] == '.')) ++j;
      emit(TokenKind::kNumber, i, j);
    } else if (isIdentStart(c)) {
      size_t j = i + 1;
      while (j < s.size() && isIdentChar(static_cast<unsigned char>(s[j]))) ++j;
      emit(TokenKind::kWord, i, j);
    } else if (c == '?' || ((c == ':' || c == '@') && isIdentStart(static_cast<unsigned char>(next)) &&
                            (i == 0 || s[i - 1] != ':'))) {
      size_t j = i + 1;
      while (j < s.size() && isIdentChar(static_cast<unsigned char>(s[j]))) ++j;
      emit(TokenKind::kParam, i, j);
    } else if (c == '$' && isDigit(static_cast<unsigned char>(next))) {
      size_t j = i + 1;
      while (j < s.size() && isDigit(static_cast<unsigned char>(s[j]))) ++j;
      emit(TokenKind::kParam, i, j);
    } else if (c == '$' && (next == '$' || isIdentStart(static_cast<unsigned char>(next)))) {
      // PostgreSQL dollar quoting: $tag$ ... $tag$.
      size_t tag_end = s.find('$', i + 1);
      if (tag_end == std::string_view::npos) {
        emit(TokenKind::kPunct, i, i + 1);
        continue;
      }
      std::string_view tag = s.substr(i, tag_end + 1 - i);
      size_t close = s.find(tag, tag_end + 1);
      emit(TokenKind::kString, i, close == std::string_view::npos ? s.size() : close + tag.size());
    } else {
      emit(TokenKind::kPunct, i, i + 1);
    }
  }
  return out;
}

std::vector<std::string_view> splitStatements(std::string_view sql) {
  std::vector<std::string_view> out;
  std::vector<Token> tokens = lex(sql);
  size_t start = 0;           // byte offset where the current statement starts
  bool has_content = false;   // the current statement has a non-';' token
  std::string buffer;         // sqlite3_complete wants a NUL-terminated string
  for (const Token& t : tokens) {
    if (!t.isPunct(';')) {
      has_content = true;
      continue;
    }
    if (!has_content) {  // stray ';'
      start = t.offset + 1;
      continue;
    }
    buffer.assign(sql.substr(start, t.offset + 1 - start));
    if (!sqlite3_complete(buffer.c_str())) continue;  // e.g. inside a trigger body
    out.push_back(sql.substr(start, t.offset - start));
    start = t.offset + 1;
    has_content = false;
  }
  if (has_content) out.push_back(sql.substr(start));
  // Trim whitespace at both ends; comments inside are harmless to SQLite.
  for (std::string_view& stmt : out) {
    size_t b = stmt.find_first_not_of(" \t\r\n\f\v");
    size_t e = stmt.find_last_not_of(" \t\r\n\f\v");
    stmt = b == std::string_view::npos ? std::string_view() : stmt.substr(b, e + 1 - b);
  }
  return out;
}

}  // namespace seam::analyzer::sql
