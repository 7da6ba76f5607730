// Session: one client's thread of work inside an instance (JET_SESID).
//
// Lifetime: created by Registry::begin_session, ended by Registry::end_session or when its
// instance terminates; after either its handle is stale. A session must be used by one
// thread at a time (ESE's rule); transactions arrive with the transaction layer.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace esent::engine {

class Instance;

class Session {
 public:
  Session(std::weak_ptr<Instance> instance, std::uint64_t handle_within_instance)
      : instance_(std::move(instance)), id_(handle_within_instance) {}

  std::shared_ptr<Instance> instance() const { return instance_.lock(); }
  std::uint64_t id() const { return id_; }

 private:
  std::weak_ptr<Instance> instance_;
  std::uint64_t id_;
};

}  // namespace esent::engine
