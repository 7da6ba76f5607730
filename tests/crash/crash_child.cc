// The child of the out-of-process crash test (tests/api/crash_oracle_internal_test.cc): runs the
// oracle workload of crash_oracle.h through libesent.so on a real folder, with recovery on,
// and reports every commit event as a line on standard output (a pipe to the parent), written
// only after JetCommitTransaction returned — so the parent learns of an acknowledgement only
// once it happened. The parent SIGKILLs this process at a moment of its choosing.
//
// Usage: crash_child <folder ending in '/'> <seed> <sessions> <transactions per session>
// The database <folder>oracle.edb must exist with the oracle's table (the parent creates it).
// Exit status: 0 when the plan ran to the end, 2 on bad arguments, 3 when a call failed.
#include <esent.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "crash_oracle.h"

namespace {

// Writes each event as one line with one write(2) (shorter than PIPE_BUF, so atomic).
class PipeSink final : public esent_crash::CommitSink {
 public:
  void report(const esent_crash::Event& event) override {
    std::string line = esent_crash::event_line(event);
    std::lock_guard lock(mutex_);
    const char* data = line.data();
    std::size_t left = line.size();
    while (left > 0) {
      ssize_t written = ::write(STDOUT_FILENO, data, left);
      if (written < 0 && errno == EINTR) continue;
      if (written <= 0) std::_Exit(4);
      data += written;
      left -= static_cast<std::size_t>(written);
    }
  }

 private:
  std::mutex mutex_;
};

int fail(const char* what, JET_ERR err) {
  std::fprintf(stderr, "crash_child: %s failed with %d\n", what, static_cast<int>(err));
  return 3;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) return 2;
  const std::string folder = argv[1];
  esent_crash::WorkloadOptions options;
  options.seed = std::strtoull(argv[2], nullptr, 10);
  options.sessions = static_cast<std::uint32_t>(std::strtoul(argv[3], nullptr, 10));
  options.transactions_per_session = static_cast<std::uint32_t>(std::strtoul(argv[4], nullptr, 10));
  if (options.sessions == 0) return 2;
  const std::string database = folder + "oracle.edb";
  const esent_crash::Plan plan = esent_crash::make_plan(options);

  JET_INSTANCE instance = 0;
  JET_ERR err = JetCreateInstanceA(&instance, "crash_child");
  if (err < 0) return fail("JetCreateInstance", err);
  JetSetSystemParameterA(&instance, 0, JET_paramRecovery, 0, "on");
  JetSetSystemParameterA(&instance, 0, JET_paramSystemPath, 0, folder.c_str());
  JetSetSystemParameterA(&instance, 0, JET_paramLogFilePath, 0, folder.c_str());
  JetSetSystemParameterA(&instance, 0, JET_paramLogFileSize, 64, nullptr);
  JetSetSystemParameterA(&instance, 0, JET_paramMaxVerPages, 4096, nullptr);
  JetSetSystemParameterA(&instance, 0, JET_paramCheckpointDepthMax, 256 << 10, nullptr);
  if ((err = JetInit(&instance)) < 0) return fail("JetInit", err);
  std::vector<JET_SESID> sesids(options.sessions);
  std::vector<JET_TABLEID> tables(options.sessions);
  for (std::uint32_t s = 0; s < options.sessions; ++s) {
    if ((err = JetBeginSessionA(instance, &sesids[s], nullptr, nullptr)) < 0) return fail("JetBeginSession", err);
    if (s == 0 && (err = JetAttachDatabaseA(sesids[s], database.c_str(), 0)) < 0) return fail("JetAttachDatabase", err);
    JET_DBID dbid = 0;
    if ((err = JetOpenDatabaseA(sesids[s], database.c_str(), nullptr, &dbid, 0)) < 0) return fail("JetOpenDatabase", err);
    if ((err = JetOpenTableA(sesids[s], dbid, esent_crash::kTableName, nullptr, 0, 0, &tables[s])) < 0) {
      return fail("JetOpenTable", err);
    }
  }
  PipeSink sink;
  std::atomic<bool> stop{false};
  std::vector<JET_ERR> results(options.sessions, JET_errSuccess);
  std::vector<std::thread> threads;
  for (std::uint32_t s = 0; s < options.sessions; ++s) {
    threads.emplace_back([&, s] { results[s] = esent_crash::run_session(sesids[s], tables[s], s, plan.sessions[s], sink, stop); });
  }
  for (auto& thread : threads) thread.join();
  for (JET_ERR result : results) {
    if (result < 0) return fail("the workload", result);
  }
  if ((err = JetTerm(instance)) < 0) return fail("JetTerm", err);
  return 0;
}
