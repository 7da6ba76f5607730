// Resolving client handles to engine objects. A handle that is stale, freed, of another
// kind or of another instance is rejected here with its JET error, before any engine code
// runs.
#pragma once

#include <memory>
#include <utility>

#include "api/jet.h"
#include "engine/registry.h"
#include "util/status.h"

namespace esent::api {

inline engine::Registry& registry() { return engine::Registry::process(); }

// The instance a JET_INSTANCE names, validated as ESE does: a value other than 0 and
// JET_instanceNil must be a live instance (kInvalidInstance); 0 and nil name the legacy
// instance in one-instance mode and are kInvalidParameter otherwise.
Result<engine::InstanceRef> resolve_instance(JET_INSTANCE instance);

// The session a JET_SESID names; kInvalidSesid for anything else.
Result<std::shared_ptr<engine::Session>> resolve_session(JET_SESID sesid);

// A call admitted on a session: the session, its instance, and the admission that keeps
// the instance from terminating under the call.
// Holds a session for the calling thread (Session::enter) for the length of one call.
class SessionClaim {
 public:
  SessionClaim() = default;
  explicit SessionClaim(engine::Session* session) : session_(session) {}
  SessionClaim(SessionClaim&& other) noexcept : session_(std::exchange(other.session_, nullptr)) {}
  SessionClaim& operator=(SessionClaim&& other) = delete;
  SessionClaim(const SessionClaim&) = delete;
  SessionClaim& operator=(const SessionClaim&) = delete;
  ~SessionClaim() {
    if (session_) session_->leave();
  }

 private:
  engine::Session* session_ = nullptr;
};

// Member order matters: the claim is released first, then the admission, then the objects.
struct SessionCall {
  std::shared_ptr<engine::Session> session;
  std::shared_ptr<engine::Instance> instance;
  engine::Instance::Activity activity;
  SessionClaim claim;
};

// Resolves `sesid`, admits the call on its instance and claims the session for this thread
// (kInvalidSesid, then the instance's admission errors, then kSessionSharingViolation).
Result<SessionCall> enter_session(JET_SESID sesid,
                                  engine::Admission admission = engine::Admission::kNormal);

// A call on a database the session has open (JetOpenDatabase / JetCreateDatabase):
// kInvalidSesid, the admission errors, then kInvalidDatabaseId.
struct DatabaseCall {
  SessionCall call;
  std::uint32_t dbid = 0;
  std::shared_ptr<catalog::Database> database;
  // Attached read-only, or opened by this session with JET_bitDbReadOnly.
  bool read_only = false;
};
Result<DatabaseCall> enter_database(JET_SESID sesid, JET_DBID dbid,
                                    engine::Admission admission = engine::Admission::kNormal);

// A call on a table cursor (JET_TABLEID) of the session: kInvalidSesid, the admission errors,
// then kInvalidTableId (unknown, closed, or another session's).
struct TableCall {
  SessionCall call;
  std::shared_ptr<engine::TableCursor> table;
  catalog::Cursor& cursor() { return *table->cursor; }
};
Result<TableCall> enter_table(JET_SESID sesid, JET_TABLEID tableid,
                              engine::Admission admission = engine::Admission::kNormal);

}  // namespace esent::api
