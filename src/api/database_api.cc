// Databases: create, attach, detach, open, close, and their information.
//
// Paths are normalised against the process's working directory ('\' and '/' both separate)
// and compared in that form, so "db\\x.edb" and "./db/x.edb" name one attachment.
#include <cstring>

#include "api/database_info.h"
#include "api/guard.h"
#include "api/handles.h"
#include "api/jet.h"
#include "api/strings.h"
#include "cache/header_io.h"
#include "engine/param_table.h"
#include "io/file_system.h"
#include "util/path.h"

namespace esent::api {
namespace {

constexpr JET_GRBIT kCreateGrbits = JET_bitDbRecoveryOff | JET_bitDbShadowingOff |
                                    JET_bitDbOverwriteExisting | 0x00000040 /* VersioningOff */;
constexpr JET_GRBIT kAttachGrbits = JET_bitDbReadOnly | JET_bitDbExclusive |
                                    JET_bitDbDeleteCorruptIndexes | JET_bitDbDeleteUnicodeIndexes |
                                    JET_bitDbUpgrade | JET_bitDbEnableBackgroundMaintenance |
                                    JET_bitDbPurgeCacheOnAttach;

// JetCreateDatabase2 docs: "The current maximum is 2147483646 (0x7ffffffe)" pages.
constexpr JET_UINT32 kDatabasePagesMost = 0x7ffffffe;

// JetSetDatabaseSize docs: below 256 pages is JET_errInvalidParameter.
constexpr JET_UINT32 kSetSizePagesLeast = 256;

// A database name: NULL or empty is JET_errDatabaseInvalidPath, as ESE.
template <typename Char>
Result<std::string> database_path(const Char* name, const engine::Instance& instance) {
  if (name == nullptr) return Status(Error::kDatabaseInvalidPath, "no database name");
  Result<std::string> text = input_path(name);
  if (!text.ok()) return text.status();
  if (text->empty()) return Status(Error::kDatabaseInvalidPath, "empty database name");
  return normalize_path(text.value(), instance.working_directory());
}

template <typename Char>
Status create_database(JET_SESID sesid, const Char* name, JET_UINT32 max_pages, JET_DBID* pdbid,
                       JET_GRBIT grbit) {
  Result<SessionCall> call = enter_session(sesid);
  if (!call.ok()) return call.status();
  if (pdbid == nullptr) return Error::kInvalidParameter;
  if ((grbit & ~kCreateGrbits) != 0) return Error::kInvalidGrbit;
  if (max_pages > kDatabasePagesMost) return Error::kDatabaseInvalidPages;
  Result<std::string> path = database_path(name, *call->instance);
  if (!path.ok()) return path.status();
  catalog::DatabaseOptions options;
  options.page_size = call->instance->page_size_bytes();
  options.max_pages = max_pages;
  options.overwrite = (grbit & JET_bitDbOverwriteExisting) != 0;
  // With JET_paramCreatePathIfNotExist, missing folders on the way are made.
  if (call->instance->param(engine::param_id::kCreatePathIfNotExist).number != 0) {
    ESENT_RETURN_IF_ERROR(call->instance->file_system()->create_directories(parent_directory(path.value())));
  }
  Result<std::uint32_t> dbid = call->instance->databases().create(path.value(), options, sesid);
  if (!dbid.ok()) return dbid.status();
  call->session->add_open_database(dbid.value());
  *pdbid = dbid.value();
  return Status::success();
}

template <typename Char>
Status attach_database(JET_SESID sesid, const Char* name, JET_UINT32 max_pages, JET_GRBIT grbit) {
  Result<SessionCall> call = enter_session(sesid);
  if (!call.ok()) return call.status();
  if ((grbit & ~kAttachGrbits) != 0) return Error::kInvalidGrbit;
  if (max_pages > kDatabasePagesMost) return Error::kDatabaseInvalidPages;
  Result<std::string> path = database_path(name, *call->instance);
  if (!path.ok()) return path.status();
  catalog::DatabaseOptions options;
  options.page_size = call->instance->page_size_bytes();
  options.max_pages = max_pages;
  options.read_only = (grbit & JET_bitDbReadOnly) != 0;
  return call->instance->databases().attach(path.value(), options);
}

template <typename Char>
Status detach_database(JET_SESID sesid, const Char* name, JET_GRBIT grbit) {
  Result<SessionCall> call = enter_session(sesid);
  if (!call.ok()) return call.status();
  if ((grbit & ~JET_GRBIT{JET_bitForceCloseAndDetach}) != 0) return Error::kInvalidGrbit;
  // ESE refuses a detach inside a transaction (JET_errInTransaction): the transaction's undo
  // journal may still reach the database's catalog (a rollback after the detach used it freed).
  if (call->session->transaction_level() > 0) return Error::kInTransaction;
  // NULL or "" detaches every database.
  std::string path;
  if (name != nullptr) {
    Result<std::string> text = input_path(name);
    if (!text.ok()) return text.status();
    if (!text->empty()) path = normalize_path(text.value(), call->instance->working_directory());
  }
  return call->instance->databases().detach(path);
}

template <typename Char>
Status open_database(JET_SESID sesid, const Char* name, JET_DBID* pdbid, JET_GRBIT grbit) {
  Result<SessionCall> call = enter_session(sesid);
  if (!call.ok()) return call.status();
  if (pdbid == nullptr) return Error::kInvalidParameter;
  if ((grbit & ~static_cast<JET_GRBIT>(JET_bitDbReadOnly | JET_bitDbExclusive)) != 0) return Error::kInvalidGrbit;
  Result<std::string> path = database_path(name, *call->instance);
  if (!path.ok()) return path.status();
  Status warning;
  Result<std::uint32_t> dbid = call->instance->databases().open(
      path.value(), sesid, (grbit & JET_bitDbExclusive) != 0, (grbit & JET_bitDbReadOnly) != 0,
      &warning);
  if (!dbid.ok()) return dbid.status();
  call->session->add_open_database(dbid.value(), (grbit & JET_bitDbReadOnly) != 0);
  *pdbid = dbid.value();
  return warning;
}

Status close_database(JET_SESID sesid, JET_DBID dbid, JET_GRBIT) {
  Result<SessionCall> call = enter_session(sesid, engine::Admission::kIgnoreStopService);
  if (!call.ok()) return call.status();
  if (!call->session->remove_open_database(dbid)) return Error::kInvalidDatabaseId;
  return call->instance->databases().close(dbid, sesid);
}

// A fixed-size result: ESE wants exactly its size (JET_errInvalidBufferSize otherwise).
template <typename T>
Status put(const T& value, void* out, JET_UINT32 cb_max) {
  if (out == nullptr) return Error::kInvalidParameter;
  if (cb_max != sizeof(T)) return Error::kInvalidBufferSize;
  std::memcpy(out, &value, sizeof(T));
  return Status::success();
}

// JetGetDatabaseFileInfo reads the header of a database file that need not be attached (and
// takes no lock, so it also works on a file an instance has open).
template <typename Char>
Status database_file_info(const Char* name, void* out, JET_UINT32 cb_max, JET_UINT32 level) {
  if (name == nullptr || out == nullptr) return Error::kInvalidParameter;
  Result<std::string> text = input_path(name);
  if (!text.ok()) return text.status();
  std::shared_ptr<io::FileSystem> file_system = io::posix_file_system();
  Result<std::string> cwd = file_system->current_directory();
  if (!cwd.ok()) return cwd.status();
  std::string path = normalize_path(text.value(), cwd.value());
  io::OpenOptions options;
  Result<std::unique_ptr<io::File>> file = file_system->open_file(path, options);
  if (!file.ok()) return file.status();
  switch (level) {
    case JET_DbInfoFilesize:
    case JET_DbInfoFilesizeOnDisk: {
      Result<std::uint64_t> size = (*file)->size();
      if (!size.ok()) return size.status();
      return put(static_cast<std::uint64_t>(size.value()), out, cb_max);
    }
    case JET_DbInfoFileType: {
      JET_UINT32 type = JET_filetypeDatabase;
      return put(type, out, cb_max);
    }
    default:
      break;
  }
  Result<page::DatabaseHeader> header = cache::read_database_header(**file, 0);
  if (!header.ok()) return header.status();
  switch (level) {
    case JET_DbInfoPageSize:
      return put(static_cast<JET_UINT32>(header->page_size_bytes), out, cb_max);
    case JET_DbInfoMisc:
      return fill_dbinfomisc(header.value(), out, cb_max);
    default:
      return Error::kInvalidParameter;
  }
}

template <typename Char>
Status database_info(JET_SESID sesid, JET_DBID dbid, void* out, JET_UINT32 cb_max,
                     JET_UINT32 level) {
  Result<DatabaseCall> call = enter_database(sesid, dbid);
  if (!call.ok()) return call.status();
  if (out == nullptr) return Error::kInvalidParameter;
  cache::DatabaseFile& file = call->database->file();
  switch (level) {
    case JET_DbInfoFilename:
      return output_string(call->database->path(), static_cast<Char*>(out), cb_max);
    case JET_DbInfoConnect:
      return output_string(std::string(), static_cast<Char*>(out), cb_max);
    case JET_DbInfoCountry:
    case JET_DbInfoCp:
      return put(static_cast<JET_UINT32>(level == JET_DbInfoCp ? 1252 : 1), out, cb_max);
    case JET_DbInfoLCID:
      return put(static_cast<JET_UINT32>(1033), out, cb_max);
    case JET_DbInfoOptions:
      return put(static_cast<JET_UINT32>(call->database->read_only() ? JET_bitDbReadOnly : 0), out, cb_max);
    case JET_DbInfoTransactions:
      return put(static_cast<JET_UINT32>(engine::kMaxTransactionLevel), out, cb_max);
    case JET_DbInfoVersion:
      return put(static_cast<JET_UINT32>(file.header().format_version), out, cb_max);
    case JET_DbInfoFilesize:
      return put(static_cast<JET_UINT32>(file.size_pages()), out, cb_max);
    case JET_DbInfoSpaceOwned:
      return put(static_cast<JET_UINT32>(file.size_pages()), out, cb_max);
    case JET_DbInfoSpaceAvailable:
      return put(static_cast<JET_UINT32>(file.free_page_count()), out, cb_max);
    case JET_DbInfoPageSize:
      return put(static_cast<JET_UINT32>(file.page_size()), out, cb_max);
    case JET_DbInfoMisc:
      return fill_dbinfomisc(file.header(), out, cb_max);
    case JET_DbInfoFileType:
      return put(static_cast<JET_UINT32>(JET_filetypeDatabase), out, cb_max);
    default:
      return Error::kInvalidParameter;
  }
}

// JetSetDatabaseSize grows a database file that is not attached (ESE's "unopened database";
// one attached by this instance is grown in place). The file must have been shut down cleanly.
template <typename Char>
Status set_database_size(JET_SESID sesid, const Char* name, JET_UINT32 pages, JET_UINT32* real) {
  Result<SessionCall> call = enter_session(sesid);
  if (!call.ok()) return call.status();
  Result<std::string> path = database_path(name, *call->instance);
  if (!path.ok()) return path.status();
  if (pages < kSetSizePagesLeast) return Error::kInvalidParameter;
  Result<std::uint32_t> size =
      call->instance->databases().grow(path.value(), pages, call->instance->page_size_bytes());
  if (!size.ok()) return size.status();
  if (real != nullptr) *real = size.value();
  return Status::success();
}

}  // namespace
}  // namespace esent::api

using esent::api::guarded;
namespace api = esent::api;

extern "C" {

JET_ERR JET_API JetCreateDatabaseA(JET_SESID sesid, JET_PCSTR szFilename, JET_PCSTR, JET_DBID* pdbid,
                                   JET_GRBIT grbit) {
  return guarded(__func__, [&] { return api::create_database(sesid, szFilename, 0, pdbid, grbit); });
}
ESENT_EXPORT_PLAIN_NAME(JetCreateDatabase, JetCreateDatabaseA);

JET_ERR JET_API JetCreateDatabaseW(JET_SESID sesid, JET_PCWSTR szFilename, JET_PCWSTR,
                                   JET_DBID* pdbid, JET_GRBIT grbit) {
  return guarded(__func__, [&] { return api::create_database(sesid, szFilename, 0, pdbid, grbit); });
}

JET_ERR JET_API JetCreateDatabase2A(JET_SESID sesid, JET_PCSTR szFilename,
                                    const JET_UINT32 cpgDatabaseSizeMax, JET_DBID* pdbid,
                                    JET_GRBIT grbit) {
  return guarded(__func__, [&] {
    return api::create_database(sesid, szFilename, cpgDatabaseSizeMax, pdbid, grbit);
  });
}
ESENT_EXPORT_PLAIN_NAME(JetCreateDatabase2, JetCreateDatabase2A);

JET_ERR JET_API JetCreateDatabase2W(JET_SESID sesid, JET_PCWSTR szFilename,
                                    const JET_UINT32 cpgDatabaseSizeMax, JET_DBID* pdbid,
                                    JET_GRBIT grbit) {
  return guarded(__func__, [&] {
    return api::create_database(sesid, szFilename, cpgDatabaseSizeMax, pdbid, grbit);
  });
}

JET_ERR JET_API JetAttachDatabaseA(JET_SESID sesid, JET_PCSTR szFilename, JET_GRBIT grbit) {
  return guarded(__func__, [&] { return api::attach_database(sesid, szFilename, 0, grbit); });
}
ESENT_EXPORT_PLAIN_NAME(JetAttachDatabase, JetAttachDatabaseA);

JET_ERR JET_API JetAttachDatabaseW(JET_SESID sesid, JET_PCWSTR szFilename, JET_GRBIT grbit) {
  return guarded(__func__, [&] { return api::attach_database(sesid, szFilename, 0, grbit); });
}

JET_ERR JET_API JetAttachDatabase2A(JET_SESID sesid, JET_PCSTR szFilename,
                                    const JET_UINT32 cpgDatabaseSizeMax, JET_GRBIT grbit) {
  return guarded(__func__, [&] {
    return api::attach_database(sesid, szFilename, cpgDatabaseSizeMax, grbit);
  });
}
ESENT_EXPORT_PLAIN_NAME(JetAttachDatabase2, JetAttachDatabase2A);

JET_ERR JET_API JetAttachDatabase2W(JET_SESID sesid, JET_PCWSTR szFilename,
                                    const JET_UINT32 cpgDatabaseSizeMax, JET_GRBIT grbit) {
  return guarded(__func__, [&] {
    return api::attach_database(sesid, szFilename, cpgDatabaseSizeMax, grbit);
  });
}

JET_ERR JET_API JetDetachDatabaseA(JET_SESID sesid, JET_PCSTR szFilename) {
  return guarded(__func__, [&] { return api::detach_database(sesid, szFilename, 0); });
}
ESENT_EXPORT_PLAIN_NAME(JetDetachDatabase, JetDetachDatabaseA);

JET_ERR JET_API JetDetachDatabaseW(JET_SESID sesid, JET_PCWSTR szFilename) {
  return guarded(__func__, [&] { return api::detach_database(sesid, szFilename, 0); });
}

JET_ERR JET_API JetDetachDatabase2A(JET_SESID sesid, JET_PCSTR szFilename, JET_GRBIT grbit) {
  return guarded(__func__, [&] { return api::detach_database(sesid, szFilename, grbit); });
}
ESENT_EXPORT_PLAIN_NAME(JetDetachDatabase2, JetDetachDatabase2A);

JET_ERR JET_API JetDetachDatabase2W(JET_SESID sesid, JET_PCWSTR szFilename, JET_GRBIT grbit) {
  return guarded(__func__, [&] { return api::detach_database(sesid, szFilename, grbit); });
}

JET_ERR JET_API JetOpenDatabaseA(JET_SESID sesid, JET_PCSTR szFilename, JET_PCSTR, JET_DBID* pdbid,
                                 JET_GRBIT grbit) {
  return guarded(__func__, [&] { return api::open_database(sesid, szFilename, pdbid, grbit); });
}
ESENT_EXPORT_PLAIN_NAME(JetOpenDatabase, JetOpenDatabaseA);

JET_ERR JET_API JetOpenDatabaseW(JET_SESID sesid, JET_PCWSTR szFilename, JET_PCWSTR,
                                 JET_DBID* pdbid, JET_GRBIT grbit) {
  return guarded(__func__, [&] { return api::open_database(sesid, szFilename, pdbid, grbit); });
}

JET_ERR JET_API JetCloseDatabase(JET_SESID sesid, JET_DBID dbid, JET_GRBIT grbit) {
  return guarded(__func__, [&] { return api::close_database(sesid, dbid, grbit); });
}

JET_ERR JET_API JetGetDatabaseFileInfoA(JET_PCSTR szDatabaseName, JET_PVOID pvResult,
                                        JET_UINT32 cbMax, JET_UINT32 InfoLevel) {
  return guarded(__func__, [&] {
    return api::database_file_info(szDatabaseName, pvResult, cbMax, InfoLevel);
  });
}
ESENT_EXPORT_PLAIN_NAME(JetGetDatabaseFileInfo, JetGetDatabaseFileInfoA);

JET_ERR JET_API JetGetDatabaseFileInfoW(JET_PCWSTR szDatabaseName, JET_PVOID pvResult,
                                        JET_UINT32 cbMax, JET_UINT32 InfoLevel) {
  return guarded(__func__, [&] {
    return api::database_file_info(szDatabaseName, pvResult, cbMax, InfoLevel);
  });
}

JET_ERR JET_API JetGetDatabaseInfoA(JET_SESID sesid, JET_DBID dbid, JET_PVOID pvResult,
                                    JET_UINT32 cbMax, JET_UINT32 InfoLevel) {
  return guarded(__func__, [&] {
    return api::database_info<char>(sesid, dbid, pvResult, cbMax, InfoLevel);
  });
}
ESENT_EXPORT_PLAIN_NAME(JetGetDatabaseInfo, JetGetDatabaseInfoA);

JET_ERR JET_API JetGetDatabaseInfoW(JET_SESID sesid, JET_DBID dbid, JET_PVOID pvResult,
                                    JET_UINT32 cbMax, JET_UINT32 InfoLevel) {
  return guarded(__func__, [&] {
    return api::database_info<JET_WCHAR>(sesid, dbid, pvResult, cbMax, InfoLevel);
  });
}

JET_ERR JET_API JetSetDatabaseSizeA(JET_SESID sesid, JET_PCSTR szDatabaseName, JET_UINT32 cpg,
                                    JET_UINT32* pcpgReal) {
  return guarded(__func__, [&] { return api::set_database_size(sesid, szDatabaseName, cpg, pcpgReal); });
}
ESENT_EXPORT_PLAIN_NAME(JetSetDatabaseSize, JetSetDatabaseSizeA);

JET_ERR JET_API JetSetDatabaseSizeW(JET_SESID sesid, JET_PCWSTR szDatabaseName, JET_UINT32 cpg,
                                    JET_UINT32* pcpgReal) {
  return guarded(__func__, [&] { return api::set_database_size(sesid, szDatabaseName, cpg, pcpgReal); });
}

}  // extern "C"
