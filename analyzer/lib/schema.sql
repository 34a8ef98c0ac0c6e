-- Seam fact store, schema version 2 (documented in docs/fact-store.md).
-- Version 2 added transaction scopes (transactions, transaction_access,
-- transaction_calls, transaction_routes, raw transaction_sites) and
-- edges/edge_sites.discarded.
-- Facts are stored at symbol level; views aggregate them to files and modules.
-- PRAGMA user_version carries the schema version; application_id marks the file as Seam's.
PRAGMA application_id = 0x5345414d;  -- 'SEAM'
PRAGMA user_version = 2;

CREATE TABLE meta (            -- key/value: schema_version, seam_version, project_root, created_at, shard
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE modules (
  id       INTEGER PRIMARY KEY,
  name     TEXT NOT NULL UNIQUE,   -- e.g. "src/orders" (directory rule), "bookstore::orders" (namespace rule)
  external INTEGER NOT NULL DEFAULT 0  -- 1 = third-party/system, listed as an external dependency only
);

CREATE TABLE files (
  id        INTEGER PRIMARY KEY,
  path      TEXT NOT NULL UNIQUE,  -- relative to project_root when inside it, absolute otherwise
  module_id INTEGER REFERENCES modules(id),
  hash      TEXT,                  -- content hash (hex)
  lines     INTEGER NOT NULL DEFAULT 0,
  is_header INTEGER NOT NULL DEFAULT 0,
  owner_tu  INTEGER               -- TU (files.id) whose facts cover this file: header facts are recorded once
);

CREATE TABLE translation_units (   -- one per compile command; drives incremental re-analysis
  file_id      INTEGER PRIMARY KEY REFERENCES files(id),
  command_hash TEXT NOT NULL,      -- hash of the compile command (arguments + directory)
  inputs_hash  TEXT NOT NULL,      -- hash over the content hashes of the TU and every file it includes
  status       TEXT NOT NULL,      -- 'ok' | 'errors' (parsed with errors; facts kept) | 'failed'
  analyzed_at  TEXT NOT NULL
);

CREATE TABLE tu_files (            -- every file a TU read (for incremental invalidation and header ownership)
  tu_file_id INTEGER NOT NULL REFERENCES files(id),
  file_id    INTEGER NOT NULL REFERENCES files(id),
  PRIMARY KEY (tu_file_id, file_id)
) WITHOUT ROWID;

CREATE TABLE includes (
  from_file INTEGER NOT NULL REFERENCES files(id),
  to_file   INTEGER NOT NULL REFERENCES files(id),
  line      INTEGER NOT NULL,
  PRIMARY KEY (from_file, to_file)
) WITHOUT ROWID;

CREATE TABLE symbols (
  id             INTEGER PRIMARY KEY,  -- 63-bit hash of the Clang USR: stable across TUs and runs
  usr            TEXT NOT NULL,
  kind           TEXT NOT NULL,        -- function | method | constructor | destructor | class | struct | union | enum | variable | field | lambda
  name           TEXT NOT NULL,
  qualified_name TEXT NOT NULL,
  file_id        INTEGER REFERENCES files(id),   -- definition location (declaration when no definition was seen)
  line           INTEGER,
  col            INTEGER,
  module_id      INTEGER REFERENCES modules(id),
  is_definition  INTEGER NOT NULL DEFAULT 0,
  lines          INTEGER NOT NULL DEFAULT 0     -- extent of the definition in lines
);

-- Symbol-to-symbol dependencies. One row per (src, dst, kind); count adds up all sites,
-- (file_id, line, col) is the first site seen, as evidence.
CREATE TABLE edges (
  src     INTEGER NOT NULL REFERENCES symbols(id),
  dst     INTEGER NOT NULL REFERENCES symbols(id),
  kind    TEXT NOT NULL,  -- call | virtual_call | override | type_use | inherit | global_read | global_write
  count   INTEGER NOT NULL DEFAULT 1,
  file_id INTEGER REFERENCES files(id),
  line    INTEGER,
  col     INTEGER,
  discarded INTEGER NOT NULL DEFAULT 0,  -- call sites (call/virtual_call) whose result is unused (void callee or value dropped)
  PRIMARY KEY (src, dst, kind)
) WITHOUT ROWID;

-- Raw, per-origin facts. symbols and edges above are derived from these after
-- every run (best declaration per symbol; counts summed per edge), so that the
-- facts a file contributes can be deleted and re-recorded on their own
-- (incremental runs) and shards merge to exactly what one full run writes.
-- The origin of a row is file_id: the file holding the declaration or site.
CREATE TABLE symbol_decls (
  id             INTEGER NOT NULL,
  file_id        INTEGER NOT NULL REFERENCES files(id),
  usr            TEXT NOT NULL,
  kind           TEXT NOT NULL,
  name           TEXT NOT NULL,
  qualified_name TEXT NOT NULL,
  line           INTEGER,
  col            INTEGER,
  module_id      INTEGER REFERENCES modules(id),
  is_definition  INTEGER NOT NULL DEFAULT 0,
  lines          INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (id, file_id)
) WITHOUT ROWID;

CREATE TABLE edge_sites (
  src     INTEGER NOT NULL,
  dst     INTEGER NOT NULL,
  kind    TEXT NOT NULL,
  file_id INTEGER NOT NULL REFERENCES files(id),
  count   INTEGER NOT NULL,
  line    INTEGER,
  col     INTEGER,
  discarded INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (src, dst, kind, file_id)
) WITHOUT ROWID;

-- Database schema objects seen in the code (CREATE statements) or given with --schema.
CREATE TABLE db_objects (
  name    TEXT PRIMARY KEY,   -- lower-case
  kind    TEXT NOT NULL,      -- table | view | trigger | index
  sql     TEXT NOT NULL,
  file_id INTEGER REFERENCES files(id),
  line    INTEGER
);

-- SQL statements that reach a database API (a sink), reconstructed from the code.
CREATE TABLE sql_statements (
  id         INTEGER PRIMARY KEY,
  symbol_id  INTEGER REFERENCES symbols(id),  -- function that issues it (the caller of the sink)
  file_id    INTEGER REFERENCES files(id),
  line       INTEGER,
  col        INTEGER,
  sink       TEXT NOT NULL,     -- e.g. sqlite3_prepare_v2, PQexec, Db::query (derived wrapper)
  text       TEXT NOT NULL,     -- reconstructed SQL; unknown parts as '?' placeholders
  complete   INTEGER NOT NULL,  -- 1 = fully reconstructed, 0 = partial (never guessed)
  parser     TEXT NOT NULL,     -- sqlite (authorizer) | tokenizer (fallback, lower confidence) | none
  error      TEXT               -- why it did not parse, when it did not
);

-- Exact table/column accesses of each statement, from SQLite's authorizer.
CREATE TABLE table_access (
  statement_id INTEGER NOT NULL REFERENCES sql_statements(id),
  symbol_id    INTEGER REFERENCES symbols(id),
  table_name   TEXT NOT NULL,   -- base table, lower-case
  column_name  TEXT,            -- NULL for whole-row operations (insert, delete, create)
  op           TEXT NOT NULL,   -- create | read | insert | update | delete
  via          TEXT             -- view or trigger that caused the access, NULL when direct
);

CREATE TABLE routes (
  id         INTEGER PRIMARY KEY,
  method     TEXT NOT NULL,     -- GET, POST, ... or ANY
  path       TEXT NOT NULL,     -- pattern as registered
  framework  TEXT NOT NULL,     -- httplib | crow | drogon | pistache | config
  handler_id INTEGER REFERENCES symbols(id),  -- the handler function or lambda
  file_id    INTEGER REFERENCES files(id),
  line       INTEGER,
  module_id  INTEGER REFERENCES modules(id)
);

CREATE TABLE diagnostics (
  id       INTEGER PRIMARY KEY,
  tu_file_id INTEGER REFERENCES files(id),  -- TU whose parse reported it
  file_id  INTEGER REFERENCES files(id),
  severity TEXT NOT NULL,   -- error | warning | note
  message  TEXT NOT NULL,
  line     INTEGER,
  col      INTEGER
);

-- Raw SQL facts recorded per TU by the AST visitor; resolved into sql_statements and
-- table_access by a whole-store pass after all TUs (so wrappers defined in one TU and
-- called from another are found, independent of TU order, shards and incremental runs).
CREATE TABLE sql_candidates (      -- a string-typed argument at a call site, reconstructed
  id         INTEGER PRIMARY KEY,
  tu_file_id INTEGER NOT NULL REFERENCES files(id),  -- TU that recorded it (for incremental deletes)
  caller_id  INTEGER REFERENCES symbols(id),
  callee_id  INTEGER NOT NULL,     -- symbol id (USR hash) of the called function/constructor
  callee_name TEXT NOT NULL,       -- its qualified name (built-in sinks match on it)
  arg_index  INTEGER NOT NULL,
  text       TEXT NOT NULL,        -- reconstructed text, unknown parts as '?'
  complete   INTEGER NOT NULL,
  file_id    INTEGER REFERENCES files(id),
  line       INTEGER,
  col        INTEGER
);

CREATE TABLE sink_params (         -- function_id forwards its parameter param_index to callee's arg_index
  tu_file_id  INTEGER NOT NULL REFERENCES files(id),
  file_id     INTEGER REFERENCES files(id),  -- file defining function_id (the row's origin, for incremental deletes)
  function_id INTEGER NOT NULL,
  param_index INTEGER NOT NULL,
  callee_id   INTEGER NOT NULL,
  callee_name TEXT NOT NULL,
  arg_index   INTEGER NOT NULL,
  PRIMARY KEY (function_id, param_index, callee_id, arg_index)
) WITHOUT ROWID;

-- Transaction scopes (docs/fact-store.md#transactions). Raw sites are recorded
-- per origin file by the collector (transaction_collect.cc); the four tables
-- below them are derived after every run and merge by computeTransactions
-- (transaction_scopes.cc) from transaction_sites, sql_statements,
-- table_access, edges and routes, so shards and incremental runs stay exact.
CREATE TABLE transaction_sites (   -- raw: what a function does that matters to transaction scopes
  tu_file_id  INTEGER NOT NULL REFERENCES files(id),  -- TU that recorded it
  file_id     INTEGER NOT NULL REFERENCES files(id),  -- origin: file of the site
  function_id INTEGER NOT NULL,    -- innermost function or lambda holding the site
  kind        TEXT NOT NULL,       -- guard | call | begin | commit | rollback | savepoint | release | rollback_to
  target_id   INTEGER,             -- guard: class symbol; call: callee symbol; else NULL
  target_name TEXT,                -- guard: class qualified name; call: callee; savepoint/release: savepoint name
  aux_id      INTEGER,             -- guard: the constructor called
  line        INTEGER NOT NULL,
  col         INTEGER NOT NULL,
  end_line    INTEGER,             -- guard: last line of the enclosing block; begin/savepoint: last line of the function
  flags       INTEGER NOT NULL DEFAULT 0  -- 1 = configured in seam.yaml; 2 = a path from this begin/savepoint leaves the function without an end (CFG)
);

CREATE TABLE transactions (
  id              INTEGER PRIMARY KEY,
  entry_symbol_id INTEGER REFERENCES symbols(id),  -- function that opens the scope
  kind            TEXT NOT NULL,   -- guard | statement | savepoint
  guard           TEXT,            -- qualified class name of the RAII guard, NULL otherwise
  file_id         INTEGER REFERENCES files(id),
  line            INTEGER,         -- where it begins
  end_line        INTEGER,         -- where it ends in the entry function; NULL when unknown
  parent_id       INTEGER REFERENCES transactions(id),  -- enclosing scope (nesting)
  certainty       TEXT NOT NULL,   -- exact | unbalanced | cross_function | nested
  note            TEXT,            -- the uncertainty in words; NULL when exact
  col             INTEGER          -- column where it begins (added: orders scopes on one line)
);

CREATE TABLE transaction_access (  -- the group: (table, op) reached inside the scope
  transaction_id INTEGER NOT NULL REFERENCES transactions(id),
  table_name     TEXT NOT NULL,    -- base table, lower-case (views/triggers resolved as in table_access)
  op             TEXT NOT NULL,    -- read | insert | update | delete
  symbol_id      INTEGER REFERENCES symbols(id),        -- function issuing the statement
  statement_id   INTEGER REFERENCES sql_statements(id),
  depth          INTEGER NOT NULL  -- call depth from the entry function (0 = in it)
);

CREATE TABLE transaction_calls (   -- every call made inside the scope, transitively
  transaction_id INTEGER NOT NULL REFERENCES transactions(id),
  caller_id      INTEGER NOT NULL REFERENCES symbols(id),
  callee_id      INTEGER NOT NULL REFERENCES symbols(id),
  depth          INTEGER NOT NULL, -- 0 = called directly from the entry function inside the scope
  file_id        INTEGER, line INTEGER
);

CREATE TABLE transaction_routes (
  transaction_id INTEGER NOT NULL REFERENCES transactions(id),
  route_id       INTEGER NOT NULL REFERENCES routes(id)
);
CREATE INDEX transaction_sites_file ON transaction_sites(file_id);
CREATE INDEX transaction_access_tx ON transaction_access(transaction_id);
CREATE INDEX transaction_calls_tx ON transaction_calls(transaction_id);
CREATE INDEX transaction_routes_tx ON transaction_routes(transaction_id);

CREATE INDEX edges_dst ON edges(dst);
CREATE INDEX edge_sites_file ON edge_sites(file_id);
CREATE INDEX symbol_decls_file ON symbol_decls(file_id);
CREATE INDEX sql_candidates_file ON sql_candidates(file_id);
CREATE INDEX routes_file ON routes(file_id);
CREATE INDEX files_owner ON files(owner_tu);
CREATE INDEX tu_files_file ON tu_files(file_id);
CREATE INDEX symbols_module ON symbols(module_id);
CREATE INDEX table_access_table ON table_access(table_name);
CREATE INDEX table_access_symbol ON table_access(symbol_id);

-- JSON object keys a function reads or writes, from the AST (json_fields_callsite.h;
-- nlohmann::json only). Raw per origin file (file_id = the key literal's file).
-- `seam contracts` turns them into request/response schemas (docs/contracts.md).
CREATE TABLE json_fields (
  symbol_id INTEGER NOT NULL,      -- function or lambda whose body holds the access
  direction TEXT NOT NULL,         -- in (read: accessor(json, "k"), j.at/value/contains("k"), const j["k"]) | out (built: Json{{"k", v}}, j["k"] = v)
                                   -- | query (accessor(httplib::Request, "k"), req.get_param_value("k"))
  parent    TEXT NOT NULL,         -- '' top level; 'items[]' = field of the elements of array items; 'a.b' nested objects
  name      TEXT NOT NULL,         -- the key
  type      TEXT NOT NULL,         -- integer | number | string | boolean | array | object | unknown
  required  INTEGER NOT NULL,      -- in: 1 = the read fails without the key (non-optional accessor, at()); out: 1
  nullable  INTEGER NOT NULL DEFAULT 0,  -- out: the value is a std::optional
  via       TEXT NOT NULL,         -- in: accessor (bookstore::requireInt, nlohmann::json::at); out: where the object goes: return | <callee> | local
  object    TEXT NOT NULL,         -- out: 'line:col' of the object built (groups its keys); in: the variable read from
  open      INTEGER NOT NULL DEFAULT 0,  -- out: the object also has keys not known statically (built from another value)
  file_id   INTEGER NOT NULL REFERENCES files(id),
  line      INTEGER NOT NULL,
  col       INTEGER NOT NULL
);
-- C++ signatures as JSON types: parameters and return of each project function
-- definition, and the fields of the project records they name (transitively).
-- Origin file_id = the function's file; a record's fields repeat per origin.
CREATE TABLE type_members (
  owner_id  INTEGER NOT NULL,      -- function symbol (param, return) or record symbol (field)
  kind      TEXT NOT NULL,         -- param | return | field
  position  INTEGER NOT NULL,      -- 0-based; 0 for return
  name      TEXT NOT NULL,         -- '' for return and unnamed parameters
  cpp_type  TEXT NOT NULL,         -- as written, e.g. 'const PlaceOrderRequest &'
  json_type TEXT NOT NULL,         -- integer | number | string | boolean | array | object | unknown | void | json (nlohmann::json)
  items     TEXT NOT NULL,         -- element JSON type of arrays, '' otherwise
  nullable  INTEGER NOT NULL DEFAULT 0,  -- std::optional
  record_id INTEGER,               -- project struct/class named (or its element type): its fields are rows with owner_id = record_id
  file_id   INTEGER NOT NULL REFERENCES files(id),
  line      INTEGER,
  PRIMARY KEY (owner_id, kind, position, file_id)
) WITHOUT ROWID;
CREATE INDEX type_members_file ON type_members(file_id);
CREATE INDEX json_fields_symbol ON json_fields(symbol_id);
CREATE INDEX json_fields_file ON json_fields(file_id);
