// A smell finding and the static description of the rule that reports it.
#pragma once

#include <string>
#include <vector>

namespace seam::smells {

enum class Severity { kNote = 0, kWarning = 1, kError = 2 };
const char* severityName(Severity s);  // "note" | "warning" | "error" (SARIF levels)

struct RuleInfo {
  const char* id;         // stable: SEAM001
  const char* name;       // stable: shared-persistence
  const char* short_description;
  const char* full_description;  // the definition and the threshold used
  const char* remedy;            // general help text
  Severity default_severity;
};

struct Location {
  std::string file;  // as stored in the fact store (project-relative when inside it)
  int line = 0;
  int col = 0;
  std::string note;  // what happens there: "OrderRepo::save inserts into orders"
};

struct Finding {
  std::string rule_id;
  std::string rule_name;
  Severity severity = Severity::kWarning;
  std::string service;                // the service it is reported under
  std::vector<std::string> services;  // every service involved
  std::string message;                // one line
  std::string explanation;            // why this is a problem here
  std::string remedy;                 // what to do about it here
  std::vector<Location> locations;    // evidence, most telling first
  std::vector<std::string> symbols;
  std::vector<std::string> tables;
  std::string key;          // what identifies it independent of line numbers
  std::string fingerprint;  // hash of rule id + key; stable across edits that move code
  bool baselined = false;   // present in --baseline
};

}  // namespace seam::smells
