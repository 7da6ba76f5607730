// RocksDB as a peer of esent-bench-peers (bench/peer.h): one database in the peer's folder with
// the default options except compression off (the payloads would not compress anyway, and the
// other engines store them as they are); keys are 4-byte big-endian. Writers share the DB object
// (thread-safe) and Put one row with WriteOptions::sync = true (the WAL fsync'd before the call
// returns; concurrent writes share it). The backup: a new BackupEngine on an empty folder
// (BackupEngine::Open, BackupEngineOptions(destination) with its defaults: sync on, table files
// shared), CreateNewBackup(db, flush_before_backup = true): the memtable is flushed, then every
// live SST, the MANIFEST, CURRENT and OPTIONS files are copied while writers go on.
#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/utilities/backup_engine.h>
#include <rocksdb/version.h>

#include <memory>
#include <string>

#include "peer.h"

namespace bench::peers {
namespace {

void RocksCheck(const rocksdb::Status& status, const char* what) {
  if (!status.ok()) throw BenchFailure(std::string("rocksdb: ") + what + ": " + status.ToString());
}

std::string KeyBytes(std::int32_t key) {
  const std::uint32_t value = static_cast<std::uint32_t>(key);
  std::string bytes(4, '\0');
  for (int i = 0; i < 4; ++i) {
    bytes[static_cast<std::size_t>(i)] = static_cast<char>((value >> (24 - 8 * i)) & 0xffu);
  }
  return bytes;
}

rocksdb::Slice PayloadSlice(const unsigned char* payload, std::uint32_t bytes) {
  return rocksdb::Slice(reinterpret_cast<const char*>(payload), bytes);
}

class RocksCommitter : public Committer {
 public:
  explicit RocksCommitter(rocksdb::DB* db) : db_(db) { options_.sync = true; }
  void Commit(std::int32_t key, const unsigned char* payload, std::uint32_t bytes) override {
    RocksCheck(db_->Put(options_, KeyBytes(key), PayloadSlice(payload, bytes)), "Put");
  }

 private:
  rocksdb::DB* db_;
  rocksdb::WriteOptions options_;
};

class RocksPeer : public Peer {
 public:
  explicit RocksPeer(const std::string& folder) : folder_(folder + "/db") {}

  std::string Name() const override { return "rocksdb"; }
  std::string Version() const override {
    return "RocksDB " + std::to_string(ROCKSDB_MAJOR) + "." + std::to_string(ROCKSDB_MINOR) + "." +
           std::to_string(ROCKSDB_PATCH);
  }
  std::string DurableCommit() const override {
    return "`DB::Put` with `WriteOptions::sync = true`: the WAL fsync'd before the call returns "
           "(concurrent writers share a sync)";
  }
  std::string DataFolder() const override { return folder_; }

  void Build(std::uint64_t rows) override {
    rocksdb::Options options;
    options.create_if_missing = true;
    options.compression = rocksdb::kNoCompression;
    rocksdb::DB* db = nullptr;
    RocksCheck(rocksdb::DB::Open(options, folder_, &db), "DB::Open");
    db_.reset(db);
    std::vector<unsigned char> payload(kRowPayloadBytes);
    std::uint64_t n = 0;
    while (n < rows) {
      rocksdb::WriteBatch batch;
      for (std::uint32_t i = 0; i < kRowsPerBuildTransaction && n < rows; ++i, ++n) {
        FillPayload(static_cast<std::int32_t>(n), payload.data(), kRowPayloadBytes);
        RocksCheck(batch.Put(KeyBytes(static_cast<std::int32_t>(n)),
                             PayloadSlice(payload.data(), kRowPayloadBytes)),
                   "WriteBatch::Put");
      }
      RocksCheck(db_->Write(rocksdb::WriteOptions(), &batch), "Write");
    }
    RocksCheck(db_->Flush(rocksdb::FlushOptions()), "Flush");
  }

  std::unique_ptr<Committer> NewCommitter() override {
    return std::make_unique<RocksCommitter>(db_.get());
  }

  std::vector<BackupMethod> Methods() override {
    return {
        {"BackupEngine::CreateNewBackup (flush first)", "rocksdb BackupEngine",
         [this](const std::string& destination, double) {
           rocksdb::BackupEngine* engine = nullptr;
           RocksCheck(rocksdb::BackupEngine::Open(rocksdb::Env::Default(),
                                                  rocksdb::BackupEngineOptions(destination),
                                                  &engine),
                      "BackupEngine::Open");
           std::unique_ptr<rocksdb::BackupEngine> owner(engine);
           RocksCheck(owner->CreateNewBackup(db_.get(), /*flush_before_backup=*/true),
                      "CreateNewBackup");
           return BackupResult{};
         },
         [](const std::string& destination, std::uint64_t) {
           rocksdb::BackupEngineReadOnly* engine = nullptr;
           RocksCheck(rocksdb::BackupEngineReadOnly::Open(
                          rocksdb::Env::Default(), rocksdb::BackupEngineOptions(destination), &engine),
                      "BackupEngineReadOnly::Open");
           std::unique_ptr<rocksdb::BackupEngineReadOnly> owner(engine);
           std::vector<rocksdb::BackupInfo> backups;
           owner->GetBackupInfo(&backups);
           if (backups.size() != 1) throw BenchFailure("rocksdb: the backup folder lists no backup");
           RocksCheck(owner->VerifyBackup(backups[0].backup_id, /*verify_with_checksum=*/true),
                      "VerifyBackup");
         },
         "`BackupEngineReadOnly::VerifyBackup(id, verify_with_checksum = true)`: every file present, "
         "its size and checksum"},
    };
  }

 private:
  std::string folder_;
  std::unique_ptr<rocksdb::DB> db_;
};

}  // namespace

std::unique_ptr<Peer> MakeRocksdbPeer(const std::string& folder) {
  return std::make_unique<RocksPeer>(folder);
}

}  // namespace bench::peers
