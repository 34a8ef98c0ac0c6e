// toYaml: JSON document -> YAML through yaml-cpp's emitter (block style).
// Strings that a YAML 1.1/1.2 reader would take for another type ("true",
// "200", "null", "1.0", "~", "") are double-quoted, so the document reads
// back exactly as built; yaml-cpp quotes the ones with special characters.
#include <regex>
#include <string>

#include <yaml-cpp/yaml.h>

#include "seam/contracts/contracts.h"

namespace seam::contracts {
namespace {

bool looksLikeAnotherType(const std::string& s) {
  static const std::regex kScalar(
      R"(^(|~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N)$|)"
      R"(^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$|^0[xob][0-9a-fA-F_]+$|^[-+]?\.(inf|Inf|INF|nan|NaN|NAN)$|)"
      R"(^[0-9]+:[0-9]+(:[0-9]+)*$)");
  return std::regex_match(s, kScalar);
}

void emit(YAML::Emitter& out, const nlohmann::ordered_json& v) {
  switch (v.type()) {
    case nlohmann::ordered_json::value_t::object:
      out << YAML::BeginMap;
      for (auto it = v.begin(); it != v.end(); ++it) {
        out << YAML::Key;
        if (looksLikeAnotherType(it.key())) out << YAML::DoubleQuoted;
        out << it.key() << YAML::Value;
        emit(out, it.value());
      }
      out << YAML::EndMap;
      break;
    case nlohmann::ordered_json::value_t::array:
      out << YAML::BeginSeq;
      for (const auto& e : v) emit(out, e);
      out << YAML::EndSeq;
      break;
    case nlohmann::ordered_json::value_t::string: {
      const std::string& s = v.get_ref<const std::string&>();
      if (looksLikeAnotherType(s)) out << YAML::DoubleQuoted;
      out << s;
      break;
    }
    case nlohmann::ordered_json::value_t::boolean:
      out << v.get<bool>();
      break;
    case nlohmann::ordered_json::value_t::number_integer:
      out << v.get<int64_t>();
      break;
    case nlohmann::ordered_json::value_t::number_unsigned:
      out << v.get<uint64_t>();
      break;
    case nlohmann::ordered_json::value_t::number_float:
      out << v.get<double>();
      break;
    default:
      out << YAML::Null;
      break;
  }
}

}  // namespace

std::string toYaml(const nlohmann::ordered_json& doc) {
  YAML::Emitter out;
  out.SetIndent(2);
  emit(out, doc);
  std::string text = out.c_str();
  if (text.empty() || text.back() != '\n') text += '\n';
  return text;
}

}  // namespace seam::contracts
