// Context: a session's transaction state as its cursors see it — the open transaction (none at
// level 0) and the instance's manager. Cursors read through view() and attribute changes to
// current().
//
// Thread-safety: a Context belongs to one session, which one thread at a time uses (the API
// refuses concurrent use with JET_errSessionSharingViolation), so it needs no lock of its own.
#pragma once

#include <memory>

#include "txn/manager.h"
#include "txn/transaction.h"

namespace esent::txn {

class Context {
 public:
  explicit Context(Manager& manager) : manager_(manager) {}

  Manager& manager() { return manager_; }
  const std::shared_ptr<Transaction>& current() const { return current_; }
  void set_current(std::shared_ptr<Transaction> transaction) { current_ = std::move(transaction); }

  // Inside a transaction: its snapshot plus its own changes; outside: the latest commits.
  View view() const {
    if (current_) return View{current_.get(), current_->snapshot()};
    return View{nullptr, manager_.now()};
  }

 private:
  Manager& manager_;
  std::shared_ptr<Transaction> current_;
};

}  // namespace esent::txn
