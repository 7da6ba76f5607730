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
  return SessionCall{std::move(session).value(), std::move(instance), std::move(activity).value()};
}

}  // namespace esent::api
