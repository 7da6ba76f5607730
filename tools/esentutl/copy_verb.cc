// esentutl copy (/y): copies a database file, then verifies every page of the copy
// (EsentChecksumDatabase). The copy is byte for byte, so a copy whose every page verifies is
// proof that every page read from the source verified; a damaged page fails the copy, and the
// destination is removed. A file that is not a database (JET_errInvalidDatabase) is copied
// without page checks, as Windows esentutl /y copies any file.
#include <esent.h>
#include <esent_ext.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "log_files.h"
#include "output.h"
#include "progress.h"
#include "reports.h"
#include "verbs.h"

namespace esentutl {
namespace {

constexpr std::size_t kCopyChunkBytes = 1 << 20;

// Copies `from` to `to` (created or truncated) and fsyncs it. An error message, or "".
std::string copy_file(const std::string& from, const std::string& to) {
  const int in = open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return "cannot open " + from + ": " + std::strerror(errno);
  struct stat info {};
  fstat(in, &info);
  const int out = open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0) {
    const std::string message = "cannot create " + to + ": " + std::strerror(errno);
    close(in);
    return message;
  }
  std::vector<char> buffer(kCopyChunkBytes);
  const auto total = static_cast<std::uint64_t>(info.st_size);
  std::uint64_t done = 0;
  std::string error;
  Progress progress("copy " + from);
  while (error.empty()) {
    const ssize_t got = read(in, buffer.data(), buffer.size());
    if (got < 0) {
      if (errno == EINTR) continue;
      error = "reading " + from + ": " + std::strerror(errno);
      break;
    }
    if (got == 0) break;
    std::size_t written = 0;
    while (written < static_cast<std::size_t>(got)) {
      const ssize_t put =
          write(out, buffer.data() + written, static_cast<std::size_t>(got) - written);
      if (put < 0) {
        if (errno == EINTR) continue;
        error = "writing " + to + ": " + std::strerror(errno);
        break;
      }
      written += static_cast<std::size_t>(put);
    }
    done += static_cast<std::uint64_t>(got);
    progress.update(done, total);
  }
  if (error.empty() && fsync(out) != 0) error = "syncing " + to + ": " + std::strerror(errno);
  close(out);
  close(in);
  return error;
}

}  // namespace

int run_copy(const Args& args) {
  const std::string& source = args.positionals[0];
  std::string dest;
  if (args.positionals.size() == 2) {
    if (args.has("dest")) return report_usage(args.json, "copy", "give the destination once");
    dest = args.positionals[1];
  } else if (std::optional<std::string> named = args.get("dest")) {
    dest = *named;
  } else {
    return report_usage(args.json, "copy",
                        "missing the destination (copy <source> <dest>, or /y <source> /d<dest>)");
  }
  if (is_directory(dest)) dest += "/" + split_base(source).second;
  if (!is_regular_file(source))
    return report_failure(args.json, JET_errFileNotFound, "no file " + source);
  const auto started = std::chrono::steady_clock::now();
  const std::string copy_error = copy_file(source, dest);
  if (!copy_error.empty()) {
    unlink(dest.c_str());
    return report_failure(args.json, JET_errDiskIO, copy_error);
  }
  ESENT_CHECKSUMINFO info{};
  JET_ERR err;
  {
    Progress progress("verify " + dest);
    err = EsentChecksumDatabaseA(dest.c_str(), Progress::status_callback, &info, sizeof info);
  }
  const bool database = err != JET_errInvalidDatabase;
  if (err < 0 && database) {
    unlink(dest.c_str());
    Json json;
    json.add("source", source)
        .add("dest", dest)
        .add("verify", checksum_json("database", source, info));
    if (!args.json) print_checksum("database", source, info);
    return report_failure(args.json, err, "copying " + source + " (the copy was removed)", json);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (args.json) {
    Json json;
    json.add("source", source).add("dest", dest).add("database", database);
    if (database) json.add("verify", checksum_json("database", dest, info));
    json.add("seconds", seconds);
    print_json(json);
    return kExitOk;
  }
  if (database) {
    std::printf("Copied %s to %s: %llu pages verified in %.3f seconds.\n", source.c_str(),
                dest.c_str(), static_cast<unsigned long long>(info.cBlocksChecked), seconds);
  } else {
    std::printf("Copied %s to %s (not a database: no page checks) in %.3f seconds.\n",
                source.c_str(), dest.c_str(), seconds);
  }
  return kExitOk;
}

}  // namespace esentutl
