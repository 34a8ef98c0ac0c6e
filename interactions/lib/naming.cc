// Names and words: event names for notification callees and the compensating
// action of each write (rules in docs/interactions.md).
#include <algorithm>
#include <cctype>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "seam/interactions/interactions.h"

namespace seam::interactions {
namespace {

// "enqueueMail" / "enqueue_mail" -> {"enqueue", "mail"}, lower case.
std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    bool boundary = c == '_' || !std::isalnum(c) ||
                    (std::isupper(c) && !cur.empty() && !std::isupper(static_cast<unsigned char>(cur.back())));
    if (boundary && !cur.empty()) out.push_back(cur), cur.clear();
    if (std::isalnum(c)) cur += static_cast<char>(std::tolower(c));
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

std::string camel(const std::vector<std::string>& ws) {
  std::string out;
  for (const auto& w : ws) {
    if (w.empty()) continue;
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(w[0])));
    out += w.substr(1);
  }
  return out;
}

std::string singular(std::string w) {
  if (w.size() > 3 && w.ends_with("ies")) return w.substr(0, w.size() - 3) + "y";
  if (w.size() > 3 && (w.ends_with("ses") || w.ends_with("xes") || w.ends_with("ches") || w.ends_with("shes")))
    return w.substr(0, w.size() - 2);
  if (w.size() > 1 && w.ends_with("s") && !w.ends_with("ss") && !w.ends_with("us")) return w.substr(0, w.size() - 1);
  return w;
}

// The leading verb of a function name -> the event's past participle.
const std::map<std::string, std::string>& verbs() {
  static const auto* table = new std::map<std::string, std::string>{
      {"enqueue", "Requested"}, {"send", "Requested"},  {"notify", "Requested"},  {"publish", "Requested"},
      {"request", "Requested"}, {"schedule", "Requested"}, {"queue", "Requested"}, {"post", "Requested"},
      {"emit", "Requested"},    {"create", "Created"},    {"add", "Created"},      {"insert", "Created"},
      {"register", "Created"},  {"open", "Opened"},       {"update", "Updated"},   {"set", "Updated"},
      {"change", "Updated"},    {"modify", "Updated"},    {"edit", "Updated"},     {"delete", "Deleted"},
      {"remove", "Deleted"},    {"drop", "Deleted"},      {"cancel", "Cancelled"}, {"close", "Closed"},
      {"record", "Recorded"},   {"log", "Recorded"},      {"track", "Recorded"},   {"audit", "Recorded"},
      {"mark", "Marked"},       {"complete", "Completed"}, {"ship", "Shipped"},    {"pay", "Paid"},
      {"release", "Released"},  {"refund", "Refunded"},   {"reserve", "Reserved"}, {"charge", "Charged"},
  };
  return *table;
}

}  // namespace

std::string eventName(const std::string& qualified) {
  std::vector<std::string> parts;
  for (size_t pos = 0;;) {
    size_t next = qualified.find("::", pos);
    parts.push_back(qualified.substr(pos, next == std::string::npos ? std::string::npos : next - pos));
    if (next == std::string::npos) break;
    pos = next + 2;
  }
  std::string fn = parts.back();
  if (auto paren = fn.find('('); paren != std::string::npos) fn = fn.substr(0, paren);
  // The noun: the enclosing class or namespace ("notifications" -> Notification).
  std::string scope = parts.size() >= 2 ? parts[parts.size() - 2] : "";
  std::vector<std::string> scope_words = words(scope);
  if (!scope_words.empty()) scope_words.back() = singular(scope_words.back());
  std::vector<std::string> fw = words(fn);
  if (fw.empty()) return camel(scope_words) + "Requested";
  auto v = verbs().find(fw.front());
  if (v != verbs().end()) {
    std::vector<std::string> object(fw.begin() + 1, fw.end());
    static const char* const kPrepositions[] = {"for", "by", "of", "to", "from", "with", "in", "on"};
    bool preposition = !object.empty() && std::find(std::begin(kPrepositions), std::end(kPrepositions),
                                                    object.front()) != std::end(kPrepositions);
    // markShipped -> OrderShipped: the object is already the participle.
    if (object.size() == 1 && object.front().ends_with("ed")) return camel(scope_words) + camel(object);
    std::string noun = object.empty() || preposition ? camel(scope_words) : camel(object);
    if (noun.empty()) noun = "Event";
    return noun + v->second;
  }
  // Already past tense ("orderShipped") or an unknown verb: keep the words.
  if (fw.back().ends_with("ed")) return camel(scope_words) + camel(fw);
  return camel(scope_words) + camel(fw) + "Requested";
}

std::string compensationFor(const std::string& op, const std::string& table, const std::vector<std::string>& columns) {
  if (op == "insert") return "delete the row(s) this step inserted into " + table + " (by the keys it returned)";
  if (op == "update") {
    if (columns.empty()) return "restore the previous values of the updated " + table + " row(s) (read before updating)";
    std::string cols;
    for (const auto& c : columns) cols += (cols.empty() ? "" : ", ") + c;
    return "restore the previous values of " + table + "(" + cols + ") (read before updating)";
  }
  if (op == "delete") return "re-insert the deleted " + table + " row(s) (kept before deleting)";
  return "";
}

}  // namespace seam::interactions
