// Acceptance tests of long values (LongBinary / LongText of MiBs) inside transactions (issue 4).
//
// Contract: docs/transactions.md ("Snapshots"; "Long values are never changed in place: a changed
// value is written under a new id, so an old image's long values stay readable") and issue 4,
// deliverable 4: long values work inside transactions, with rollback. ESE: learn.microsoft.com
// JetSetColumn (JET_bitSetAppendLV appends to a long value) and JetRetrieveColumn.
//
// Table "Blobs": Key Long (primary, unique), Blob LongBinary, Text LongText (ASCII). Session A is
// the fixture's; session B opened the database itself.
#include <esent.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "two_sessions.h"

namespace esent_test {
namespace {

constexpr std::uint32_t kMiB = 1u << 20;

// `size` bytes that differ from position to position and from seed to seed, so a value read back
// from the wrong version or with a misplaced chunk does not compare equal.
std::string Pattern(std::uint32_t size, std::uint32_t seed) {
  std::string bytes(size, '\0');
  std::uint32_t state = seed * 2654435761u + 1u;
  for (std::uint32_t i = 0; i < size; ++i) {
    state = state * 1103515245u + 12345u;
    bytes[i] = static_cast<char>(state >> 24);
  }
  return bytes;
}

// Printable text for the LongText column.
std::string Text(std::uint32_t size, char first) {
  std::string text(size, ' ');
  for (std::uint32_t i = 0; i < size; ++i) {
    text[i] = static_cast<char>(first + static_cast<char>(i % 23));
  }
  return text;
}

class LongValueTransactionTest : public StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    ASSERT_FALSE(HasFatalFailure());
    dbid_ = CreateDatabase();
    JET_TABLEID tableid = CreateTable(dbid_, "Blobs");
    key_ = AddColumn(tableid, "Key", JET_coltypLong, JET_bitColumnNotNULL);
    blob_ = AddColumn(tableid, "Blob", JET_coltypLongBinary);
    text_ = AddColumn(tableid, "Text", JET_coltypLongText, 0, 0, kCodePageAscii);
    ASSERT_EQ(JET_errSuccess,
              CreateIndex(tableid, "primary", JET_bitIndexPrimary | JET_bitIndexUnique, {"+Key"}));
    ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid));
    a_ = Open(sesid_, dbid_);
    other_ = BeginSession(instance_);
    JET_DBID other_dbid = kNilDbid;
    ASSERT_EQ(JET_errSuccess, JetOpenDatabaseA(other_, DatabasePath("test.edb").c_str(), nullptr,
                                               &other_dbid, 0));
    b_ = Open(other_, other_dbid);
  }

  JET_TABLEID Open(JET_SESID sesid, JET_DBID dbid) {
    JET_TABLEID tableid = kNilTableid;
    EXPECT_EQ(JET_errSuccess, JetOpenTableA(sesid, dbid, "Blobs", nullptr, 0, 0, &tableid));
    return tableid;
  }

  static JET_ERR Seek(JET_SESID sesid, JET_TABLEID tableid, std::int32_t key) {
    const JET_ERR err = JetMakeKey(sesid, tableid, &key, sizeof(key), JET_bitNewKey);
    if (err < JET_errSuccess) return err;
    return JetSeek(sesid, tableid, JET_bitSeekEQ);
  }

  // Sets `value` on the prepared update, whole or in `piece_bytes` pieces with JET_bitSetAppendLV.
  static JET_ERR SetLong(JET_SESID sesid, JET_TABLEID tableid, JET_COLUMNID columnid,
                         const std::string& value, std::uint32_t piece_bytes = 0) {
    if (piece_bytes == 0) {
      return JetSetColumn(sesid, tableid, columnid, value.data(),
                          static_cast<std::uint32_t>(value.size()), 0, nullptr);
    }
    for (std::size_t offset = 0; offset < value.size(); offset += piece_bytes) {
      const std::size_t size = std::min<std::size_t>(piece_bytes, value.size() - offset);
      const JET_ERR err = JetSetColumn(sesid, tableid, columnid, value.data() + offset,
                                       static_cast<std::uint32_t>(size), JET_bitSetAppendLV,
                                       nullptr);
      if (err < JET_errSuccess) return err;
    }
    return JET_errSuccess;
  }

  // Inserts (key, blob, text) on `sesid`; empty values are left NULL.
  JET_ERR Insert(JET_SESID sesid, JET_TABLEID tableid, std::int32_t key, const std::string& blob,
                 const std::string& text, std::uint32_t piece_bytes = 0) {
    JET_ERR err = JetPrepareUpdate(sesid, tableid, JET_prepInsert);
    if (err < JET_errSuccess) return err;
    err = JetSetColumn(sesid, tableid, key_, &key, sizeof(key), 0, nullptr);
    if (err >= JET_errSuccess && !blob.empty()) err = SetLong(sesid, tableid, blob_, blob, piece_bytes);
    if (err >= JET_errSuccess && !text.empty()) err = SetLong(sesid, tableid, text_, text, piece_bytes);
    if (err >= JET_errSuccess) err = JetUpdate(sesid, tableid, nullptr, 0, nullptr);
    if (err < JET_errSuccess) static_cast<void>(JetPrepareUpdate(sesid, tableid, JET_prepCancel));
    return err;
  }

  // Replaces Blob of row `key` (Text too when `text` is not empty). With `piece_bytes`, the new
  // value is built by a first JetSetColumn that replaces the value, then appends.
  JET_ERR ReplaceBlob(JET_SESID sesid, JET_TABLEID tableid, std::int32_t key,
                      const std::string& blob, const std::string& text = "",
                      std::uint32_t piece_bytes = 0) {
    JET_ERR err = Seek(sesid, tableid, key);
    if (err >= JET_errSuccess) err = JetPrepareUpdate(sesid, tableid, JET_prepReplace);
    if (err >= JET_errSuccess && piece_bytes != 0) {
      const std::string first = blob.substr(0, piece_bytes);
      err = JetSetColumn(sesid, tableid, blob_, first.data(),
                         static_cast<std::uint32_t>(first.size()), 0, nullptr);
      if (err >= JET_errSuccess && blob.size() > piece_bytes) {
        err = SetLong(sesid, tableid, blob_, blob.substr(piece_bytes), piece_bytes);
      }
    } else if (err >= JET_errSuccess) {
      err = SetLong(sesid, tableid, blob_, blob);
    }
    if (err >= JET_errSuccess && !text.empty()) err = SetLong(sesid, tableid, text_, text);
    if (err >= JET_errSuccess) err = JetUpdate(sesid, tableid, nullptr, 0, nullptr);
    if (err < JET_errSuccess) static_cast<void>(JetPrepareUpdate(sesid, tableid, JET_prepCancel));
    return err;
  }

  // The whole value of `columnid` in the current record; expects `expected` from the read.
  static std::string Read(JET_SESID sesid, JET_TABLEID tableid, JET_COLUMNID columnid,
                          JET_ERR expected = JET_errSuccess) {
    std::uint32_t size = 0;
    JET_ERR err = JetRetrieveColumn(sesid, tableid, columnid, nullptr, 0, &size, 0, nullptr);
    if (err == JET_wrnColumnNull || err < JET_errSuccess) {
      EXPECT_EQ(expected, err);
      return {};
    }
    EXPECT_EQ(JET_wrnBufferTruncated, err) << "size probe";
    std::vector<char> buffer(size + 16u);
    std::uint32_t actual = 0;
    err = JetRetrieveColumn(sesid, tableid, columnid, buffer.data(),
                            static_cast<std::uint32_t>(buffer.size()), &actual, 0, nullptr);
    EXPECT_EQ(expected, err);
    EXPECT_EQ(size, actual);
    return std::string(buffer.data(), std::min<std::size_t>(actual, buffer.size()));
  }

  // Reads Blob of row `key`; expects the seek to succeed.
  std::string BlobOf(JET_SESID sesid, JET_TABLEID tableid, std::int32_t key) {
    EXPECT_EQ(JET_errSuccess, Seek(sesid, tableid, key)) << "key " << key;
    return Read(sesid, tableid, blob_);
  }

  std::string TextOf(JET_SESID sesid, JET_TABLEID tableid, std::int32_t key) {
    EXPECT_EQ(JET_errSuccess, Seek(sesid, tableid, key)) << "key " << key;
    return Read(sesid, tableid, text_);
  }

  JET_DBID dbid_ = kNilDbid;
  JET_COLUMNID key_ = 0;
  JET_COLUMNID blob_ = 0;
  JET_COLUMNID text_ = 0;
  JET_SESID other_ = 0;
  JET_TABLEID a_ = kNilTableid;  // on sesid_
  JET_TABLEID b_ = kNilTableid;  // on other_
};

// Large values compare by size and content without printing MiBs on failure.
::testing::AssertionResult SameBytes(const std::string& expected, const std::string& actual) {
  if (expected.size() != actual.size()) {
    return ::testing::AssertionFailure()
           << "size " << actual.size() << ", expected " << expected.size();
  }
  const auto mismatch = std::mismatch(expected.begin(), expected.end(), actual.begin());
  if (mismatch.first != expected.end()) {
    return ::testing::AssertionFailure()
           << "first difference at byte " << (mismatch.first - expected.begin());
  }
  return ::testing::AssertionSuccess();
}

TEST_F(LongValueTransactionTest, InsertedLongValuesAreReadableInTheTransactionAndGoOnRollback) {
  const std::string blob = Pattern(3 * kMiB, 1);
  const std::string text = Text(kMiB, 'a');
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_EQ(JET_errSuccess, Insert(sesid_, a_, 1, blob, text));
  EXPECT_TRUE(SameBytes(blob, BlobOf(sesid_, a_, 1)));
  EXPECT_TRUE(SameBytes(text, TextOf(sesid_, a_, 1)));
  EXPECT_EQ(JET_errRecordNotFound, Seek(other_, b_, 1));
  ASSERT_EQ(JET_errSuccess, JetRollback(sesid_, 0));
  EXPECT_EQ(JET_errRecordNotFound, Seek(sesid_, a_, 1));
  EXPECT_EQ(JET_errRecordNotFound, Seek(other_, b_, 1));
  // The key is free and takes new long values.
  ASSERT_EQ(JET_errSuccess, Insert(sesid_, a_, 1, "small", "short"));
  EXPECT_TRUE(SameBytes("small", BlobOf(other_, b_, 1)));
  EXPECT_TRUE(SameBytes("short", TextOf(other_, b_, 1)));
}

TEST_F(LongValueTransactionTest, LongValuesAppendedInPiecesInsideATransaction) {
  const std::string blob = Pattern(3 * kMiB, 2);
  const std::string text = Text(kMiB, 'A');
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_EQ(JET_errSuccess, Insert(sesid_, a_, 1, blob, text, 100000));
  EXPECT_TRUE(SameBytes(blob, BlobOf(sesid_, a_, 1)));
  EXPECT_TRUE(SameBytes(text, TextOf(sesid_, a_, 1)));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid_, 0));
  EXPECT_TRUE(SameBytes(blob, BlobOf(other_, b_, 1)));
  EXPECT_TRUE(SameBytes(text, TextOf(other_, b_, 1)));

  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_EQ(JET_errSuccess, Insert(sesid_, a_, 2, blob, text, 65536));
  ASSERT_EQ(JET_errSuccess, JetRollback(sesid_, 0));
  EXPECT_EQ(JET_errRecordNotFound, Seek(sesid_, a_, 2));
  EXPECT_TRUE(SameBytes(blob, BlobOf(sesid_, a_, 1))) << "the committed row keeps its values";
}

TEST_F(LongValueTransactionTest, RolledBackReplaceRestoresTheOldLongValues) {
  const std::string old_blob = Pattern(3 * kMiB, 3);
  const std::string old_text = Text(kMiB, 'k');
  ASSERT_EQ(JET_errSuccess, Insert(sesid_, a_, 1, old_blob, old_text));

  const std::string new_blob = Pattern(3 * kMiB + 12345, 4);
  const std::string new_text = Text(kMiB - 7, 'N');
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_EQ(JET_errSuccess, ReplaceBlob(sesid_, a_, 1, new_blob, new_text, 200000));
  EXPECT_TRUE(SameBytes(new_blob, BlobOf(sesid_, a_, 1)));
  EXPECT_TRUE(SameBytes(new_text, TextOf(sesid_, a_, 1)));
  EXPECT_TRUE(SameBytes(old_blob, BlobOf(other_, b_, 1)));
  ASSERT_EQ(JET_errSuccess, JetRollback(sesid_, 0));
  EXPECT_TRUE(SameBytes(old_blob, BlobOf(sesid_, a_, 1)));
  EXPECT_TRUE(SameBytes(old_text, TextOf(sesid_, a_, 1)));
  EXPECT_TRUE(SameBytes(old_blob, BlobOf(other_, b_, 1)));
}

// A small value replaced by a multi-MiB one and back, in nested levels.
TEST_F(LongValueTransactionTest, NestedLevelsOfLongValueChanges) {
  ASSERT_EQ(JET_errSuccess, Insert(sesid_, a_, 1, "tiny", ""));
  const std::string level1 = Pattern(2 * kMiB, 5);
  const std::string level2 = Pattern(kMiB + 1, 6);
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_EQ(JET_errSuccess, ReplaceBlob(sesid_, a_, 1, level1));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_EQ(JET_errSuccess, ReplaceBlob(sesid_, a_, 1, level2));
  EXPECT_TRUE(SameBytes(level2, BlobOf(sesid_, a_, 1)));
  ASSERT_EQ(JET_errSuccess, JetRollback(sesid_, 0));
  EXPECT_TRUE(SameBytes(level1, BlobOf(sesid_, a_, 1)));
  EXPECT_TRUE(SameBytes("tiny", BlobOf(other_, b_, 1)));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid_, 0));
  EXPECT_TRUE(SameBytes(level1, BlobOf(other_, b_, 1)));
}

// B's snapshot predates A's replace: it reads the old value in full, before and after A commits;
// a transaction begun after the commit reads the new one.
TEST_F(LongValueTransactionTest, AnOlderSnapshotReadsTheOldLongValueInFull) {
  const std::string old_blob = Pattern(3 * kMiB, 7);
  const std::string old_text = Text(kMiB, 'o');
  ASSERT_EQ(JET_errSuccess, Insert(sesid_, a_, 1, old_blob, old_text));

  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(other_));
  const std::string new_blob = Pattern(3 * kMiB, 8);
  const std::string new_text = Text(kMiB, 'n');
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_EQ(JET_errSuccess, ReplaceBlob(sesid_, a_, 1, new_blob, new_text, 262144));
  EXPECT_TRUE(SameBytes(old_blob, BlobOf(other_, b_, 1)));
  EXPECT_TRUE(SameBytes(old_text, TextOf(other_, b_, 1)));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid_, 0));

  EXPECT_TRUE(SameBytes(old_blob, BlobOf(other_, b_, 1)));
  EXPECT_TRUE(SameBytes(old_text, TextOf(other_, b_, 1)));
  // A reads the new value at level 0 and in a new transaction.
  EXPECT_TRUE(SameBytes(new_blob, BlobOf(sesid_, a_, 1)));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  EXPECT_TRUE(SameBytes(new_text, TextOf(sesid_, a_, 1)));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid_, 0));

  // A further change after the commit (cleanup may now run for A's transaction) still leaves B's
  // image readable.
  ASSERT_EQ(JET_errSuccess, ReplaceBlob(sesid_, a_, 1, "replaced again"));
  EXPECT_TRUE(SameBytes(old_blob, BlobOf(other_, b_, 1)));

  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(other_, 0));
  EXPECT_TRUE(SameBytes("replaced again", BlobOf(other_, b_, 1)));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(other_));
  EXPECT_TRUE(SameBytes(new_text, TextOf(other_, b_, 1)));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(other_, 0));
}

// B's snapshot predates A's delete of a row with long values: it still reads them in full.
TEST_F(LongValueTransactionTest, AnOlderSnapshotReadsTheLongValuesOfADeletedRecord) {
  const std::string blob = Pattern(2 * kMiB, 9);
  ASSERT_EQ(JET_errSuccess, Insert(sesid_, a_, 1, blob, Text(4096, 'd')));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(other_));
  ASSERT_EQ(JET_errSuccess, Seek(sesid_, a_, 1));
  ASSERT_EQ(JET_errSuccess, JetDelete(sesid_, a_));
  EXPECT_TRUE(SameBytes(blob, BlobOf(other_, b_, 1)));
  EXPECT_TRUE(SameBytes(Text(4096, 'd'), TextOf(other_, b_, 1)));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(other_, 0));
  EXPECT_EQ(JET_errRecordNotFound, Seek(other_, b_, 1));
}

}  // namespace
}  // namespace esent_test
