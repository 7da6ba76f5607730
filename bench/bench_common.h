// What the benchmark programs share (esent-bench-backup, esent-bench-restore, esent-bench-commit,
// esent-bench-storage): failure reporting, timing, a fresh temporary folder, file helpers (size,
// page-cache eviction), the libesent instance, schema and per-thread cursor they build their
// workloads on, and the streaming-backup read loop. Header-only; everything is in namespace
// bench. Nothing here is timed by itself: each program decides what its clock
// covers, so moving code here changes no figure.
//
// Failure contract: every engine error or failed check throws BenchFailure; each program's main
// reports it and exits with status 1.
#pragma once

#include <esent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace bench {

// Every program uses 4 KiB database pages.
inline constexpr std::uint32_t kPageSizeBytes = 4096;

struct BenchFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Throws BenchFailure naming `what` when a libesent call returned an error (warnings pass).
inline void Check(JET_ERR err, const char* what) {
  if (err < JET_errSuccess) {
    throw BenchFailure(std::string("libesent: ") + what + " failed with " + std::to_string(err));
  }
}

inline double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The element at index size/2 of the sorted values (the median for an odd count, the upper of
// the two middle values for an even one); 0 for no values.
inline double UpperMedian(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// "1,4,16" -> {1, 4, 16}; empty items are skipped. Throws std::logic_error on a bad number.
inline std::vector<std::uint32_t> ParseList(const std::string& text) {
  std::vector<std::uint32_t> values;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = text.find(',', start);
    const std::string item =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!item.empty()) values.push_back(static_cast<std::uint32_t>(std::stoul(item)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return values;
}

inline double Mib(std::uint64_t bytes) { return static_cast<double>(bytes) / 1048576.0; }

inline std::uint64_t FileBytes(const std::string& path) {
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) throw BenchFailure("stat " + path);
  return static_cast<std::uint64_t>(status.st_size);
}

// Writes the file's dirty pages and drops the file from the OS page cache (this file only; no
// root needed, unlike a global drop_caches).
inline void EvictFromPageCache(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw BenchFailure("open " + path);
  (void)::fdatasync(fd);
  (void)::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  ::close(fd);
}

// Pages of the file held in the OS page cache, as a fraction (mincore over a mapping): shows
// that "cold" and "warm" are what they say.
inline double ResidentFraction(const std::string& path) {
  const std::uint64_t bytes = FileBytes(path);
  if (bytes == 0) return 0;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw BenchFailure("open " + path);
  void* mapping = ::mmap(nullptr, bytes, PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);
  if (mapping == MAP_FAILED) throw BenchFailure("mmap " + path);
  const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  std::vector<unsigned char> resident((bytes + page - 1) / page);
  const int rc = ::mincore(mapping, bytes, resident.data());
  ::munmap(mapping, bytes);
  if (rc != 0) throw BenchFailure("mincore " + path);
  std::size_t count = 0;
  for (unsigned char flag : resident) count += flag & 1u;
  return static_cast<double>(count) / static_cast<double>(resident.size());
}

// The payload bytes of a row: a function of `seed` only (the key, or the key and a version).
inline void FillPayload(std::int32_t seed, unsigned char* payload, std::uint32_t bytes) {
  std::uint32_t state = static_cast<std::uint32_t>(seed) * 2654435761u + 1u;
  for (std::uint32_t i = 0; i < bytes; ++i) {
    state = state * 1103515245u + 12345u;
    payload[i] = static_cast<unsigned char>(state >> 24);
  }
}

// Splits a double-NUL-terminated multi-string.
inline std::vector<std::string> SplitMultiString(const char* text, std::size_t bytes) {
  std::vector<std::string> items;
  std::size_t at = 0;
  while (at < bytes && text[at] != '\0') {
    const std::size_t length = ::strnlen(text + at, bytes - at);
    items.emplace_back(text + at, length);
    at += length + 1;
  }
  return items;
}

// A fresh empty folder <parent>/esent-<tag>-XXXXXX, removed with its contents by the destructor.
class TempFolder {
 public:
  TempFolder(const std::string& parent, const std::string& tag) {
    std::string pattern = parent + "/esent-" + tag + "-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) throw BenchFailure("mkdtemp " + pattern);
    path_ = pattern;
  }
  ~TempFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The parameters of one instance whose files all live in one folder. A zero (or false) leaves
// that parameter at the engine's default, unset.
struct InstanceOptions {
  std::string name_prefix;  // the instance is <name_prefix><counter>
  std::uint64_t cache_mib = 0;
  bool recovery = true;
  bool circular_log_off = false;  // set JET_paramCircularLog to 0 explicitly
  JET_API_PTR log_file_kib = 0;
  JET_API_PTR max_sessions = 0;
  JET_API_PTR max_ver_pages = 0;
  std::uint64_t checkpoint_depth_bytes = 0;
};

// Sets the global parameters (page size, cache size: only while no instance runs) and creates
// an instance with `options`, its system, log and temp files in `folder`; does not JetInit it
// (a restore wants it uninitialised).
inline JET_INSTANCE ConfigureInstance(const std::string& folder, const InstanceOptions& options) {
  static int instance_counter = 0;
  Check(JetSetSystemParameterA(nullptr, 0, JET_paramDatabasePageSize, kPageSizeBytes, nullptr),
        "JetSetSystemParameter(DatabasePageSize)");
  Check(JetSetSystemParameterA(nullptr, 0, JET_paramCacheSizeMax,
                               static_cast<JET_API_PTR>(options.cache_mib * 1024 * 1024 /
                                                        kPageSizeBytes),
                               nullptr),
        "JetSetSystemParameter(CacheSizeMax)");
  JET_INSTANCE instance = 0;
  Check(JetCreateInstanceA(&instance,
                           (options.name_prefix + std::to_string(instance_counter++)).c_str()),
        "JetCreateInstance");
  const std::string slash_folder = folder + "/";
  Check(JetSetSystemParameterA(&instance, 0, JET_paramSystemPath, 0, slash_folder.c_str()),
        "JetSetSystemParameter(SystemPath)");
  Check(JetSetSystemParameterA(&instance, 0, JET_paramLogFilePath, 0, slash_folder.c_str()),
        "JetSetSystemParameter(LogFilePath)");
  Check(JetSetSystemParameterA(&instance, 0, JET_paramTempPath, 0,
                               (folder + "/temp.edb").c_str()),
        "JetSetSystemParameter(TempPath)");
  Check(JetSetSystemParameterA(&instance, 0, JET_paramRecovery, 0,
                               options.recovery ? "on" : "off"),
        "JetSetSystemParameter(Recovery)");
  if (options.circular_log_off) {
    Check(JetSetSystemParameterA(&instance, 0, JET_paramCircularLog, 0, nullptr),
          "JetSetSystemParameter(CircularLog)");
  }
  if (options.log_file_kib != 0) {
    Check(JetSetSystemParameterA(&instance, 0, JET_paramLogFileSize, options.log_file_kib, nullptr),
          "JetSetSystemParameter(LogFileSize)");
  }
  if (options.max_sessions != 0) {
    Check(JetSetSystemParameterA(&instance, 0, JET_paramMaxSessions, options.max_sessions, nullptr),
          "JetSetSystemParameter(MaxSessions)");
  }
  if (options.max_ver_pages != 0) {
    Check(JetSetSystemParameterA(&instance, 0, JET_paramMaxVerPages, options.max_ver_pages,
                                 nullptr),
          "JetSetSystemParameter(MaxVerPages)");
  }
  if (options.checkpoint_depth_bytes != 0) {
    Check(JetSetSystemParameterA(&instance, 0, JET_paramCheckpointDepthMax,
                                 static_cast<JET_API_PTR>(options.checkpoint_depth_bytes), nullptr),
          "JetSetSystemParameter(CheckpointDepthMax)");
  }
  return instance;
}

// ConfigureInstance, then JetInit.
inline JET_INSTANCE StartInstance(const std::string& folder, const InstanceOptions& options) {
  JET_INSTANCE instance = ConfigureInstance(folder, options);
  Check(JetInit(&instance), "JetInit");
  return instance;
}

// The payload column of table "rows": its type and, for JET_coltypBinary, its maximum size.
struct PayloadColumn {
  JET_COLTYP type = JET_coltypLongBinary;
  JET_UINT32 max_bytes = 0;
};

// Creates the database at `path` with table "rows" (key Long, not NULL, the primary index;
// payload as given) in one transaction, and closes it again (it stays attached).
inline void CreateRowsSchema(JET_SESID session, const std::string& path, PayloadColumn payload) {
  JET_DBID dbid = 0;
  Check(JetCreateDatabaseA(session, path.c_str(), nullptr, &dbid, 0), "JetCreateDatabase");
  Check(JetBeginTransaction(session), "JetBeginTransaction");
  JET_TABLEID table = 0;
  Check(JetCreateTableA(session, dbid, "rows", 0, 100, &table), "JetCreateTable");
  JET_COLUMNDEF key_def{};
  key_def.cbStruct = sizeof(key_def);
  key_def.coltyp = JET_coltypLong;
  key_def.grbit = JET_bitColumnNotNULL;
  JET_COLUMNID column = 0;
  Check(JetAddColumnA(session, table, "key", &key_def, nullptr, 0, &column), "JetAddColumn(key)");
  JET_COLUMNDEF payload_def{};
  payload_def.cbStruct = sizeof(payload_def);
  payload_def.coltyp = payload.type;
  payload_def.cbMax = payload.max_bytes;
  Check(JetAddColumnA(session, table, "payload", &payload_def, nullptr, 0, &column),
        "JetAddColumn(payload)");
  static const char kKey[] = "+key\0";
  Check(JetCreateIndexA(session, table, "primary", JET_bitIndexPrimary, kKey, sizeof(kKey), 100),
        "JetCreateIndex");
  Check(JetCloseTable(session, table), "JetCloseTable");
  Check(JetCommitTransaction(session, 0), "JetCommitTransaction(schema)");
  Check(JetCloseDatabase(session, dbid, 0), "JetCloseDatabase");
}

// One session with table "rows" open, for one thread. Not thread-safe: one owner thread.
struct RowsCursor {
  JET_SESID session = 0;
  JET_DBID dbid = 0;
  JET_TABLEID table = 0;
  JET_COLUMNID key_column = 0;
  JET_COLUMNID payload_column = 0;

  RowsCursor(JET_INSTANCE instance, const std::string& path) {
    Check(JetBeginSession(instance, &session, "", ""), "JetBeginSession");
    Check(JetOpenDatabaseA(session, path.c_str(), nullptr, &dbid, 0), "JetOpenDatabase");
    Check(JetOpenTableA(session, dbid, "rows", nullptr, 0, 0, &table), "JetOpenTable");
    JET_COLUMNDEF def{};
    Check(JetGetTableColumnInfoA(session, table, "key", &def, sizeof(def), JET_ColInfo),
          "JetGetTableColumnInfo(key)");
    key_column = def.columnid;
    Check(JetGetTableColumnInfoA(session, table, "payload", &def, sizeof(def), JET_ColInfo),
          "JetGetTableColumnInfo(payload)");
    payload_column = def.columnid;
  }
  ~RowsCursor() {
    if (table != 0) (void)JetCloseTable(session, table);
    if (dbid != 0) (void)JetCloseDatabase(session, dbid, 0);
    if (session != 0) (void)JetEndSession(session, 0);
  }
  RowsCursor(const RowsCursor&) = delete;
  RowsCursor& operator=(const RowsCursor&) = delete;

  // Inserts one row in the caller's transaction.
  void InsertRow(std::int32_t key, const unsigned char* payload, std::uint32_t payload_bytes) {
    Check(JetPrepareUpdate(session, table, JET_prepInsert), "JetPrepareUpdate");
    Check(JetSetColumn(session, table, key_column, &key, sizeof(key), 0, nullptr),
          "JetSetColumn(key)");
    Check(JetSetColumn(session, table, payload_column, payload, payload_bytes, 0, nullptr),
          "JetSetColumn(payload)");
    Check(JetUpdate(session, table, nullptr, 0, nullptr), "JetUpdate");
  }
};

// Streams one file of a running external backup (JetOpenFileInstance, JetReadFileInstance in
// `buffer`-sized calls until one returns 0 bytes, JetCloseFileInstance), handing each chunk to
// sink(data, bytes); returns its bytes, checked against the size JetOpenFile gave. Adds the time
// inside JetReadFile to *read_seconds and the calls to *read_calls when those are not null. A
// template, so a sink that discards compiles away.
template <typename Sink>
std::uint64_t StreamBackupFile(JET_INSTANCE instance, const std::string& name,
                               std::vector<unsigned char>& buffer, double* read_seconds,
                               std::uint32_t* read_calls, Sink sink) {
  JET_HANDLE handle = 0;
  JET_UINT32 size_low = 0;
  JET_UINT32 size_high = 0;
  Check(JetOpenFileInstanceA(instance, name.c_str(), &handle, &size_low, &size_high),
        "JetOpenFileInstance");
  const std::uint64_t expected = (std::uint64_t{size_high} << 32) | size_low;
  std::uint64_t total = 0;
  for (;;) {
    JET_UINT32 actual = 0;
    const auto start = std::chrono::steady_clock::now();
    const JET_ERR err = JetReadFileInstance(instance, handle, buffer.data(),
                                            static_cast<JET_UINT32>(buffer.size()), &actual);
    if (read_seconds != nullptr) *read_seconds += Seconds(start);
    if (read_calls != nullptr) ++*read_calls;
    if (err < JET_errSuccess) {
      (void)JetCloseFileInstance(instance, handle);
      Check(err, "JetReadFileInstance");
    }
    if (actual == 0) break;
    try {
      sink(buffer.data(), std::size_t{actual});
    } catch (...) {
      (void)JetCloseFileInstance(instance, handle);
      throw;
    }
    total += actual;
  }
  Check(JetCloseFileInstance(instance, handle), "JetCloseFileInstance");
  if (total != expected) {
    throw BenchFailure(name + ": streamed " + std::to_string(total) + " bytes, JetOpenFile said " +
                       std::to_string(expected));
  }
  return total;
}

// Runs `argv` as a child process (cp, dd, ...); returns its wall time (fork to exit) in
// seconds. A failure to start or a non-zero exit throws.
inline double RunTool(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid < 0) throw BenchFailure("fork");
  if (pid == 0) {
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw BenchFailure(argv[0] + " failed");
  }
  return Seconds(start);
}

// fsync of a file or a folder by path.
inline void FsyncPath(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw BenchFailure("open " + path);
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw BenchFailure("fsync " + path);
}

}  // namespace bench
