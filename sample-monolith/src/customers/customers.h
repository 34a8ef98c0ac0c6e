// Customers: accounts and their addresses.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <httplib.h>

#include "common/connection_pool.h"
#include "common/db.h"
#include "common/random.h"

namespace bookstore::customers {

struct CustomerSummary {
  int64_t id = 0;
  std::string email;
  std::string name;
  std::string status;  // active | closed
};

std::string schemaDdl();
void register_routes(httplib::Server& server, ConnectionPool& pool);
void seed(Db& db, Random& random, int customers);

std::optional<CustomerSummary> findCustomer(Db& db, int64_t customer_id);
/// 404 when unknown, 409 when the account is closed.
CustomerSummary requireActiveCustomer(Db& db, int64_t customer_id);

}  // namespace bookstore::customers
