// A full or incremental online streaming backup (streaming_backup.h).
#include "streaming_backup.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <vector>

#include "demo_steps.h"

namespace demo {

namespace {

std::vector<std::string> split_multi_string(const std::vector<char>& buffer) {
  std::vector<std::string> items;
  for (std::size_t at = 0; at < buffer.size() && buffer[at] != '\0';) {
    std::string item(&buffer[at]);
    at += item.size() + 1;
    items.push_back(item);
  }
  return items;
}

std::string file_name(const std::string& path) { return std::filesystem::path(path).filename().string(); }

// Streams one file of the backup into `target`; returns the bytes copied, or 0 after counting a
// failure in `steps`. With `show_progress`, prints every quarter.
std::uint64_t stream_file(JET_INSTANCE instance, const std::string& name, const std::string& target,
                          bool show_progress, DemoSteps& steps) {
  JET_HANDLE handle = 0;
  JET_UINT32 low = 0, high = 0;
  if (steps.check(("JetOpenFileInstance(" + file_name(name) + ")").c_str(),
                  JetOpenFileInstance(instance, name.c_str(), &handle, &low, &high)) < 0) {
    return 0;
  }
  const std::uint64_t size = (std::uint64_t{high} << 32) | low;
  std::ofstream out(target, std::ios::binary | std::ios::trunc);
  std::vector<char> buffer(1 << 20);
  std::uint64_t copied = 0;
  std::uint64_t shown = 0;
  JET_ERR err = JET_errSuccess;
  while (true) {
    JET_UINT32 actual = 0;
    err = JetReadFileInstance(instance, handle, buffer.data(), static_cast<JET_UINT32>(buffer.size()), &actual);
    if (err < 0 || actual == 0) break;
    out.write(buffer.data(), actual);
    copied += actual;
    const std::uint64_t percent = size == 0 ? 100 : copied * 100 / size;
    if (show_progress && percent >= shown + 25) {
      shown = percent - percent % 25;
      std::printf("      %3llu%%  %7.1f of %.1f MiB\n", static_cast<unsigned long long>(shown),
                  static_cast<double>(copied) / (1 << 20), static_cast<double>(size) / (1 << 20));
    }
  }
  out.close();
  JetCloseFileInstance(instance, handle);
  if (err < 0 || copied != size || !out) {
    ++steps.failures;
    std::printf("      streaming %s FAILED (%d, %llu of %llu bytes)\n", name.c_str(), static_cast<int>(err),
                static_cast<unsigned long long>(copied), static_cast<unsigned long long>(size));
    return 0;
  }
  return copied;
}

}  // namespace

int stream_backup(JET_INSTANCE instance, bool incremental, const std::string& target, const Writer& writer,
                  BackupReport* report) {
  DemoSteps steps;
  std::error_code error;
  std::filesystem::create_directories(target, error);
  const int commits_before = writer.commits();
  const auto started = std::chrono::steady_clock::now();
  steps.check(incremental ? "JetBeginExternalBackupInstance(JET_bitBackupIncremental)"
                          : "JetBeginExternalBackupInstance(full)",
              JetBeginExternalBackupInstance(instance, incremental ? JET_bitBackupIncremental : 0));
  std::vector<char> names(64 * 1024);
  JET_UINT32 actual = 0;
  if (!incremental) {
    steps.check("JetGetAttachInfoInstance",
                JetGetAttachInfoInstanceA(instance, names.data(), static_cast<JET_UINT32>(names.size()), &actual));
    for (const std::string& name : split_multi_string(names)) {
      std::printf("    database %s (every page checksum-verified as it is read)\n", name.c_str());
      report->database_bytes += stream_file(instance, name, target + "/" + file_name(name), true, steps);
      ++report->databases;
    }
  }
  report->database_seconds = seconds_since(started);
  std::fill(names.begin(), names.end(), '\0');
  report->acknowledged_before_log_info = writer.last_acknowledged();
  steps.check("JetGetLogInfoInstance (the current log is rolled)",
              JetGetLogInfoInstanceA(instance, names.data(), static_cast<JET_UINT32>(names.size()), &actual));
  for (const std::string& name : split_multi_string(names)) {
    report->log_bytes += stream_file(instance, name, target + "/" + file_name(name), false, steps);
    ++report->logs;
  }
  std::printf("    %d log file(s) streamed, every block checksum-verified\n", report->logs);
  steps.check("JetTruncateLogInstance", JetTruncateLogInstance(instance));
  steps.check("JetEndExternalBackupInstance2(JET_bitBackupEndNormal)",
              JetEndExternalBackupInstance2(instance, JET_bitBackupEndNormal));
  report->seconds = seconds_since(started);
  report->writer_commits = writer.commits() - commits_before;
  return steps.failures;
}

}  // namespace demo
