// The demonstration's data and its writer: one table, Orders, whose every row is a function of
// its Id (so a restored row can be checked byte for byte without keeping a copy), a bulk load,
// and a writer thread that makes durable single-row commits and remembers which of them were
// acknowledged — the oracle the restore is checked against.
#pragma once

#include <esent.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

namespace demo {

inline constexpr const char* kTable = "Orders";

// The columns of Orders in one table handle.
struct Columns {
  JET_COLUMNID id = 0;
  JET_COLUMNID customer = 0;
  JET_COLUMNID amount = 0;
  JET_COLUMNID note = 0;
};

// What the row with `id` holds.
struct Row {
  std::string customer;
  long long amount = 0;
  std::string note;  // 200 bytes
};
Row row_for(int id);

// Creates Orders (Id primary, Customer + Amount secondary index) in the open database.
JET_ERR create_orders(JET_SESID session, JET_DBID dbid);

// Looks the columns up on an open Orders handle.
JET_ERR find_columns(JET_SESID session, JET_TABLEID table, Columns* columns);

// Inserts row `id` (row_for) on an open Orders handle inside the caller's transaction.
JET_ERR insert_row(JET_SESID session, JET_TABLEID table, const Columns& columns, int id);

// Inserts ids [first, first + count) in transactions of 1,000 rows.
JET_ERR load_rows(JET_SESID session, JET_TABLEID table, const Columns& columns, int first, int count);

// A thread with its own session inserting ids first_id, first_id + 1, ... each in its own
// durable transaction (JetCommitTransaction without JET_bitCommitLazyFlush) until stop().
// last_acknowledged() is the highest id whose commit has returned successfully; ids are
// committed in order, so every id from first_id to it is committed and durable.
class Writer {
 public:
  Writer(JET_INSTANCE instance, std::string database, int first_id);
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  void start();
  void stop();  // joins the thread; idempotent

  int first_id() const { return first_id_; }
  int last_acknowledged() const { return last_acknowledged_.load(); }
  int commits() const { return commits_.load(); }
  int errors() const { return errors_.load(); }

 private:
  void run();

  JET_INSTANCE instance_;
  std::string database_;
  int first_id_;
  std::atomic<bool> stop_{false};
  std::atomic<int> last_acknowledged_;
  std::atomic<int> commits_{0};
  std::atomic<int> errors_{0};
  std::thread thread_;
};

// What a scan of Orders found, checked against row_for and an oracle of committed ids.
struct ScanResult {
  JET_ERR err = JET_errSuccess;  // the first API error, if any
  int rows = 0;
  int wrong_content = 0;          // a row whose columns differ from row_for(id)
  int missing = 0;                // an id that must be there and is not
  int unexpected = 0;             // an id that was never committed
  int loaded = 0;                 // ids below the writer's first id
  int writer_rows = 0;            // ids from the writer's first id on
};

// Scans every row of Orders in the database at `path` (attached read-only and detached again
// on `session`). Ids [0, loaded_rows) and [writer_first, must_have_up_to] must all be there;
// an id in neither [0, loaded_rows) nor [writer_first, committed_up_to] must not.
ScanResult scan_orders(JET_SESID session, const std::string& path, int loaded_rows, int writer_first,
                       int must_have_up_to, int committed_up_to);

// JET_paramErrorToString's text for `err`.
std::string error_text(JET_ERR err);

// Seconds since `start` on the steady clock.
double seconds_since(std::chrono::steady_clock::time_point start);

}  // namespace demo
