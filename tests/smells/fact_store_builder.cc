#include "fact_store_builder.h"

#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace seam::smells::testing {
namespace {

std::vector<std::string> words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string dirOf(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

}  // namespace

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

FactStoreBuilder::FactStoreBuilder(const std::string& db_path, const std::string& root) {
  std::remove(db_path.c_str());
  if (sqlite3_open(db_path.c_str(), &db_) != SQLITE_OK) throw std::runtime_error("cannot create " + db_path);
  // Test stores are throwaway: skip the fsyncs that dominate the run time.
  exec("PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF");
  exec("BEGIN");
  exec(readFile(SEAM_SCHEMA_SQL));
  exec("INSERT INTO meta VALUES ('project_root', " + quote(root) + "), ('schema_version', '2')");
}

FactStoreBuilder::~FactStoreBuilder() {
  sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close(db_);
}

void FactStoreBuilder::exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "?";
    sqlite3_free(err);
    throw std::runtime_error("SQL failed: " + msg + " in: " + sql.substr(0, 200));
  }
}

int64_t FactStoreBuilder::module(const std::string& name, bool external) {
  auto it = modules_.find(name);
  if (it != modules_.end()) return it->second;
  int64_t id = static_cast<int64_t>(modules_.size()) + 1;
  exec("INSERT INTO modules(id, name, external) VALUES (" + std::to_string(id) + ", " + quote(name) + ", " +
       (external ? "1" : "0") + ")");
  return modules_[name] = id;
}

int64_t FactStoreBuilder::file(const std::string& path) {
  auto it = files_.find(path);
  if (it != files_.end()) return it->second;
  int64_t mid = module(dirOf(path));
  int64_t id = static_cast<int64_t>(files_.size()) + 1;
  bool header = path.size() > 2 && path.substr(path.size() - 2) == ".h";
  exec("INSERT INTO files(id, path, module_id, lines, is_header) VALUES (" + std::to_string(id) + ", " + quote(path) +
       ", " + std::to_string(mid) + ", 100, " + (header ? "1" : "0") + ")");
  return files_[path] = id;
}

int64_t FactStoreBuilder::symbol(const std::string& qname, const std::string& path, int line, const std::string& kind) {
  if (symbols_.count(qname)) throw std::runtime_error("duplicate symbol " + qname);
  int64_t fid = file(path);
  int64_t id = 1000 + static_cast<int64_t>(symbols_.size());
  size_t colons = qname.rfind("::");
  std::string name = colons == std::string::npos ? qname : qname.substr(colons + 2);
  exec("INSERT INTO symbols VALUES (" + std::to_string(id) + ", " + quote("c:@" + qname) + ", " + quote(kind) + ", " +
       quote(name) + ", " + quote(qname) + ", " + std::to_string(fid) + ", " + std::to_string(line) + ", 1, " +
       std::to_string(modules_[dirOf(path)]) + ", 1, 5)");
  symbol_site_[id] = {fid, line};
  return symbols_[qname] = id;
}

int64_t FactStoreBuilder::symbolId(const std::string& name) const {
  auto it = symbols_.find(name);
  if (it == symbols_.end()) throw std::runtime_error("unknown symbol " + name);
  return it->second;
}

void FactStoreBuilder::edge(const std::string& src, const std::string& dst, const std::string& kind, int count) {
  int64_t s = symbolId(src), d = symbolId(dst);
  auto [fid, line] = symbol_site_[s];
  exec("INSERT INTO edges(src, dst, kind, count, file_id, line, col) VALUES (" + std::to_string(s) + ", " + std::to_string(d) + ", " + quote(kind) + ", " +
       std::to_string(count) + ", " + std::to_string(fid) + ", " + std::to_string(line + 1) + ", 5)");
}

void FactStoreBuilder::access(const std::string& sym, const std::string& table, const std::string& op,
                              const std::string& column) {
  int64_t s = symbolId(sym);
  auto [fid, line] = symbol_site_[s];
  int64_t st = next_statement_++;
  exec("INSERT INTO sql_statements(id, symbol_id, file_id, line, col, sink, text, complete, parser) VALUES (" +
       std::to_string(st) + ", " + std::to_string(s) + ", " + std::to_string(fid) + ", " + std::to_string(line + 2) +
       ", 7, 'sqlite3_prepare_v2', " + quote(op + " " + table) + ", 1, 'sqlite')");
  exec("INSERT INTO table_access VALUES (" + std::to_string(st) + ", " + std::to_string(s) + ", " + quote(table) + ", " +
       (column.empty() ? "NULL" : quote(column)) + ", " + quote(op) + ", NULL)");
}

void FactStoreBuilder::route(const std::string& method, const std::string& path, const std::string& handler) {
  int64_t h = symbolId(handler);
  auto [fid, line] = symbol_site_[h];
  exec("INSERT INTO routes(method, path, framework, handler_id, file_id, line, module_id) VALUES (" + quote(method) +
       ", " + quote(path) + ", 'httplib', " + std::to_string(h) + ", " + std::to_string(fid) + ", " +
       std::to_string(line) + ", NULL)");
}

void FactStoreBuilder::createTable(const std::string& table, const std::string& path, int line) {
  int64_t fid = file(path);
  exec("INSERT INTO db_objects VALUES (" + quote(table) + ", 'table', " + quote("CREATE TABLE " + table + "(id)") +
       ", " + std::to_string(fid) + ", " + std::to_string(line) + ")");
}

void FactStoreBuilder::load(const std::string& yaml) {
  YAML::Node root = YAML::Load(yaml);
  auto each = [&](const char* key, auto fn) {
    if (!root[key]) return;
    for (const auto& item : root[key]) {
      std::vector<std::string> w = words(item.as<std::string>());
      fn(w, item.as<std::string>());
    }
  };
  auto site = [](const std::string& s, std::string& path, int& line) {
    size_t colon = s.rfind(':');
    if (colon == std::string::npos) throw std::runtime_error("expected file:line in " + s);
    path = s.substr(0, colon);
    line = std::stoi(s.substr(colon + 1));
  };
  each("external", [&](const std::vector<std::string>& w, const std::string&) { module(w.at(0), true); });
  each("symbols", [&](const std::vector<std::string>& w, const std::string& raw) {
    if (w.size() < 2) throw std::runtime_error("bad symbol: " + raw);
    std::string path;
    int line;
    site(w[1], path, line);
    symbol(w[0], path, line, w.size() > 2 ? w[2] : "function");
  });
  each("tables", [&](const std::vector<std::string>& w, const std::string&) {
    std::string path;
    int line;
    site(w.at(1), path, line);
    createTable(w[0], path, line);
  });
  each("edges", [&](const std::vector<std::string>& w, const std::string& raw) {
    if (w.size() < 3 || w[1] != "->") throw std::runtime_error("bad edge: " + raw);
    std::string kind = "call";
    int count = 1;
    for (size_t i = 3; i < w.size(); ++i) {
      if (w[i][0] == 'x') {
        count = std::stoi(w[i].substr(1));
      } else {
        kind = w[i];
      }
    }
    edge(w[0], w[2], kind, count);
  });
  each("access", [&](const std::vector<std::string>& w, const std::string& raw) {
    if (w.size() < 3) throw std::runtime_error("bad access: " + raw);
    access(w[0], w[2], w[1], w.size() > 3 ? w[3] : "");
  });
  each("routes", [&](const std::vector<std::string>& w, const std::string& raw) {
    if (w.size() != 3) throw std::runtime_error("bad route: " + raw);
    route(w[0], w[1], w[2]);
  });
}

}  // namespace seam::smells::testing
