// Sessions and the engine version.
#include "api/guard.h"
#include "api/handles.h"
#include "api/jet.h"
#include "api/strings.h"
#include "api/version.h"

namespace esent::api {
namespace {

template <typename Char>
Status begin_session(JET_INSTANCE instance, JET_SESID* psesid, const Char* user, const Char* password) {
  if (psesid == nullptr) return Error::kInvalidParameter;
  // ESE ignores the user name and password; they are still read as strings so that an
  // ill-formed W string is reported rather than silently accepted.
  ESENT_RETURN_IF_ERROR(input_string(user).status());
  ESENT_RETURN_IF_ERROR(input_string(password).status());
  Result<engine::InstanceRef> ref = resolve_instance(instance);
  if (!ref.ok()) return ref.status();
  Result<engine::Instance::Activity> activity = ref->instance->enter();
  if (!activity.ok()) return activity.status();
  Result<std::uint64_t> session = registry().begin_session(ref->instance);
  if (!session.ok()) return session.status();
  *psesid = *session;
  return Status::success();
}

// ESE ignores JetEndSession's grbit (JET_bitForceSessionClosed included). Ending a session
// works after a service stop.
Status end_session(JET_SESID sesid, JET_GRBIT) {
  Result<SessionCall> call = enter_session(sesid, engine::Admission::kIgnoreStopService);
  if (!call.ok()) return call.status();
  return registry().end_session(sesid);
}

}  // namespace
}  // namespace esent::api

using esent::Status;
using esent::api::guarded;

extern "C" {

JET_ERR JET_API JetBeginSessionA(JET_INSTANCE instance, JET_SESID* psesid, JET_PCSTR szUserName,
                                 JET_PCSTR szPassword) {
  return guarded(__func__, [&] {
    return esent::api::begin_session(instance, psesid, szUserName, szPassword);
  });
}
ESENT_EXPORT_PLAIN_NAME(JetBeginSession, JetBeginSessionA);

JET_ERR JET_API JetBeginSessionW(JET_INSTANCE instance, JET_SESID* psesid, JET_PCWSTR szUserName,
                                 JET_PCWSTR szPassword) {
  return guarded(__func__, [&] {
    return esent::api::begin_session(instance, psesid, szUserName, szPassword);
  });
}

JET_ERR JET_API JetEndSession(JET_SESID sesid, JET_GRBIT grbit) {
  return guarded(__func__, [&] { return esent::api::end_session(sesid, grbit); });
}

JET_ERR JET_API JetGetVersion(JET_SESID sesid, JET_UINT32* pwVersion) {
  return guarded(__func__, [&]() -> Status {
    if (pwVersion == nullptr) return esent::Error::kInvalidParameter;
    esent::Result<esent::api::SessionCall> call = esent::api::enter_session(sesid);
    if (!call.ok()) return call.status();
    *pwVersion = esent::api::kReportedVersion;
    return Status::success();
  });
}

}  // extern "C"
