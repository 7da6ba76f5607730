// A crash-test workload and the oracle that judges what recovery left (issue 5, Acceptance:
// "crash tests against an oracle"). Header-only and through the C API alone, so both the
// in-process tests (api_internal_tests) and the out-of-process child (tests/crash/crash_child.cc,
// linked against libesent.so) use the same code.
//
// The workload: `sessions` sessions, each in its own thread, each running a fixed plan of
// transactions that depends only on (seed, session) — never on timing — so a parent process can
// rebuild the plan of a child it killed. Session s owns the data keys slot * sessions + s (slot in
// [0, kSlotsPerSession)), which interleave in the B+tree with every other session's keys but never
// collide (no write conflicts), and one marker row, key -1 - s. Every transaction:
//   - replaces its session's marker row with its own transaction id;
//   - makes 1..4 changes (insert of a free slot, replace or delete of a used one); every row it
//     writes carries its transaction id and a value derived from (transaction id, key), long
//     (> 1 KiB, a separate long value) about one time in four;
//   - ends with a durable commit (JetCommitTransaction(0)), a lazy commit
//     (JET_bitCommitLazyFlush) or a rollback.
//
// The oracle: every commit call is reported to a CommitSink before it starts and after it
// returns; the sink stamps both with one global sequence. After a crash and recovery, check()
// reads the marker rows: the marker of session s names the last of its transactions present, so
// the state must be exactly the one after that prefix p_s of its commits (checked row by row:
// nothing of an uncommitted, rolled back or later transaction, nothing missing). Then:
//   (a) p_s covers the last commit of s whose durable commit call returned success;
//   (c) for the last present commit Y of any session, every commit X of any session whose call
//       returned before Y's call started is present (the log is one sequence, so X precedes Y).
//
// Thread-safety: a Plan is immutable; a CommitSink implementation must accept calls from every
// workload thread at once.
#pragma once

#include <esent.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace esent_crash {

inline constexpr std::int32_t kSlotsPerSession = 64;
inline constexpr const char* kTableName = "oracle";

// ---------------------------------------------------------------------------------------------
// The plan.

enum class OpKind : std::uint8_t { kInsert, kReplace, kDelete };
enum class EndKind : std::uint8_t { kDurable, kLazy, kRollback };

struct Op {
  OpKind kind = OpKind::kInsert;
  std::int32_t key = 0;
};

struct PlannedTransaction {
  std::int64_t id = 0;  // (session + 1) << 32 | (index + 1): unique, never 0
  std::vector<Op> ops;
  EndKind end = EndKind::kDurable;
};

inline std::int64_t transaction_id(std::uint32_t session, std::uint32_t index) {
  return static_cast<std::int64_t>((std::uint64_t{session} + 1) << 32 | (std::uint64_t{index} + 1));
}

inline std::int32_t marker_key(std::uint32_t session) { return -1 - static_cast<std::int32_t>(session); }

// The value a transaction writes into `key`: deterministic, about one in four over 1 KiB.
inline std::string value_for(std::int64_t txn, std::int32_t key) {
  std::uint64_t hash = static_cast<std::uint64_t>(txn) * 0x9E3779B97F4A7C15ULL ^
                       (static_cast<std::uint64_t>(static_cast<std::uint32_t>(key)) * 0xC2B2AE3D27D4EB4FULL);
  hash ^= hash >> 29;
  std::size_t size_bytes = (hash % 4 == 0) ? 1100 + static_cast<std::size_t>(hash >> 8) % 3000
                                           : 16 + static_cast<std::size_t>(hash >> 8) % 200;
  std::string value = std::to_string(txn) + "/" + std::to_string(key) + ":";
  value.resize(std::max(size_bytes, value.size()), static_cast<char>('a' + (hash >> 16) % 26));
  return value;
}

struct WorkloadOptions {
  std::uint64_t seed = 1;
  std::uint32_t sessions = 4;
  std::uint32_t transactions_per_session = 150;
};

// The plan of one session: depends only on (seed, session).
inline std::vector<PlannedTransaction> plan_session(const WorkloadOptions& options,
                                                    std::uint32_t session) {
  std::mt19937_64 random(options.seed * 1000003ULL + session);
  std::vector<bool> used(kSlotsPerSession, false);  // committed state of the session's slots
  std::vector<PlannedTransaction> plan;
  for (std::uint32_t index = 0; index < options.transactions_per_session; ++index) {
    PlannedTransaction txn;
    txn.id = transaction_id(session, index);
    std::uint64_t roll = random() % 100;
    txn.end = roll < 50 ? EndKind::kDurable : roll < 85 ? EndKind::kLazy : EndKind::kRollback;
    std::vector<bool> state = used;
    std::vector<bool> touched(kSlotsPerSession, false);
    std::size_t count = 1 + random() % 4;
    for (std::size_t n = 0; n < count; ++n) {
      auto slot = static_cast<std::int32_t>(random() % kSlotsPerSession);
      if (touched[static_cast<std::size_t>(slot)]) continue;  // one change per row per transaction
      touched[static_cast<std::size_t>(slot)] = true;
      Op op;
      op.key = slot * static_cast<std::int32_t>(options.sessions) + static_cast<std::int32_t>(session);
      if (!state[static_cast<std::size_t>(slot)]) {
        op.kind = OpKind::kInsert;
        state[static_cast<std::size_t>(slot)] = true;
      } else {
        op.kind = random() % 3 == 0 ? OpKind::kDelete : OpKind::kReplace;
        state[static_cast<std::size_t>(slot)] = op.kind != OpKind::kDelete;
      }
      txn.ops.push_back(op);
    }
    if (txn.end != EndKind::kRollback) used = state;
    plan.push_back(std::move(txn));
  }
  return plan;
}

struct Plan {
  WorkloadOptions options;
  std::vector<std::vector<PlannedTransaction>> sessions;
};

inline Plan make_plan(const WorkloadOptions& options) {
  Plan plan;
  plan.options = options;
  for (std::uint32_t s = 0; s < options.sessions; ++s) plan.sessions.push_back(plan_session(options, s));
  return plan;
}

// ---------------------------------------------------------------------------------------------
// Commit events.

enum class EventKind : std::uint8_t { kStarted, kReturned, kFailed };

struct Event {
  EventKind kind = EventKind::kStarted;
  std::uint32_t session = 0;
  std::uint32_t index = 0;  // the transaction's index in its session's plan
};

// Receives commit events from the workload threads, in an order consistent with real time:
// an event reported after another returned gets a later place. Implementations serialise.
class CommitSink {
 public:
  virtual ~CommitSink() = default;
  virtual void report(const Event& event) = 0;
};

// Keeps the events in memory (in-process tests).
class MemorySink final : public CommitSink {
 public:
  void report(const Event& event) override {
    std::lock_guard lock(mutex_);
    events_.push_back(event);
    if (event.kind == EventKind::kReturned) returned_.fetch_add(1);
  }
  std::vector<Event> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }
  std::uint64_t returned_count() const { return returned_.load(); }

 private:
  mutable std::mutex mutex_;
  std::vector<Event> events_;
  std::atomic<std::uint64_t> returned_{0};
};

// One event as a text line ("S 2 17\n") and back; used across the child's pipe.
inline std::string event_line(const Event& event) {
  const char kind = event.kind == EventKind::kStarted ? 'S' : event.kind == EventKind::kReturned ? 'R' : 'F';
  return std::string(1, kind) + " " + std::to_string(event.session) + " " + std::to_string(event.index) + "\n";
}

inline std::optional<Event> parse_event_line(const std::string& line) {
  char kind = 0;
  unsigned session = 0;
  unsigned index = 0;
  if (std::sscanf(line.c_str(), "%c %u %u", &kind, &session, &index) != 3) return std::nullopt;
  Event event;
  event.session = session;
  event.index = index;
  if (kind == 'S') event.kind = EventKind::kStarted;
  else if (kind == 'R') event.kind = EventKind::kReturned;
  else if (kind == 'F') event.kind = EventKind::kFailed;
  else return std::nullopt;
  return event;
}

// ---------------------------------------------------------------------------------------------
// Schema and workload through the C API.

struct Columns {
  JET_COLUMNID key = 0;
  JET_COLUMNID txn = 0;
  JET_COLUMNID value = 0;
};

// Creates table "oracle" (key Long primary, txn Currency, value LongBinary) and the marker rows
// (txn 0), and commits durably. `database` is open in `sesid`.
inline JET_ERR create_schema(JET_SESID sesid, JET_DBID dbid, std::uint32_t sessions) {
  JET_ERR err = JetBeginTransaction(sesid);
  if (err < 0) return err;
  JET_TABLEID table = 0;
  if ((err = JetCreateTableA(sesid, dbid, kTableName, 0, 100, &table)) < 0) return err;
  Columns columns;
  JET_COLUMNDEF def{};
  def.cbStruct = sizeof(def);
  def.coltyp = JET_coltypLong;
  def.grbit = JET_bitColumnNotNULL;
  if ((err = JetAddColumnA(sesid, table, "key", &def, nullptr, 0, &columns.key)) < 0) return err;
  def.coltyp = JET_coltypCurrency;
  if ((err = JetAddColumnA(sesid, table, "txn", &def, nullptr, 0, &columns.txn)) < 0) return err;
  def.coltyp = JET_coltypLongBinary;
  def.grbit = 0;
  if ((err = JetAddColumnA(sesid, table, "value", &def, nullptr, 0, &columns.value)) < 0) return err;
  const char index[] = "+key\0";
  if ((err = JetCreateIndexA(sesid, table, "primary", JET_bitIndexPrimary, index, sizeof(index), 100)) < 0) {
    return err;
  }
  for (std::uint32_t s = 0; s < sessions; ++s) {
    std::int32_t key = marker_key(s);
    std::int64_t txn = 0;
    if ((err = JetPrepareUpdate(sesid, table, JET_prepInsert)) < 0 ||
        (err = JetSetColumn(sesid, table, columns.key, &key, sizeof(key), 0, nullptr)) < 0 ||
        (err = JetSetColumn(sesid, table, columns.txn, &txn, sizeof(txn), 0, nullptr)) < 0 ||
        (err = JetUpdate(sesid, table, nullptr, 0, nullptr)) < 0) {
      return err;
    }
  }
  if ((err = JetCloseTable(sesid, table)) < 0) return err;
  return JetCommitTransaction(sesid, 0);
}

inline JET_ERR find_columns(JET_SESID sesid, JET_TABLEID table, Columns* columns) {
  JET_COLUMNDEF def{};
  JET_ERR err = JetGetTableColumnInfoA(sesid, table, "key", &def, sizeof(def), JET_ColInfo);
  if (err < 0) return err;
  columns->key = def.columnid;
  if ((err = JetGetTableColumnInfoA(sesid, table, "txn", &def, sizeof(def), JET_ColInfo)) < 0) return err;
  columns->txn = def.columnid;
  if ((err = JetGetTableColumnInfoA(sesid, table, "value", &def, sizeof(def), JET_ColInfo)) < 0) return err;
  columns->value = def.columnid;
  return JET_errSuccess;
}

inline JET_ERR seek(JET_SESID sesid, JET_TABLEID table, std::int32_t key) {
  JET_ERR err = JetMakeKey(sesid, table, &key, sizeof(key), JET_bitNewKey);
  if (err < 0) return err;
  return JetSeek(sesid, table, JET_bitSeekEQ);
}

// Writes txn (and, for a data row, the value) into the current update.
inline JET_ERR set_row(JET_SESID sesid, JET_TABLEID table, const Columns& columns, std::int64_t txn,
                       std::int32_t key, bool with_value) {
  JET_ERR err = JetSetColumn(sesid, table, columns.txn, &txn, sizeof(txn), 0, nullptr);
  if (err < 0 || !with_value) return err;
  std::string value = value_for(txn, key);
  return JetSetColumn(sesid, table, columns.value, value.data(), static_cast<JET_UINT32>(value.size()), 0,
                      nullptr);
}

// Runs one transaction (without its end). Stops at the first error and returns it.
inline JET_ERR apply_transaction(JET_SESID sesid, JET_TABLEID table, const Columns& columns,
                                 std::uint32_t session, const PlannedTransaction& txn) {
  JET_ERR err = seek(sesid, table, marker_key(session));
  if (err < 0) return err;
  if ((err = JetPrepareUpdate(sesid, table, JET_prepReplace)) < 0) return err;
  if ((err = set_row(sesid, table, columns, txn.id, 0, false)) < 0) return err;
  if ((err = JetUpdate(sesid, table, nullptr, 0, nullptr)) < 0) return err;
  for (const Op& op : txn.ops) {
    if (op.kind == OpKind::kInsert) {
      if ((err = JetPrepareUpdate(sesid, table, JET_prepInsert)) < 0) return err;
      if ((err = JetSetColumn(sesid, table, columns.key, &op.key, sizeof(op.key), 0, nullptr)) < 0) return err;
      if ((err = set_row(sesid, table, columns, txn.id, op.key, true)) < 0) return err;
      if ((err = JetUpdate(sesid, table, nullptr, 0, nullptr)) < 0) return err;
    } else {
      if ((err = seek(sesid, table, op.key)) < 0) return err;
      if (op.kind == OpKind::kDelete) {
        if ((err = JetDelete(sesid, table)) < 0) return err;
      } else {
        if ((err = JetPrepareUpdate(sesid, table, JET_prepReplace)) < 0) return err;
        if ((err = set_row(sesid, table, columns, txn.id, op.key, true)) < 0) return err;
        if ((err = JetUpdate(sesid, table, nullptr, 0, nullptr)) < 0) return err;
      }
    }
  }
  return JET_errSuccess;
}

// The thread body of one session: runs its plan until the end, `stop`, or the first error
// (after a crash every call fails; the session then stops and reports nothing more). The
// session, database and table must be open and used by no one else. Returns the error that
// stopped it (JET_errSuccess at the end of the plan or on `stop`).
inline JET_ERR run_session(JET_SESID sesid, JET_TABLEID table, std::uint32_t session,
                           const std::vector<PlannedTransaction>& plan, CommitSink& sink,
                           const std::atomic<bool>& stop) {
  Columns columns;
  JET_ERR err = find_columns(sesid, table, &columns);
  if (err < 0) return err;
  for (std::uint32_t index = 0; index < plan.size(); ++index) {
    if (stop.load()) return JET_errSuccess;
    const PlannedTransaction& txn = plan[index];
    if ((err = JetBeginTransaction(sesid)) < 0) return err;
    err = apply_transaction(sesid, table, columns, session, txn);
    if (err < 0) {
      JetPrepareUpdate(sesid, table, JET_prepCancel);
      JetRollback(sesid, 0);
      return err;
    }
    if (txn.end == EndKind::kRollback) {
      if ((err = JetRollback(sesid, 0)) < 0) return err;
      continue;
    }
    sink.report(Event{EventKind::kStarted, session, index});
    err = JetCommitTransaction(sesid, txn.end == EndKind::kDurable ? 0 : JET_bitCommitLazyFlush);
    sink.report(Event{err >= 0 ? EventKind::kReturned : EventKind::kFailed, session, index});
    if (err < 0) return err;
  }
  return JET_errSuccess;
}

// ---------------------------------------------------------------------------------------------
// Reading back and judging.

struct Row {
  std::int64_t txn = 0;
  std::string value;
  bool operator==(const Row& other) const { return txn == other.txn && value == other.value; }
};
using Rows = std::map<std::int32_t, Row>;

// Every row of table "oracle". Returns the first error.
inline JET_ERR read_rows(JET_SESID sesid, JET_DBID dbid, Rows* rows) {
  JET_TABLEID table = 0;
  JET_ERR err = JetOpenTableA(sesid, dbid, kTableName, nullptr, 0, 0, &table);
  if (err < 0) return err;
  Columns columns;
  if ((err = find_columns(sesid, table, &columns)) < 0) return err;
  err = JetMove(sesid, table, INT32_MIN, 0);
  while (err == JET_errSuccess) {
    std::int32_t key = 0;
    Row row;
    JET_UINT32 actual = 0;
    if ((err = JetRetrieveColumn(sesid, table, columns.key, &key, sizeof(key), &actual, 0, nullptr)) < 0) break;
    if ((err = JetRetrieveColumn(sesid, table, columns.txn, &row.txn, sizeof(row.txn), &actual, 0, nullptr)) < 0) {
      break;
    }
    row.value.resize(8192);
    err = JetRetrieveColumn(sesid, table, columns.value, row.value.data(), static_cast<JET_UINT32>(row.value.size()),
                            &actual, 0, nullptr);
    if (err == JET_wrnColumnNull) {
      actual = 0;
    } else if (err < 0) {
      break;
    }
    row.value.resize(actual);
    (*rows)[key] = std::move(row);
    err = JetMove(sesid, table, 1, 0);
  }
  JetCloseTable(sesid, table);
  return err == JET_errNoCurrentRecord ? JET_errSuccess : err;
}

struct Verdict {
  bool ok = true;
  bool lost_durable_commit = false;  // (a) failed
  std::uint64_t durable_acknowledged = 0;  // durable commits whose call returned success
  std::uint64_t commits_present = 0;
  std::vector<std::string> problems;

  void fail(std::string problem) {
    ok = false;
    if (problems.size() < 12) problems.push_back(std::move(problem));
  }
  std::string describe() const {
    std::string text;
    for (const auto& problem : problems) text += "  " + problem + "\n";
    return text;
  }
};

// Judges `rows` (read after recovery) against `plan` and the commit `events` (in sink order).
inline Verdict check(const Plan& plan, const std::vector<Event>& events, const Rows& rows) {
  Verdict verdict;
  const std::uint32_t sessions = plan.options.sessions;
  constexpr std::uint64_t kNever = ~std::uint64_t{0};
  struct CommitInfo {
    std::uint32_t index = 0;
    std::uint64_t started = kNever;
    std::uint64_t returned = kNever;  // success only
  };
  // Per session: the commits whose call started, in plan order.
  std::vector<std::vector<CommitInfo>> commits(sessions);
  std::vector<std::map<std::uint32_t, std::size_t>> position(sessions);  // plan index → commits[]
  for (std::uint64_t sequence = 0; sequence < events.size(); ++sequence) {
    const Event& event = events[sequence];
    if (event.session >= sessions || event.index >= plan.sessions[event.session].size()) {
      verdict.fail("event names an unknown transaction");
      return verdict;
    }
    auto& list = commits[event.session];
    if (event.kind == EventKind::kStarted) {
      position[event.session][event.index] = list.size();
      list.push_back(CommitInfo{event.index, sequence, kNever});
    } else {
      auto it = position[event.session].find(event.index);
      if (it == position[event.session].end()) {
        verdict.fail("commit returned without starting");
        return verdict;
      }
      if (event.kind == EventKind::kReturned) list[it->second].returned = sequence;
    }
  }

  std::vector<std::size_t> prefix(sessions, 0);  // p_s: how many of commits[s] are present
  // "transaction <id> (index i, durable|lazy|rollback, commit not started|in flight|returned)".
  auto describe = [&](std::int64_t txn) {
    auto session = static_cast<std::uint32_t>((static_cast<std::uint64_t>(txn) >> 32) - 1);
    auto index = static_cast<std::uint32_t>((static_cast<std::uint64_t>(txn) & 0xFFFFFFFFu) - 1);
    std::string text = "transaction " + std::to_string(txn);
    if (session >= sessions || index >= plan.sessions[session].size()) return text + " (unknown)";
    EndKind end = plan.sessions[session][index].end;
    text += " (index " + std::to_string(index) + ", " +
            (end == EndKind::kDurable ? "durable" : end == EndKind::kLazy ? "lazy" : "rollback");
    auto found = position[session].find(index);
    if (found == position[session].end()) return text + ", commit not started)";
    const CommitInfo& info = commits[session][found->second];
    return text + ", commit " + std::to_string(found->second) +
           (info.returned == kNever ? " not returned)" : " returned)");
  };
  for (std::uint32_t s = 0; s < sessions; ++s) {
    const auto& session_plan = plan.sessions[s];
    auto marker = rows.find(marker_key(s));
    if (marker == rows.end()) {
      verdict.fail("session " + std::to_string(s) + ": marker row missing");
      continue;
    }
    std::int64_t marker_txn = marker->second.txn;
    const std::string marker_text = "session " + std::to_string(s) + ": marker names " + describe(marker_txn);
    if (marker_txn != 0) {
      auto index = static_cast<std::uint32_t>((static_cast<std::uint64_t>(marker_txn) & 0xFFFFFFFFu) - 1);
      auto found = position[s].find(index);
      if ((static_cast<std::uint64_t>(marker_txn) >> 32) != s + 1 || found == position[s].end()) {
        verdict.fail(marker_text + ", which never committed");
        continue;
      }
      prefix[s] = found->second + 1;
    }
    verdict.commits_present += prefix[s];

    // The session's rows must be exactly those after its first prefix[s] commits.
    std::map<std::int32_t, std::int64_t> model;  // key → txn
    for (std::size_t c = 0; c < prefix[s]; ++c) {
      const PlannedTransaction& txn = session_plan[commits[s][c].index];
      for (const Op& op : txn.ops) {
        if (op.kind == OpKind::kDelete) model.erase(op.key);
        else model[op.key] = txn.id;
      }
    }
    for (std::int32_t slot = 0; slot < kSlotsPerSession; ++slot) {
      std::int32_t key = slot * static_cast<std::int32_t>(sessions) + static_cast<std::int32_t>(s);
      auto expected = model.find(key);
      auto actual = rows.find(key);
      std::string where = "session " + std::to_string(s) + " key " + std::to_string(key) + " (prefix " +
                          std::to_string(prefix[s]) + " commits): ";
      if (expected == model.end()) {
        if (actual != rows.end()) {
          verdict.fail(where + "row of " + describe(actual->second.txn) + " should not exist");
        }
      } else if (actual == rows.end()) {
        verdict.fail(where + "row of " + describe(expected->second) + " missing");
      } else if (actual->second.txn != expected->second) {
        verdict.fail(where + "row of " + describe(actual->second.txn) + ", expected " + describe(expected->second));
      } else if (actual->second.value != value_for(expected->second, key)) {
        verdict.fail(where + "value differs (" + std::to_string(actual->second.value.size()) + " bytes)");
      }
    }

    // (a) Every acknowledged durable commit is present.
    for (std::size_t c = 0; c < commits[s].size(); ++c) {
      const CommitInfo& info = commits[s][c];
      if (info.returned == kNever || session_plan[info.index].end != EndKind::kDurable) continue;
      ++verdict.durable_acknowledged;
      if (c >= prefix[s]) {
        verdict.lost_durable_commit = true;
        verdict.fail("session " + std::to_string(s) + ": acknowledged durable commit of transaction " +
                     std::to_string(session_plan[info.index].id) + " lost (present: " +
                     std::to_string(prefix[s]) + " of " + std::to_string(commits[s].size()) + " started commits)");
      }
    }
  }
  // Rows nobody owns.
  for (const auto& [key, row] : rows) {
    bool owned = key >= 0 ? key < kSlotsPerSession * static_cast<std::int32_t>(sessions)
                          : key >= marker_key(sessions - 1);
    if (!owned) verdict.fail("row " + std::to_string(key) + " belongs to no session");
  }

  // (c) A commit that returned before a present commit started is present.
  for (std::uint32_t b = 0; b < sessions; ++b) {
    if (prefix[b] == 0) continue;
    std::uint64_t last_present_started = commits[b][prefix[b] - 1].started;
    for (std::uint32_t a = 0; a < sessions; ++a) {
      for (std::size_t c = prefix[a]; c < commits[a].size(); ++c) {
        if (commits[a][c].returned < last_present_started) {
          verdict.fail("session " + std::to_string(a) + " commit " + std::to_string(c) +
                       " returned before session " + std::to_string(b) + " commit " +
                       std::to_string(prefix[b] - 1) + " started, which is present, but is missing");
          break;
        }
      }
    }
  }
  return verdict;
}

}  // namespace esent_crash
