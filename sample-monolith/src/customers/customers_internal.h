// Customer services used by the customers module's own routes.
#pragma once

#include <optional>
#include <string>

#include "common/db.h"
#include "common/http.h"

namespace bookstore::customers {

Json customerDetails(Db& db, int64_t customer_id);
Json listCustomers(Db& db, const std::optional<std::string>& query, const std::optional<std::string>& status,
                   const Paging& paging);
Json createCustomer(Db& db, const Json& body);
Json updateCustomer(Db& db, int64_t customer_id, const Json& body);
void closeCustomer(Db& db, int64_t customer_id);
Json addAddress(Db& db, int64_t customer_id, const Json& body);
Json listAddresses(Db& db, int64_t customer_id);
void removeAddress(Db& db, int64_t customer_id, int64_t address_id);

}  // namespace bookstore::customers
