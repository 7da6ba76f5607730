// The snapshot differential test (issue 4): several sessions, each used only by its own thread,
// drive inserts, replaces (JET_prepReplace and JET_prepReplaceNoLock), deletes, seeks, moves,
// retrievals, index counts, full scans and nested begin / commit / rollback against one table
// through libesent.so, and every result is compared with snapshot::Model (snapshot_model.h),
// the rules of docs/transactions.md.
//
// Determinism: a seeded RNG on the test's main thread chooses the session and the operation; the
// chosen session's thread runs exactly that one operation while every other thread waits (the
// main thread hands a token to one SessionThread at a time and waits for it to come back), then
// the main thread applies the operation to the model and compares. The linearization is
// therefore a function of the seed alone, while the calls really run on different threads.
//
// Knobs (environment):
//   ESENT_TEST_SEED=<n>      run with this seed (otherwise a random one; always printed)
//   ESENT_DIFF_OPS=<n>       number of operations (default: a few thousand)
//   ESENT_LONG_TESTS=1       run for ESENT_DIFF_SECONDS (default 180) seconds instead
// A failure prints the seed, the operation number and the operations before it; rerun it with
// ESENT_TEST_SEED=<seed> ESENT_DIFF_OPS=<operation + 1> in the same executable (the operation
// sequence depends only on the seed, the session count and the fixture's key space).
//
// Also here: the free-running stress (no scheduler), which checks invariants only.
#pragma once

#include <esent.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "snapshot_model.h"
#include "storage_fixture.h"

namespace esent_test::snapshot {

// A thread that runs the closures handed to it, one at a time; Run() blocks the caller until the
// closure has finished on the thread. Thread-safety: Run() from one thread at a time.
class SessionThread {
 public:
  SessionThread() : thread_([this] { Loop(); }) {}
  ~SessionThread() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }
  SessionThread(const SessionThread&) = delete;
  SessionThread& operator=(const SessionThread&) = delete;

  void Run(std::function<void()> work) {
    std::unique_lock lock(mutex_);
    work_ = std::move(work);
    has_work_ = true;
    changed_.notify_all();
    changed_.wait(lock, [this] { return !has_work_; });
  }

 private:
  void Loop() {
    std::unique_lock lock(mutex_);
    for (;;) {
      changed_.wait(lock, [this] { return has_work_ || stop_; });
      if (has_work_) {
        std::function<void()> work = std::move(work_);
        lock.unlock();
        work();
        lock.lock();
        has_work_ = false;
        changed_.notify_all();
      } else {
        return;
      }
    }
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  std::function<void()> work_;
  bool has_work_ = false;
  bool stop_ = false;
  std::thread thread_;  // last: starts after the members above exist
};

inline std::uint64_t EnvNumber(const char* name, std::uint64_t fallback) {
  const char* text = std::getenv(name);
  return text != nullptr && *text != '\0' ? std::strtoull(text, nullptr, 10) : fallback;
}

inline bool LongTests() {
  const char* text = std::getenv("ESENT_LONG_TESTS");
  return text != nullptr && std::string(text) == "1";
}

inline std::uint64_t ChooseSeed() {
  if (std::getenv("ESENT_TEST_SEED") != nullptr) {
    return EnvNumber("ESENT_TEST_SEED", 1);
  }
  std::random_device device;
  return (std::uint64_t{device()} << 32 | device()) % 1000000000000ULL;
}

// Operations of one run: ESENT_DIFF_OPS, else `ci_default`; in the long tier the run is bounded
// by DiffSeconds() instead.
inline std::int64_t DiffOperations(std::int64_t ci_default) {
  if (LongTests() && std::getenv("ESENT_DIFF_OPS") == nullptr) return INT64_MAX;
  return static_cast<std::int64_t>(
      EnvNumber("ESENT_DIFF_OPS", static_cast<std::uint64_t>(ci_default)));
}
inline double DiffSeconds() {
  return LongTests() ? static_cast<double>(EnvNumber("ESENT_DIFF_SECONDS", 180)) : 0.0;
}

// What a read through a cursor returned.
struct Observed {
  JET_ERR err = JET_errSuccess;
  std::int32_t key = 0;
  std::int32_t value = 0;
  std::string text;
  std::string blob;  // empty: NULL
};

inline std::string Describe(const Row& row) {
  std::ostringstream out;
  out << "{value " << row.value << ", text \"" << row.text << "\", blob " << row.blob.size_bytes
      << "B#" << row.blob.tag << "}";
  return out.str();
}

inline const char* IndexName(IndexKind index) {
  return index == IndexKind::kPrimary ? "primary" : "byValue";
}

class SnapshotDriverTest : public StorageTest {
 protected:
  // 0: leave the process default. Derived fixtures of the *_mode_test executables set these in
  // their constructor.
  std::uint32_t page_size_bytes_ = 0;
  std::uint32_t cache_size_pages_ = 0;

  void SetUp() override {
    if (page_size_bytes_ != 0) {
      ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(nullptr, 0, JET_paramDatabasePageSize,
                                                       page_size_bytes_, nullptr));
    }
    if (cache_size_pages_ != 0) {
      ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(nullptr, 0, JET_paramCacheSizeMax,
                                                       cache_size_pages_, nullptr));
    }
    StorageTest::SetUp();
    dbid_ = CreateDatabase("snapshot.edb");
    ASSERT_NE(kNilDbid, dbid_);
    JET_TABLEID tableid = CreateTable(dbid_, "Diff");
    key_column_ = AddColumn(tableid, "Key", JET_coltypLong, JET_bitColumnNotNULL);
    value_column_ = AddColumn(tableid, "Value", JET_coltypLong);
    text_column_ = AddColumn(tableid, "Text", JET_coltypText, 0, 255, kCodePageAscii);
    blob_column_ = AddColumn(tableid, "Blob", JET_coltypLongBinary);
    ASSERT_EQ(JET_errSuccess,
              CreateIndex(tableid, "primary", JET_bitIndexPrimary | JET_bitIndexUnique, {"+Key"}));
    ASSERT_EQ(JET_errSuccess, CreateIndex(tableid, "byValue", 0, {"+Value"}));
    ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid));
  }

  void TearDown() override { StopSessions(); }

  // --- sessions on threads -------------------------------------------------------------------

  struct CursorState {
    IndexKind index = IndexKind::kPrimary;
    bool on_entry = false;  // false: no known position (relative moves are not issued)
    Entry position;
  };

  struct Session {
    std::unique_ptr<SessionThread> thread;
    JET_SESID sesid = 0;
    JET_DBID dbid = kNilDbid;
    JET_TABLEID write = kNilTableid;  // primary index, sought before every change
    JET_TABLEID read = kNilTableid;   // seeks and moves; its position carries across operations
    JET_TABLEID scan = kNilTableid;   // full scans
    CursorState read_state;
  };

  // Starts `count` sessions, each on its own thread, with its database and cursors open there.
  void StartSessions(int count) {
    for (int i = 0; i < count; ++i) {
      auto session = std::make_unique<Session>();
      session->thread = std::make_unique<SessionThread>();
      JET_ERR err = JET_errSuccess;
      Session* raw = session.get();
      const std::string path = DatabasePath("snapshot.edb");
      raw->thread->Run([&] {
        err = JetBeginSessionA(instance_, &raw->sesid, nullptr, nullptr);
        if (err >= JET_errSuccess)
          err = JetOpenDatabaseA(raw->sesid, path.c_str(), nullptr, &raw->dbid, 0);
        for (JET_TABLEID* cursor : {&raw->write, &raw->read, &raw->scan}) {
          if (err >= JET_errSuccess)
            err = JetOpenTableA(raw->sesid, raw->dbid, "Diff", nullptr, 0, 0, cursor);
        }
      });
      ASSERT_EQ(JET_errSuccess, err) << "opening session " << i;
      sessions_.push_back(std::move(session));
    }
  }

  void StopSessions() {
    for (auto& session : sessions_) {
      Session* raw = session.get();
      raw->thread->Run([raw] {
        if (raw->sesid != 0) static_cast<void>(JetEndSession(raw->sesid, 0));
      });
    }
    sessions_.clear();
  }

  template <typename Work>
  void OnSession(int session, Work&& work) {
    sessions_[static_cast<std::size_t>(session)]->thread->Run(std::function<void()>(work));
  }
  Session& S(int session) { return *sessions_[static_cast<std::size_t>(session)]; }

  // --- API helpers (run on a session's thread) -----------------------------------------------

  Observed ReadRecord(JET_SESID sesid, JET_TABLEID tableid) const {
    Observed seen;
    std::uint32_t actual = 0;
    seen.err = JetRetrieveColumn(sesid, tableid, key_column_, &seen.key, sizeof(seen.key),
                                 &actual, 0, nullptr);
    if (seen.err != JET_errSuccess) return seen;
    seen.err = JetRetrieveColumn(sesid, tableid, value_column_, &seen.value, sizeof(seen.value),
                                 &actual, 0, nullptr);
    if (seen.err != JET_errSuccess) return seen;
    char text[256];
    seen.err = JetRetrieveColumn(sesid, tableid, text_column_, text, sizeof(text), &actual, 0,
                                 nullptr);
    if (seen.err != JET_errSuccess) return seen;
    seen.text.assign(text, actual);
    std::string blob(65536, '\0');
    seen.err = JetRetrieveColumn(sesid, tableid, blob_column_, blob.data(),
                                 static_cast<std::uint32_t>(blob.size()), &actual, 0, nullptr);
    if (seen.err == JET_wrnColumnNull) {
      seen.err = JET_errSuccess;
      actual = 0;
    }
    if (seen.err != JET_errSuccess) return seen;
    blob.resize(actual);
    seen.blob = std::move(blob);
    return seen;
  }

  JET_ERR SetColumns(JET_SESID sesid, JET_TABLEID tableid, const Changes& changes) const {
    JET_ERR err = JET_errSuccess;
    if (changes.value) {
      err = JetSetColumn(sesid, tableid, value_column_, &*changes.value, sizeof(std::int32_t), 0,
                         nullptr);
    }
    if (err >= JET_errSuccess && changes.text) {
      err = JetSetColumn(sesid, tableid, text_column_, changes.text->data(),
                         static_cast<std::uint32_t>(changes.text->size()), 0, nullptr);
    }
    if (err >= JET_errSuccess && changes.blob) {
      const std::string bytes = changes.blob->Bytes();
      err = JetSetColumn(sesid, tableid, blob_column_, bytes.empty() ? nullptr : bytes.data(),
                         static_cast<std::uint32_t>(bytes.size()), 0, nullptr);
    }
    return err;
  }

  JET_ERR SeekKey(JET_SESID sesid, JET_TABLEID tableid, std::int32_t key,
                  JET_GRBIT grbit) const {
    JET_ERR err = JetMakeKey(sesid, tableid, &key, sizeof(key), JET_bitNewKey);
    return err < JET_errSuccess ? err : JetSeek(sesid, tableid, grbit);
  }

  // Every record through one index of `tableid`, in index order.
  std::vector<Observed> ScanIndex(JET_SESID sesid, JET_TABLEID tableid, IndexKind index,
                                  JET_ERR* end) const {
    std::vector<Observed> records;
    JET_ERR err = JetSetCurrentIndexA(sesid, tableid, IndexName(index));
    if (err >= JET_errSuccess) err = JetMove(sesid, tableid, kMoveFirst, 0);
    while (err >= JET_errSuccess && records.size() < 100000) {
      records.push_back(ReadRecord(sesid, tableid));
      if (records.back().err != JET_errSuccess) {
        err = records.back().err;
        break;
      }
      err = JetMove(sesid, tableid, kMoveNext, 0);
    }
    *end = err;
    return records;
  }

  JET_DBID dbid_ = kNilDbid;
  JET_COLUMNID key_column_ = 0;
  JET_COLUMNID value_column_ = 0;
  JET_COLUMNID text_column_ = 0;
  JET_COLUMNID blob_column_ = 0;
  std::vector<std::unique_ptr<Session>> sessions_;
};

// ---------------------------------------------------------------------------------------------
// The differential run.

class SnapshotDifferentialTest : public SnapshotDriverTest {
 protected:
  // Primary keys are drawn from [0, key_space_); a derived fixture may widen it (more data than
  // a small cache holds).
  std::int32_t key_space_ = 48;
  static constexpr std::int32_t kValueSpace = 12;

  // Runs `operations` operations (or, when `seconds` > 0, as many as fit in that time) of
  // `session_count` sessions from `seed`. Stops at the first difference from the model.
  void RunDifferential(std::uint64_t seed, std::int64_t operations, int session_count,
                       double seconds = 0.0) {
    seed_ = seed;
    random_.seed(seed);
    std::cout << "[ snapshot ] seed " << seed << ", " << session_count << " sessions, "
              << (seconds > 0 ? std::to_string(seconds) + " s" : std::to_string(operations) +
                                                                     " operations")
              << " (rerun: ESENT_TEST_SEED=" << seed << ")" << std::endl;
    RecordProperty("seed", std::to_string(seed));
    model_ = std::make_unique<Model>(session_count);
    StartSessions(session_count);
    if (HasFatalFailure()) return;
    const auto start = std::chrono::steady_clock::now();
    for (op_ = 0; !failed_; ++op_) {
      if (seconds > 0) {
        if (op_ % 64 == 0 && std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                                           start).count() >= seconds) {
          break;
        }
      } else if (op_ >= operations) {
        break;
      }
      const int session = Uniform(0, session_count - 1);
      Step(session);
      if (!failed_ && op_ % 300 == 299) {
        for (int s = 0; s < session_count && !failed_; ++s) CheckScan(s);
      }
    }
    if (!failed_) Finish(session_count);
    std::cout << "[ snapshot ] seed " << seed << ": " << op_ << " operations"
              << (failed_ ? ", FAILED" : ", all matched the model") << std::endl;
    std::cout << "[ snapshot ] expected non-success results:";
    for (const auto& [what, count] : outcomes_) std::cout << " [" << what << "] x" << count;
    std::cout << std::endl;
  }

 private:
  int Uniform(int low, int high) {
    return std::uniform_int_distribution<int>(low, high)(random_);
  }

  // --- reporting -----------------------------------------------------------------------------

  // `key`: the primary key the operation is about, if any (its model state is printed on a
  // failure).
  void Log(int session, const std::string& what, std::optional<std::int32_t> key = std::nullopt) {
    current_key_ = key;
    std::ostringstream line;
    line << "op " << op_ << " s" << session << " L" << model_->level(session) << " " << what;
    current_ = line.str();
    if (key) {
      std::deque<std::string>& operations = key_operations_[*key];
      operations.push_back(current_);
      if (operations.size() > 20) operations.pop_front();
    }
    recent_.push_back(current_);
    if (recent_.size() > 40) recent_.pop_front();
  }

  void Fail(const std::string& detail) {
    if (failed_) return;
    failed_ = true;
    std::ostringstream message;
    message << "seed " << seed_ << " (rerun with ESENT_TEST_SEED=" << seed_
            << " ESENT_DIFF_OPS=" << op_ + 1 << "), " << current_
            << ": " << detail;
    if (current_key_) {
      message << "\n" << model_->Explain(*current_key_) << "\nrecent operations on key "
              << *current_key_ << ":";
      for (const std::string& line : key_operations_[*current_key_]) message << "\n  " << line;
    }
    message << "\nlast operations:";
    for (const std::string& line : recent_) message << "\n  " << line;
    ADD_FAILURE() << message.str();
  }

  bool ExpectErr(JET_ERR expected, JET_ERR actual, const char* what) {
    if (expected != JET_errSuccess) ++outcomes_[std::string(what) + " " + std::to_string(expected)];
    if (expected == actual) return true;
    Fail(std::string(what) + ": expected " + std::to_string(expected) + ", engine returned " +
         std::to_string(actual));
    return false;
  }

  bool ExpectRecord(std::int32_t key, const Row& row, const Observed& seen, const char* what) {
    if (seen.err != JET_errSuccess) {
      Fail(std::string(what) + ": reading key " + std::to_string(key) + " returned " +
           std::to_string(seen.err));
      return false;
    }
    if (seen.key != key || seen.value != row.value || seen.text != row.text ||
        seen.blob != row.blob.Bytes()) {
      std::ostringstream detail;
      detail << what << ": expected key " << key << " " << Describe(row) << ", engine has key "
             << seen.key << " {value " << seen.value << ", text \"" << seen.text << "\", blob "
             << seen.blob.size() << "B" << (seen.blob == row.blob.Bytes() ? "" : " (bytes differ)")
             << "}";
      Fail(detail.str());
      return false;
    }
    return true;
  }

  // --- generators ----------------------------------------------------------------------------

  std::string RandomText() {
    std::string text(static_cast<std::size_t>(Uniform(1, 30)), 'a');
    for (char& c : text) c = static_cast<char>('a' + Uniform(0, 25));
    return text;
  }

  Blob RandomBlob() {
    Blob blob;
    blob.tag = static_cast<std::uint32_t>(Uniform(1, 1 << 30));
    const int kind = Uniform(0, 19);
    if (kind < 8) {
      blob.size_bytes = 0;  // NULL
    } else if (kind < 13) {
      blob.size_bytes = static_cast<std::uint32_t>(Uniform(1, 500));
    } else if (kind < 17) {
      blob.size_bytes = static_cast<std::uint32_t>(Uniform(1000, 4000));
    } else {
      blob.size_bytes = static_cast<std::uint32_t>(Uniform(8193, 20000));  // separate long value
    }
    return blob;
  }

  Row RandomRow() { return Row{Uniform(0, kValueSpace - 1), RandomText(), RandomBlob()}; }

  // --- one operation -------------------------------------------------------------------------

  void Step(int s) {
    if (model_->has_prepared(s)) {
      FinishReplace(s);
      return;
    }
    const int level = model_->level(s);
    // Weights: begin, commit, rollback, insert, prepare replace, delete, seek, move, retrieve,
    // count, scan.
    // One phase in three favours deep nesting (to reach level 7 and JET_errTransTooDeep).
    const bool deep = op_ / 400 % 3 == 2;
    const int weights[] = {level == 0 ? 10 : deep ? 10 : 4, level == 0 ? 1 : 6,
                           level == 0 ? 1 : 3, 14, 12, 11, 14, 12, 5, 2, 1};
    int total = 0;
    for (int weight : weights) total += weight;
    int pick = Uniform(0, total - 1);
    int choice = 0;
    while (pick >= weights[choice]) pick -= weights[choice++];
    switch (choice) {
      case 0: Begin(s); break;
      case 1: Commit(s); break;
      case 2: Rollback(s); break;
      case 3: Insert(s); break;
      case 4: PrepareReplace(s); break;
      case 5: Delete(s); break;
      case 6: Seek(s); break;
      case 7: Move(s); break;
      case 8: Retrieve(s); break;
      case 9: Count(s); break;
      default: CheckScan(s); break;
    }
  }

  void Begin(int s) {
    const bool two = Uniform(0, 1) == 0;
    Log(s, two ? "JetBeginTransaction2" : "JetBeginTransaction");
    JET_ERR err = JET_errSuccess;
    JET_SESID sesid = S(s).sesid;
    OnSession(s, [&] { err = two ? JetBeginTransaction2(sesid, 0) : JetBeginTransaction(sesid); });
    ExpectErr(model_->Begin(s), err, "begin");
  }

  void Commit(int s) {
    const JET_GRBIT grbit = Uniform(0, 1) == 0 ? 0 : JET_bitCommitLazyFlush;
    Log(s, grbit == 0 ? "JetCommitTransaction" : "JetCommitTransaction(LazyFlush)");
    JET_ERR err = JET_errSuccess;
    JET_SESID sesid = S(s).sesid;
    OnSession(s, [&] { err = JetCommitTransaction(sesid, grbit); });
    ExpectErr(model_->Commit(s), err, "commit");
  }

  void Rollback(int s) {
    const bool all = Uniform(0, 3) == 0;
    Log(s, all ? "JetRollback(RollbackAll)" : "JetRollback");
    JET_ERR err = JET_errSuccess;
    JET_SESID sesid = S(s).sesid;
    OnSession(s, [&] { err = JetRollback(sesid, all ? JET_bitRollbackAll : 0); });
    ExpectErr(model_->Rollback(s, all), err, "rollback");
  }

  void Insert(int s) {
    const std::int32_t key = Uniform(0, key_space_ - 1);
    const Row row = RandomRow();
    Log(s, "insert key " + std::to_string(key) + " " + Describe(row), key);
    Session& session = S(s);
    JET_ERR err = JET_errSuccess;
    OnSession(s, [&] {
      err = JetPrepareUpdate(session.sesid, session.write, JET_prepInsert);
      if (err >= JET_errSuccess) {
        err = JetSetColumn(session.sesid, session.write, key_column_, &key, sizeof(key), 0,
                           nullptr);
      }
      if (err >= JET_errSuccess) {
        err = SetColumns(session.sesid, session.write,
                         Changes{row.value, row.text, row.blob.size_bytes ? std::optional<Blob>(row.blob) : std::nullopt});
      }
      if (err >= JET_errSuccess) err = JetUpdate(session.sesid, session.write, nullptr, 0, nullptr);
      if (err < JET_errSuccess) {
        static_cast<void>(JetPrepareUpdate(session.sesid, session.write, JET_prepCancel));
      }
    });
    ExpectErr(model_->Insert(s, key, row), err, "insert");
  }

  void Delete(int s) {
    const std::int32_t key = Uniform(0, key_space_ - 1);
    Log(s, "seek EQ + JetDelete key " + std::to_string(key), key);
    Session& session = S(s);
    JET_ERR err = JET_errSuccess;
    OnSession(s, [&] {
      err = SeekKey(session.sesid, session.write, key, JET_bitSeekEQ);
      if (err >= JET_errSuccess) err = JetDelete(session.sesid, session.write);
    });
    ExpectErr(model_->Delete(s, key), err, "delete");
  }

  void PrepareReplace(int s) {
    const std::int32_t key = Uniform(0, key_space_ - 1);
    const bool lock = Uniform(0, 1) == 0;
    Log(s, std::string("seek EQ + JetPrepareUpdate(") +
               (lock ? "prepReplace" : "prepReplaceNoLock") + ") key " + std::to_string(key),
        key);
    prepared_key_[s] = key;
    Session& session = S(s);
    JET_ERR err = JET_errSuccess;
    OnSession(s, [&] {
      err = SeekKey(session.sesid, session.write, key, JET_bitSeekEQ);
      if (err >= JET_errSuccess) {
        err = JetPrepareUpdate(session.sesid, session.write,
                               lock ? JET_prepReplace : JET_prepReplaceNoLock);
      }
    });
    ExpectErr(model_->PrepareReplace(s, key, lock), err, "prepare replace");
  }

  void FinishReplace(int s) {
    Changes changes;
    const bool cancel = Uniform(0, 9) == 0;
    if (!cancel) {
      const int mask = Uniform(1, 7);
      if (mask & 1) changes.value = Uniform(0, kValueSpace - 1);
      if (mask & 2) changes.text = RandomText();
      if (mask & 4) changes.blob = RandomBlob();
    }
    std::ostringstream what;
    if (cancel) {
      what << "JetPrepareUpdate(prepCancel)";
    } else {
      what << "set";
      if (changes.value) what << " value " << *changes.value;
      if (changes.text) what << " text \"" << *changes.text << "\"";
      if (changes.blob) what << " blob " << changes.blob->size_bytes << "B#" << changes.blob->tag;
      what << " + JetUpdate";
    }
    Log(s, what.str(), prepared_key_[s]);
    Session& session = S(s);
    JET_ERR err = JET_errSuccess;
    OnSession(s, [&] {
      if (cancel) {
        err = JetPrepareUpdate(session.sesid, session.write, JET_prepCancel);
        return;
      }
      err = SetColumns(session.sesid, session.write, changes);
      if (err >= JET_errSuccess) err = JetUpdate(session.sesid, session.write, nullptr, 0, nullptr);
      if (err < JET_errSuccess) {
        static_cast<void>(JetPrepareUpdate(session.sesid, session.write, JET_prepCancel));
      }
    });
    ExpectErr(model_->FinishReplace(s, changes, cancel), err, cancel ? "cancel" : "update");
  }

  // Compares a landed read cursor with the model's expected entry.
  void ExpectLanded(int s, const std::optional<Entry>& expected, JET_ERR expected_err,
                    const Observed& seen, JET_ERR err, const char* what) {
    CursorState& cursor = S(s).read_state;
    if (!ExpectErr(expected_err, err, what)) return;
    if (!expected) {
      cursor.on_entry = false;
      return;
    }
    cursor.on_entry = true;
    cursor.position = *expected;
    const Image image = model_->Visible(s, expected->key);
    ExpectRecord(expected->key, *image, seen, what);
  }

  // Puts the read cursor on `index` if it is elsewhere; the position is then unknown (relative
  // moves are not issued until the next seek or first / last). False on a failure (reported).
  bool SwitchIndex(int s, IndexKind index) {
    Session& session = S(s);
    if (session.read_state.index == index) return true;
    session.read_state.index = index;
    session.read_state.on_entry = false;
    JET_ERR err = JET_errSuccess;
    OnSession(s, [&] { err = JetSetCurrentIndexA(session.sesid, session.read, IndexName(index)); });
    return ExpectErr(JET_errSuccess, err, "JetSetCurrentIndex");
  }

  void Seek(int s) {
    const IndexKind index = Uniform(0, 1) == 0 ? IndexKind::kPrimary : IndexKind::kByValue;
    const std::int32_t search =
        index == IndexKind::kPrimary ? Uniform(-1, key_space_) : Uniform(-1, kValueSpace);
    const int kind = Uniform(0, 2);
    const JET_GRBIT grbit = kind == 0 ? JET_bitSeekEQ : kind == 1 ? JET_bitSeekGE : JET_bitSeekLE;
    Log(s, std::string("seek ") + IndexName(index) + " " +
               (kind == 0 ? "EQ " : kind == 1 ? "GE " : "LE ") + std::to_string(search));
    Session& session = S(s);
    JET_ERR err = JET_errSuccess;
    Observed seen;
    if (!SwitchIndex(s, index)) return;
    OnSession(s, [&] {
      err = SeekKey(session.sesid, session.read, search, grbit);
      if (err >= JET_errSuccess) seen = ReadRecord(session.sesid, session.read);
    });
    const std::vector<Entry> entries = model_->Entries(s, index);
    std::optional<Entry> expected;
    if (kind == 0) {
      for (const Entry& entry : entries) {
        if (entry.first == search) {
          expected = entry;
          break;
        }
      }
    } else if (kind == 1) {
      for (const Entry& entry : entries) {
        if (entry.first >= search) {
          expected = entry;
          break;
        }
      }
    } else {
      for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
        if (it->first <= search) {
          expected = *it;
          break;
        }
      }
    }
    const JET_ERR expected_err = !expected                   ? JET_errRecordNotFound
                                 : expected->first == search ? JET_errSuccess
                                                             : JET_wrnSeekNotEqual;
    ExpectLanded(s, expected, expected_err, seen, err, "seek");
  }

  void Move(int s) {
    Session& session = S(s);
    CursorState& cursor = session.read_state;
    int kind = Uniform(0, 3);  // first, last, next, previous
    if (!cursor.on_entry && kind >= 2) kind -= 2;
    IndexKind index = cursor.index;
    if (kind < 2 && Uniform(0, 3) == 0) {
      index = index == IndexKind::kPrimary ? IndexKind::kByValue : IndexKind::kPrimary;
    }
    static const char* const kNames[] = {"first", "last", "next", "previous"};
    Log(s, std::string("move ") + kNames[kind] + " on " + IndexName(index));
    if (!SwitchIndex(s, index)) return;
    const std::int32_t offsets[] = {kMoveFirst, kMoveLast, kMoveNext, kMovePrevious};
    JET_ERR err = JET_errSuccess;
    Observed seen;
    OnSession(s, [&] {
      err = JetMove(session.sesid, session.read, offsets[kind], 0);
      if (err >= JET_errSuccess) seen = ReadRecord(session.sesid, session.read);
    });
    const std::vector<Entry> entries = model_->Entries(s, index);
    std::optional<Entry> expected;
    if (kind == 0 && !entries.empty()) expected = entries.front();
    if (kind == 1 && !entries.empty()) expected = entries.back();
    if (kind == 2) {
      for (const Entry& entry : entries) {
        if (entry > cursor.position) {
          expected = entry;
          break;
        }
      }
    }
    if (kind == 3) {
      for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
        if (*it < cursor.position) {
          expected = *it;
          break;
        }
      }
    }
    ExpectLanded(s, expected, expected ? JET_errSuccess : JET_errNoCurrentRecord, seen, err,
                 "move");
  }

  void Retrieve(int s) {
    Session& session = S(s);
    const CursorState& cursor = session.read_state;
    if (!cursor.on_entry) return;
    const Image image = model_->Visible(s, cursor.position.key);
    if (image && EntryOf(cursor.index, cursor.position.key, *image) != cursor.position) {
      return;  // a secondary entry whose record now has another value: not specified
    }
    Log(s, std::string("retrieve on ") + IndexName(cursor.index) + " at key " +
               std::to_string(cursor.position.key));
    Observed seen;
    OnSession(s, [&] { seen = ReadRecord(session.sesid, session.read); });
    if (!image) {
      ExpectErr(JET_errRecordDeleted, seen.err, "retrieve of a record that became invisible");
    } else {
      ExpectRecord(cursor.position.key, *image, seen, "retrieve");
    }
  }

  void Count(int s) {
    Session& session = S(s);
    Log(s, std::string("move first + JetIndexRecordCount on ") + IndexName(session.read_state.index));
    JET_ERR err = JET_errSuccess;
    std::uint32_t count = 0;
    Observed seen;
    OnSession(s, [&] {
      err = JetMove(session.sesid, session.read, kMoveFirst, 0);
      if (err >= JET_errSuccess) seen = ReadRecord(session.sesid, session.read);
      if (err >= JET_errSuccess) err = JetIndexRecordCount(session.sesid, session.read, &count, 0);
    });
    const std::vector<Entry> entries = model_->Entries(s, session.read_state.index);
    const std::optional<Entry> first =
        entries.empty() ? std::nullopt : std::optional<Entry>(entries.front());
    ExpectLanded(s, first, first ? JET_errSuccess : JET_errNoCurrentRecord, seen, err,
                 "move first + count");
    if (!failed_ && first && count != entries.size()) {
      Fail("JetIndexRecordCount: expected " + std::to_string(entries.size()) + ", engine counted " +
           std::to_string(count));
    }
  }

  // Scans both indexes through the session's scan cursor and compares with what it should see.
  void CheckScan(int s) {
    Session& session = S(s);
    Log(s, "full scan");
    std::vector<Observed> primary;
    std::vector<Observed> secondary;
    JET_ERR primary_end = JET_errSuccess;
    JET_ERR secondary_end = JET_errSuccess;
    OnSession(s, [&] {
      primary = ScanIndex(session.sesid, session.scan, IndexKind::kPrimary, &primary_end);
      secondary = ScanIndex(session.sesid, session.scan, IndexKind::kByValue, &secondary_end);
    });
    if (!ExpectErr(JET_errNoCurrentRecord, primary_end, "end of the primary scan")) return;
    if (!ExpectErr(JET_errNoCurrentRecord, secondary_end, "end of the byValue scan")) return;
    const std::map<std::int32_t, Row> rows = model_->VisibleRows(s);
    std::vector<std::int32_t> expected_keys;
    std::vector<std::int32_t> seen_keys;
    for (const auto& [key, row] : rows) expected_keys.push_back(key);
    for (const Observed& seen : primary) seen_keys.push_back(seen.key);
    if (expected_keys != seen_keys) {
      std::ostringstream detail;
      detail << "primary scan keys differ: expected";
      for (std::int32_t key : expected_keys) detail << " " << key;
      detail << "; engine";
      for (std::int32_t key : seen_keys) detail << " " << key;
      Fail(detail.str());
      return;
    }
    auto row = rows.begin();
    for (const Observed& seen : primary) {
      if (!ExpectRecord(row->first, row->second, seen, "primary scan")) return;
      ++row;
    }
    const std::vector<Entry> expected = model_->Entries(s, IndexKind::kByValue);
    std::vector<Entry> found;
    for (const Observed& seen : secondary) found.push_back(Entry{seen.value, seen.key});
    if (expected != found) {
      std::ostringstream detail;
      detail << "byValue scan differs: expected";
      for (const Entry& entry : expected) detail << " (" << entry.first << "," << entry.key << ")";
      detail << "; engine";
      for (const Entry& entry : found) detail << " (" << entry.first << "," << entry.key << ")";
      Fail(detail.str());
    }
  }

  // Ends the run: finishes prepared replaces, closes every transaction, compares every session.
  void Finish(int session_count) {
    for (int s = 0; s < session_count && !failed_; ++s) {
      if (model_->has_prepared(s)) FinishReplace(s);
      while (!failed_ && model_->level(s) > 0) Commit(s);
    }
    for (int s = 0; s < session_count && !failed_; ++s) CheckScan(s);
  }

  std::unique_ptr<Model> model_;
  std::mt19937_64 random_;
  std::uint64_t seed_ = 0;
  std::int64_t op_ = 0;
  bool failed_ = false;
  std::string current_;
  std::deque<std::string> recent_;
  std::map<std::string, int> outcomes_;  // expected non-success results, for the summary
  std::optional<std::int32_t> current_key_;
  std::map<int, std::int32_t> prepared_key_;  // session -> key of its last prepared replace
  std::map<std::int32_t, std::deque<std::string>> key_operations_;  // recent changes per key
};

// ---------------------------------------------------------------------------------------------
// The free-running stress: no scheduler, every session's thread runs at once. Each session owns
// a disjoint key range (only it inserts there) and all share a small hot range. Only invariants
// are checked: no error outside the allowed ones, every committed insert in a session's own range
// is there at the end and every rolled-back one is not, and a full scan repeated inside a
// transaction (with no own change between) sees the same rows while the others keep writing.

class SnapshotStressTest : public SnapshotDriverTest {
 protected:
  static constexpr std::int32_t kHotKeys = 24;

  struct Outcome {
    std::vector<std::string> errors;
    std::set<std::int32_t> committed;    // own-range keys whose insert committed
    std::set<std::int32_t> rolled_back;  // own-range keys whose insert was rolled back
    int repeatable_scans = 0;
    int conflicts = 0;
  };

  void RunFreeStress(std::uint64_t seed, int session_count, int operations_per_session) {
    std::cout << "[ snapshot ] free stress seed " << seed << ", " << session_count
              << " sessions x " << operations_per_session << " operations" << std::endl;
    RecordProperty("seed", std::to_string(seed));
    StartSessions(session_count);
    if (HasFatalFailure()) return;
    std::vector<Outcome> outcomes(static_cast<std::size_t>(session_count));
    {
      std::vector<std::thread> drivers;
      for (int s = 0; s < session_count; ++s) {
        drivers.emplace_back([this, s, seed, operations_per_session, &outcomes] {
          Outcome& outcome = outcomes[static_cast<std::size_t>(s)];
          OnSession(s, [&] { Work(s, seed, operations_per_session, outcome); });
        });
      }
      for (std::thread& driver : drivers) driver.join();
    }
    int repeatable = 0;
    int conflicts = 0;
    for (int s = 0; s < session_count; ++s) {
      const Outcome& outcome = outcomes[static_cast<std::size_t>(s)];
      for (const std::string& error : outcome.errors) {
        ADD_FAILURE() << "seed " << seed << " (rerun with ESENT_TEST_SEED=" << seed
                      << "), session " << s << ": " << error;
      }
      repeatable += outcome.repeatable_scans;
      conflicts += outcome.conflicts;
      // Read back through session 0, outside any transaction (latest committed state).
      Session& reader = S(0);
      for (std::int32_t key : outcome.committed) {
        JET_ERR err = JET_errSuccess;
        OnSession(0, [&] { err = SeekKey(reader.sesid, reader.write, key, JET_bitSeekEQ); });
        EXPECT_EQ(JET_errSuccess, err) << "seed " << seed << ": committed insert of key " << key
                                       << " by session " << s << " is missing";
      }
      for (std::int32_t key : outcome.rolled_back) {
        JET_ERR err = JET_errSuccess;
        OnSession(0, [&] { err = SeekKey(reader.sesid, reader.write, key, JET_bitSeekEQ); });
        EXPECT_EQ(JET_errRecordNotFound, err) << "seed " << seed << ": rolled-back insert of key "
                                              << key << " by session " << s << " is present";
      }
    }
    std::cout << "[ snapshot ] free stress: " << repeatable << " repeated scans, " << conflicts
              << " write conflicts" << std::endl;
    EXPECT_GT(repeatable, 0) << "seed " << seed;
  }

 private:
  static std::string ErrorText(const char* what, JET_ERR err, int level) {
    return std::string(what) + " returned " + std::to_string(err) + " at level " +
           std::to_string(level);
  }

  // The loop of one session, on its own thread. Records unexpected results in `outcome`.
  void Work(int s, std::uint64_t seed, int operations, Outcome& outcome) {
    Session& session = S(s);
    const JET_SESID sesid = session.sesid;
    std::mt19937_64 random(seed * 31 + static_cast<std::uint64_t>(s));
    auto uniform = [&random](int low, int high) {
      return std::uniform_int_distribution<int>(low, high)(random);
    };
    const std::int32_t own_base = 100000 * (s + 1);
    std::int32_t next_own = own_base;
    std::vector<std::vector<std::int32_t>> own_inserts;  // per open level
    int level = 0;
    auto allowed = [&](JET_ERR err, std::initializer_list<JET_ERR> ok, const char* what) {
      for (JET_ERR good : ok) {
        if (err == good) return true;
      }
      outcome.errors.push_back(ErrorText(what, err, level));
      return false;
    };
    auto rollback_all = [&] {
      const JET_ERR err = JetRollback(sesid, JET_bitRollbackAll);
      if (err != JET_errSuccess) outcome.errors.push_back(ErrorText("rollback all", err, level));
      for (auto& inserts : own_inserts) outcome.rolled_back.insert(inserts.begin(), inserts.end());
      own_inserts.clear();
      level = 0;
    };
    auto commit = [&] {
      const JET_ERR err = JetCommitTransaction(sesid, 0);
      if (err != JET_errSuccess) {
        outcome.errors.push_back(ErrorText("commit", err, level));
        return;
      }
      std::vector<std::int32_t> inserts = std::move(own_inserts.back());
      own_inserts.pop_back();
      --level;
      if (level == 0) {
        outcome.committed.insert(inserts.begin(), inserts.end());
      } else {
        own_inserts.back().insert(own_inserts.back().end(), inserts.begin(), inserts.end());
      }
    };
    auto conflict = [&] {
      ++outcome.conflicts;
      if (level > 0 && uniform(0, 1) == 0) rollback_all();
    };
    auto insert = [&](std::int32_t key, std::int32_t value) {
      JET_ERR err = JetPrepareUpdate(sesid, session.write, JET_prepInsert);
      if (err >= JET_errSuccess)
        err = JetSetColumn(sesid, session.write, key_column_, &key, sizeof(key), 0, nullptr);
      if (err >= JET_errSuccess)
        err = JetSetColumn(sesid, session.write, value_column_, &value, sizeof(value), 0, nullptr);
      if (err >= JET_errSuccess) {
        const char text[] = "stress";
        err = JetSetColumn(sesid, session.write, text_column_, text, 6, 0, nullptr);
      }
      if (err >= JET_errSuccess) err = JetUpdate(sesid, session.write, nullptr, 0, nullptr);
      if (err < JET_errSuccess) {
        static_cast<void>(JetPrepareUpdate(sesid, session.write, JET_prepCancel));
      }
      return err;
    };

    for (int op = 0; op < operations && outcome.errors.size() < 5; ++op) {
      const int choice = uniform(0, 99);
      if (choice < 10) {
        if (level < 3) {
          if (allowed(JetBeginTransaction(sesid), {JET_errSuccess}, "begin")) {
            ++level;
            own_inserts.emplace_back();
          }
        }
      } else if (choice < 18) {
        if (level > 0) commit();
      } else if (choice < 21) {
        if (level > 0) {
          const JET_ERR err = JetRollback(sesid, 0);
          if (allowed(err, {JET_errSuccess}, "rollback")) {
            outcome.rolled_back.insert(own_inserts.back().begin(), own_inserts.back().end());
            own_inserts.pop_back();
            --level;
          }
        }
      } else if (choice < 36) {  // own range: nobody else writes there
        const std::int32_t key = next_own++;
        if (allowed(insert(key, uniform(0, 50)), {JET_errSuccess}, "insert in the own range")) {
          if (level == 0) {
            outcome.committed.insert(key);
          } else {
            own_inserts.back().push_back(key);
          }
        }
      } else if (choice < 50) {  // hot insert
        const JET_ERR err = insert(uniform(0, kHotKeys - 1), uniform(0, 50));
        if (allowed(err, {JET_errSuccess, JET_errKeyDuplicate, JET_errWriteConflict}, "hot insert") &&
            err == JET_errWriteConflict) {
          conflict();
        }
      } else if (choice < 66) {  // hot replace
        const std::int32_t key = uniform(0, kHotKeys - 1);
        JET_ERR err = SeekKey(sesid, session.write, key, JET_bitSeekEQ);
        if (!allowed(err, {JET_errSuccess, JET_errRecordNotFound}, "seek for replace") ||
            err != JET_errSuccess) {
          continue;
        }
        err = JetPrepareUpdate(sesid, session.write,
                               uniform(0, 1) == 0 ? JET_prepReplace : JET_prepReplaceNoLock);
        if (err == JET_errSuccess) {
          const std::int32_t value = uniform(0, 50);
          err = JetSetColumn(sesid, session.write, value_column_, &value, sizeof(value), 0, nullptr);
          if (err == JET_errSuccess) err = JetUpdate(sesid, session.write, nullptr, 0, nullptr);
          if (err != JET_errSuccess) {
            static_cast<void>(JetPrepareUpdate(sesid, session.write, JET_prepCancel));
          }
        }
        // Level 0: the record may be deleted and committed by another session in between.
        if (allowed(err, {JET_errSuccess, JET_errWriteConflict, JET_errRecordDeleted},
                    "hot replace") &&
            err == JET_errWriteConflict) {
          conflict();
        }
      } else if (choice < 76) {  // hot delete
        JET_ERR err = SeekKey(sesid, session.write, uniform(0, kHotKeys - 1), JET_bitSeekEQ);
        if (!allowed(err, {JET_errSuccess, JET_errRecordNotFound}, "seek for delete") ||
            err != JET_errSuccess) {
          continue;
        }
        err = JetDelete(sesid, session.write);
        if (allowed(err, {JET_errSuccess, JET_errWriteConflict, JET_errRecordDeleted},
                    "hot delete") &&
            err == JET_errWriteConflict) {
          conflict();
        }
      } else if (choice < 92) {  // seek and read anywhere
        const std::int32_t key = uniform(0, 1) == 0 ? uniform(0, kHotKeys) : own_base + uniform(0, 50);
        JET_ERR err = SeekKey(sesid, session.read, key, JET_bitSeekGE);
        if (!allowed(err, {JET_errSuccess, JET_wrnSeekNotEqual, JET_errRecordNotFound}, "seek GE") ||
            err == JET_errRecordNotFound) {
          continue;
        }
        std::int32_t found = 0;
        err = JetRetrieveColumn(sesid, session.read, key_column_, &found, sizeof(found), nullptr, 0,
                                nullptr);
        if (level > 0) {
          allowed(err, {JET_errSuccess}, "retrieve after seek in a transaction");
        } else {
          allowed(err, {JET_errSuccess, JET_errRecordDeleted}, "retrieve after seek");
        }
        if (err == JET_errSuccess && found < key) {
          outcome.errors.push_back("seek GE " + std::to_string(key) + " landed on " +
                                   std::to_string(found));
        }
      } else {  // repeatable reads
        const bool began = level == 0;
        if (began) {
          if (!allowed(JetBeginTransaction(sesid), {JET_errSuccess}, "begin for scans")) continue;
          ++level;
          own_inserts.emplace_back();
        }
        JET_ERR first_end = JET_errSuccess;
        JET_ERR second_end = JET_errSuccess;
        const std::vector<Observed> first =
            ScanIndex(sesid, session.scan, IndexKind::kPrimary, &first_end);
        std::this_thread::yield();
        const std::vector<Observed> second =
            ScanIndex(sesid, session.scan, IndexKind::kPrimary, &second_end);
        if (allowed(first_end, {JET_errNoCurrentRecord}, "end of the first scan") &&
            allowed(second_end, {JET_errNoCurrentRecord}, "end of the second scan")) {
          bool same = first.size() == second.size();
          for (std::size_t i = 0; same && i < first.size(); ++i) {
            same = first[i].key == second[i].key && first[i].value == second[i].value &&
                   first[i].text == second[i].text && first[i].blob == second[i].blob;
          }
          if (!same) {
            outcome.errors.push_back("two scans in one transaction differ (" +
                                     std::to_string(first.size()) + " and " +
                                     std::to_string(second.size()) + " rows)");
          }
          ++outcome.repeatable_scans;
        }
        if (began && level > 0) commit();
      }
    }
    while (level > 0 && outcome.errors.empty()) commit();
    if (level > 0) rollback_all();
  }
};

}  // namespace esent_test::snapshot
