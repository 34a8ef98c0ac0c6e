#include "common/connection_pool.h"

namespace bookstore {

ConnectionPool::Lease::~Lease() {
  if (db_) pool_->release(std::move(db_));
}

ConnectionPool::ConnectionPool(const std::string& path, size_t size) {
  idle_.reserve(size);
  for (size_t i = 0; i < size; ++i) idle_.push_back(std::make_unique<Db>(path));
}

ConnectionPool::Lease ConnectionPool::acquire() {
  std::unique_lock lock(mutex_);
  available_.wait(lock, [this] { return !idle_.empty(); });
  std::unique_ptr<Db> db = std::move(idle_.back());
  idle_.pop_back();
  return Lease(*this, std::move(db));
}

void ConnectionPool::release(std::unique_ptr<Db> db) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(db));
  }
  available_.notify_one();
}

}  // namespace bookstore
