// PostgreSQL as a peer of esent-bench-peers (bench/peer.h): a throw-away cluster (initdb) in the
// peer's folder, started with pg_ctl on a Unix socket in that folder and no TCP listener, so it
// needs no network and meets no other server. When this process runs as root, initdb, pg_ctl
// and the server run as the user "postgres" (runuser), since PostgreSQL refuses to run as root;
// the folder is then opened to that user. The clients (libpq, pg_basebackup) connect as the
// database user "postgres" with trust authentication on the socket.
//
// Table rows(key int4 PRIMARY KEY, payload bytea). The build inserts 1,000 rows per statement
// with a server-made 1,000-byte payload (the hex of md5(key) repeated: not FillPayload's bytes,
// but the same size; tuples this small are stored uncompressed). Writers each hold a connection
// and run one prepared INSERT per transaction (autocommit) with synchronous_commit = on, the
// default: the commit returns once its WAL is fsync'd. The backup: `pg_basebackup -D
// <destination> -c fast -X stream` (an immediate checkpoint, the data files copied through the
// replication protocol while the WAL written meanwhile is streamed beside them, the output
// fsync'd by pg_basebackup itself).
#include <libpq-fe.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "peer.h"

namespace bench::peers {
namespace {

// Runs a shell command with its output appended to `log`; throws when it fails.
void Shell(const std::string& command, const std::string& log) {
  const std::string line = command + " >>'" + log + "' 2>&1";
  if (std::system(line.c_str()) != 0) {
    throw BenchFailure("postgres: `" + command + "` failed (see " + log + ")");
  }
}

PGconn* Connect(const std::string& socket_folder) {
  const std::string info = "host=" + socket_folder + " user=postgres dbname=postgres";
  PGconn* connection = PQconnectdb(info.c_str());
  if (PQstatus(connection) != CONNECTION_OK) {
    const std::string message = PQerrorMessage(connection);
    PQfinish(connection);
    throw BenchFailure("postgres: connect: " + message);
  }
  return connection;
}

void Execute(PGconn* connection, const std::string& sql) {
  PGresult* result = PQexec(connection, sql.c_str());
  const ExecStatusType status = PQresultStatus(result);
  PQclear(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    throw BenchFailure("postgres: " + sql + ": " + PQerrorMessage(connection));
  }
}

class PostgresCommitter : public Committer {
 public:
  explicit PostgresCommitter(const std::string& socket_folder)
      : connection_(Connect(socket_folder)) {
    PGresult* result =
        PQprepare(connection_, "insert", "INSERT INTO rows(key, payload) VALUES ($1, $2)", 2,
                  nullptr);
    const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
    PQclear(result);
    if (!ok) {
      const std::string message = PQerrorMessage(connection_);
      PQfinish(connection_);
      throw BenchFailure("postgres: prepare: " + message);
    }
  }
  ~PostgresCommitter() override { PQfinish(connection_); }
  PostgresCommitter(const PostgresCommitter&) = delete;
  PostgresCommitter& operator=(const PostgresCommitter&) = delete;

  void Commit(std::int32_t key, const unsigned char* payload, std::uint32_t bytes) override {
    const std::uint32_t value = static_cast<std::uint32_t>(key);
    const char key_bytes[4] = {static_cast<char>(value >> 24), static_cast<char>(value >> 16),
                               static_cast<char>(value >> 8), static_cast<char>(value)};
    const char* values[2] = {key_bytes, reinterpret_cast<const char*>(payload)};
    const int lengths[2] = {4, static_cast<int>(bytes)};
    const int formats[2] = {1, 1};
    PGresult* result = PQexecPrepared(connection_, "insert", 2, values, lengths, formats, 0);
    const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
    PQclear(result);
    if (!ok) throw BenchFailure(std::string("postgres: INSERT: ") + PQerrorMessage(connection_));
  }

 private:
  PGconn* connection_;
};

class PostgresPeer : public Peer {
 public:
  explicit PostgresPeer(const std::string& folder)
      : folder_(folder),
        data_(folder + "/pgdata"),
        socket_(folder + "/socket"),
        log_(folder + "/server.log"),
        bin_(CommandOutputLine("pg_config --bindir")) {
    if (bin_.empty()) throw BenchFailure("postgres: pg_config --bindir failed");
    if (::geteuid() == 0) as_server_user_ = "runuser -u postgres -- ";
  }
  ~PostgresPeer() override {
    if (started_) {
      (void)std::system((as_server_user_ + "'" + bin_ + "/pg_ctl' -D '" + data_ +
                         "' -m fast -w stop >>'" + log_ + "' 2>&1")
                            .c_str());
    }
  }

  std::string Name() const override { return "postgres"; }
  std::string Version() const override {
    return CommandOutputLine("'" + bin_ + "/postgres' --version");
  }
  std::string DurableCommit() const override {
    return "one prepared `INSERT` per transaction (autocommit), `synchronous_commit = on`: the "
           "WAL fsync'd before the commit returns (concurrent commits share a flush)";
  }
  std::string DataFolder() const override { return data_; }

  void Build(std::uint64_t rows) override {
    Shell("mkdir -p '" + data_ + "' '" + socket_ + "'", log_);
    if (!as_server_user_.empty()) {
      // The server user must reach its folders: the peer's folder is mkdtemp's 0700.
      if (::chmod(folder_.c_str(), 0755) != 0) throw BenchFailure("chmod " + folder_);
      for (std::filesystem::path up = std::filesystem::path(folder_).parent_path();
           up.has_relative_path(); up = up.parent_path()) {
        struct stat status {};
        if (::stat(up.c_str(), &status) != 0 || (status.st_mode & S_IXOTH) == 0) {
          throw BenchFailure("postgres: the user postgres cannot reach " + up.string() +
                             " (no o+x): run with --dir elsewhere, or chmod o+x it");
        }
      }
      Shell("chown postgres: '" + data_ + "' '" + socket_ + "' '" + log_ + "'", log_);
    }
    Shell(as_server_user_ + "'" + bin_ + "/initdb' -D '" + data_ +
              "' -A trust -U postgres -E UTF8 --no-sync",
          log_);
    Shell(as_server_user_ + "'" + bin_ + "/pg_ctl' -D '" + data_ + "' -l '" + log_ +
              "' -w -o \"-c listen_addresses='' -k '" + socket_ +
              "' -c shared_buffers=128MB -c max_wal_size=4GB\" start",
          log_);
    started_ = true;
    PGconn* connection = Connect(socket_);
    try {
      Execute(connection, "CREATE TABLE rows(key int4 PRIMARY KEY, payload bytea)");
      for (std::uint64_t first = 0; first < rows; first += kRowsPerBuildTransaction) {
        const std::uint64_t last = std::min(rows, first + kRowsPerBuildTransaction) - 1;
        Execute(connection, "INSERT INTO rows SELECT g, decode(substr(repeat(md5(g::text), 63), "
                            "1, " + std::to_string(kRowPayloadBytes * 2) +
                                "), 'hex') FROM generate_series(" + std::to_string(first) + ", " +
                                std::to_string(last) + ") g");
      }
      Execute(connection, "CHECKPOINT");
    } catch (...) {
      PQfinish(connection);
      throw;
    }
    PQfinish(connection);
  }

  std::unique_ptr<Committer> NewCommitter() override {
    return std::make_unique<PostgresCommitter>(socket_);
  }

  std::vector<BackupMethod> Methods() override {
    return {
        {"pg_basebackup -X stream -c fast (the tool)", "postgres pg_basebackup",
         [this](const std::string& destination, double) {
           (void)RunTool({bin_ + "/pg_basebackup", "-h", socket_, "-U", "postgres", "-D",
                          destination, "-c", "fast", "-X", "stream"});
           return BackupResult{};
         },
         [this](const std::string& destination, std::uint64_t) {
           Shell("'" + bin_ + "/pg_verifybackup' '" + destination + "'", log_);
         },
         "`pg_verifybackup`: every file against the backup manifest (size, CRC-32C), the WAL "
         "needed parsed"},
    };
  }

 private:
  std::string folder_;
  std::string data_;
  std::string socket_;
  std::string log_;
  std::string bin_;
  std::string as_server_user_;  // "runuser -u postgres -- " when running as root
  bool started_ = false;
};

}  // namespace

std::unique_ptr<Peer> MakePostgresPeer(const std::string& folder) {
  return std::make_unique<PostgresPeer>(folder);
}

}  // namespace bench::peers
