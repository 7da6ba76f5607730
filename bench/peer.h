// What esent-bench-peers (bench/peer_backup_bench.cc) needs from each engine it compares: a
// database of a given number of rows built in a folder of its own, a durable one-row commit for
// the writer threads, and the engine's own ways of taking an online backup into an empty folder.
// One implementation per engine (peer_esent.cc, peer_sqlite.cc, peer_lmdb.cc, peer_rocksdb.cc,
// peer_postgres.cc); the driver times everything, so nothing here keeps a clock except where an
// engine's backup has to decide to give up.
//
// Threading contract: Build, Methods and the backups run on the driver's thread; NewCommitter is
// called on each writer thread and the Committer it returns is used by that thread only, while
// a backup runs on the driver's thread. Failure contract: every engine error throws
// bench::BenchFailure.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bench_common.h"

namespace bench::peers {

// Bytes of the payload of every row (the database build) and of every writer's row.
inline constexpr std::uint32_t kRowPayloadBytes = 1000;
inline constexpr std::uint32_t kWriterPayloadBytes = 100;
inline constexpr std::uint32_t kRowsPerBuildTransaction = 1000;

// One writer thread's connection to the engine.
class Committer {
 public:
  virtual ~Committer() = default;
  // One transaction inserting (key, payload), committed durably: it returns once the engine says
  // the commit survives a crash.
  virtual void Commit(std::int32_t key, const unsigned char* payload, std::uint32_t bytes) = 0;
};

struct BackupResult {
  bool finished = true;        // false: the method gave up (give_up_seconds passed)
  std::uint32_t restarts = 0;  // steps that started the copy over (SQLite's backup API)
};

struct BackupMethod {
  std::string name;   // as shown in the tables, e.g. "sqlite3_backup_step(256)"
  std::string label;  // a short name for the plots, e.g. "sqlite step(256)"
  // Takes one backup into the empty folder `destination`. Methods that copy in steps give up
  // after give_up_seconds and return finished = false.
  std::function<BackupResult(const std::string& destination, double give_up_seconds)> run;
  // Checks a finished backup in `destination`, untimed: throws BenchFailure unless it is a usable
  // copy (holding at least `rows` rows where the check can count them).
  std::function<void(const std::string& destination, std::uint64_t rows)> check;
  std::string checked;  // what `check` verifies, for the document
};

class Peer {
 public:
  virtual ~Peer() = default;
  virtual std::string Name() const = 0;     // short: "sqlite"
  virtual std::string Version() const = 0;  // "SQLite 3.40.1"
  // How the writer's commits are made durable, for the document.
  virtual std::string DurableCommit() const = 0;
  // Creates `rows` rows (keys 0..rows-1, payload FillPayload(key), kRowPayloadBytes) in
  // transactions of kRowsPerBuildTransaction, and leaves the engine open for the writers.
  virtual void Build(std::uint64_t rows) = 0;
  // The folder that holds every file of the live database (what `cp -r` copies).
  virtual std::string DataFolder() const = 0;
  virtual std::unique_ptr<Committer> NewCommitter() = 0;
  virtual std::vector<BackupMethod> Methods() = 0;
};

// `folder` is an empty folder the peer owns until it is destroyed.
std::unique_ptr<Peer> MakeEsentPeer(const std::string& folder);
std::unique_ptr<Peer> MakeSqlitePeer(const std::string& folder, int step_pages);
std::unique_ptr<Peer> MakeLmdbPeer(const std::string& folder);
std::unique_ptr<Peer> MakeRocksdbPeer(const std::string& folder);
std::unique_ptr<Peer> MakePostgresPeer(const std::string& folder);

// The regular files under `folder`, recursively.
std::vector<std::string> RegularFiles(const std::string& folder);
// Their total size in bytes.
std::uint64_t FolderBytes(const std::string& folder);
// fsync of every regular file under `folder` and of every folder in it (itself included).
void FsyncTree(const std::string& folder);
// EvictFromPageCache of every regular file under `folder`.
void EvictTree(const std::string& folder);
// The first line a command prints on standard output ("" when it fails).
std::string CommandOutputLine(const std::string& command);

}  // namespace bench::peers
