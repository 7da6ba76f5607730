// A streaming-backup client through the C API alone, shared by crash_child (which streams
// backups until it is killed) and the SIGKILL tests (which take the next backup after the
// kill): each file of the backup is read with JetOpenFileInstance / JetReadFileInstance /
// JetCloseFileInstance and written under its file name into a folder, as a client would.
// The files are written with POSIX calls (tests and tools may use them directly) and not
// synced: a SIGKILL loses no written byte, and these tests kill processes, not the power.
#pragma once

#include <esent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace esent_kill {

inline std::string file_name(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Creates `folder` (one level) unless it exists.
inline bool make_folder(const std::string& folder) {
  return ::mkdir(folder.c_str(), 0750) == 0 || errno == EEXIST;
}

// The entries of a NUL-separated list ending with an empty entry, from the first `bytes`.
inline std::vector<std::string> split_multi_string(const std::vector<char>& buffer, JET_UINT32 bytes) {
  std::vector<std::string> entries;
  const std::size_t end = std::min<std::size_t>(bytes, buffer.size());
  std::size_t start = 0;
  while (start < end && buffer[start] != '\0') {
    const char* first = buffer.data() + start;
    const char* nul = static_cast<const char*>(std::char_traits<char>::find(first, end - start, '\0'));
    if (nul == nullptr) break;
    entries.emplace_back(first, static_cast<std::size_t>(nul - first));
    start += entries.back().size() + 1;
  }
  return entries;
}

// Streams `path` (a file of the instance's running backup) into `target`. The first failure.
inline JET_ERR stream_file(JET_INSTANCE instance, const std::string& path, const std::string& target) {
  JET_HANDLE handle = 0;
  JET_UINT32 low = 0;
  JET_UINT32 high = 0;
  JET_ERR err = JetOpenFileInstanceA(instance, path.c_str(), &handle, &low, &high);
  if (err < 0) return err;
  const int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) {
    (void)JetCloseFileInstance(instance, handle);
    return JET_errDiskIO;
  }
  std::vector<char> buffer(256 << 10);  // a multiple of every page size, and over 2 pages
  for (;;) {
    JET_UINT32 actual = 0;
    err = JetReadFileInstance(instance, handle, buffer.data(), static_cast<JET_UINT32>(buffer.size()), &actual);
    if (err < 0 || actual == 0) break;
    if (::write(fd, buffer.data(), actual) != static_cast<ssize_t>(actual)) {
      err = JET_errDiskIO;
      break;
    }
  }
  ::close(fd);
  const JET_ERR closed = JetCloseFileInstance(instance, handle);
  return err < 0 ? err : closed;
}

// One whole streaming backup of `instance` into `folder` (created if missing): Begin (full or
// incremental), GetAttachInfo and every database (full only), GetLogInfo and every log,
// TruncateLog, End(Normal). `phase` hears each step before it starts (and after GetLogInfo,
// TruncateLog and End returned) with the letters of kill_protocol.h. The first failure; a
// backup that failed after Begin is left for the caller to end.
inline JET_ERR stream_backup(JET_INSTANCE instance, bool incremental, const std::string& folder,
                             const std::function<void(char)>& phase) {
  if (!make_folder(folder)) return JET_errDiskIO;
  phase('B');
  JET_ERR err = JetBeginExternalBackupInstance(instance, incremental ? JET_bitBackupIncremental : 0);
  if (err < 0) return err;
  std::vector<char> buffer(1 << 16);
  JET_UINT32 actual = 0;
  phase('D');
  if (!incremental) {
    err = JetGetAttachInfoInstanceA(instance, buffer.data(), static_cast<JET_UINT32>(buffer.size()), &actual);
    if (err < 0) return err;
    for (const std::string& database : split_multi_string(buffer, actual)) {
      if ((err = stream_file(instance, database, folder + file_name(database))) < 0) return err;
    }
  }
  phase('L');
  err = JetGetLogInfoInstanceA(instance, buffer.data(), static_cast<JET_UINT32>(buffer.size()), &actual);
  if (err < 0) return err;
  phase('G');
  for (const std::string& log : split_multi_string(buffer, actual)) {
    if ((err = stream_file(instance, log, folder + file_name(log))) < 0) return err;
  }
  phase('T');
  if ((err = JetTruncateLogInstance(instance)) < 0) return err;
  phase('t');
  phase('E');
  if ((err = JetEndExternalBackupInstance2(instance, JET_bitBackupEndNormal)) < 0) return err;
  phase('e');
  return JET_errSuccess;
}

}  // namespace esent_kill
