// A fixed-size pool of sqlite connections to one database file.
//
// httplib serves requests on a thread pool; each request leases one
// connection for its whole duration (so a Transaction never spans two
// threads) and returns it when the Lease goes out of scope. WAL mode lets the
// readers proceed while one writer holds the write lock.
//
// Thread safety: acquire() and the Lease destructor are safe from any thread.
// The pool must outlive every Lease.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/db.h"

namespace bookstore {

class ConnectionPool {
 public:
  class Lease {
   public:
    Lease(ConnectionPool& pool, std::unique_ptr<Db> db) : pool_(&pool), db_(std::move(db)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();

    Db& operator*() { return *db_; }
    Db* operator->() { return db_.get(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Db> db_;
  };

  /// Opens `size` connections up front; throws DbError when the file cannot be opened.
  ConnectionPool(const std::string& path, size_t size);

  /// Blocks until a connection is free.
  Lease acquire();

 private:
  void release(std::unique_ptr<Db> db);

  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Db>> idle_;  // guarded by mutex_
};

}  // namespace bookstore
