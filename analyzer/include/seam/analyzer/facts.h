// FactBatch: everything one translation unit contributes to the fact store,
// held in memory between the parser thread that fills it and the single
// writer thread that merges it into SQLite.
//
//   AST (FactCollector) => FactBatch { files, symbols, edges, routes, ... }
//   => FactStore::writeBatch (header facts kept only if this TU owns the file)
//
// Locations refer to files by index into `files`, so a batch needs no
// database ids and can be built on any thread. A batch is plain data: it is
// moved, never shared, between threads.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace seam::analyzer {

/// Index into FactBatch::files.
using FileIndex = uint32_t;
inline constexpr FileIndex kNoFile = UINT32_MAX;

struct Loc {
  FileIndex file = kNoFile;
  uint32_t line = 0;
  uint32_t col = 0;
};

struct FileFact {
  std::string path;         ///< as stored: relative to the project root when inside it
  std::string module;       ///< module name; "external:<name>" for third-party/system files
  bool external = false;
  bool is_header = false;
  std::string hash;         ///< content hash, hex (xxHash64)
  uint32_t lines = 0;
};

struct SymbolFact {
  int64_t id = 0;           ///< symbolIdFromUsr(usr)
  std::string usr;
  std::string kind;         ///< function | method | constructor | destructor | class | struct | union | enum | variable | lambda
  std::string name;
  std::string qualified_name;
  Loc loc;                  ///< definition, or declaration when no definition was seen
  bool is_definition = false;
  uint32_t lines = 0;
  std::string module;       ///< empty: the module of its file (set by the namespace strategy)
};

enum class EdgeKind : uint8_t { kCall, kVirtualCall, kOverride, kTypeUse, kInherit, kGlobalRead, kGlobalWrite };
const char* toString(EdgeKind kind);

/// Edges are kept per origin file (the file of their sites) so that each
/// file's facts can be replaced on their own; the store sums them up.
struct EdgeKey {
  int64_t src = 0;
  int64_t dst = 0;
  EdgeKind kind = EdgeKind::kCall;
  FileIndex origin = kNoFile;
  friend bool operator==(const EdgeKey&, const EdgeKey&) = default;
};
struct EdgeKeyHash {
  size_t operator()(const EdgeKey& k) const noexcept {
    return static_cast<size_t>(k.src * 0x9E3779B97F4A7C15ULL ^ k.dst * 0xC2B2AE3D27D4EB4FULL ^
                               static_cast<uint64_t>(k.kind) ^ (static_cast<uint64_t>(k.origin) << 40));
  }
};
struct EdgeValue {
  uint32_t count = 0;
  uint32_t discarded = 0;   ///< sites whose result is unused (void callee, or the call is a statement)
  Loc first;                ///< first site seen; its file is the edge's origin file
};

struct IncludeFact {
  FileIndex from = kNoFile;
  FileIndex to = kNoFile;
  uint32_t line = 0;
};

struct RouteFact {
  std::string method;       ///< GET, POST, ... or ANY
  std::string path;
  std::string framework;    ///< httplib | crow | drogon | pistache | config
  int64_t handler_id = 0;   ///< 0 when the handler could not be resolved
  Loc loc;
};

struct DiagnosticFact {
  std::string severity;     ///< error | warning | note
  std::string message;
  Loc loc;                  ///< file may be kNoFile (e.g. the file could not be read)
};

struct SqlCandidateFact {
  int64_t caller_id = 0;    ///< 0 at namespace scope
  int64_t callee_id = 0;
  std::string callee_name;
  uint32_t arg_index = 0;
  std::string text;
  bool complete = true;
  Loc loc;                  ///< the argument; its file is the origin
};

struct SinkParamFact {
  FileIndex origin = kNoFile;  ///< file defining the forwarding function
  int64_t function_id = 0;
  uint32_t param_index = 0;
  int64_t callee_id = 0;
  std::string callee_name;
  uint32_t arg_index = 0;
};

/// A JSON object key a function reads or writes (json_fields_callsite.h);
/// the origin is the file of the key's literal.
struct JsonFieldFact {
  int64_t symbol_id = 0;    ///< function or lambda holding the access
  std::string direction;    ///< in | out
  std::string parent, name, type, via, object;
  bool required = false, nullable = false, open = false;
  Loc loc;
};

/// A parameter, return type or record field as a JSON type (type_members);
/// the origin is the file of the function whose signature led to it.
struct TypeMemberFact {
  int64_t owner_id = 0;     ///< function (param/return) or record (field)
  std::string kind;         ///< param | return | field
  uint32_t position = 0;
  std::string name, cpp_type, json_type, items;
  bool nullable = false;
  int64_t record_id = 0;    ///< project record named, 0 when none
  Loc loc;                  ///< origin file; line of the declaration
};

/// What a function does that matters to transaction scopes (see
/// transaction_collect.h); one row of transaction_sites. Its origin is loc.file.
struct TransactionSiteFact {
  std::string kind;         ///< guard | call | begin | commit | rollback | savepoint | release | rollback_to
  int64_t function_id = 0;  ///< innermost function or lambda holding the site
  int64_t target_id = 0;    ///< guard: class; call: callee; 0 otherwise
  std::string target_name;  ///< guard: class; call: callee; savepoint/release: savepoint name
  int64_t aux_id = 0;       ///< guard: the constructor called
  Loc loc;
  uint32_t end_line = 0;    ///< guard: end of its block; begin/savepoint: end of the function; 0 = none
  uint32_t flags = 0;       ///< 1 = configured in seam.yaml; 2 = a CFG path leaves the function without an end
};

struct FactBatch {
  std::string tu_path;      ///< stored path of the main file
  FileIndex tu_file = kNoFile;
  std::string command_hash;
  std::string inputs_hash;
  std::string status = "ok";  ///< ok | errors | failed

  std::vector<FileFact> files;             ///< every file the TU read
  std::vector<SymbolFact> symbols;
  std::unordered_map<EdgeKey, EdgeValue, EdgeKeyHash> edges;
  std::vector<IncludeFact> includes;
  std::vector<RouteFact> routes;
  std::vector<DiagnosticFact> diagnostics;
  std::vector<SqlCandidateFact> sql_candidates;
  std::vector<SinkParamFact> sink_params;
  std::vector<TransactionSiteFact> transaction_sites;
  std::vector<JsonFieldFact> json_fields;
  std::vector<TypeMemberFact> type_members;

  void addEdge(int64_t src, int64_t dst, EdgeKind kind, Loc loc, bool discarded = false) {
    if (loc.file == kNoFile) return;
    EdgeValue& v = edges[EdgeKey{src, dst, kind, loc.file}];
    if (v.count++ == 0) v.first = loc;
    if (discarded) ++v.discarded;
  }
};

}  // namespace seam::analyzer
