// Acceptance tests of sessions and threads (issue 4).
//
// Contract: docs/transactions.md, "Threads": a session may be used from any thread, by one thread
// at a time; a call on a session while another thread is inside a call on the same session gets
// JET_errSessionSharingViolation (-1910) and changes nothing; a reader never waits for a writer's
// transaction and a writer never waits for a reader. ESE: learn.microsoft.com "JET_SESID" (a
// session may be used by only one thread at a time; the error is JET_errSessionSharingViolation)
// and JetBeginSession (a session is not bound to the thread that began it).
//
// No test uses a sleep as its assertion: concurrent work is awaited with a generous bound
// (Completes, 30 s), which only a wait for another session's transaction could exceed. When such
// a bound is exceeded the test reports it, then ends the transaction the work might be waiting
// for, so the process does not hang.
#include <esent.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "two_sessions.h"

namespace esent_test {
namespace {

using Clock = std::chrono::steady_clock;

class SessionThreadsTest : public TwoSessionTest {
 protected:
  // A new session with its own cursor on "Keyed" (ended by EndSession or with the instance).
  KeyedCursor NewSession() { return OpenKeyed(BeginSession(instance_)); }

  static void EndSession(const KeyedCursor& cursor) {
    EXPECT_EQ(JET_errSuccess, JetEndSession(cursor.sesid, 0));
  }

  // Seeds rows 1..count with Value = 10 * Key at level 0.
  void SeedRange(std::int32_t count) {
    for (std::int32_t key = 1; key <= count; ++key) {
      ASSERT_EQ(JET_errSuccess, a_.Insert(key, key * 10)) << key;
    }
  }

  static Rows Range(std::int32_t count) {
    Rows rows;
    for (std::int32_t key = 1; key <= count; ++key) rows.emplace_back(key, key * 10);
    return rows;
  }
};

// --- one session, two threads -----------------------------------------------------------------

// Thread "long" repeats a call that copies a 1 MiB long value on session A; thread "short"
// repeats a cheap call on another cursor of the same session until one of the two calls is
// refused with JET_errSessionSharingViolation. Every call either succeeds or is refused.
TEST_F(SessionThreadsTest, ConcurrentUseOfOneSessionIsSessionSharingViolation) {
  JET_TABLEID blobs = CreateTable(dbid_, "Blobs");
  const JET_COLUMNID key = AddColumn(blobs, "Key", JET_coltypLong, JET_bitColumnNotNULL);
  const JET_COLUMNID blob = AddColumn(blobs, "Blob", JET_coltypLongBinary);
  ASSERT_EQ(JET_errSuccess,
            CreateIndex(blobs, "primary", JET_bitIndexPrimary | JET_bitIndexUnique, {"+Key"}));
  constexpr std::uint32_t kBlobBytes = 1u << 20;
  const std::string payload(kBlobBytes, 'x');
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, blobs, JET_prepInsert));
  ASSERT_EQ(JET_errSuccess, SetInt32(blobs, key, 1));
  ASSERT_EQ(JET_errSuccess, SetString(blobs, blob, payload));
  ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, blobs, nullptr, 0, nullptr));
  ASSERT_EQ(JET_errSuccess, SeekInt32(blobs, 1, JET_bitSeekEQ));

  std::atomic<bool> stop{false};
  std::atomic<int> refused{0};
  const auto deadline = Clock::now() + std::chrono::seconds(10);

  auto long_calls = std::async(std::launch::async, [&] {
    std::vector<char> buffer(kBlobBytes);
    int unexpected = 0;
    while (!stop.load() && Clock::now() < deadline) {
      std::uint32_t actual = 0;
      const JET_ERR err = JetRetrieveColumn(sesid_, blobs, blob, buffer.data(), kBlobBytes,
                                            &actual, 0, nullptr);
      if (err == JET_errSessionSharingViolation) {
        refused.fetch_add(1);
      } else if (err != JET_errSuccess || actual != kBlobBytes) {
        if (++unexpected <= 3) ADD_FAILURE() << "long call: " << err << ", " << actual << " bytes";
      }
    }
  });
  auto short_calls = std::async(std::launch::async, [&] {
    char name[JET_cbNameMost + 1] = {};
    int unexpected = 0;
    while (refused.load() == 0 && Clock::now() < deadline) {
      const JET_ERR err = JetGetTableInfoA(a_.sesid, a_.tableid, name, sizeof(name), JET_TblInfoName);
      if (err == JET_errSessionSharingViolation) {
        refused.fetch_add(1);
      } else if (err != JET_errSuccess) {
        if (++unexpected <= 3) ADD_FAILURE() << "short call: " << err;
      }
    }
    stop.store(true);
  });
  ASSERT_TRUE(Completes(short_calls)) << "the short calls should end by the 10 s deadline";
  ASSERT_TRUE(Completes(long_calls));
  EXPECT_GT(refused.load(), 0) << "no call saw JET_errSessionSharingViolation in 10 s";

  // The session works afterwards, on both cursors.
  std::vector<char> buffer(kBlobBytes);
  std::uint32_t actual = 0;
  EXPECT_EQ(JET_errSuccess,
            JetRetrieveColumn(sesid_, blobs, blob, buffer.data(), kBlobBytes, &actual, 0, nullptr));
  EXPECT_EQ(kBlobBytes, actual);
  EXPECT_TRUE(std::all_of(buffer.begin(), buffer.end(), [](char c) { return c == 'x'; }));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  EXPECT_EQ(JET_errSuccess, a_.Insert(7, 70));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid_, 0));
  EXPECT_EQ(std::optional<std::int32_t>(70), b_.ValueOf(7));
  EXPECT_EQ(JET_errSuccess, JetCloseTable(sesid_, blobs));
}

// A refused call changes nothing. Another thread keeps session A busy copying a long value. This
// thread deletes rows 1, 2, ... through A at level 0: it first repeats a cheap call on A until
// that call is refused (the long call is inside the session right now), then at once calls
// JetDelete, and retries it until it succeeds. After every refused JetDelete session B still sees
// the row; after the successful one the row is gone.
TEST_F(SessionThreadsTest, ARefusedCallChangesNothing) {
  constexpr std::int32_t kRows = 200;
  SeedRange(kRows);
  JET_TABLEID blobs = CreateTable(dbid_, "Blobs");
  const JET_COLUMNID key = AddColumn(blobs, "Key", JET_coltypLong, JET_bitColumnNotNULL);
  const JET_COLUMNID blob = AddColumn(blobs, "Blob", JET_coltypLongBinary);
  ASSERT_EQ(JET_errSuccess,
            CreateIndex(blobs, "primary", JET_bitIndexPrimary | JET_bitIndexUnique, {"+Key"}));
  constexpr std::uint32_t kBlobBytes = 1u << 20;
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, blobs, JET_prepInsert));
  ASSERT_EQ(JET_errSuccess, SetInt32(blobs, key, 1));
  ASSERT_EQ(JET_errSuccess, SetString(blobs, blob, std::string(kBlobBytes, 'y')));
  ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, blobs, nullptr, 0, nullptr));
  ASSERT_EQ(JET_errSuccess, SeekInt32(blobs, 1, JET_bitSeekEQ));
  ASSERT_EQ(JET_errSuccess, a_.UseIndex("primary"));

  std::atomic<bool> stop{false};
  auto long_calls = std::async(std::launch::async, [&] {
    std::vector<char> buffer(kBlobBytes);
    while (!stop.load()) {
      std::uint32_t actual = 0;
      const JET_ERR err = JetRetrieveColumn(sesid_, blobs, blob, buffer.data(), kBlobBytes,
                                            &actual, 0, nullptr);
      if (err != JET_errSuccess && err != JET_errSessionSharingViolation) {
        ADD_FAILURE() << "long call: " << err;
        return;
      }
    }
  });

  const auto deadline = Clock::now() + std::chrono::seconds(10);
  int refused_deletes = 0;
  std::int32_t deleted = 0;
  for (std::int32_t row = 1; row <= kRows && Clock::now() < deadline; ++row) {
    // Position A's cursor on `row`, retrying refused calls.
    JET_ERR err = JET_errSessionSharingViolation;
    while (err == JET_errSessionSharingViolation) {
      err = JetMakeKey(a_.sesid, a_.tableid, &row, sizeof(row), JET_bitNewKey);
      if (err == JET_errSuccess) err = JetSeek(a_.sesid, a_.tableid, JET_bitSeekEQ);
    }
    ASSERT_EQ(JET_errSuccess, err) << "seek of row " << row;
    // Wait until a cheap call is refused: the long call is inside the session now.
    char name[JET_cbNameMost + 1] = {};
    while (Clock::now() < deadline) {
      err = JetGetTableInfoA(a_.sesid, a_.tableid, name, sizeof(name), JET_TblInfoName);
      if (err == JET_errSessionSharingViolation) break;
      ASSERT_EQ(JET_errSuccess, err);
    }
    for (;;) {
      err = JetDelete(a_.sesid, a_.tableid);
      if (err != JET_errSessionSharingViolation) break;
      ++refused_deletes;
      EXPECT_EQ(std::optional<std::int32_t>(row * 10), b_.ValueOf(row))
          << "a refused JetDelete of row " << row << " deleted it";
    }
    ASSERT_EQ(JET_errSuccess, err) << "delete of row " << row;
    EXPECT_EQ(JET_errRecordNotFound, b_.SeekPrimary(row));
    deleted = row;
    if (refused_deletes >= 3 && row >= 3) break;
  }
  stop.store(true);
  ASSERT_TRUE(Completes(long_calls));
  EXPECT_GE(refused_deletes, 1) << "no JetDelete met the long call; rows deleted: " << deleted;
  // Exactly rows 1..deleted are gone.
  EXPECT_EQ(static_cast<std::uint32_t>(kRows - deleted), b_.Count("primary"));
  EXPECT_EQ(JET_errSuccess, JetCloseTable(sesid_, blobs));
}

// A session is not bound to a thread: begin on one, change on another, commit on a third.
TEST_F(SessionThreadsTest, ASessionMayMoveBetweenThreads) {
  const KeyedCursor worker = NewSession();
  std::thread([&] { EXPECT_EQ(JET_errSuccess, JetBeginTransaction(worker.sesid)); }).join();
  std::thread([&] {
    EXPECT_EQ(JET_errSuccess, worker.Insert(1, 10));
    EXPECT_EQ(JET_errSuccess, worker.Insert(2, 20));
  }).join();
  // Not yet committed: invisible to A.
  EXPECT_EQ(JET_errRecordNotFound, a_.SeekPrimary(1));
  std::thread([&] {
    EXPECT_EQ(std::optional<std::int32_t>(20), worker.ValueOf(2));
    EXPECT_EQ(JET_errSuccess, JetCommitTransaction(worker.sesid, 0));
  }).join();
  EXPECT_EQ((Rows{{1, 10}, {2, 20}}), a_.Rows("primary"));

  // And a rollback from yet another thread.
  std::thread([&] {
    EXPECT_EQ(JET_errSuccess, JetBeginTransaction(worker.sesid));
    EXPECT_EQ(JET_errSuccess, worker.Delete(1));
  }).join();
  std::thread([&] { EXPECT_EQ(JET_errSuccess, JetRollback(worker.sesid, 0)); }).join();
  EXPECT_EQ((Rows{{1, 10}, {2, 20}}), a_.Rows("primary"));
  std::thread([&] { EndSession(worker); }).join();
}

// --- many sessions, many threads ---------------------------------------------------------------

TEST_F(SessionThreadsTest, ManySessionsOnManyThreadsInsertDisjointKeys) {
  constexpr std::int32_t kThreads = 6;
  constexpr std::int32_t kRowsPerThread = 150;
  std::vector<KeyedCursor> workers;
  for (std::int32_t t = 0; t < kThreads; ++t) workers.push_back(NewSession());

  std::vector<std::future<void>> done;
  for (std::int32_t t = 0; t < kThreads; ++t) {
    done.push_back(std::async(std::launch::async, [&workers, t] {
      const KeyedCursor& worker = workers[static_cast<std::size_t>(t)];
      const bool transactional = t % 2 == 0;  // even threads commit batches of 10
      for (std::int32_t i = 0; i < kRowsPerThread; ++i) {
        if (transactional && i % 10 == 0) {
          EXPECT_EQ(JET_errSuccess, JetBeginTransaction(worker.sesid));
        }
        const std::int32_t key = i * kThreads + t;  // threads interleave in key order
        EXPECT_EQ(JET_errSuccess, worker.Insert(key, -key)) << "thread " << t << " key " << key;
        if (transactional && i % 10 == 9) {
          EXPECT_EQ(JET_errSuccess, JetCommitTransaction(worker.sesid, 0));
        }
      }
    }));
  }
  for (auto& future : done) ASSERT_TRUE(Completes(future));
  for (const KeyedCursor& worker : workers) EndSession(worker);

  constexpr std::uint32_t kTotal = static_cast<std::uint32_t>(kThreads * kRowsPerThread);
  const std::vector<std::int32_t> keys = a_.Keys();
  ASSERT_EQ(kTotal, keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    ASSERT_EQ(static_cast<std::int32_t>(i), keys[i]);
  }
  EXPECT_EQ(kTotal, a_.Count("primary"));
  EXPECT_EQ(kTotal, a_.Count("byValue"));
  EXPECT_EQ(kTotal, b_.Count("byValue"));
}

// Several threads increment one counter row, each increment in its own transaction, retrying
// after JET_errWriteConflict. Snapshot reads plus write conflicts lose no increment.
TEST_F(SessionThreadsTest, ConcurrentIncrementsRetryingOnWriteConflictLoseNothing) {
  ASSERT_EQ(JET_errSuccess, a_.Insert(1, 0));
  constexpr std::int32_t kThreads = 4;
  constexpr std::int32_t kIncrementsPerThread = 25;
  std::vector<KeyedCursor> workers;
  for (std::int32_t t = 0; t < kThreads; ++t) workers.push_back(NewSession());
  std::atomic<int> conflicts{0};

  std::vector<std::future<void>> done;
  for (std::int32_t t = 0; t < kThreads; ++t) {
    done.push_back(std::async(std::launch::async, [&workers, &conflicts, t] {
      const KeyedCursor& worker = workers[static_cast<std::size_t>(t)];
      // JET_prepReplace on even threads (conflict at the prepare), NoLock on odd ones (conflict
      // at JetUpdate).
      const JET_GRBIT prep = t % 2 == 0 ? JET_prepReplace : JET_prepReplaceNoLock;
      for (std::int32_t i = 0; i < kIncrementsPerThread; ++i) {
        bool committed = false;
        for (int attempt = 0; attempt < 100000 && !committed; ++attempt) {
          if (JetBeginTransaction(worker.sesid) != JET_errSuccess) {
            ADD_FAILURE() << "begin";
            return;
          }
          const std::optional<std::int32_t> value = worker.ValueOf(1);
          if (!value) {
            ADD_FAILURE() << "counter row not visible";
            return;
          }
          const JET_ERR err = worker.Replace(1, *value + 1, prep);
          if (err == JET_errSuccess) {
            const JET_ERR commit = JetCommitTransaction(worker.sesid, 0);
            EXPECT_EQ(JET_errSuccess, commit);
            committed = commit == JET_errSuccess;
          } else {
            EXPECT_EQ(JET_errWriteConflict, err);
            conflicts.fetch_add(1);
            EXPECT_EQ(JET_errSuccess, JetRollback(worker.sesid, 0));
            std::this_thread::yield();
          }
        }
        EXPECT_TRUE(committed) << "thread " << t << " increment " << i;
      }
    }));
  }
  for (auto& future : done) ASSERT_TRUE(Completes(future, 60));
  for (const KeyedCursor& worker : workers) EndSession(worker);
  EXPECT_EQ(std::optional<std::int32_t>(kThreads * kIncrementsPerThread), a_.ValueOf(1))
      << conflicts.load() << " write conflicts were retried";
}

// --- readers and writers do not wait for each other's transactions -------------------------------

// R's transaction stays open (and reading) while writers on other threads insert, replace and
// delete and commit; the writers finish, R still sees its snapshot, then the new state.
TEST_F(SessionThreadsTest, ALongReaderDoesNotBlockWriters) {
  constexpr std::int32_t kRows = 100;
  SeedRange(kRows);
  const KeyedCursor& reader = b_;
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(reader.sesid));
  ASSERT_EQ(Range(kRows), reader.Rows("primary"));
  // The reader is positioned on a record the writers will change.
  ASSERT_EQ(JET_errSuccess, reader.SeekPrimary(5));

  constexpr std::int32_t kWriters = 2;
  std::vector<KeyedCursor> writers;
  for (std::int32_t w = 0; w < kWriters; ++w) writers.push_back(NewSession());
  std::vector<std::future<void>> done;
  for (std::int32_t w = 0; w < kWriters; ++w) {
    done.push_back(std::async(std::launch::async, [&writers, w] {
      const KeyedCursor& writer = writers[static_cast<std::size_t>(w)];
      // Writer w owns the seeded keys congruent to w modulo kWriters.
      for (std::int32_t batch = 0; batch < 5; ++batch) {
        EXPECT_EQ(JET_errSuccess, JetBeginTransaction(writer.sesid));
        for (std::int32_t i = 0; i < 10; ++i) {
          const std::int32_t key = 1000 * (w + 1) + batch * 10 + i;
          EXPECT_EQ(JET_errSuccess, writer.Insert(key, key * 10));
        }
        const std::int32_t replaced = 1 + w + kWriters * batch;        // keys 1..10
        const std::int32_t deleted = 1 + w + kWriters * (batch + 10);  // keys 21..30
        EXPECT_EQ(JET_errSuccess, writer.Replace(replaced, -replaced, JET_prepReplace));
        EXPECT_EQ(JET_errSuccess, writer.Delete(deleted));
        EXPECT_EQ(JET_errSuccess, JetCommitTransaction(writer.sesid, 0));
      }
      // And level-0 changes.
      EXPECT_EQ(JET_errSuccess, writer.Insert(5000 + w, 1));
      EXPECT_EQ(JET_errSuccess, writer.Replace(41 + w, 0));
    }));
  }
  bool all_completed = true;
  for (auto& future : done) all_completed = Completes(future) && all_completed;
  if (!all_completed) {
    ADD_FAILURE() << "writers did not finish within 30 s while a reader's transaction was open";
    EXPECT_EQ(JET_errSuccess, JetRollback(reader.sesid, 0));
    for (auto& future : done) future.wait();
    return;
  }
  for (const KeyedCursor& writer : writers) EndSession(writer);

  // The reader's cursor and snapshot are untouched.
  EXPECT_EQ((std::pair<std::int32_t, std::int32_t>{5, 50}), reader.Current());
  EXPECT_EQ(Range(kRows), reader.Rows("primary"));
  EXPECT_EQ(Range(kRows), reader.Rows("byValue"));
  EXPECT_EQ(static_cast<std::uint32_t>(kRows), reader.Count("primary"));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(reader.sesid, 0));

  // 100 seeded - 10 deleted + 100 inserted + 2 at level 0.
  EXPECT_EQ(192u, reader.Count("primary"));
  EXPECT_EQ(192u, reader.Count("byValue"));
  EXPECT_EQ(std::optional<std::int32_t>(-5), reader.ValueOf(5));
  EXPECT_EQ(JET_errRecordNotFound, reader.SeekPrimary(21));
  EXPECT_EQ(std::optional<std::int32_t>(0), reader.ValueOf(42));
}

// W's transaction holds uncommitted inserts, replaces, deletes and a record lock while readers on
// other threads (at level 0 and in transactions) read the table; they finish and see none of it.
TEST_F(SessionThreadsTest, AnOpenWriterTransactionDoesNotBlockReaders) {
  constexpr std::int32_t kRows = 50;
  SeedRange(kRows);
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  for (std::int32_t key = 100; key < 120; ++key) ASSERT_EQ(JET_errSuccess, a_.Insert(key, key));
  for (std::int32_t key = 1; key <= 10; ++key) ASSERT_EQ(JET_errSuccess, a_.Replace(key, -key));
  for (std::int32_t key = 11; key <= 15; ++key) ASSERT_EQ(JET_errSuccess, a_.Delete(key));
  ASSERT_EQ(JET_errSuccess, a_.PrepareReplace(20, JET_prepReplace));  // left prepared

  constexpr std::int32_t kReaders = 3;
  std::vector<KeyedCursor> readers;
  for (std::int32_t r = 0; r < kReaders; ++r) readers.push_back(NewSession());
  std::vector<std::future<void>> done;
  for (std::int32_t r = 0; r < kReaders; ++r) {
    done.push_back(std::async(std::launch::async, [&readers, r] {
      const KeyedCursor& reader = readers[static_cast<std::size_t>(r)];
      const bool transactional = r % 2 == 1;
      if (transactional) {
        EXPECT_EQ(JET_errSuccess, JetBeginTransaction(reader.sesid));
      }
      for (int pass = 0; pass < 3; ++pass) {
        EXPECT_EQ(Range(kRows), reader.Rows("primary"));
        EXPECT_EQ(Range(kRows), reader.Rows("byValue"));
        EXPECT_EQ(static_cast<std::uint32_t>(kRows), reader.Count("primary"));
        EXPECT_EQ(std::optional<std::int32_t>(30), reader.ValueOf(3));
        EXPECT_EQ(std::optional<std::int32_t>(120), reader.ValueOf(12));
        EXPECT_EQ(std::optional<std::int32_t>(200), reader.ValueOf(20));
        EXPECT_EQ(JET_errRecordNotFound, reader.SeekPrimary(100));
      }
      if (transactional) {
        EXPECT_EQ(JET_errSuccess, JetCommitTransaction(reader.sesid, 0));
      }
    }));
  }
  bool all_completed = true;
  for (auto& future : done) all_completed = Completes(future) && all_completed;
  if (!all_completed) {
    ADD_FAILURE() << "readers did not finish within 30 s while a writer's transaction was open";
    a_.Cancel();
    EXPECT_EQ(JET_errSuccess, JetRollback(a_.sesid, 0));
    for (auto& future : done) future.wait();
    return;
  }
  for (const KeyedCursor& reader : readers) EndSession(reader);
  a_.Cancel();
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(a_.sesid, 0));
  EXPECT_EQ(65u, b_.Count("primary"));  // 50 - 5 + 20
}

}  // namespace
}  // namespace esent_test
