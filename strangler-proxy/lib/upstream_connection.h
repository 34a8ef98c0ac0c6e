// Open upstream connections, counted per upstream for the circuit breaker's
// `max_connections`. Not installed.
//
//   attempt / shadow call --reserve()--> CountedSocket (count +1) --connect-->
//     in flight --park--> EndpointRuntime pool --reuse / evict / close / destroy--> count -1
//
// Invariants:
//  - A CountedSocket holds one unit of its upstream's count from reserve()
//    (before the connect starts, so connects in progress count) until it is
//    closed through close(), moved from (the unit moves with the socket) or
//    destroyed: every path gives the unit back exactly once.
//  - reserve() never lets the count exceed the limit: a compare-and-swap
//    loop, so two workers racing for the last unit cannot both win.
//  - One UpstreamConnections exists per upstream name for the life of the
//    server (Server::Impl::connection_counts, never erased, declared before
//    the workers and the snapshot so it is destroyed after every socket).
//    A socket parked in an endpoint pool across a reload therefore never
//    points at freed memory, and the count carries over to the next
//    snapshot's UpstreamRuntime of the same name.
//
// Thread safety: the counters are relaxed atomics (any worker opens and
// closes; the admin thread reads; old snapshots may be released, and their
// pooled sockets destroyed, on the control thread). A CountedSocket itself
// belongs to one worker, like the socket it wraps.
#pragma once

#include <atomic>
#include <cassert>
#include <cstdint>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace strangler {

/// Live figures of one upstream's connections, shared by all workers.
struct alignas(64) UpstreamConnections {
  /// Sockets open or connecting towards the upstream: in a session, in a
  /// shadow call, or idle in a keep-alive pool.
  std::atomic<std::int64_t> open{0};
  /// Requests (and shadow calls) that needed a new connection at the limit.
  std::atomic<std::uint64_t> overflows{0};
};

/// A move-only upstream socket that holds one unit of an
/// UpstreamConnections count while it may be open (see the file comment).
class CountedSocket {
 public:
  using tcp = boost::asio::ip::tcp;

  explicit CountedSocket(boost::asio::io_context& ioc) : socket_(ioc) {}
  ~CountedSocket() { release(); }
  CountedSocket(CountedSocket&& other) noexcept
      : socket_(std::move(other.socket_)), count_(std::exchange(other.count_, nullptr)) {}
  CountedSocket& operator=(CountedSocket&& other) noexcept {
    if (this != &other) {
      release();
      socket_ = std::move(other.socket_);  // closes what this held, if anything
      count_ = std::exchange(other.count_, nullptr);
    }
    return *this;
  }
  CountedSocket(const CountedSocket&) = delete;
  CountedSocket& operator=(const CountedSocket&) = delete;

  /// Takes one unit of `count` for a connection about to be opened; false
  /// (and counts an overflow) when `limit` units are taken already. Call on a
  /// socket that holds none. One relaxed load + one CAS when under the limit.
  bool reserve(UpstreamConnections& count, std::int64_t limit) {
    assert(count_ == nullptr);
    std::int64_t n = count.open.load(std::memory_order_relaxed);
    do {
      if (n >= limit) {
        count.overflows.fetch_add(1, std::memory_order_relaxed);
        return false;
      }
    } while (!count.open.compare_exchange_weak(n, n + 1, std::memory_order_relaxed));
    count_ = &count;
    return true;
  }

  /// Closes the socket and gives its unit back.
  void close(boost::system::error_code& ec) {
    socket_.close(ec);
    release();
  }

  bool is_open() const { return socket_.is_open(); }
  bool counted() const { return count_ != nullptr; }
  tcp::socket& socket() { return socket_; }

 private:
  void release() {
    if (count_ == nullptr) return;
    [[maybe_unused]] std::int64_t before = count_->open.fetch_sub(1, std::memory_order_relaxed);
    assert(before > 0 && "upstream connection count went negative");
    count_ = nullptr;
  }

  tcp::socket socket_;
  UpstreamConnections* count_ = nullptr;
};

}  // namespace strangler
