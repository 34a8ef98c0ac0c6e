// Payment services used by the payments module's own routes.
#pragma once

#include <optional>
#include <string>

#include "common/db.h"
#include "common/json_fields.h"

namespace bookstore::payments {

/// Refunds `amount` (default: all that remains) of a captured payment.
Json refundPayment(Db& db, int64_t payment_id, std::optional<int64_t> amount, const std::string& reason);

}  // namespace bookstore::payments
