// Transactions: JetBeginTransaction(2, 3), JetCommitTransaction(2), JetRollback.
//
// The rules are in docs/transactions.md (engine/transactions.h). With recovery on a
// level-0 commit is durable when it returns, unless JET_bitCommitLazyFlush; with recovery off
// there is no log, and the durability grbits change nothing.
#include "api/guard.h"
#include "api/handles.h"
#include "api/jet.h"
#include "engine/transactions.h"

namespace esent::api {
namespace {

Status begin(JET_SESID sesid, JET_GRBIT grbit) {
  Result<SessionCall> call = enter_session(sesid);
  if (!call.ok()) return call.status();
  if ((grbit & ~static_cast<JET_GRBIT>(JET_bitTransactionReadOnly)) != 0) return Error::kInvalidGrbit;
  return call->session->begin_transaction((grbit & JET_bitTransactionReadOnly) != 0);
}

Status commit(JET_SESID sesid, JET_GRBIT grbit, JET_COMMIT_ID* commit_id) {
  Result<SessionCall> call = enter_session(sesid);
  if (!call.ok()) return call.status();
  constexpr JET_GRBIT kKnown = JET_bitCommitLazyFlush | JET_bitWaitLastLevel0Commit |
                               JET_bitWaitAllLevel0Commit | JET_bitForceNewLog;
  if ((grbit & ~kKnown) != 0) return Error::kInvalidGrbit;
  if (commit_id != nullptr) *commit_id = JET_COMMIT_ID{};
  // As ESE's ErrIsamCommitTransaction: forcing a new log and waiting for earlier level-0 commits
  // stand alone (any other bit with them is kInvalidGrbit), are allowed outside a transaction,
  // and commit nothing.
  for (JET_GRBIT alone : {JET_GRBIT{JET_bitForceNewLog}, JET_GRBIT{JET_bitWaitAllLevel0Commit},
                          JET_GRBIT{JET_bitWaitLastLevel0Commit}}) {
    if ((grbit & alone) == 0) continue;
    if (grbit != alone) return Error::kInvalidGrbit;
    return alone == JET_bitForceNewLog ? engine::force_new_log(*call->session)
                                       : engine::wait_for_commits(*call->session);
  }
  return engine::commit_transaction(*call->session, (grbit & JET_bitCommitLazyFlush) != 0);
}

Status rollback(JET_SESID sesid, JET_GRBIT grbit) {
  Result<SessionCall> call = enter_session(sesid, engine::Admission::kIgnoreStopService);
  if (!call.ok()) return call.status();
  if ((grbit & ~static_cast<JET_GRBIT>(JET_bitRollbackAll)) != 0) return Error::kInvalidGrbit;
  return engine::rollback_transaction(*call->session, (grbit & JET_bitRollbackAll) != 0);
}

}  // namespace
}  // namespace esent::api

using esent::api::guarded;
namespace api = esent::api;

extern "C" {

JET_ERR JET_API JetBeginTransaction(JET_SESID sesid) {
  return guarded(__func__, [&] { return api::begin(sesid, 0); });
}

JET_ERR JET_API JetBeginTransaction2(JET_SESID sesid, JET_GRBIT grbit) {
  return guarded(__func__, [&] { return api::begin(sesid, grbit); });
}

JET_ERR JET_API JetBeginTransaction3(JET_SESID sesid, JET_INT64, JET_GRBIT grbit) {
  return guarded(__func__, [&] { return api::begin(sesid, grbit); });
}

JET_ERR JET_API JetCommitTransaction(JET_SESID sesid, JET_GRBIT grbit) {
  return guarded(__func__, [&] { return api::commit(sesid, grbit, nullptr); });
}

JET_ERR JET_API JetCommitTransaction2(JET_SESID sesid, JET_GRBIT grbit, JET_UINT32,
                                      JET_COMMIT_ID* pCommitId) {
  return guarded(__func__, [&] { return api::commit(sesid, grbit, pCommitId); });
}

JET_ERR JET_API JetRollback(JET_SESID sesid, JET_GRBIT grbit) {
  return guarded(__func__, [&] { return api::rollback(sesid, grbit); });
}

}  // extern "C"
