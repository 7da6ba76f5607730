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

}  // namespace esent::api
