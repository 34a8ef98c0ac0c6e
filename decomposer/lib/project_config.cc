#include "seam/decomposer/project_config.h"

#include <yaml-cpp/yaml.h>

#include <set>

#include "seam/decomposer/inputs.h"

namespace seam::decomposer {
namespace {

template <typename T>
Status scalar(const YAML::Node& node, const std::string& where, std::optional<T>& out) {
  if (!node) return Status::Ok();
  try {
    out = node.as<T>();
  } catch (const YAML::Exception&) {
    return badInput(where + " has the wrong type");
  }
  return Status::Ok();
}

// [[a, b], [c, d, e]]: lists of node names.
Status groups(const YAML::Node& node, const std::string& where, std::vector<std::vector<std::string>>& out) {
  if (!node) return Status::Ok();
  if (!node.IsSequence()) return badInput(where + " must be a list of lists of node names: [[A, B]]");
  for (const YAML::Node& g : node) {
    if (!g.IsSequence()) return badInput(where + " must be a list of lists of node names: [[A, B]]");
    std::vector<std::string> names;
    for (const YAML::Node& n : g) {
      if (!n.IsScalar() || n.Scalar().empty()) return badInput(where + ": a node name must be a non-empty string");
      names.push_back(n.Scalar());
    }
    out.push_back(std::move(names));
  }
  return Status::Ok();
}

}  // namespace

Expected<ProjectConfig> parseProjectConfig(const std::string& yaml_text, const std::string& source) {
  ProjectConfig c;
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    return badInput(source + ": " + e.what());
  }
  if (!root.IsMap() || !root["decompose"]) return c;
  const YAML::Node d = root["decompose"];
  const std::string at = source + ": decompose";
  if (!d.IsMap()) return badInput(at + " must be a map");
  static const std::set<std::string> kKeys = {"weights", "data_coupling", "quality", "resolution",
                                              "services", "pin", "apart"};
  for (const auto& kv : d) {
    std::string key = kv.first.as<std::string>("");
    if (!kKeys.count(key)) return badInput(at + "." + key + ": unknown key (docs/decomposer.md, \"Project decisions\")");
  }
  if (const YAML::Node w = d["weights"]) {
    if (!w.IsMap()) return badInput(at + ".weights must be a map of kind: weight");
    for (const auto& kv : w) {
      std::string kind = kv.first.as<std::string>("");
      std::optional<double> value;
      if (Status s = scalar(kv.second, at + ".weights." + kind, value); !s) return s.error();
      if (Status s = c.weights.set(kind, *value); !s) return badInput(at + ".weights: " + s.error().message);
    }
  }
  if (Status s = scalar(d["data_coupling"], at + ".data_coupling", c.data_coupling); !s) return s.error();
  if (c.data_coupling && *c.data_coupling != "pairs" && *c.data_coupling != "owner") {
    return badInput(at + ".data_coupling must be pairs or owner");
  }
  if (Status s = scalar(d["quality"], at + ".quality", c.quality); !s) return s.error();
  if (c.quality && *c.quality != "modularity" && *c.quality != "cpm") {
    return badInput(at + ".quality must be modularity or cpm");
  }
  if (Status s = scalar(d["resolution"], at + ".resolution", c.resolution); !s) return s.error();
  if (c.resolution && !(*c.resolution > 0)) return badInput(at + ".resolution must be > 0");
  std::optional<long long> services;
  if (Status s = scalar(d["services"], at + ".services", services); !s) return s.error();
  if (services) {
    if (*services < 1) return badInput(at + ".services must be >= 1");
    c.services = static_cast<size_t>(*services);
  }
  if (Status s = groups(d["pin"], at + ".pin", c.pin); !s) return s.error();
  for (const auto& g : c.pin) {
    if (g.size() < 2) return badInput(at + ".pin: each group needs at least two names");
  }
  std::vector<std::vector<std::string>> apart;
  if (Status s = groups(d["apart"], at + ".apart", apart); !s) return s.error();
  for (const auto& g : apart) {
    if (g.size() != 2) return badInput(at + ".apart: each entry is a pair [A, B]");
    if (g[0] == g[1]) return badInput(at + ".apart: " + g[0] + " cannot be apart from itself");
    c.apart.push_back({g[0], g[1]});
  }
  return c;
}

Expected<ProjectConfig> readProjectConfig(const std::string& path) {
  Expected<std::string> text = readTextFile(path);
  if (!text) return text.error();
  return parseProjectConfig(*text, path);
}

}  // namespace seam::decomposer
