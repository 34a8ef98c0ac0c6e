// Notifications: an outbox of rendered e-mails. Other modules call enqueue()
// inside their own transaction, so a message exists if and only if the change
// it announces was committed (the transactional outbox pattern). Nothing is
// really sent: dispatch marks queued messages as sent and logs them.
#pragma once

#include <cstdint>
#include <string>

#include <httplib.h>

#include "common/connection_pool.h"
#include "common/db.h"
#include "common/json_fields.h"

namespace bookstore::notifications {

std::string schemaDdl();
void register_routes(httplib::Server& server, ConnectionPool& pool);

/// Renders the template `kind` for the customer with `vars` ({{key}}
/// placeholders; {{name}} and {{email}} come from the customer) and queues it.
/// Returns the outbox id. 404 when the customer or the template is unknown.
int64_t enqueue(Db& db, const std::string& kind, int64_t customer_id, const std::string& ref_type,
                int64_t ref_id, const Json& vars = Json::object());

/// Marks up to `limit` queued messages as sent, oldest first; returns how many.
int dispatch(Db& db, int limit);

}  // namespace bookstore::notifications
