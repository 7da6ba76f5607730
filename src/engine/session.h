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
  explicit Session(std::weak_ptr<Instance> instance) : instance_(std::move(instance)) {}

  std::shared_ptr<Instance> instance() const { return instance_.lock(); }

 private:
  std::weak_ptr<Instance> instance_;
};

}  // namespace esent::engine
