// The child of the out-of-process crash tests: runs a workload through libesent.so on a real
// folder and reports what it does as lines on standard output (a pipe to the parent, in the
// protocol of kill_protocol.h), each written only after the fact it reports — so the parent
// learns of an acknowledgement only once it happened. The parent SIGKILLs this process at a
// moment of its choosing and then checks what the folders hold.
//
// Modes (the first argument; a folder instead of a mode is the original "writers" mode):
//   crash_child <folder> <seed> <sessions> <transactions per session>
//       writers: the oracle workload of crash_oracle.h (tests/api/crash_oracle_internal_test.cc).
//   crash_child stream <folder> <seed> <sessions> <transactions per session> <backup root> <backups>
//       the writers, and on another thread streaming backups in a loop (Begin, GetAttachInfo,
//       every database Open/Read/Close, GetLogInfo, every log, TruncateLog, End), each into
//       <backup root>stream-<n>/; the first is full, later ones full or incremental (seeded).
//   crash_child instance <folder> <seed> <sessions> <transactions per session> <backup root> <backups>
//       the writers, and on another thread JetBackupInstance in a loop, atomic into
//       <backup root>atomic/ or not into <backup root>plain-<n>/ (n: the backup that made the
//       folder), full or incremental (seeded; an incremental only extends the folder the
//       previous backup went to).
//   crash_child restore <instance folder> <set folder> <destination folder>
//       JetRestoreInstance of the set into the destination, the instance's system and log
//       paths being <instance folder>.
// In the backup modes the loop runs until the writers are done and at least <backups> backups
// ended, so that a parent choosing a kill among the first <backups> backups' events always
// kills inside the run. The database <folder>oracle.edb must exist with the oracle's table.
// Every folder argument ends in '/'.
// Exit status: 0 when the run ended, 2 on bad arguments, 3 when a call failed.
#include <esent.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "crash_oracle.h"
#include "kill_protocol.h"
#include "stream_client.h"

namespace {

using esent_kill::PhaseEvent;

// Writes each line with one write(2) (shorter than PIPE_BUF, so atomic), in the order of the
// calls (one mutex), so the pipe's order is consistent with real time.
class PipeSink final : public esent_crash::CommitSink {
 public:
  void report(const esent_crash::Event& event) override { write_line(esent_crash::event_line(event)); }
  void phase(char letter, std::uint32_t number, std::uint32_t value) {
    write_line(esent_kill::phase_line(PhaseEvent{letter, number, value}));
  }

 private:
  void write_line(const std::string& line) {
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

  std::mutex mutex_;
};

PipeSink sink;

int fail(const char* what, JET_ERR err) {
  std::fprintf(stderr, "crash_child: %s failed with %d\n", what, static_cast<int>(err));
  sink.phase('X', 0, static_cast<std::uint32_t>(-err));
  return 3;
}

// The status callback of JetBackupInstance and JetRestoreInstance: reports the phase. It has no
// context pointer, so the number of the running backup is a global.
std::atomic<std::uint32_t> running_number{0};

JET_ERR JET_API report_status(JET_SESID, JET_SNP, JET_SNT snt, void* data) {
  if (snt == JET_sntProgress) {
    const auto* progress = static_cast<const JET_SNPROG*>(data);
    std::uint32_t percent = 0;
    if (progress != nullptr && progress->cunitTotal != 0) {
      percent = static_cast<std::uint32_t>(std::uint64_t{progress->cunitDone} * 100 / progress->cunitTotal);
    }
    sink.phase('P', running_number.load(), percent);
  } else if (snt == JET_sntBegin) {
    sink.phase('b', running_number.load(), 0);
  } else if (snt == JET_sntComplete) {
    sink.phase('C', running_number.load(), 0);
  }
  return JET_errSuccess;
}

// The backup loop of mode "stream" or "instance": runs until `writers_done` and `minimum`
// backups ended. Returns the first failure.
JET_ERR backup_loop(JET_INSTANCE instance, bool streaming, std::uint64_t seed, const std::string& root,
                    std::uint32_t minimum, const std::atomic<bool>& writers_done) {
  std::mt19937_64 random(seed * 7919 + 17);
  bool previous_atomic = false;
  bool any = false;
  std::string plain_folder;
  for (std::uint32_t n = 0; !(writers_done.load() && n >= minimum); ++n) {
    JET_ERR err = JET_errSuccess;
    if (streaming) {
      const bool incremental = any && random() % 3 == 0;
      const std::uint32_t kind = incremental ? 1 : 0;
      err = esent_kill::stream_backup(instance, incremental, root + "stream-" + std::to_string(n) + "/",
                                      [&](char letter) { sink.phase(letter, n, kind); });
      if (err < 0) return err;
    } else {
      const bool atomic = random() % 2 == 0;
      const bool incremental = any && atomic == previous_atomic && random() % 2 == 0;
      std::string folder;
      if (atomic) {
        folder = root + "atomic/";
      } else {
        if (!incremental) plain_folder = root + "plain-" + std::to_string(n) + "/";
        folder = plain_folder;
      }
      if (!esent_kill::make_folder(folder)) return JET_errDiskIO;
      const std::uint32_t flags = (atomic ? esent_kill::kAtomicFlag : 0) | (incremental ? esent_kill::kIncrementalFlag : 0);
      running_number = n;
      sink.phase('B', n, flags);
      err = JetBackupInstanceA(instance, folder.c_str(),
                               (atomic ? JET_bitBackupAtomic : 0) | (incremental ? JET_bitBackupIncremental : 0),
                               report_status);
      if (err < 0) return err;
      sink.phase('e', n, flags);
      previous_atomic = atomic;
    }
    any = true;
  }
  return JET_errSuccess;
}

JET_ERR configure(JET_INSTANCE* instance, const std::string& folder) {
  JetSetSystemParameterA(instance, 0, JET_paramRecovery, 0, "on");
  JetSetSystemParameterA(instance, 0, JET_paramSystemPath, 0, folder.c_str());
  JetSetSystemParameterA(instance, 0, JET_paramLogFilePath, 0, folder.c_str());
  JetSetSystemParameterA(instance, 0, JET_paramLogFileSize, 64, nullptr);
  JetSetSystemParameterA(instance, 0, JET_paramMaxVerPages, 4096, nullptr);
  return JetSetSystemParameterA(instance, 0, JET_paramCheckpointDepthMax, 256 << 10, nullptr);
}

int run_restore(int argc, char** argv) {
  if (argc != 5) return 2;
  const std::string folder = argv[2];
  const std::string set = argv[3];
  const std::string destination = argv[4];
  JET_INSTANCE instance = 0;
  JET_ERR err = JetCreateInstanceA(&instance, "crash_child_restore");
  if (err < 0) return fail("JetCreateInstance", err);
  if ((err = configure(&instance, folder)) < 0) return fail("JetSetSystemParameter", err);
  if ((err = JetRestoreInstanceA(instance, set.c_str(), destination.c_str(), report_status)) < 0) {
    return fail("JetRestoreInstance", err);
  }
  sink.phase('e', 0, 0);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  const std::string mode = argv[1];
  if (mode == "restore") return run_restore(argc, argv);
  const bool backups = mode == "stream" || mode == "instance";
  const int first = backups ? 2 : 1;  // the index of <folder>
  if (argc != (backups ? 8 : 5)) return 2;
  const std::string folder = argv[first];
  esent_crash::WorkloadOptions options;
  options.seed = std::strtoull(argv[first + 1], nullptr, 10);
  options.sessions = static_cast<std::uint32_t>(std::strtoul(argv[first + 2], nullptr, 10));
  options.transactions_per_session = static_cast<std::uint32_t>(std::strtoul(argv[first + 3], nullptr, 10));
  if (options.sessions == 0) return 2;
  const std::string backup_root = backups ? argv[first + 4] : "";
  const auto minimum_backups = backups ? static_cast<std::uint32_t>(std::strtoul(argv[first + 5], nullptr, 10)) : 0u;
  const std::string database = folder + "oracle.edb";
  const esent_crash::Plan plan = esent_crash::make_plan(options);

  JET_INSTANCE instance = 0;
  JET_ERR err = JetCreateInstanceA(&instance, "crash_child");
  if (err < 0) return fail("JetCreateInstance", err);
  configure(&instance, folder);
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
  std::atomic<bool> stop{false};
  std::atomic<bool> writers_done{false};
  JET_ERR backup_result = JET_errSuccess;
  std::thread backup_thread;
  if (backups) {
    backup_thread = std::thread([&] {
      backup_result = backup_loop(instance, mode == "stream", options.seed, backup_root, minimum_backups, writers_done);
    });
  }
  std::vector<JET_ERR> results(options.sessions, JET_errSuccess);
  std::vector<std::thread> threads;
  for (std::uint32_t s = 0; s < options.sessions; ++s) {
    threads.emplace_back([&, s] { results[s] = esent_crash::run_session(sesids[s], tables[s], s, plan.sessions[s], sink, stop); });
  }
  for (auto& thread : threads) thread.join();
  writers_done = true;
  if (backup_thread.joinable()) backup_thread.join();
  for (JET_ERR result : results) {
    if (result < 0) return fail("the workload", result);
  }
  if (backup_result < 0) return fail("the backup loop", backup_result);
  if ((err = JetTerm(instance)) < 0) return fail("JetTerm", err);
  return 0;
}
