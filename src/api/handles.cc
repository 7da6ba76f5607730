#include "api/handles.h"

namespace esent::api {

Result<engine::InstanceRef> resolve_instance(JET_INSTANCE instance) {
  if (instance != 0 && instance != kInstanceNil) {
    if (auto found = registry().find_instance(instance)) return engine::InstanceRef{instance, found};
    return Error::kInvalidInstance;
  }
  engine::InstanceRef legacy = registry().current_legacy_instance();
  if (legacy.instance) return legacy;
  return Error::kInvalidParameter;
}

Result<std::shared_ptr<engine::Session>> resolve_session(JET_SESID sesid) {
  if (auto session = registry().find_session(sesid)) return session;
  return Error::kInvalidSesid;
}

Result<SessionCall> enter_session(JET_SESID sesid, engine::Admission admission) {
  Result<std::shared_ptr<engine::Session>> session = resolve_session(sesid);
  if (!session.ok()) return session.status();
  std::shared_ptr<engine::Instance> instance = (*session)->instance();
  if (!instance) return Error::kInvalidSesid;
  Result<engine::Instance::Activity> activity = instance->enter(admission);
  if (!activity.ok()) return activity.status();
  ESENT_RETURN_IF_ERROR((*session)->enter());
  SessionClaim claim(session->get());
  return SessionCall{std::move(session).value(), std::move(instance), std::move(activity).value(),
                     std::move(claim)};
}

Result<DatabaseCall> enter_database(JET_SESID sesid, JET_DBID dbid, engine::Admission admission) {
  Result<SessionCall> call = enter_session(sesid, admission);
  if (!call.ok()) return call.status();
  if (!call->session->has_open_database(dbid)) return Error::kInvalidDatabaseId;
  std::shared_ptr<catalog::Database> database = call->instance->databases().find(dbid);
  if (!database) return Error::kInvalidDatabaseId;
  const bool read_only = database->read_only() || call->session->opened_read_only(dbid);
  return DatabaseCall{std::move(call).value(), dbid, std::move(database), read_only};
}

Result<TableCall> enter_table(JET_SESID sesid, JET_TABLEID tableid, engine::Admission admission) {
  Result<SessionCall> call = enter_session(sesid, admission);
  if (!call.ok()) return call.status();
  std::shared_ptr<engine::TableCursor> table = registry().find_table(tableid);
  if (!table || table->session_handle != sesid) return Error::kInvalidTableId;
  return TableCall{std::move(call).value(), std::move(table)};
}

}  // namespace esent::api
