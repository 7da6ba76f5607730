// TempTables: the instance's temporary database and the list tables made in it.
//
// ESE answers JetGetTableColumnInfo(JET_ColInfoList), JetGetTableIndexInfo(JET_IdxInfoList) and
// JetGetObjectInfo(JET_ObjInfoList) with a JET_TABLEID of a temporary table. Ours are real
// tables in one temporary database per instance:
//   * the file is JET_paramTempPath (a folder — a path ending in '/' or naming an existing
//     directory — means "<folder>/tmp.edb"); it is created, with overwrite, on the first
//     list table the instance needs, and never before;
//   * it is attached only here: JetAttachDatabase, JetOpenDatabase and the JET_DBID space do not
//     see it;
//   * each list table gets a unique generated name; it is deleted when its last cursor goes
//     (drop(), called from the table handle's close hook);
//   * close() (instance termination) closes the database and removes the file.
//
// State machine: kEmpty --first create_table()--> kOpen --close()--> kClosed. After close()
// create_table() fails with kTermInProgress and drop() does nothing.
//
// Thread-safety: every method may be called from any thread; `mutex_` serialises them (list
// tables are small and rare; holding the mutex across their creation is acceptable).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cache/buffer_cache.h"
#include "catalog/database.h"
#include "catalog/schema.h"
#include "io/file_system.h"
#include "util/status.h"

namespace esent::engine {

class TempTables {
 public:
  // `temp_path` is JET_paramTempPath as the instance holds it (absolute, '/'-separated; empty
  // means "tmp.edb" in `working_directory`). `cache` must outlive this object's open state
  // (close() is called before the cache is freed).
  TempTables(std::shared_ptr<io::FileSystem> file_system, cache::BufferCache& cache,
             std::string temp_path, std::string working_directory, std::uint32_t page_size_bytes);
  ~TempTables();
  TempTables(const TempTables&) = delete;
  TempTables& operator=(const TempTables&) = delete;

  // The file the temporary database lives in (resolved; it may not exist yet).
  Result<std::string> database_path() const;

  // Creates an empty table with `columns` (ids are filled in) and no index: rows come back in
  // the order they are inserted. Opens the temporary database first if needed.
  // Errors: the database creation errors (kInvalidPath, kFileAccessDenied, kDiskFull ...),
  // kTermInProgress after close().
  Result<std::shared_ptr<catalog::Table>> create_table(std::vector<catalog::ColumnDef>& columns);

  // The temporary database, or null before the first create_table (and after close()).
  std::shared_ptr<catalog::Database> database();

  // Deletes a table made by create_table (no cursor may be open on it any more). Failures are
  // ignored: the whole file goes at close() anyway.
  void drop(const std::string& name);

  // Closes the database (if it was ever opened) and removes its file. Idempotent.
  Status close();

 private:
  Status open_locked();

  const std::shared_ptr<io::FileSystem> file_system_;
  cache::BufferCache& cache_;
  const std::string temp_path_;
  const std::string working_directory_;
  const std::uint32_t page_size_bytes_;

  std::mutex mutex_;
  std::shared_ptr<catalog::Database> database_;
  std::string open_path_;
  std::uint64_t next_table_number_ = 1;
  bool closed_ = false;
};

}  // namespace esent::engine
