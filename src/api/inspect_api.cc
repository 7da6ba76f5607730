// libesent's inspection functions (include/esent_ext.h): EsentGetLogFileInfo,
// EsentGetCheckpointFileInfo, EsentGetCheckpointDatabaseInfo, EsentChecksumDatabase and
// EsentChecksumLogs, A and W. They need no instance: the files are read through the process's
// file system (engine/inspect.h, log/checkpoint.h). This file checks the arguments, converts
// paths, and copies the engine's reports into the versioned C structs.
//
// Result structs: cbMax below the struct's first version → JET_errInvalidBufferSize; the
// struct is zeroed and cbStruct set before any file is read, so a caller always sees a
// consistent (possibly empty) report, also when the call fails.
#include <cstring>
#include <memory>
#include <string>

#include "api/guard.h"
#include "api/handles.h"
#include "api/jet.h"
#include "api/status_callback.h"
#include "api/strings.h"
#include "engine/inspect.h"
#include "log/checkpoint.h"
#include "util/path.h"

namespace esent::api {
namespace {

JET_LOGTIME to_jet(const log::LogTime& time) {
  JET_LOGTIME out;
  static_assert(sizeof out == sizeof time.bytes);
  std::memcpy(&out, time.bytes.data(), sizeof out);
  return out;
}

JET_LGPOS to_jet(const log::Lgpos& position) {
  JET_LGPOS out{};
  out.ib = position.byte;
  out.isec = position.sector;
  out.lGeneration = static_cast<JET_INT32>(position.generation);
  return out;
}

JET_SIGNATURE to_jet(const log::Signature& signature) {
  JET_SIGNATURE out{};
  out.ulRandom = signature.random;
  out.logtimeCreate = to_jet(signature.created);
  static_assert(sizeof out.szComputerName >= sizeof signature.computer_name);
  std::memcpy(out.szComputerName, signature.computer_name.data(), sizeof signature.computer_name);
  out.szComputerName[sizeof out.szComputerName - 1] = '\0';
  return out;
}

JET_BKINFO to_jet(const log::BackupMark& mark) {
  JET_BKINFO out{};
  out.lgposMark = to_jet(mark.position);
  out.logtimeMark = to_jet(mark.time);
  out.genLow = mark.low_generation;
  out.genHigh = mark.high_generation;
  return out;
}

// Checks the output struct and prepares it: zeroed, cbStruct set.
template <typename Info>
Status prepare(Info* info, JET_UINT32 cb_max) {
  if (info == nullptr) return Error::kInvalidParameter;
  if (cb_max < sizeof(Info)) return Error::kInvalidBufferSize;
  std::memset(static_cast<void*>(info), 0, sizeof(Info));
  info->cbStruct = sizeof(Info);
  return Status::success();
}

// A client path, absolute against the process's working directory. NULL or empty →
// kInvalidParameter.
template <typename Char>
Result<std::string> input_path(const Char* path, io::FileSystem& file_system) {
  if (path == nullptr) return Status(Error::kInvalidParameter);
  Result<std::string> text = input_string(path, TextKind::kPath);
  if (!text.ok()) return text.status();
  if (text->empty()) return Status(Error::kInvalidParameter);
  Result<std::string> cwd = file_system.current_directory();
  if (!cwd.ok()) return cwd.status();
  return normalize_path(*text, *cwd);
}

template <typename Char>
Status log_file_info(const Char* path, ESENT_LOGFILEINFO* info, JET_UINT32 cb_max) {
  ESENT_RETURN_IF_ERROR(prepare(info, cb_max));
  std::shared_ptr<io::FileSystem> file_system = registry().file_system();
  Result<std::string> full_path = input_path(path, *file_system);
  if (!full_path.ok()) return full_path.status();
  engine::LogFileReport report;
  Status status = engine::inspect_log_file(*file_system, *full_path, report);
  if (!status.ok() && status.error() != Error::kLogReadVerifyFailure) return status;
  const log::LogHeader& header = report.header;
  info->ulFormatVersion = header.version;
  info->ulGeneration = header.generation;
  info->cbFile = static_cast<JET_UINT32>(header.file_size_bytes());
  info->cbSector = log::kSectorBytes;
  info->csecHeader = log::kHeaderSectors;
  info->cbDatabasePage = header.page_size_bytes;
  info->grbitFlags = (header.flags & log::kHeaderFlagCircular) != 0 ? ESENT_bitLogCircular : 0;
  info->isecPreviousEnd = header.previous_end_sector;
  info->signLog = to_jet(header.signature);
  info->logtimeCreate = to_jet(header.created);
  info->logtimePrevGen = to_jet(header.previous_created);
  info->lgposCheckpoint = to_jet(header.checkpoint);
  info->csecChecked = report.sectors_checked;
  info->isecEndOfData = report.end_sector;
  info->fIntact = report.intact ? 1 : 0;
  info->lgposFirstDamaged = to_jet(report.first_damaged);
  return status;
}

template <typename Char>
Status checkpoint_info(const Char* path, ESENT_CHECKPOINTINFO* info, JET_UINT32 cb_max) {
  ESENT_RETURN_IF_ERROR(prepare(info, cb_max));
  std::shared_ptr<io::FileSystem> file_system = registry().file_system();
  Result<std::string> full_path = input_path(path, *file_system);
  if (!full_path.ok()) return full_path.status();
  Result<log::CheckpointData> data = log::read_checkpoint(*file_system, *full_path);
  if (!data.ok()) return data.status();
  info->genLastAtWrite = data->last_generation_at_write;
  info->lgposCheckpoint = to_jet(data->checkpoint);
  info->signLog = to_jet(data->log_signature);
  info->fCleanShutdown = data->clean_shutdown ? 1 : 0;
  info->cDatabases = static_cast<JET_UINT32>(data->attached.size());
  info->bkinfoFullPrev = to_jet(data->full_backup);
  info->bkinfoIncPrev = to_jet(data->incremental_backup);
  info->bkinfoDiffPrev = to_jet(data->differential_backup);
  info->bkinfoCopyPrev = to_jet(data->copy_backup);
  return Status::success();
}

template <typename Char, typename Info>
Status checkpoint_database_info(const Char* path, JET_UINT32 index, Info* info, JET_UINT32 cb_max) {
  ESENT_RETURN_IF_ERROR(prepare(info, cb_max));
  std::shared_ptr<io::FileSystem> file_system = registry().file_system();
  Result<std::string> full_path = input_path(path, *file_system);
  if (!full_path.ok()) return full_path.status();
  Result<log::CheckpointData> data = log::read_checkpoint(*file_system, *full_path);
  if (!data.ok()) return data.status();
  if (index >= data->attached.size()) return Error::kInvalidParameter;
  const log::AttachedDatabase& database = data->attached[index];
  info->dbid = database.dbid;
  info->signDb = to_jet(database.database_signature);
  info->lgposAttach = to_jet(database.attached_at);
  info->grbitFlags = database.flags;
  if constexpr (std::is_same_v<Info, ESENT_CHECKPOINTDBINFO_A>) {
    return output_string(database.path, info->szPath, sizeof info->szPath);
  } else {
    return output_string(database.path, info->wszPath, sizeof info->wszPath);
  }
}

void fill_checksum_info(const engine::ChecksumReport& report, ESENT_CHECKSUMINFO* info) {
  info->cbBlock = report.block_bytes;
  info->cBlocksChecked = report.blocks_checked;
  info->cBlocksBad = report.blocks_bad;
  info->cBlocksEmpty = report.blocks_empty;
  info->cFiles = report.files;
  info->genFirst = report.generation_first;
  info->genLast = report.generation_last;
  info->pgnoFirstBad = report.first_bad_page;
  info->errFirstBad =
      report.first_bad_error == Error::kSuccess ? 0 : to_jet_err(report.first_bad_error);
  info->lgposFirstBad = to_jet(report.first_bad_position);
}

template <typename Char>
JET_ERR checksum_database(const Char* path, JET_PFNSTATUS callback, ESENT_CHECKSUMINFO* info,
                          JET_UINT32 cb_max) {
  Status prepared = prepare(info, cb_max);
  if (!prepared.ok()) return to_jet_err(prepared);
  info->pgnoFirstBad = ESENT_pgnoNone;
  std::shared_ptr<io::FileSystem> file_system = registry().file_system();
  Result<std::string> full_path = input_path(path, *file_system);
  if (!full_path.ok()) return to_jet_err(full_path.status());
  StatusCallback status_callback(callback, ESENT_snpChecksum);
  engine::ChecksumReport report;
  Status status =
      engine::checksum_database(*file_system, *full_path, status_callback.progress(), report);
  fill_checksum_info(report, info);
  return status_callback.finish(status);
}

template <typename Char>
JET_ERR checksum_logs(const Char* folder, const Char* base_name, JET_PFNSTATUS callback,
                      ESENT_CHECKSUMINFO* info, JET_UINT32 cb_max) {
  Status prepared = prepare(info, cb_max);
  if (!prepared.ok()) return to_jet_err(prepared);
  info->pgnoFirstBad = ESENT_pgnoNone;
  std::shared_ptr<io::FileSystem> file_system = registry().file_system();
  Result<std::string> full_folder = input_path(folder, *file_system);
  if (!full_folder.ok()) return to_jet_err(full_folder.status());
  Result<std::string> base = input_string(base_name);
  if (!base.ok()) return to_jet_err(base.status());
  if (base->empty()) *base = "edb";
  if (base->find('/') != std::string::npos) return JET_errInvalidParameter;
  StatusCallback status_callback(callback, ESENT_snpChecksum);
  engine::ChecksumReport report;
  Status status =
      engine::checksum_logs(*file_system, *full_folder, *base, status_callback.progress(), report);
  fill_checksum_info(report, info);
  info->pgnoFirstBad = ESENT_pgnoNone;
  return status_callback.finish(status);
}

}  // namespace
}  // namespace esent::api

using esent::api::guarded;
using esent::api::guarded_raw;

extern "C" {

JET_ERR JET_API EsentGetLogFileInfoA(JET_PCSTR path, ESENT_LOGFILEINFO* info, JET_UINT32 cb_max) {
  return guarded(__func__, [&] { return esent::api::log_file_info(path, info, cb_max); });
}
JET_ERR JET_API EsentGetLogFileInfoW(JET_PCWSTR path, ESENT_LOGFILEINFO* info, JET_UINT32 cb_max) {
  return guarded(__func__, [&] { return esent::api::log_file_info(path, info, cb_max); });
}

JET_ERR JET_API EsentGetCheckpointFileInfoA(JET_PCSTR path, ESENT_CHECKPOINTINFO* info,
                                            JET_UINT32 cb_max) {
  return guarded(__func__, [&] { return esent::api::checkpoint_info(path, info, cb_max); });
}
JET_ERR JET_API EsentGetCheckpointFileInfoW(JET_PCWSTR path, ESENT_CHECKPOINTINFO* info,
                                            JET_UINT32 cb_max) {
  return guarded(__func__, [&] { return esent::api::checkpoint_info(path, info, cb_max); });
}

JET_ERR JET_API EsentGetCheckpointDatabaseInfoA(JET_PCSTR path, JET_UINT32 index,
                                                ESENT_CHECKPOINTDBINFO_A* info, JET_UINT32 cb_max) {
  return guarded(__func__,
                 [&] { return esent::api::checkpoint_database_info(path, index, info, cb_max); });
}
JET_ERR JET_API EsentGetCheckpointDatabaseInfoW(JET_PCWSTR path, JET_UINT32 index,
                                                ESENT_CHECKPOINTDBINFO_W* info, JET_UINT32 cb_max) {
  return guarded(__func__,
                 [&] { return esent::api::checkpoint_database_info(path, index, info, cb_max); });
}

JET_ERR JET_API EsentChecksumDatabaseA(JET_PCSTR path, JET_PFNSTATUS pfn, ESENT_CHECKSUMINFO* info,
                                       JET_UINT32 cb_max) {
  return guarded_raw(__func__,
                     [&] { return esent::api::checksum_database(path, pfn, info, cb_max); });
}
JET_ERR JET_API EsentChecksumDatabaseW(JET_PCWSTR path, JET_PFNSTATUS pfn, ESENT_CHECKSUMINFO* info,
                                       JET_UINT32 cb_max) {
  return guarded_raw(__func__,
                     [&] { return esent::api::checksum_database(path, pfn, info, cb_max); });
}

JET_ERR JET_API EsentChecksumLogsA(JET_PCSTR folder, JET_PCSTR base_name, JET_PFNSTATUS pfn,
                                   ESENT_CHECKSUMINFO* info, JET_UINT32 cb_max) {
  return guarded_raw(
      __func__, [&] { return esent::api::checksum_logs(folder, base_name, pfn, info, cb_max); });
}
JET_ERR JET_API EsentChecksumLogsW(JET_PCWSTR folder, JET_PCWSTR base_name, JET_PFNSTATUS pfn,
                                   ESENT_CHECKSUMINFO* info, JET_UINT32 cb_max) {
  return guarded_raw(
      __func__, [&] { return esent::api::checksum_logs(folder, base_name, pfn, info, cb_max); });
}

}  // extern "C"
