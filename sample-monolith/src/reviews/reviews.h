// Reviews: customer reviews of books with moderation. Approved reviews feed
// books.rating_avg / rating_count through the triggers in schema.cc (an
// entanglement: reviews' DDL writes the catalog's table).
#pragma once

#include <string>

#include <httplib.h>

#include "common/connection_pool.h"
#include "common/db.h"
#include "common/random.h"

namespace bookstore::reviews {

std::string schemaDdl();
void register_routes(httplib::Server& server, ConnectionPool& pool);
/// Reviews for a share of delivered sample orders.
void seed(Db& db, Random& random);

}  // namespace bookstore::reviews
