// The JET_PFNSTATUS side of a long call (backup, verification, checksums): sntBegin before the
// first progress, sntProgress with a JET_SNPROG (counts scaled so they fit 32 bits), sntComplete
// or sntFail at the end. An error the callback returns stops the work and is what the call
// returns. One object per call; not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "api/error_map.h"
#include "api/jet.h"
#include "util/status.h"

namespace esent::api {

class StatusCallback {
 public:
  StatusCallback(JET_PFNSTATUS callback, JET_SNP snp) : callback_(callback), snp_(snp) {}

  std::function<Status(std::uint64_t, std::uint64_t)> progress() {
    if (callback_ == nullptr) return {};
    return [this](std::uint64_t done, std::uint64_t total) -> Status {
      if (!began_) {
        began_ = true;
        ESENT_RETURN_IF_ERROR(call(JET_sntBegin, nullptr));
      }
      std::uint64_t unit = 1;
      while (total / unit > 0x7fffffffu) unit *= 2;
      JET_SNPROG snprog{sizeof(JET_SNPROG), static_cast<JET_UINT32>(done / unit),
                        static_cast<JET_UINT32>(total / unit)};
      return call(JET_sntProgress, &snprog);
    };
  }

  // The end of the call: sntComplete or sntFail, whose returns are ignored (the work is done,
  // or failed already); the callback's own error replaces kCallbackFailed.
  JET_ERR finish(const Status& status) {
    if (callback_ != nullptr && began_) {
      static_cast<void>(callback_(0, snp_, status.ok() ? JET_sntComplete : JET_sntFail, nullptr));
    }
    if (!status.ok() && status.error() == Error::kCallbackFailed && callback_error_ < 0) {
      return callback_error_;
    }
    return to_jet_err(status);
  }

 private:
  Status call(JET_SNT snt, void* data) {
    const JET_ERR err = callback_(0, snp_, snt, data);
    if (err >= 0) return Status::success();
    callback_error_ = err;
    return Status(Error::kCallbackFailed, "the status callback returned " + std::to_string(err));
  }

  JET_PFNSTATUS callback_;
  JET_SNP snp_;
  bool began_ = false;
  JET_ERR callback_error_ = 0;
};

}  // namespace esent::api
