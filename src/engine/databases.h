// Databases: the databases attached to one instance, and who has them open.
//
// ESE's model: a database is attached to an instance (JetAttachDatabase / JetCreateDatabase,
// instance-wide, by path) and opened by sessions (JetOpenDatabase / JetCreateDatabase return a
// JET_DBID). The JET_DBID is the attachment's number in the instance, the same for every session
// (as ESE's IFMP is). Detach requires that no session has the database open (kDatabaseInUse).
//
// Thread-safety: all methods may be called from any thread; `mutex_` guards the tables, and is
// never held across file I/O except for create/attach/detach of one database, which are rare.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cache/buffer_cache.h"
#include "catalog/database.h"
#include "io/file_system.h"
#include "util/status.h"

namespace esent::engine {

// The largest JET_DBID handed out; ESE allows 7 user databases per instance by default
// (JET_paramMaxDatabasesOpen... we allow more, see docs/compat.md).
inline constexpr std::uint32_t kMaxAttachedDatabases = 64;

struct Attachment {
  std::uint32_t dbid = 0;
  std::string path;  // absolute, normalized
  std::shared_ptr<catalog::Database> database;
  std::uint32_t open_count = 0;  // JetOpenDatabase calls not yet closed, over all sessions
};

class Databases {
 public:
  Databases(std::shared_ptr<io::FileSystem> file_system, cache::BufferCache& cache);

  // JetCreateDatabase: creates, attaches. kDatabaseDuplicate when the path is attached or exists
  // (and not overwrite).
  Result<std::uint32_t> create(const std::string& path, const catalog::DatabaseOptions& options);
  // JetAttachDatabase: kWarnDatabaseAttached (a success) if already attached.
  Status attach(const std::string& path, const catalog::DatabaseOptions& options);
  // JetDetachDatabase: kDatabaseNotFound, kDatabaseInUse. An empty path detaches all.
  Status detach(const std::string& path);
  // JetOpenDatabase: counts an open; kDatabaseNotFound when not attached.
  Result<std::uint32_t> open(const std::string& path);
  // JetCloseDatabase: kInvalidDatabaseId.
  Status close(std::uint32_t dbid);

  std::shared_ptr<catalog::Database> find(std::uint32_t dbid) const;
  Result<std::shared_ptr<catalog::Database>> find_open(std::uint32_t dbid) const;
  std::vector<Attachment> list() const;

  // Detaches everything (JetTerm): flushes and closes every database; returns the first error.
  Status close_all();
  // Forgets every database without flushing (JET_bitTermDirty): the files stay as a crash
  // would leave them.
  Status abandon_all();

 private:
  std::shared_ptr<io::FileSystem> file_system_;
  cache::BufferCache& cache_;
  mutable std::mutex mutex_;
  std::map<std::uint32_t, Attachment> attachments_;  // by dbid
  std::uint32_t next_dbid_ = 1;
};

}  // namespace esent::engine
