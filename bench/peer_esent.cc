// libesent as a peer of esent-bench-peers (bench/peer.h): one instance (recovery on, 16 MiB logs,
// circular logging off, 64 MiB cache) whose files all live in the peer's folder; the build
// stops the instance cleanly and a new instance attaches the database, as the other backup
// benches do. Writers commit with JetCommitTransaction(0). Two backups: the streaming (external)
// backup written into files of the destination, and JetBackupInstance; both truncate the logs
// they copied, so logs do not pile up from one backup to the next.
#include <esent.h>
#include <esent_ext.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "peer.h"

namespace bench::peers {
namespace {

constexpr JET_API_PTR kLogFileKib = 16384;

class EsentCommitter : public Committer {
 public:
  EsentCommitter(JET_INSTANCE instance, const std::string& path) : cursor_(instance, path) {}
  void Commit(std::int32_t key, const unsigned char* payload, std::uint32_t bytes) override {
    Check(JetBeginTransaction(cursor_.session), "JetBeginTransaction");
    cursor_.InsertRow(key, payload, bytes);
    Check(JetCommitTransaction(cursor_.session, 0), "JetCommitTransaction");
  }

 private:
  RowsCursor cursor_;
};

// Writes `name`'s backup stream into destination/<file name of `name`>.
void StreamToFile(JET_INSTANCE instance, const std::string& name, const std::string& destination,
                  std::vector<unsigned char>& buffer) {
  const std::string target =
      destination + "/" + std::filesystem::path(name).filename().string();
  const int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw BenchFailure("open " + target);
  try {
    StreamBackupFile(instance, name, buffer, nullptr, nullptr,
                     [fd, &target](const unsigned char* data, std::size_t bytes) {
                       std::size_t done = 0;
                       while (done < bytes) {
                         const ssize_t count = ::write(fd, data + done, bytes - done);
                         if (count <= 0) throw BenchFailure("write " + target);
                         done += static_cast<std::size_t>(count);
                       }
                     });
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
}

class EsentPeer : public Peer {
 public:
  explicit EsentPeer(const std::string& folder) : folder_(folder), path_(folder + "/db.edb") {}
  ~EsentPeer() override {
    if (instance_ != 0) (void)JetTerm2(instance_, JET_bitTermComplete);
  }

  std::string Name() const override { return "libesent"; }
  std::string Version() const override { return "libesent (this tree)"; }
  std::string DurableCommit() const override {
    return "`JetCommitTransaction(0)` (returns once the log record is on disk; concurrent commits "
           "share an fsync)";
  }
  std::string DataFolder() const override { return folder_; }

  void Build(std::uint64_t rows) override {
    instance_ = Start();
    {
      JET_SESID session = 0;
      Check(JetBeginSession(instance_, &session, "", ""), "JetBeginSession");
      CreateRowsSchema(session, path_, {.type = JET_coltypLongBinary});
      Check(JetEndSession(session, 0), "JetEndSession");
      RowsCursor cursor(instance_, path_);
      std::vector<unsigned char> payload(kRowPayloadBytes);
      std::uint64_t n = 0;
      while (n < rows) {
        Check(JetBeginTransaction(cursor.session), "JetBeginTransaction");
        for (std::uint32_t i = 0; i < kRowsPerBuildTransaction && n < rows; ++i, ++n) {
          FillPayload(static_cast<std::int32_t>(n), payload.data(), kRowPayloadBytes);
          cursor.InsertRow(static_cast<std::int32_t>(n), payload.data(), kRowPayloadBytes);
        }
        Check(JetCommitTransaction(cursor.session, JET_bitCommitLazyFlush), "JetCommitTransaction");
      }
    }
    Check(JetTerm2(instance_, JET_bitTermComplete), "JetTerm2");
    instance_ = Start();
    JET_SESID session = 0;
    Check(JetBeginSession(instance_, &session, "", ""), "JetBeginSession");
    Check(JetAttachDatabaseA(session, path_.c_str(), 0), "JetAttachDatabase");
    Check(JetEndSession(session, 0), "JetEndSession");
  }

  std::unique_ptr<Committer> NewCommitter() override {
    return std::make_unique<EsentCommitter>(instance_, path_);
  }

  std::vector<BackupMethod> Methods() override {
    return {
        {"streaming backup (JetBeginExternalBackup ... JetTruncateLog)", "libesent streaming",
         [this](const std::string& destination, double) {
           StreamingBackup(destination);
           return BackupResult{};
         },
         [](const std::string& destination, std::uint64_t) {
           if (!std::filesystem::exists(destination + "/db.edb")) {
             throw BenchFailure("streaming backup: no db.edb in " + destination);
           }
         },
         "the database file present in the copy; beyond that, what the backup itself checks: "
         "every page and log block verified as it is read, each stream's size against "
         "JetOpenFileInstance's"},
        {"JetBackupInstance", "libesent JetBackupInstance",
         [this](const std::string& destination, double) {
           Check(JetBackupInstanceA(instance_, destination.c_str(), 0, nullptr),
                 "JetBackupInstance");
           return BackupResult{};
         },
         [](const std::string& destination, std::uint64_t) {
           Check(EsentVerifyBackupA(destination.c_str(), nullptr), "EsentVerifyBackupA");
         },
         "`EsentVerifyBackupA`: the manifest, every page and log block, the logs contiguous"},
    };
  }

 private:
  JET_INSTANCE Start() {
    return StartInstance(folder_, {.name_prefix = "peer",
                                   .cache_mib = 64,
                                   .circular_log_off = true,
                                   .log_file_kib = kLogFileKib,
                                   .max_sessions = 64,
                                   .max_ver_pages = 16384});
  }

  // A full streaming backup: the database and then every listed log written into files of
  // `destination`, the logs truncated.
  void StreamingBackup(const std::string& destination) {
    std::vector<unsigned char> buffer(std::size_t{1} << 20);
    Check(JetBeginExternalBackupInstance(instance_, 0), "JetBeginExternalBackupInstance");
    try {
      std::vector<char> names(1 << 16);
      JET_UINT32 actual = 0;
      Check(JetGetAttachInfoInstanceA(instance_, names.data(),
                                      static_cast<JET_UINT32>(names.size()), &actual),
            "JetGetAttachInfoInstance");
      for (const std::string& name : SplitMultiString(names.data(), actual)) {
        StreamToFile(instance_, name, destination, buffer);
      }
      std::fill(names.begin(), names.end(), '\0');
      Check(JetGetLogInfoInstanceA(instance_, names.data(), static_cast<JET_UINT32>(names.size()),
                                   &actual),
            "JetGetLogInfoInstance");
      for (const std::string& name : SplitMultiString(names.data(), names.size())) {
        StreamToFile(instance_, name, destination, buffer);
      }
      Check(JetTruncateLogInstance(instance_), "JetTruncateLogInstance");
    } catch (...) {
      (void)JetEndExternalBackupInstance2(instance_, JET_bitBackupEndAbort);
      throw;
    }
    Check(JetEndExternalBackupInstance2(instance_, JET_bitBackupEndNormal),
          "JetEndExternalBackupInstance2");
  }

  std::string folder_;
  std::string path_;
  JET_INSTANCE instance_ = 0;
};

}  // namespace

std::unique_ptr<Peer> MakeEsentPeer(const std::string& folder) {
  return std::make_unique<EsentPeer>(folder);
}

}  // namespace bench::peers
