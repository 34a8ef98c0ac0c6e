#include "transaction_sql.h"

#include <cctype>
#include <vector>

namespace seam::analyzer {
namespace {

std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) out.push_back(std::move(cur));
    cur.clear();
  };
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      flush();
    } else if (c == ';') {
      flush();
      out.emplace_back(";");
    } else {
      cur += c;
    }
  }
  flush();
  return out;
}

std::string upper(const std::string& s) {
  std::string u = s;
  for (char& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return u;
}

bool isIdentifier(const std::string& s) {
  if (s.empty()) return false;
  size_t b = 0, e = s.size();
  if ((s.front() == '"' || s.front() == '`' || s.front() == '[') && s.size() >= 2) ++b, --e;
  for (size_t i = b; i < e; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (!std::isalnum(c) && c != '_' && c != '?') return false;  // '?': an unknown part (sql_statements)
  }
  return e > b;
}

}  // namespace

const char* toString(TxVerb verb) {
  switch (verb) {
    case TxVerb::kBegin: return "begin";
    case TxVerb::kCommit: return "commit";
    case TxVerb::kRollback: return "rollback";
    case TxVerb::kSavepoint: return "savepoint";
    case TxVerb::kRelease: return "release";
    case TxVerb::kRollbackTo: return "rollback_to";
    case TxVerb::kNone: return "";
  }
  return "";
}

TxStatement classifyTransactionSql(std::string_view text, bool prefix) {
  std::vector<std::string> w = words(text);
  // One statement only: a trailing ';' is allowed, anything after it is not.
  for (size_t i = 0; i < w.size(); ++i) {
    if (w[i] == ";") {
      if (i + 1 != w.size()) return {};
      w.pop_back();
      break;
    }
  }
  if (w.empty()) return {};
  std::vector<std::string> u;
  for (const std::string& x : w) u.push_back(upper(x));
  size_t i = 1;
  auto optional = [&](std::initializer_list<const char*> allowed) {
    if (i < u.size()) {
      for (const char* a : allowed) {
        if (u[i] == a) {
          ++i;
          return true;
        }
      }
    }
    return false;
  };
  // The remaining tokens: none, or (in prefix mode) a possibly cut-off one.
  auto done = [&] { return i == u.size(); };
  auto name = [&](TxStatement& st) {
    if (i < u.size() && isIdentifier(w[i])) {
      st.name = w[i++];
      return true;
    }
    return prefix && i == u.size();
  };

  TxStatement st;
  const std::string& verb = u[0];
  if (verb == "BEGIN") {
    optional({"DEFERRED", "IMMEDIATE", "EXCLUSIVE"});
    if (optional({"TRANSACTION", "WORK"}) && i < u.size() && isIdentifier(w[i])) ++i;
    if (!done()) return {};
    st.verb = TxVerb::kBegin;
  } else if (verb == "START") {
    if (!optional({"TRANSACTION"})) return {};
    while (i < u.size() && (u[i] == "ISOLATION" || u[i] == "LEVEL" || u[i] == "READ" || u[i] == "WRITE" ||
                            u[i] == "ONLY" || u[i] == "COMMITTED" || u[i] == "UNCOMMITTED" ||
                            u[i] == "REPEATABLE" || u[i] == "SERIALIZABLE" || u[i] == ","))
      ++i;
    if (!done()) return {};
    st.verb = TxVerb::kBegin;
  } else if (verb == "COMMIT" || verb == "END") {
    optional({"TRANSACTION", "WORK"});
    if (!done()) return {};
    st.verb = TxVerb::kCommit;
  } else if (verb == "ROLLBACK") {
    optional({"TRANSACTION", "WORK"});
    if (optional({"TO"})) {
      optional({"SAVEPOINT"});
      if (!name(st) || !done()) return {};
      st.verb = TxVerb::kRollbackTo;
    } else {
      if (!done()) return {};
      st.verb = TxVerb::kRollback;
    }
  } else if (verb == "SAVEPOINT") {
    if (!name(st) || !done()) return {};
    st.verb = TxVerb::kSavepoint;
  } else if (verb == "RELEASE") {
    optional({"SAVEPOINT"});
    if (!name(st) || !done()) return {};
    st.verb = TxVerb::kRelease;
  }
  return st;
}

}  // namespace seam::analyzer
