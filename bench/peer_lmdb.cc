// LMDB as a peer of esent-bench-peers (bench/peer.h): one environment (4 GiB map, default
// flags) in the peer's folder, its unnamed database keyed by the 4-byte big-endian key (so the
// byte order is the numeric order). Writers share the environment (LMDB allows one per process
// and serialises write transactions) and commit one put per transaction with the default flags
// (data pages fdatasync'd, then the meta page written synchronously). Backups, both taken in one
// read transaction that writers do not block:
//   - `mdb_copy <folder> <destination>`, the tool of the Debian package lmdb-utils, timed as a
//     process (it opens the environment beside this process, as LMDB allows);
//   - mdb_env_copy2(env, destination, 0) in this process.
#include <lmdb.h>

#include <string>

#include "peer.h"

namespace bench::peers {
namespace {

void LmdbCheck(int rc, const char* what) {
  if (rc != MDB_SUCCESS) throw BenchFailure(std::string("lmdb: ") + what + ": " + mdb_strerror(rc));
}

void PutRow(MDB_txn* txn, MDB_dbi dbi, std::int32_t key, const unsigned char* payload,
            std::uint32_t bytes) {
  const std::uint32_t value = static_cast<std::uint32_t>(key);
  unsigned char key_bytes[4] = {static_cast<unsigned char>(value >> 24),
                                static_cast<unsigned char>(value >> 16),
                                static_cast<unsigned char>(value >> 8),
                                static_cast<unsigned char>(value)};
  MDB_val key_value{sizeof(key_bytes), key_bytes};
  MDB_val data{bytes, const_cast<unsigned char*>(payload)};
  LmdbCheck(mdb_put(txn, dbi, &key_value, &data, 0), "mdb_put");
}

class LmdbCommitter : public Committer {
 public:
  LmdbCommitter(MDB_env* env, MDB_dbi dbi) : env_(env), dbi_(dbi) {}
  void Commit(std::int32_t key, const unsigned char* payload, std::uint32_t bytes) override {
    MDB_txn* txn = nullptr;
    LmdbCheck(mdb_txn_begin(env_, nullptr, 0, &txn), "mdb_txn_begin");
    try {
      PutRow(txn, dbi_, key, payload, bytes);
    } catch (...) {
      mdb_txn_abort(txn);
      throw;
    }
    LmdbCheck(mdb_txn_commit(txn), "mdb_txn_commit");
  }

 private:
  MDB_env* env_;
  MDB_dbi dbi_;
};

constexpr const char* kChecked =
    "the copy opened read-only as an environment of its own; its entry count (`mdb_env_stat`) at "
    "least the rows built";

void CheckCopy(const std::string& destination, std::uint64_t rows) {
  MDB_env* env = nullptr;
  LmdbCheck(mdb_env_create(&env), "mdb_env_create");
  MDB_stat stat{};
  int rc = mdb_env_set_mapsize(env, std::size_t{4} << 30);
  if (rc == MDB_SUCCESS) rc = mdb_env_open(env, destination.c_str(), MDB_RDONLY | MDB_NOLOCK, 0644);
  if (rc == MDB_SUCCESS) rc = mdb_env_stat(env, &stat);
  mdb_env_close(env);
  LmdbCheck(rc, "opening the copy");
  if (stat.ms_entries < rows) {
    throw BenchFailure("lmdb: the copy in " + destination + " holds " +
                       std::to_string(stat.ms_entries) + " entries");
  }
}

class LmdbPeer : public Peer {
 public:
  explicit LmdbPeer(const std::string& folder) : folder_(folder) {}
  ~LmdbPeer() override {
    if (env_ != nullptr) mdb_env_close(env_);
  }

  std::string Name() const override { return "lmdb"; }
  std::string Version() const override {
    return std::string(mdb_version(nullptr, nullptr, nullptr));
  }
  std::string DurableCommit() const override {
    return "`mdb_txn_commit` with the default flags: the data pages fdatasync'd, then the meta "
           "page written synchronously (writers serialised by LMDB's write lock)";
  }
  std::string DataFolder() const override { return folder_; }

  void Build(std::uint64_t rows) override {
    LmdbCheck(mdb_env_create(&env_), "mdb_env_create");
    LmdbCheck(mdb_env_set_mapsize(env_, std::size_t{4} << 30), "mdb_env_set_mapsize");
    LmdbCheck(mdb_env_set_maxreaders(env_, 126), "mdb_env_set_maxreaders");
    // MDB_NOTLS: a read transaction (mdb_env_copy2's) holds a reader slot only while it lasts,
    // instead of binding one to the thread, which mdb_copy's own reader beside it could disturb.
    LmdbCheck(mdb_env_open(env_, folder_.c_str(), MDB_NOTLS, 0644), "mdb_env_open");
    MDB_txn* txn = nullptr;
    LmdbCheck(mdb_txn_begin(env_, nullptr, 0, &txn), "mdb_txn_begin");
    LmdbCheck(mdb_dbi_open(txn, nullptr, 0, &dbi_), "mdb_dbi_open");
    LmdbCheck(mdb_txn_commit(txn), "mdb_txn_commit");
    std::vector<unsigned char> payload(kRowPayloadBytes);
    std::uint64_t n = 0;
    while (n < rows) {
      LmdbCheck(mdb_txn_begin(env_, nullptr, 0, &txn), "mdb_txn_begin");
      for (std::uint32_t i = 0; i < kRowsPerBuildTransaction && n < rows; ++i, ++n) {
        FillPayload(static_cast<std::int32_t>(n), payload.data(), kRowPayloadBytes);
        PutRow(txn, dbi_, static_cast<std::int32_t>(n), payload.data(), kRowPayloadBytes);
      }
      LmdbCheck(mdb_txn_commit(txn), "mdb_txn_commit");
    }
  }

  std::unique_ptr<Committer> NewCommitter() override {
    return std::make_unique<LmdbCommitter>(env_, dbi_);
  }

  std::vector<BackupMethod> Methods() override {
    return {
        {"mdb_copy (the tool)", "lmdb mdb_copy",
         [this](const std::string& destination, double) {
           (void)RunTool({"mdb_copy", folder_, destination});
           return BackupResult{};
         },
         CheckCopy, kChecked},
        {"mdb_env_copy2", "lmdb mdb_env_copy2",
         [this](const std::string& destination, double) {
           LmdbCheck(mdb_env_copy2(env_, destination.c_str(), 0), "mdb_env_copy2");
           return BackupResult{};
         },
         CheckCopy, kChecked},
    };
  }

 private:
  std::string folder_;
  MDB_env* env_ = nullptr;
  MDB_dbi dbi_ = 0;
};

}  // namespace

std::unique_ptr<Peer> MakeLmdbPeer(const std::string& folder) {
  return std::make_unique<LmdbPeer>(folder);
}

}  // namespace bench::peers
