// System parameters: JetSetSystemParameter, JetGetSystemParameter, JetEnableMultiInstance,
// and JetGetInstanceMiscInfo.
#include <algorithm>
#include <cstring>
#include <ctime>
#include <vector>

#include "api/error_text.h"
#include "api/guard.h"
#include "api/handles.h"
#include "api/jet.h"
#include "api/strings.h"
#include "engine/param_table.h"

namespace esent::api {
namespace {

using engine::ParamInfo;
using engine::ParamType;
using engine::ParamValue;

bool is_text(ParamType type) {
  return type == ParamType::kString || type == ParamType::kFolder || type == ParamType::kPath;
}

// Folder and path parameters are paths (an ill-formed one is JET_errInvalidPath).
TextKind text_kind(ParamType type) {
  return type == ParamType::kFolder || type == ParamType::kPath ? TextKind::kPath : TextKind::kText;
}

// The instance a parameter call addresses, as ESE chooses it: a session (non-zero, not nil)
// wins and names its instance; then a live instance handle; 0 and nil mean the process
// (or the legacy instance, which Registry resolves). Null means the process.
Result<std::shared_ptr<engine::Instance>> target_instance(JET_INSTANCE instance, JET_SESID sesid) {
  if (sesid != 0 && sesid != kSesidNil) {
    Result<std::shared_ptr<engine::Session>> session = resolve_session(sesid);
    if (!session.ok()) return session.status();
    if (auto owner = (*session)->instance()) return owner;
    return Error::kInvalidSesid;
  }
  if (instance == 0 || instance == kInstanceNil) return std::shared_ptr<engine::Instance>();
  Result<engine::InstanceRef> ref = resolve_instance(instance);
  if (!ref.ok()) return ref.status();
  return ref->instance;
}

template <typename Char>
Status set_param(JET_INSTANCE* pinstance, JET_SESID sesid, JET_UINT32 paramid, JET_API_PTR lparam,
                 const Char* text) {
  const ParamInfo* info = engine::find_param(paramid);
  if (info == nullptr) return Error::kInvalidParameter;
  Result<std::shared_ptr<engine::Instance>> instance =
      target_instance(pinstance == nullptr ? 0 : *pinstance, sesid);
  if (!instance.ok()) return instance.status();

  ParamValue value;
  if (is_text(info->type)) {
    if (text == nullptr) return Error::kInvalidParameter;
    Result<std::string> utf8 = input_string(text, text_kind(info->type));
    if (!utf8.ok()) return utf8.status();
    value.text = std::move(utf8).value();
  } else if (info->type == ParamType::kUnicodeIndex) {
    if (lparam == 0) return Error::kInvalidParameter;
    JET_UNICODEINDEX index;
    std::memcpy(&index, reinterpret_cast<const void*>(lparam), sizeof index);
    value.number = std::uint64_t{index.lcid} | (std::uint64_t{index.dwMapFlags} << 32);
  } else {
    value.number = lparam;
  }
  return registry().set_param(*instance, paramid, std::move(value));
}

// JET_paramErrorToString: *plParam holds an error code; its name and description are
// written to the buffer as "JET_errName, description".
template <typename Char>
Status error_to_string(JET_API_PTR* plparam, Char* text, JET_UINT32 cb_max) {
  if (plparam == nullptr || text == nullptr) return Error::kInvalidParameter;
  auto error = static_cast<JET_ERR>(static_cast<std::int64_t>(*plparam));
  const ErrorText* entry = find_error_text(error);
  std::string message = entry != nullptr
                            ? std::string(entry->name) + ", " + entry->description
                            : "Unknown Error, " + std::to_string(error);
  return output_string(message, text, cb_max);
}

template <typename Char>
Status get_param(JET_INSTANCE instance, JET_SESID sesid, JET_UINT32 paramid, JET_API_PTR* plparam,
                 Char* text, JET_UINT32 cb_max) {
  const ParamInfo* info = engine::find_param(paramid);
  if (info == nullptr) return Error::kInvalidParameter;
  if (info->type == ParamType::kErrorToString) return error_to_string(plparam, text, cb_max);
  if (is_text(info->type) ? (text == nullptr || cb_max == 0) : plparam == nullptr) {
    return Error::kInvalidParameter;
  }
  Result<std::shared_ptr<engine::Instance>> target = target_instance(instance, sesid);
  if (!target.ok()) return target.status();

  Result<ParamValue> value = registry().get_param(*target, paramid);
  if (!value.ok()) return value.status();
  if (is_text(info->type)) {
    return output_string(value->text, text, cb_max);
  }
  if (info->type == ParamType::kUnicodeIndex) {
    // lParam is where the client wants its JET_UNICODEINDEX written.
    if (*plparam == 0) return Error::kInvalidParameter;
    JET_UNICODEINDEX index{static_cast<JET_LCID>(value->number & 0xFFFFFFFFU),
                           static_cast<JET_UINT32>(value->number >> 32)};
    std::memcpy(reinterpret_cast<void*>(*plparam), &index, sizeof index);
    return Status::success();
  }
  *plparam = value->number;
  return Status::success();
}

template <typename SetSysParam>
Status enable_multi_instance(SetSysParam* params, JET_UINT32 count, JET_UINT32* succeeded) {
  if (succeeded != nullptr) *succeeded = 0;
  if (count > 0 && params == nullptr) return Error::kInvalidParameter;
  std::vector<engine::Registry::ParamSetting> settings;
  for (JET_UINT32 i = 0; i < count; ++i) {
    const ParamInfo* info = engine::find_param(params[i].paramid);
    ParamValue value{params[i].lParam, {}};
    if (info != nullptr && is_text(info->type)) {
      if (params[i].sz == nullptr) return Error::kInvalidParameter;
      Result<std::string> utf8 = input_string(params[i].sz, text_kind(info->type));
      if (!utf8.ok()) return utf8.status();
      value = ParamValue{0, std::move(utf8).value()};
    }
    settings.push_back({params[i].paramid, std::move(value)});
  }
  std::vector<Status> results;
  Status status = registry().enable_multi_instance(settings, &results);
  JET_UINT32 done = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    params[i].err = to_jet_err(results[i]);
    if (results[i].ok()) ++done;
  }
  if (succeeded != nullptr) *succeeded = done;
  return status;
}

Status get_instance_misc_info(JET_INSTANCE instance, void* result, JET_UINT32 cb_max,
                              JET_UINT32 info_level) {
  Result<engine::InstanceRef> ref = resolve_instance(instance);
  if (!ref.ok()) return ref.status();
  if (result == nullptr) return Error::kInvalidParameter;
  if (info_level != JET_InstanceMiscInfoLogSignature) return Error::kInvalidParameter;
  if (cb_max < sizeof(JET_SIGNATURE)) return Error::kBufferTooSmall;
  Result<engine::Instance::Activity> activity = ref->instance->enter();
  if (!activity.ok()) return activity.status();
  engine::LogSignature signature = ref->instance->log_signature();
  JET_SIGNATURE out{};
  out.ulRandom = signature.random;
  std::time_t seconds = static_cast<std::time_t>(signature.created_unix_seconds);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  out.logtimeCreate.bSeconds = static_cast<char>(utc.tm_sec);
  out.logtimeCreate.bMinutes = static_cast<char>(utc.tm_min);
  out.logtimeCreate.bHours = static_cast<char>(utc.tm_hour);
  out.logtimeCreate.bDay = static_cast<char>(utc.tm_mday);
  out.logtimeCreate.bMonth = static_cast<char>(utc.tm_mon + 1);
  out.logtimeCreate.bYear = static_cast<char>(utc.tm_year);  // years since 1900
  out.logtimeCreate.fTimeIsUTC = 1;
  std::memcpy(out.szComputerName, signature.computer_name.data(),
              std::min(signature.computer_name.size(), sizeof out.szComputerName - 1));
  std::memcpy(result, &out, sizeof out);
  return Status::success();
}

}  // namespace
}  // namespace esent::api

using esent::api::guarded;

extern "C" {

JET_ERR JET_API JetSetSystemParameterA(JET_INSTANCE* pinstance, JET_SESID sesid, JET_UINT32 paramid,
                                       JET_API_PTR lParam, JET_PCSTR szParam) {
  return guarded(__func__, [&] {
    return esent::api::set_param(pinstance, sesid, paramid, lParam, szParam);
  });
}
ESENT_EXPORT_PLAIN_NAME(JetSetSystemParameter, JetSetSystemParameterA);

JET_ERR JET_API JetSetSystemParameterW(JET_INSTANCE* pinstance, JET_SESID sesid, JET_UINT32 paramid,
                                       JET_API_PTR lParam, JET_PCWSTR szParam) {
  return guarded(__func__, [&] {
    return esent::api::set_param(pinstance, sesid, paramid, lParam, szParam);
  });
}

JET_ERR JET_API JetGetSystemParameterA(JET_INSTANCE instance, JET_SESID sesid, JET_UINT32 paramid,
                                       JET_API_PTR* plParam, JET_PSTR szParam, JET_UINT32 cbMax) {
  return guarded(__func__, [&] {
    return esent::api::get_param(instance, sesid, paramid, plParam, szParam, cbMax);
  });
}
ESENT_EXPORT_PLAIN_NAME(JetGetSystemParameter, JetGetSystemParameterA);

JET_ERR JET_API JetGetSystemParameterW(JET_INSTANCE instance, JET_SESID sesid, JET_UINT32 paramid,
                                       JET_API_PTR* plParam, JET_PWSTR szParam, JET_UINT32 cbMax) {
  return guarded(__func__, [&] {
    return esent::api::get_param(instance, sesid, paramid, plParam, szParam, cbMax);
  });
}

JET_ERR JET_API JetEnableMultiInstanceA(JET_SETSYSPARAM_A* psetsysparam, JET_UINT32 csetsysparam,
                                        JET_UINT32* pcsetsucceed) {
  return guarded(__func__, [&] {
    return esent::api::enable_multi_instance(psetsysparam, csetsysparam, pcsetsucceed);
  });
}
ESENT_EXPORT_PLAIN_NAME(JetEnableMultiInstance, JetEnableMultiInstanceA);

JET_ERR JET_API JetEnableMultiInstanceW(JET_SETSYSPARAM_W* psetsysparam, JET_UINT32 csetsysparam,
                                        JET_UINT32* pcsetsucceed) {
  return guarded(__func__, [&] {
    return esent::api::enable_multi_instance(psetsysparam, csetsysparam, pcsetsucceed);
  });
}

JET_ERR JET_API JetGetInstanceMiscInfo(JET_INSTANCE instance, void* pvResult, JET_UINT32 cbMax,
                                       JET_UINT32 InfoLevel) {
  return guarded(__func__, [&] {
    return esent::api::get_instance_misc_info(instance, pvResult, cbMax, InfoLevel);
  });
}

}  // extern "C"
