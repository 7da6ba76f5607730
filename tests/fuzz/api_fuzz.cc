// Fuzz target: the Jet* API driven by a call sequence decoded from the input, on an in-memory
// file system installed with Registry::set_file_system_for_testing (as tests/api/
// fault_instance.h does).
//
// Input: a sequence of calls, each an opcode byte followed by the bytes its arguments take
// (Input yields zeros past the end). Handles are drawn (pick_handle) from live ones, stale ones
// (closed earlier in this run), garbage, another kind's live handle, 0 or all ones; buffer
// sizes from small, odd, page-sized and huge (the buffer really has that size: the API's
// contract is honest sizes); strings from a few names or the input's bytes.
//
// Invariants: no crash or sanitizer report; every return is success, a warning, or a JET_ERR
// with a public name (api/error_text.h, the reference error list). At the end the instance is
// terminated (JetTerm2, abrupt when a clean term fails), so the next run starts clean: the
// file system seam refuses a new file system while an instance lives, which fail()s.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "api/error_text.h"
#include "api/jet.h"
#include "engine/registry.h"
#include "fuzz_util.h"

namespace {

using esent_fuzz::Input;

constexpr std::size_t kMaxCalls = 64;
constexpr std::size_t kMaxLive = 4;

void check(JET_ERR err, const char* call) {
  esent_fuzz::trace("api", std::string(call) + " -> " + std::to_string(err));
  if (err >= 0) return;
  if (esent::api::find_error_text(err) == nullptr) {
    esent_fuzz::fail("api", std::string(call) + " returned " + std::to_string(err) +
                                ", which no public JET_err names");
  }
}

struct State {
  JET_INSTANCE instance = 0;
  bool instance_created = false;
  std::vector<JET_SESID> sessions;
  std::vector<JET_DBID> databases;
  std::vector<JET_TABLEID> tables;
  std::vector<JET_COLUMNID> columns;
  std::vector<JET_HANDLE> files;
  std::vector<std::uint64_t> stale;
};

template <typename T>
void remember(std::vector<T>& live, T value) {
  if (live.size() >= kMaxLive) live.erase(live.begin());
  live.push_back(value);
}

template <typename T>
void forget(State& state, std::vector<T>& live, T value) {
  for (auto it = live.begin(); it != live.end(); ++it) {
    if (*it == value) {
      live.erase(it);
      remember(state.stale, static_cast<std::uint64_t>(value));
      return;
    }
  }
}

std::uint64_t any_live(const State& state, std::uint8_t which) {
  const std::vector<std::uint64_t> all = [&state] {
    std::vector<std::uint64_t> out;
    for (auto v : state.sessions) out.push_back(v);
    for (auto v : state.databases) out.push_back(v);
    for (auto v : state.tables) out.push_back(v);
    for (auto v : state.columns) out.push_back(v);
    for (auto v : state.files) out.push_back(v);
    out.push_back(state.instance);
    return out;
  }();
  return all[which % all.size()];
}

// A handle of kind T: mostly a live one, else stale, garbage, another kind's, 0 or all ones.
template <typename T>
T pick_handle(Input& input, const State& state, const std::vector<T>& live) {
  std::uint8_t selector = input.u8();
  std::uint8_t which = input.u8();
  switch (selector % 10) {
    case 6:
      if (!state.stale.empty()) return static_cast<T>(state.stale[which % state.stale.size()]);
      break;
    case 7:
      return static_cast<T>(input.u64());
    case 8:
      return static_cast<T>(any_live(state, which));
    case 9:
      return (which & 1) != 0 ? static_cast<T>(~std::uint64_t{0}) : T{0};
    default:
      break;
  }
  if (live.empty()) return T{0};
  return live[which % live.size()];
}

JET_INSTANCE pick_instance(Input& input, const State& state) {
  std::vector<JET_INSTANCE> live;
  if (state.instance_created) live.push_back(state.instance);
  return pick_handle(input, state, live);
}

std::uint32_t pick_size(Input& input) {
  static constexpr std::uint32_t kSizes[] = {0,    1,    3,    4,     7,      8,      16,   255,
                                             256,  1000, 4096, 8191,  65537,  200000, 8192, 65536};
  return kSizes[input.u8() % (sizeof kSizes / sizeof kSizes[0])];
}

std::string pick_string(Input& input, const char* const* names, std::size_t count) {
  std::uint8_t selector = input.u8();
  if (selector < 224) return names[selector % count];
  auto bytes = input.take(input.u8() % 40);
  std::string out;
  for (std::byte b : bytes) out.push_back(b == std::byte{0} ? 'x' : static_cast<char>(b));
  return out;
}

constexpr const char* kDatabasePaths[] = {"/data/a.edb", "/data/b.edb", "/data/a.edb", "/logs/edb.log",
                                          "", "/nowhere/c.edb", "a.edb"};
constexpr const char* kTableNames[] = {"t", "u", "t", "MSysObjects", "", "a very long table name that goes on and on and on"};
constexpr const char* kColumnNames[] = {"id", "value", "tag", "id", ""};
constexpr const char* kFileNames[] = {"/data/a.edb", "/data/b.edb", "/logs/edb.log", "/logs/edb00001.log",
                                      "/logs/edb.chk", "", "/data/none.edb"};
// Index keys with their sizes (sizeof keeps the terminating double NUL).
constexpr char kKeyId[] = "+id\0";
constexpr char kKeyValue[] = "-value\0";
constexpr char kKeyTwo[] = "+id\0+tag\0";
constexpr char kKeyMissing[] = "+nothing\0";
constexpr char kKeyBad[] = "bad";
struct IndexKey {
  const char* key;
  JET_UINT32 size;
};
constexpr IndexKey kIndexKeys[] = {{kKeyId, sizeof kKeyId}, {kKeyValue, sizeof kKeyValue},
                                   {kKeyTwo, sizeof kKeyTwo}, {kKeyMissing, sizeof kKeyMissing},
                                   {kKeyBad, 2}};

void term(State& state, JET_GRBIT grbit) {
  if (!state.instance_created) return;
  JET_ERR err = JetTerm2(state.instance, grbit);
  check(err, "JetTerm2");
  if (err < 0) {
    err = JetTerm2(state.instance, JET_bitTermAbrupt);
    check(err, "JetTerm2(abrupt)");
  }
  if (err < 0) esent_fuzz::fail("api", "JetTerm2 abrupt failed: " + std::to_string(err));
  remember(state.stale, static_cast<std::uint64_t>(state.instance));
  for (auto v : state.sessions) remember(state.stale, static_cast<std::uint64_t>(v));
  for (auto v : state.tables) remember(state.stale, static_cast<std::uint64_t>(v));
  state = State{0, false, {}, {}, {}, {}, {}, state.stale};
}

void init(State& state, Input& input) {
  if (!state.instance_created) {
    JET_ERR err = JetCreateInstanceA(&state.instance, "fuzz");
    check(err, "JetCreateInstance");
    if (err < 0) return;
    state.instance_created = true;
    auto set = [&state](JET_UINT32 param, JET_API_PTR number, const char* text) {
      check(JetSetSystemParameterA(&state.instance, 0, param, number, text), "JetSetSystemParameter");
    };
    set(JET_paramRecovery, 0, (input.u8() & 1) != 0 ? "on" : "off");
    set(JET_paramSystemPath, 0, "/logs/");
    set(JET_paramLogFilePath, 0, "/logs/");
    set(JET_paramTempPath, 0, "/data/temp.edb");
    set(JET_paramLogFileSize, 64, nullptr);
    set(JET_paramCircularLog, input.u8() & 1, nullptr);
  }
  JET_ERR err = JetInit(&state.instance);
  check(err, "JetInit");
  // A failed JetInit frees the instance and clears the handle (ESE's behaviour).
  if (err < 0 && state.instance == 0) {
    state.instance_created = false;
  }
}

void call(State& state, Input& input) {
  std::uint8_t opcode = input.u8();
  JET_ERR err = 0;
  switch (opcode % 34) {
    case 0:
      init(state, input);
      return;
    case 1:
      term(state, (input.u8() & 1) != 0 ? JET_bitTermAbrupt : 0);
      return;
    case 2: {
      JET_SESID sesid = 0;
      err = JetBeginSessionA(pick_instance(input, state), &sesid, nullptr, nullptr);
      check(err, "JetBeginSession");
      if (err >= 0) remember(state.sessions, sesid);
      return;
    }
    case 3: {
      JET_SESID sesid = pick_handle(input, state, state.sessions);
      err = JetEndSession(sesid, 0);
      check(err, "JetEndSession");
      if (err >= 0) forget(state, state.sessions, sesid);
      return;
    }
    case 4: {
      JET_SESID sesid = pick_handle(input, state, state.sessions);
      std::string path = pick_string(input, kDatabasePaths, std::size(kDatabasePaths));
      JET_DBID dbid = 0;
      err = JetCreateDatabaseA(sesid, path.c_str(), nullptr, &dbid, input.u8() & 1);
      check(err, "JetCreateDatabase");
      if (err >= 0) remember(state.databases, dbid);
      return;
    }
    case 5: {
      JET_SESID sesid = pick_handle(input, state, state.sessions);
      std::string path = pick_string(input, kDatabasePaths, std::size(kDatabasePaths));
      check(JetAttachDatabaseA(sesid, path.c_str(), input.u8() & 1), "JetAttachDatabase");
      return;
    }
    case 6: {
      JET_SESID sesid = pick_handle(input, state, state.sessions);
      std::string path = pick_string(input, kDatabasePaths, std::size(kDatabasePaths));
      JET_DBID dbid = 0;
      err = JetOpenDatabaseA(sesid, path.c_str(), nullptr, &dbid, input.u8() & 1);
      check(err, "JetOpenDatabase");
      if (err >= 0) remember(state.databases, dbid);
      return;
    }
    case 7: {
      JET_SESID sesid = pick_handle(input, state, state.sessions);
      JET_DBID dbid = pick_handle(input, state, state.databases);
      err = JetCloseDatabase(sesid, dbid, 0);
      check(err, "JetCloseDatabase");
      return;
    }
    case 8: {
      JET_SESID sesid = pick_handle(input, state, state.sessions);
      std::string path = pick_string(input, kDatabasePaths, std::size(kDatabasePaths));
      check(JetDetachDatabaseA(sesid, (input.u8() & 1) != 0 ? nullptr : path.c_str()), "JetDetachDatabase");
      return;
    }
    case 9:
      check(JetBeginTransaction(pick_handle(input, state, state.sessions)), "JetBeginTransaction");
      return;
    case 10: {
      JET_SESID sesid = pick_handle(input, state, state.sessions);
      check(JetCommitTransaction(sesid, input.u8() & 1), "JetCommitTransaction");
      return;
    }
    case 11: {
      JET_SESID sesid = pick_handle(input, state, state.sessions);
      check(JetRollback(sesid, input.u8() & 1), "JetRollback");
      return;
    }
    case 12:
    case 13: {
      JET_SESID sesid = pick_handle(input, state, state.sessions);
      JET_DBID dbid = pick_handle(input, state, state.databases);
      std::string name = pick_string(input, kTableNames, std::size(kTableNames));
      JET_TABLEID table = 0;
      if (opcode % 34 == 12) {
        err = JetCreateTableA(sesid, dbid, name.c_str(), 0, 100, &table);
        check(err, "JetCreateTable");
      } else {
        err = JetOpenTableA(sesid, dbid, name.c_str(), nullptr, 0, input.u8() & 7, &table);
        check(err, "JetOpenTable");
      }
      if (err >= 0) remember(state.tables, table);
      return;
    }
    case 14: {
      JET_SESID sesid = pick_handle(input, state, state.sessions);
      JET_TABLEID table = pick_handle(input, state, state.tables);
      err = JetCloseTable(sesid, table);
      check(err, "JetCloseTable");
      if (err >= 0) forget(state, state.tables, table);
      return;
    }
    case 15: {
      JET_SESID sesid = pick_handle(input, state, state.sessions);
      JET_TABLEID table = pick_handle(input, state, state.tables);
      std::string name = pick_string(input, kColumnNames, std::size(kColumnNames));
      JET_COLUMNDEF def{};
      def.cbStruct = (input.u8() & 7) == 0 ? 3 : sizeof(JET_COLUMNDEF);
      def.coltyp = input.u8() % 20;
      def.cbMax = pick_size(input);
      def.grbit = input.u8() & 0x7;
      JET_COLUMNID column = 0;
      err = JetAddColumnA(sesid, table, name.c_str(), &def, nullptr, 0, &column);
      check(err, "JetAddColumn");
      if (err >= 0) remember(state.columns, column);
      return;
    }
    case 16: {
      JET_SESID sesid = pick_handle(input, state, state.sessions);
      JET_TABLEID table = pick_handle(input, state, state.tables);
      const IndexKey& key = kIndexKeys[input.u8() % std::size(kIndexKeys)];
      check(JetCreateIndexA(sesid, table, "i", input.u8() & 3, key.key, key.size, 100), "JetCreateIndex");
      return;
    }
    case 17: {
      JET_SESID sesid = pick_handle(input, state, state.sessions);
      JET_TABLEID table = pick_handle(input, state, state.tables);
      static constexpr JET_UINT32 kPreps[] = {JET_prepInsert, JET_prepReplace, JET_prepCancel,
                                             JET_prepInsertCopy, 77};
      check(JetPrepareUpdate(sesid, table, kPreps[input.u8() % std::size(kPreps)]), "JetPrepareUpdate");
      return;
    }
    case 18: {
      JET_SESID sesid = pick_handle(input, state, state.sessions);
      JET_TABLEID table = pick_handle(input, state, state.tables);
      JET_COLUMNID column = pick_handle(input, state, state.columns);
      std::vector<char> data(pick_size(input), 'v');
      auto filler = input.take(data.size() < 8 ? data.size() : 8);
      for (std::size_t i = 0; i < filler.size(); ++i) data[i] = static_cast<char>(filler[i]);
      check(JetSetColumn(sesid, table, column, data.empty() ? nullptr : data.data(),
                         static_cast<JET_UINT32>(data.size()), input.u8() & 0x3, nullptr),
            "JetSetColumn");
      return;
    }
    case 19: {
      JET_SESID sesid = pick_handle(input, state, state.sessions);
      JET_TABLEID table = pick_handle(input, state, state.tables);
      std::vector<char> bookmark(pick_size(input));
      JET_UINT32 actual = 0;
      check(JetUpdate(sesid, table, bookmark.empty() ? nullptr : bookmark.data(),
                      static_cast<JET_UINT32>(bookmark.size()), &actual),
            "JetUpdate");
      return;
    }
    case 20: {
      JET_SESID sesid = pick_handle(input, state, state.sessions);
      JET_TABLEID table = pick_handle(input, state, state.tables);
      JET_COLUMNID column = pick_handle(input, state, state.columns);
      std::vector<char> buffer(pick_size(input));
      JET_UINT32 actual = 0;
      check(JetRetrieveColumn(sesid, table, column, buffer.empty() ? nullptr : buffer.data(),
                              static_cast<JET_UINT32>(buffer.size()), &actual, input.u8() & 0x3, nullptr),
            "JetRetrieveColumn");
      return;
    }
    case 21: {
      JET_SESID sesid = pick_handle(input, state, state.sessions);
      JET_TABLEID table = pick_handle(input, state, state.tables);
      std::vector<char> key(pick_size(input) % 300, 'k');
      check(JetMakeKey(sesid, table, key.empty() ? nullptr : key.data(),
                       static_cast<JET_UINT32>(key.size()), input.u8() & 0x3),
            "JetMakeKey");
      static constexpr JET_GRBIT kSeeks[] = {JET_bitSeekEQ, JET_bitSeekGE, JET_bitSeekLE, 0, 0x7F};
      check(JetSeek(sesid, table, kSeeks[input.u8() % std::size(kSeeks)]), "JetSeek");
      return;
    }
    case 22: {
      JET_SESID sesid = pick_handle(input, state, state.sessions);
      JET_TABLEID table = pick_handle(input, state, state.tables);
      static constexpr JET_INT32 kMoves[] = {static_cast<JET_INT32>(JET_MoveFirst), JET_MoveLast, JET_MoveNext,
                                            JET_MovePrevious, 5, -7, 0};
      check(JetMove(sesid, table, kMoves[input.u8() % std::size(kMoves)], input.u8() & 1), "JetMove");
      return;
    }
    case 23: {
      JET_SESID sesid = pick_handle(input, state, state.sessions);
      check(JetDelete(sesid, pick_handle(input, state, state.tables)), "JetDelete");
      return;
    }
    case 24: {
      static constexpr JET_GRBIT kBits[] = {0, JET_bitBackupAtomic, JET_bitBackupIncremental, 0x40};
      check(JetBeginExternalBackupInstance(pick_instance(input, state), kBits[input.u8() % 4]),
            "JetBeginExternalBackupInstance");
      return;
    }
    case 25:
    case 26:
    case 27: {
      JET_INSTANCE instance = pick_instance(input, state);
      std::vector<char> buffer(pick_size(input));
      JET_UINT32 actual = 0;
      char* p = buffer.empty() ? nullptr : buffer.data();
      auto size = static_cast<JET_UINT32>(buffer.size());
      if (opcode % 34 == 25) {
        check(JetGetAttachInfoInstanceA(instance, p, size, &actual), "JetGetAttachInfoInstance");
      } else if (opcode % 34 == 26) {
        check(JetGetLogInfoInstanceA(instance, p, size, &actual), "JetGetLogInfoInstance");
      } else {
        check(JetGetTruncateLogInfoInstanceA(instance, p, size, &actual), "JetGetTruncateLogInfoInstance");
      }
      return;
    }
    case 28: {
      JET_INSTANCE instance = pick_instance(input, state);
      std::string name = pick_string(input, kFileNames, std::size(kFileNames));
      JET_HANDLE file = 0;
      JET_UINT32 low = 0;
      JET_UINT32 high = 0;
      err = JetOpenFileInstanceA(instance, name.c_str(), &file, &low, &high);
      check(err, "JetOpenFileInstance");
      if (err >= 0) remember(state.files, file);
      return;
    }
    case 29: {
      JET_INSTANCE instance = pick_instance(input, state);
      JET_HANDLE file = pick_handle(input, state, state.files);
      std::vector<char> buffer(pick_size(input));
      JET_UINT32 actual = 0;
      check(JetReadFileInstance(instance, file, buffer.empty() ? nullptr : buffer.data(),
                                static_cast<JET_UINT32>(buffer.size()), &actual),
            "JetReadFileInstance");
      if (actual > buffer.size()) esent_fuzz::fail("api", "JetReadFileInstance read past the buffer");
      return;
    }
    case 30: {
      JET_INSTANCE instance = pick_instance(input, state);
      JET_HANDLE file = pick_handle(input, state, state.files);
      err = JetCloseFileInstance(instance, file);
      check(err, "JetCloseFileInstance");
      if (err >= 0) forget(state, state.files, file);
      return;
    }
    case 31:
      check(JetTruncateLogInstance(pick_instance(input, state)), "JetTruncateLogInstance");
      return;
    case 32: {
      static constexpr JET_GRBIT kBits[] = {JET_bitBackupEndNormal, JET_bitBackupEndAbort, 0,
                                           JET_bitBackupTruncateDone};
      check(JetEndExternalBackupInstance2(pick_instance(input, state), kBits[input.u8() % 4]),
            "JetEndExternalBackupInstance2");
      return;
    }
    default: {
      static constexpr JET_GRBIT kBits[] = {0, JET_bitBackupAtomic, JET_bitBackupIncremental,
                                           JET_bitBackupAtomic | JET_bitBackupIncremental};
      check(JetBackupInstanceA(pick_instance(input, state), "/backup", kBits[input.u8() % 4], nullptr),
            "JetBackupInstance");
      return;
    }
  }
}

}  // namespace

extern "C" int ESENT_FUZZ_ENTRY(const std::uint8_t* data, std::size_t size) {
  static const bool quiet = [] { return setenv("ESENT_LOG_LEVEL", "off", 0) == 0; }();
  (void)quiet;
  auto memory = std::make_shared<esent::io::MemoryFileSystem>();
  if (!memory->create_directories("/logs").ok() || !memory->create_directories("/data").ok() ||
      !memory->create_directories("/backup").ok()) {
    return 0;
  }
  if (!esent::engine::Registry::process().set_file_system_for_testing(memory).ok()) {
    esent_fuzz::fail("api", "the file system seam refused: an instance of an earlier run lives on");
  }
  Input input(data, size);
  State state;
  for (std::size_t i = 0; i < kMaxCalls && !input.empty(); ++i) call(state, input);
  term(state, 0);
  if (!esent::engine::Registry::process().set_file_system_for_testing(esent::io::posix_file_system()).ok()) {
    esent_fuzz::fail("api", "the instance did not end at JetTerm2");
  }
  return 0;
}
