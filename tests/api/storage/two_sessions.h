// Two (or more) sessions on one database and its "Keyed" table, for the transaction, isolation,
// write-conflict and thread suites of issue 4 (docs/transactions.md is their contract).
//
// KeyedCursor names its session explicitly, so one test can drive session A and session B side
// by side (the StorageTest helpers always use the fixture's own session). Its helpers return the
// first failing JET_ERR of the steps they take and leave no update prepared after a failure, so
// a test can assert the exact code and carry on with the same cursor.
//
// Thread-safety: a KeyedCursor is a plain value; it is used by one thread at a time, like the
// session it names.
#pragma once

#include <esent.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <future>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "storage_fixture.h"

namespace esent_test {

struct KeyedCursor {
  JET_SESID sesid = 0;
  JET_DBID dbid = kNilDbid;
  JET_TABLEID tableid = kNilTableid;
  JET_COLUMNID key = 0;
  JET_COLUMNID value = 0;
  JET_COLUMNID name = 0;

  // --- changes ------------------------------------------------------------------------------

  // JET_prepInsert of (key_value, value_value, name_value); JetUpdate's code, or the first
  // failing step's.
  JET_ERR Insert(std::int32_t key_value, std::int32_t value_value,
                 const std::string& name_value = "") const {
    JET_ERR err = JetPrepareUpdate(sesid, tableid, JET_prepInsert);
    if (err < JET_errSuccess) return err;
    err = JetSetColumn(sesid, tableid, key, &key_value, sizeof(key_value), 0, nullptr);
    if (err >= JET_errSuccess) {
      err = JetSetColumn(sesid, tableid, value, &value_value, sizeof(value_value), 0, nullptr);
    }
    if (err >= JET_errSuccess && !name_value.empty()) {
      err = JetSetColumn(sesid, tableid, name, name_value.data(),
                         static_cast<std::uint32_t>(name_value.size()), 0, nullptr);
    }
    if (err >= JET_errSuccess) err = JetUpdate(sesid, tableid, nullptr, 0, nullptr);
    if (err < JET_errSuccess) Cancel();
    return err;
  }

  // Seeks `key_value` on the primary index and prepares a replace with `prep`.
  JET_ERR PrepareReplace(std::int32_t key_value, JET_GRBIT prep = JET_prepReplace) const {
    const JET_ERR err = SeekPrimary(key_value);
    if (err < JET_errSuccess) return err;
    return JetPrepareUpdate(sesid, tableid, prep);
  }

  // Replaces Value (and Name, when given) of the row `key_value`: seek, JetPrepareUpdate(prep),
  // JetSetColumn, JetUpdate. Returns the first failing code; a failed update is cancelled.
  JET_ERR Replace(std::int32_t key_value, std::int32_t value_value,
                  JET_GRBIT prep = JET_prepReplaceNoLock,
                  const std::string& name_value = "") const {
    JET_ERR err = PrepareReplace(key_value, prep);
    if (err < JET_errSuccess) return err;
    err = JetSetColumn(sesid, tableid, value, &value_value, sizeof(value_value), 0, nullptr);
    if (err >= JET_errSuccess && !name_value.empty()) {
      err = JetSetColumn(sesid, tableid, name, name_value.data(),
                         static_cast<std::uint32_t>(name_value.size()), 0, nullptr);
    }
    if (err >= JET_errSuccess) err = JetUpdate(sesid, tableid, nullptr, 0, nullptr);
    if (err < JET_errSuccess) Cancel();
    return err;
  }

  // Seeks `key_value` on the primary index and deletes the row: the seek's code when it fails,
  // else JetDelete's.
  JET_ERR Delete(std::int32_t key_value) const {
    const JET_ERR err = SeekPrimary(key_value);
    if (err < JET_errSuccess) return err;
    return JetDelete(sesid, tableid);
  }

  // Cancels a prepared update, if any (the result is not interesting: there may be none).
  void Cancel() const { static_cast<void>(JetPrepareUpdate(sesid, tableid, JET_prepCancel)); }

  // --- positioning --------------------------------------------------------------------------

  JET_ERR UseIndex(const char* index_name) const {
    return JetSetCurrentIndexA(sesid, tableid, index_name);
  }

  // Seeks `key_value` on the current index.
  JET_ERR Seek(std::int32_t key_value, JET_GRBIT grbit = JET_bitSeekEQ) const {
    const JET_ERR err = JetMakeKey(sesid, tableid, &key_value, sizeof(key_value), JET_bitNewKey);
    if (err < JET_errSuccess) return err;
    return JetSeek(sesid, tableid, grbit);
  }

  // Switches to the primary index and seeks `key_value` on it.
  JET_ERR SeekPrimary(std::int32_t key_value) const {
    const JET_ERR err = UseIndex("primary");
    if (err < JET_errSuccess) return err;
    return Seek(key_value);
  }

  // Switches to "byValue" and seeks `value_value` on it.
  JET_ERR SeekByValue(std::int32_t value_value) const {
    const JET_ERR err = UseIndex("byValue");
    if (err < JET_errSuccess) return err;
    return Seek(value_value);
  }

  // --- reading ------------------------------------------------------------------------------

  // JetRetrieveColumn of a 32-bit column of the current record into *out.
  JET_ERR Read(JET_COLUMNID columnid, std::int32_t* out) const {
    std::uint32_t actual = 0;
    return JetRetrieveColumn(sesid, tableid, columnid, out, sizeof(*out), &actual, 0, nullptr);
  }

  // Key and Value of the current record (expects both reads to succeed).
  std::pair<std::int32_t, std::int32_t> Current() const {
    std::int32_t key_value = 0;
    std::int32_t value_value = 0;
    EXPECT_EQ(JET_errSuccess, Read(key, &key_value));
    EXPECT_EQ(JET_errSuccess, Read(value, &value_value));
    return {key_value, value_value};
  }

  // Name of the current record.
  std::string CurrentName() const {
    char buffer[256] = {};
    std::uint32_t actual = 0;
    const JET_ERR err = JetRetrieveColumn(sesid, tableid, name, buffer, sizeof(buffer), &actual,
                                          0, nullptr);
    EXPECT_TRUE(err == JET_errSuccess || err == JET_wrnColumnNull) << err;
    return err == JET_errSuccess ? std::string(buffer, actual) : std::string();
  }

  // Value of the row `key_value` as this session sees it; nullopt when the primary seek finds no
  // row (any other seek result is reported).
  std::optional<std::int32_t> ValueOf(std::int32_t key_value) const {
    const JET_ERR err = SeekPrimary(key_value);
    if (err == JET_errRecordNotFound) return std::nullopt;
    EXPECT_EQ(JET_errSuccess, err) << "seek of key " << key_value;
    if (err != JET_errSuccess) return std::nullopt;
    return Current().second;
  }

  // Key of the row whose Value is `value_value`, found through "byValue"; nullopt when the seek
  // finds none.
  std::optional<std::int32_t> KeyByValue(std::int32_t value_value) const {
    const JET_ERR err = SeekByValue(value_value);
    if (err == JET_errRecordNotFound) return std::nullopt;
    EXPECT_EQ(JET_errSuccess, err) << "seek of value " << value_value;
    if (err != JET_errSuccess) return std::nullopt;
    return Current().first;
  }

  // (Key, Value) of every row this session sees, in the order of `index_name`, walking with
  // JetMove from the first entry.
  std::vector<std::pair<std::int32_t, std::int32_t>> Rows(const char* index_name = "primary") const {
    std::vector<std::pair<std::int32_t, std::int32_t>> rows;
    EXPECT_EQ(JET_errSuccess, UseIndex(index_name));
    JET_ERR err = JetMove(sesid, tableid, kMoveFirst, 0);
    while (err >= JET_errSuccess) {
      rows.push_back(Current());
      err = JetMove(sesid, tableid, kMoveNext, 0);
    }
    EXPECT_EQ(JET_errNoCurrentRecord, err) << index_name;
    return rows;
  }

  // Keys of every row this session sees, in primary order.
  std::vector<std::int32_t> Keys() const {
    std::vector<std::int32_t> keys;
    for (const auto& row : Rows("primary")) keys.push_back(row.first);
    return keys;
  }

  // JetIndexRecordCount over `index_name` from its first entry (0 when JetMove finds none).
  std::uint32_t Count(const char* index_name = "primary") const {
    EXPECT_EQ(JET_errSuccess, UseIndex(index_name));
    const JET_ERR moved = JetMove(sesid, tableid, kMoveFirst, 0);
    if (moved == JET_errNoCurrentRecord) return 0;
    EXPECT_EQ(JET_errSuccess, moved);
    std::uint32_t count = 0;
    EXPECT_EQ(JET_errSuccess, JetIndexRecordCount(sesid, tableid, &count, 0));
    return count;
  }
};

using Rows = std::vector<std::pair<std::int32_t, std::int32_t>>;

// StorageTest with a database holding the "Keyed" table, cursor a_ on it for the fixture session
// (session A) and cursor b_ for a second session (session B) that opened the database itself.
class TwoSessionTest : public StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    ASSERT_FALSE(HasFatalFailure());
    dbid_ = CreateDatabase();
    ASSERT_NE(kNilDbid, dbid_);
    columns_ = CreateKeyedTable(dbid_);
    ASSERT_FALSE(HasFailure());
    a_ = OpenKeyed(sesid_);
    ASSERT_NE(kNilTableid, a_.tableid);
    b_ = OpenKeyed(BeginSession(instance_));
    ASSERT_NE(kNilTableid, b_.tableid);
  }

  // A cursor on "Keyed" for `sesid`. For a session other than the fixture's, the database is
  // opened on that session first.
  KeyedCursor OpenKeyed(JET_SESID sesid) {
    KeyedCursor cursor;
    cursor.sesid = sesid;
    cursor.key = columns_.key;
    cursor.value = columns_.value;
    cursor.name = columns_.name;
    if (sesid == sesid_) {
      cursor.dbid = dbid_;
    } else {
      EXPECT_EQ(JET_errSuccess, JetOpenDatabaseA(sesid, DatabasePath("test.edb").c_str(), nullptr,
                                                 &cursor.dbid, 0));
    }
    EXPECT_EQ(JET_errSuccess,
              JetOpenTableA(sesid, cursor.dbid, "Keyed", nullptr, 0, 0, &cursor.tableid));
    return cursor;
  }

  // A second cursor on "Keyed" for the session of `cursor`.
  KeyedCursor SecondCursor(const KeyedCursor& cursor) {
    KeyedCursor second = cursor;
    second.tableid = kNilTableid;
    EXPECT_EQ(JET_errSuccess,
              JetOpenTableA(cursor.sesid, cursor.dbid, "Keyed", nullptr, 0, 0, &second.tableid));
    return second;
  }

  // Inserts rows (key, key * 10, "row<key>") at level 0 on session A.
  void Seed(std::initializer_list<std::int32_t> keys) {
    for (const std::int32_t key : keys) {
      ASSERT_EQ(JET_errSuccess, a_.Insert(key, key * 10, "row" + std::to_string(key))) << key;
    }
  }

  JET_DBID dbid_ = kNilDbid;
  KeyedColumns columns_;
  KeyedCursor a_;
  KeyedCursor b_;
};

// Waits up to `seconds` for `future`; true when it became ready. The bound is generous: it
// detects a call that waits for another session's transaction, not slowness.
template <typename T>
bool Completes(std::future<T>& future, int seconds = 30) {
  return future.wait_for(std::chrono::seconds(seconds)) == std::future_status::ready;
}

}  // namespace esent_test
