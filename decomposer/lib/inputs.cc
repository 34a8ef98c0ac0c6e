#include "seam/decomposer/inputs.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace seam::decomposer {
namespace {

std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  std::string f;
  while (in >> f) out.push_back(f);
  return out;
}

bool isCommentOrBlank(const std::string& line) {
  size_t i = line.find_first_not_of(" \t\r");
  return i == std::string::npos || line[i] == '#';
}

void assign(Truth& t, const std::string& item, const std::string& cluster) {
  auto [it, added] = t.cluster_of.emplace(item, cluster);
  if (added || it->second == cluster) return;
  t.warnings.push_back("truth lists " + item + " in " + it->second + " and " + cluster + "; using " + cluster);
  it->second = cluster;
}

Status addYamlItems(const YAML::Node& list, const std::string& cluster, Truth& t, const std::string& where) {
  if (!list) return Status::Ok();
  if (!list.IsSequence()) return badInput(where + " must be a list");
  for (const auto& item : list) {
    if (!item.IsScalar()) return badInput(where + " must be a list of names");
    assign(t, item.as<std::string>(), cluster);
  }
  return Status::Ok();
}

}  // namespace

Expected<std::string> readTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return badInput(path + ": cannot read");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Status writeTextFileAtomically(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
      std::remove(tmp.c_str());
      return ioError(path + ": cannot write");
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return ioError(path + ": cannot write");
  }
  return Status::Ok();
}

Expected<CouplingGraph> parseEdgeList(const std::string& text, const std::string& source) {
  CouplingGraph g;
  auto node = [&](const std::string& name) {
    auto it = g.name_index.find(name);
    if (it != g.name_index.end()) return it->second;
    NodeInfo info;
    info.name = name;
    info.module = name;
    info.symbols = 1;
    size_t v = boost::add_vertex(info, g.graph);
    g.name_index.emplace(name, v);
    g.tables.emplace_back();
    g.routes.emplace_back();
    return v;
  };
  std::map<std::pair<size_t, size_t>, Dependency> deps;
  std::istringstream in(text);
  std::string line;
  size_t lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (isCommentOrBlank(line)) continue;
    std::vector<std::string> f = fields(line);
    std::string from, to;
    double w = 1;
    if (f[0] == "depends" || f[0] == "contain" || f[0] == "reference") {
      if (f[0] != "depends") continue;  // RSF facts other than dependencies
      if (f.size() != 3) return badInput(source + ":" + std::to_string(lineno) + ": expected 'depends A B'");
      from = f[1], to = f[2];
    } else {
      if (f.size() != 2 && f.size() != 3) {
        return badInput(source + ":" + std::to_string(lineno) + ": expected 'from to [weight]'");
      }
      from = f[0], to = f[1];
      if (f.size() == 3) {
        errno = 0;
        char* end = nullptr;
        w = std::strtod(f[2].c_str(), &end);
        if (end != f[2].c_str() + f[2].size() || errno == ERANGE || !std::isfinite(w) || w < 0) {
          return badInput(source + ":" + std::to_string(lineno) + ": weight '" + f[2] + "' is not a number >= 0");
        }
      }
    }
    size_t a = node(from), b = node(to);
    if (a == b || w == 0) continue;
    g.addWeight(a, b, {w, w, 0, 0});
    Dependency& d = deps[{a, b}];
    d.from = a, d.to = b, d.weight += w, d.kinds["depends"] += 1;
  }
  if (g.size() == 0) return badInput(source + ": no edges");
  for (auto& [key, d] : deps) g.dependencies.push_back(std::move(d));
  return g;
}

Expected<CouplingGraph> readEdgeListFile(const std::string& path) {
  Expected<std::string> text = readTextFile(path);
  if (!text) return text.error();
  return parseEdgeList(*text, path);
}

std::string toEdgeList(const CouplingGraph& g) {
  std::ostringstream out;
  out << "# from\tto\tweight: the coupling graph written by `seam decompose --dump-graph`\n";
  for (auto [e, end] = boost::edges(g.graph); e != end; ++e) {
    out << g.node(boost::source(*e, g.graph)).name << '\t' << g.node(boost::target(*e, g.graph)).name << '\t'
        << g.graph[*e].weight << '\n';
  }
  return out.str();
}

std::string Truth::clusterOfNode(const NodeInfo& node) const {
  if (auto it = cluster_of.find(node.name); it != cluster_of.end()) return it->second;
  if (auto it = cluster_of.find(node.module); it != cluster_of.end()) return it->second;
  std::string best, cluster;
  for (const auto& [item, c] : cluster_of) {
    if (item.size() > best.size() && node.name.compare(0, item.size(), item) == 0 &&
        (node.name.size() == item.size() || node.name[item.size()] == '/' || node.name[item.size()] == ':')) {
      best = item;
      cluster = c;
    }
  }
  return cluster;
}

Expected<Truth> parseTruth(const std::string& text, const std::string& source) {
  Truth t;
  // RSF when any non-comment line starts with "contain".
  bool rsf = false;
  {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
      if (isCommentOrBlank(line)) continue;
      rsf = fields(line)[0] == "contain";
      break;
    }
  }
  if (rsf) {
    std::istringstream in(text);
    std::string line;
    size_t lineno = 0;
    while (std::getline(in, line)) {
      ++lineno;
      if (isCommentOrBlank(line)) continue;
      std::vector<std::string> f = fields(line);
      if (f.size() != 3 || f[0] != "contain") {
        return badInput(source + ":" + std::to_string(lineno) + ": expected 'contain CLUSTER ITEM'");
      }
      assign(t, f[2], f[1]);
    }
    return t;
  }
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return badInput(source + ": " + e.what());
  }
  if (!root.IsMap() || !root["services"] || !root["services"].IsMap()) {
    return badInput(source + ": expected 'services: {NAME: {modules: [...]}}' or RSF 'contain' lines");
  }
  for (const auto& kv : root["services"]) {
    std::string name = kv.first.as<std::string>();
    if (!kv.second.IsMap()) return badInput(source + ": services." + name + " must be a map");
    if (Status s = addYamlItems(kv.second["modules"], name, t, source + ": services." + name + ".modules"); !s) {
      return s.error();
    }
    if (const YAML::Node tables = kv.second["tables"]) {
      if (!tables.IsSequence()) return badInput(source + ": services." + name + ".tables must be a list");
      for (const auto& table : tables) t.tables[name].push_back(table.as<std::string>());
    }
  }
  if (const YAML::Node kernel = root["shared_kernel"]) {
    if (Status s = addYamlItems(kernel, "shared_kernel", t, source + ": shared_kernel"); !s) return s.error();
    for (const auto& item : kernel) t.shared_kernel.push_back(item.as<std::string>());
  }
  if (t.cluster_of.empty()) return badInput(source + ": the ground truth lists no modules");
  return t;
}

Expected<Truth> readTruthFile(const std::string& path) {
  Expected<std::string> text = readTextFile(path);
  if (!text) return text.error();
  return parseTruth(*text, path);
}

}  // namespace seam::decomposer
