// Reporting: sales, stock and customer reports, straight off every module's
// tables (the classic shared-database reporting module; see ENTANGLEMENTS.md).
// Each report run is logged in report_runs.
#pragma once

#include <string>

#include <httplib.h>

#include "common/connection_pool.h"
#include "common/db.h"

namespace bookstore::reporting {

std::string schemaDdl();
void register_routes(httplib::Server& server, ConnectionPool& pool);

}  // namespace bookstore::reporting
