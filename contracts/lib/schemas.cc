#include "schemas.h"

#include <algorithm>
#include <map>

namespace seam::contracts {
namespace {

Json scalar(const std::string& type, bool nullable) {
  if (nullable) return Json{{"type", Json::array({type, "null"})}};
  return Json{{"type", type}};
}

struct Merged {
  std::string type = "unknown";
  bool required = false;
  bool nullable = false;
  std::vector<std::string> sources;
};

std::string childPath(const std::string& parent, const std::string& name) {
  return parent.empty() ? name : parent + "." + name;
}

Json objectAt(const std::map<std::string, std::vector<const JsonField*>>& by_parent, const std::string& parent,
              int depth) {
  Json schema{{"type", "object"}};
  auto it = by_parent.find(parent);
  if (it == by_parent.end() || depth > 8) return schema;
  std::vector<std::string> order;
  std::map<std::string, Merged> props;
  for (const JsonField* f : it->second) {
    auto [m, inserted] = props.try_emplace(f->name);
    if (inserted) order.push_back(f->name);
    Merged& p = m->second;
    if (p.type == "unknown" && f->type != "unknown") p.type = f->type;
    p.required = p.required || f->required;
    p.nullable = p.nullable || f->nullable;
    std::string src = f->location + (f->via.empty() ? "" : " " + f->via);
    if (p.sources.size() < 3 && std::find(p.sources.begin(), p.sources.end(), src) == p.sources.end())
      p.sources.push_back(src);
  }
  Json properties = Json::object();
  Json required = Json::array();
  for (const std::string& name : order) {
    const Merged& p = props[name];
    std::string path = childPath(parent, name);
    Json s;
    if (by_parent.count(path + "[]")) {
      s = Json{{"type", "array"}, {"items", objectAt(by_parent, path + "[]", depth + 1)}};
    } else if (by_parent.count(path)) {
      s = objectAt(by_parent, path, depth + 1);
    } else if (p.type == "unknown") {
      s = unknownSchema("the code reads or writes this key, but its JSON type is not visible in the C++ types");
    } else if (p.type == "array") {
      s = Json{{"type", "array"}, {"items", unknownSchema("element type not derived")}};
    } else {
      s = scalar(p.type, p.nullable);
    }
    s["x-seam-source"] = p.sources;
    properties[name] = std::move(s);
    if (p.required) required.push_back(name);
  }
  schema["properties"] = std::move(properties);
  if (!required.empty()) schema["required"] = std::move(required);
  return schema;
}

}  // namespace

Json unknownSchema(const std::string& why) { return Json{{"x-seam-unknown", true}, {"description", why}}; }

Json objectSchemaFromFields(const std::vector<JsonField>& fields, bool open) {
  std::map<std::string, std::vector<const JsonField*>> by_parent;
  for (const JsonField& f : fields) by_parent[f.parent].push_back(&f);
  Json schema = objectAt(by_parent, "", 0);
  if (open) {
    schema["additionalProperties"] = true;
    schema["x-seam-open"] = true;
    schema["description"] =
        "Also carries keys Seam cannot list: the object is built from another value (e.g. a database row).";
  }
  return schema;
}

bool isContextParameter(const TypeMember& m) {
  const std::string& t = m.cpp_type;
  if (t.size() < 2 || t.back() != '&' || t[t.size() - 2] == '&') return false;
  return t.rfind("const ", 0) != 0;
}

Json schemaOfMember(const TypeMember& m, const Facts& facts, int depth) {
  auto recordSchema = [&](int64_t record_id) -> Json {
    auto it = facts.members.find(record_id);
    auto sym = facts.symbols.find(record_id);
    std::string name = sym == facts.symbols.end() ? "a record" : sym->second.qualified_name;
    if (it == facts.members.end() || depth >= 4) {
      return unknownSchema("C++ type " + m.cpp_type + ": the fields of " + name + " are not in the fact store");
    }
    Json properties = Json::object();
    Json required = Json::array();
    for (const TypeMember& f : it->second) {
      if (f.kind != "field") continue;
      properties[f.name] = schemaOfMember(f, facts, depth + 1);
      if (!f.nullable) required.push_back(f.name);
    }
    Json s{{"type", "object"}, {"x-seam-cpp-type", name}, {"properties", std::move(properties)}};
    if (!required.empty()) s["required"] = std::move(required);
    return s;
  };
  const std::string& t = m.json_type;
  Json s;
  if (t == "integer" || t == "number" || t == "string" || t == "boolean") {
    s = scalar(t, m.nullable);
    if (t == "integer" && (m.cpp_type.find("int64") != std::string::npos || m.cpp_type.find("long") != std::string::npos))
      s["format"] = "int64";
  } else if (t == "array") {
    Json items;
    if (m.record_id) items = recordSchema(m.record_id);
    else if (m.items == "integer" || m.items == "number" || m.items == "string" || m.items == "boolean")
      items = Json{{"type", m.items}};
    else items = unknownSchema("element type of " + m.cpp_type + " has no derivable JSON form");
    s = Json{{"type", "array"}, {"items", std::move(items)}};
  } else if (t == "object" && m.record_id) {
    s = recordSchema(m.record_id);
  } else if (t == "object") {
    s = Json{{"type", "object"}, {"additionalProperties", unknownSchema("value type of " + m.cpp_type + " not derived")}};
  } else if (t == "json") {
    s = unknownSchema("a JSON value (" + m.cpp_type + ") whose keys are not visible in the signature");
  } else {
    s = unknownSchema("C++ type " + m.cpp_type + " has no JSON form Seam can derive");
  }
  if (!s.contains("x-seam-cpp-type")) s["x-seam-cpp-type"] = m.cpp_type;
  return s;
}

}  // namespace seam::contracts
