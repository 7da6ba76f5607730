// The bad-input sweep over every exported function (issue 10, Deliver 5): the table of rows
// (rows_*.cc) covers each name of tests/abi/export_names.txt and extension_names.txt (a plain name
// JetFoo whose JetFooA has a row is swept through the plain export with JetFooA's row); every bad
// call must return its JET_ERR, and the fixture's instance must still work after each.
#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "bad_input.h"

namespace esent_test::bad_input {

void Fixture::Build(bool with_other_instance, bool with_log) {
  instance = CreateInstance("main");
  if (with_log) {
    ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance, 0, JET_paramRecovery, 0, "on"));
  }
  ASSERT_EQ(JET_errSuccess, JetInit(&instance));
  folder = dir_.path() + "/main/";
  sesid = BeginSession(instance);
  database_path = folder + "bad.edb";
  ASSERT_EQ(JET_errSuccess, JetCreateDatabaseA(sesid, database_path.c_str(), nullptr, &dbid, 0));
  ASSERT_EQ(JET_errSuccess, JetCreateTableA(sesid, dbid, "t", 0, 0, &tableid));
  JET_COLUMNDEF def{};
  def.cbStruct = sizeof(def);
  def.coltyp = JET_coltypLong;
  ASSERT_EQ(JET_errSuccess, JetAddColumnA(sesid, tableid, "c", &def, nullptr, 0, &columnid));
  ASSERT_EQ(JET_errSuccess, JetCreateIndexA(sesid, tableid, "ix", JET_bitIndexPrimary, "+c\0", 4, 100));
  std::int32_t value = 42;
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid));
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid, tableid, JET_prepInsert));
  ASSERT_EQ(JET_errSuccess, JetSetColumn(sesid, tableid, columnid, &value, sizeof(value), 0, nullptr));
  ASSERT_EQ(JET_errSuccess, JetUpdate(sesid, tableid, nullptr, 0, nullptr));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid, 0));
  backup_folder = dir_.Sub("backup");

  closed_sesid = BeginSession(instance);
  ASSERT_EQ(JET_errSuccess, JetEndSession(closed_sesid, 0));
  ASSERT_EQ(JET_errSuccess, JetOpenTableA(sesid, dbid, "t", nullptr, 0, 0, &closed_tableid));
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid, closed_tableid));
  terminated_instance = CreateInstance("terminated");
  ASSERT_EQ(JET_errSuccess, JetTerm(terminated_instance));

  if (with_other_instance) {
    other_instance = InitInstance("other");
    other_sesid = BeginSession(other_instance);
    JET_DBID other_dbid = 0;
    const std::string other_path = dir_.path() + "/other/other.edb";
    ASSERT_EQ(JET_errSuccess, JetCreateDatabaseA(other_sesid, other_path.c_str(), nullptr, &other_dbid, 0));
    ASSERT_EQ(JET_errSuccess, JetCreateTableA(other_sesid, other_dbid, "t", 0, 0, &other_tableid));
    ASSERT_EQ(JET_errSuccess, JetCloseTable(other_sesid, other_tableid));
    ASSERT_EQ(JET_errSuccess, JetOpenTableA(other_sesid, other_dbid, "t", nullptr, 0, 0, &other_tableid));
    other_bare_sesid = BeginSession(other_instance);
  }
}

JET_INSTANCE Fixture::Fresh() {
  if (fresh_ == 0) fresh_ = CreateInstance("fresh");
  return fresh_;
}

JET_ERR Fixture::BeginBackup() { return JetBeginExternalBackupInstance(instance, 0); }

JET_ERR Fixture::EndBackup(JET_ERR result) {
  static_cast<void>(JetEndExternalBackupInstance2(instance, JET_bitBackupEndAbort));
  return result;
}

::testing::AssertionResult Fixture::Usable() {
  JET_ERR err = JetBeginTransaction(sesid);
  if (err != JET_errSuccess) return ::testing::AssertionFailure() << "JetBeginTransaction: " << err;
  err = JetMove(sesid, tableid, kMoveFirst, 0);
  if (err != JET_errSuccess) return ::testing::AssertionFailure() << "JetMove: " << err;
  std::int32_t value = 0;
  JET_UINT32 actual = 0;
  err = JetRetrieveColumn(sesid, tableid, columnid, &value, sizeof(value), &actual, 0, nullptr);
  if (err != JET_errSuccess || value != 42) {
    return ::testing::AssertionFailure() << "JetRetrieveColumn: " << err << " value " << value;
  }
  err = JetCommitTransaction(sesid, 0);
  if (err != JET_errSuccess) return ::testing::AssertionFailure() << "JetCommitTransaction: " << err;
  return ::testing::AssertionSuccess();
}

namespace {

Rows AllRows() {
  Rows rows;
  AddInstanceRows(rows);
  AddStorageRows(rows);
  AddRecordRows(rows);
  AddNotYetRows(rows);
  return rows;
}

std::vector<std::string> ExportNames() {
  std::vector<std::string> names;
  for (const char* file : {BAD_INPUT_ABI_DIR "/export_names.txt", BAD_INPUT_ABI_DIR "/extension_names.txt"}) {
    std::ifstream in(file);
    EXPECT_TRUE(in.good()) << file;
    std::string name;
    while (in >> name) names.push_back(name);
  }
  return names;
}

// A bad call: its label, the arguments, the JET_ERR it must return (kAnyError: any error).
struct Case {
  std::string label;
  Args args;
  JET_ERR expected;
  const Call* call = nullptr;  // an extra case's own call
};

std::string Repeat(char c, std::size_t count) { return std::string(count, c); }

std::vector<Case> CasesOf(const Row& row, const Fixture& f) {
  Args base;
  base.instance = f.instance;
  base.sesid = f.sesid;
  base.dbid = f.dbid;
  base.tableid = f.tableid;
  std::vector<Case> cases;
  auto add = [&](std::string label, auto change, JET_ERR expected) {
    Args args = base;
    change(args);
    cases.push_back({std::move(label), args, row.always != 0 ? row.always : expected, nullptr});
  };
  constexpr std::uint64_t kGarbage = 0xDEADBEEFDEADBEEFULL;
  if (row.takes & kInstance) {
    add("instance 0", [](Args& a) { a.instance = 0; }, row.nil_instance_error);
    add("instance nil", [](Args& a) { a.instance = kNilInstance; }, row.nil_instance_error);
    add("instance garbage", [](Args& a) { a.instance = kGarbage; }, row.instance_error);
    add("instance terminated", [&](Args& a) { a.instance = f.terminated_instance; }, row.instance_error);
    add("instance is a sesid", [&](Args& a) { a.instance = f.sesid; }, row.instance_error);
  }
  if (row.takes & kSesid) {
    add("sesid 0", [](Args& a) { a.sesid = 0; }, JET_errInvalidSesid);
    add("sesid nil", [](Args& a) { a.sesid = kNilSesid; }, JET_errInvalidSesid);
    add("sesid garbage", [](Args& a) { a.sesid = kGarbage; }, JET_errInvalidSesid);
    add("sesid closed", [&](Args& a) { a.sesid = f.closed_sesid; }, JET_errInvalidSesid);
    add("sesid is a tableid", [&](Args& a) { a.sesid = f.tableid; }, JET_errInvalidSesid);
    add("sesid is an instance", [&](Args& a) { a.sesid = f.instance; }, JET_errInvalidSesid);
    if (row.takes & kTableid) {
      add("sesid of another instance", [&](Args& a) { a.sesid = f.other_sesid; }, JET_errInvalidTableId);
    } else if (row.takes & kDbid) {
      add("sesid of another instance", [&](Args& a) { a.sesid = f.other_bare_sesid; }, JET_errInvalidDatabaseId);
    }
  }
  if (row.takes & kDbid) {
    add("dbid nil", [](Args& a) { a.dbid = kNilDbid; }, JET_errInvalidDatabaseId);
    add("dbid garbage", [](Args& a) { a.dbid = 0xDEADBEEF; }, JET_errInvalidDatabaseId);
    add("dbid never opened", [&](Args& a) { a.dbid = f.dbid + 7; }, JET_errInvalidDatabaseId);
  }
  if (row.takes & kTableid) {
    add("tableid 0", [](Args& a) { a.tableid = 0; }, JET_errInvalidTableId);
    add("tableid nil", [](Args& a) { a.tableid = ~JET_TABLEID{0}; }, JET_errInvalidTableId);
    add("tableid garbage", [](Args& a) { a.tableid = kGarbage; }, JET_errInvalidTableId);
    add("tableid closed", [&](Args& a) { a.tableid = f.closed_tableid; }, JET_errInvalidTableId);
    add("tableid is a sesid", [&](Args& a) { a.tableid = f.sesid; }, JET_errInvalidTableId);
    add("tableid of another instance", [&](Args& a) { a.tableid = f.other_tableid; }, JET_errInvalidTableId);
  }
  for (int i = 0; i < row.pointers; ++i) {
    JET_ERR expected = row.null_error;
    for (const auto& [index, error] : row.null_errors) {
      if (index == i) expected = error;
    }
    add("NULL pointer " + std::to_string(i), [i](Args& a) { a.null_index = i; }, expected);
  }
  if ((row.takes & kGrbit) && !row.grbit_ignored) {
    for (int bit = 0; bit < 32; ++bit) {
      const JET_GRBIT mask = JET_GRBIT{1} << bit;
      if ((row.valid_grbits & mask) != 0) continue;
      std::ostringstream label;
      label << "undefined grbit 0x" << std::hex << mask;
      add(label.str(), [mask](Args& a) { a.grbit_extra = mask; }, row.grbit_error);
    }
  }
  if (row.takes & kName) {
    const std::string overlong = Repeat('n', 4 * JET_cbNameMost);
    add("name overlong", [&](Args& a) { a.name_a = overlong; a.name_w = Widen(overlong); }, row.name_error);
    if (row.form == Form::kW) {
      add("name lone surrogate", [](Args& a) { a.name_w = std::u16string(u"t") + char16_t{0xD800}; },
          row.name_error);
    } else {
      add("name invalid UTF-8", [](Args& a) { a.name_a = "t\xC3\x28"; }, row.name_error);
    }
  }
  if (row.takes & kPath) {
    const std::string overlong = f.folder + Repeat('p', 300) + "/" + Repeat('q', 5000);
    add("path overlong", [&](Args& a) { a.path_a = overlong; a.path_w = Widen(overlong); },
        row.overlong_path_error);
    if (row.form == Form::kW) {
      add("path lone surrogate",
          [&](Args& a) { a.path_w = Widen(f.folder + "x") + char16_t{0xDC00}; }, row.path_error);
    } else {
      add("path invalid UTF-8", [&](Args& a) { a.path_a = f.folder + "x\xFF\xFE"; }, row.path_error);
    }
    const std::string dotdot = f.folder + "no-such-folder/../../no-such-folder-2/x.edb";
    add("path with ..", [&](Args& a) { a.path_a = dotdot; a.path_w = Widen(dotdot); }, kAnyError);
  }
  for (const Extra& extra : row.extras) {
    cases.push_back({extra.label, base, row.always != 0 ? row.always : extra.expected, &extra.call});
  }
  return cases;
}

bool NeedsOtherInstance(const Row& row) { return (row.takes & (kSesid | kTableid)) != 0; }

struct Totals {
  std::size_t functions = 0;
  std::size_t calls = 0;
};

// Sweeps one row; `alias` is the plain export to call in place of the A function (or null).
void Sweep(const Row& row, void* alias, const std::string& name, Totals& totals) {
  auto fixture = std::make_unique<Fixture>();
  fixture->Build(NeedsOtherInstance(row), row.needs_log);
  if (::testing::Test::HasFatalFailure()) return;
  ++totals.functions;
  for (Case& one : CasesOf(row, *fixture)) {
    if (std::find(row.skipped.begin(), row.skipped.end(), one.label) != row.skipped.end()) continue;
    one.args.alias = alias;
    const Call& call = one.call != nullptr ? *one.call : row.call;
    const JET_ERR err = call(*fixture, one.args);
    ++totals.calls;
    if (std::getenv("BAD_INPUT_VERBOSE") != nullptr) {
      std::printf("%s | %s | %d\n", name.c_str(), one.label.c_str(), err);
    }
    const bool as_expected = one.expected == kAnyError ? err < 0 : err == one.expected;
    if (!as_expected) {
      ADD_FAILURE() << "BAD-INPUT " << name << " | " << one.label << " | expected "
                    << (one.expected == kAnyError ? std::string("an error") : std::to_string(one.expected))
                    << " | returned " << err;
    }
    ::testing::AssertionResult usable = fixture->Usable();
    EXPECT_TRUE(usable) << name << ": instance not usable after " << one.label;
    if (!usable) {
      // Later cases need a working fixture.
      fixture = std::make_unique<Fixture>();
      fixture->Build(NeedsOtherInstance(row), row.needs_log);
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
}

TEST(BadInput, TableHasARowForEveryExport) {
  const Rows rows = AllRows();
  std::set<std::string> row_names;
  for (const Row& row : rows) {
    EXPECT_TRUE(row_names.insert(row.name).second) << "two rows for " << row.name;
  }
  const std::vector<std::string> exports = ExportNames();
  const std::set<std::string> export_set(exports.begin(), exports.end());
  for (const std::string& name : exports) {
    const bool has_row = row_names.count(name) != 0;
    const bool plain_of_a_row = row_names.count(name + "A") != 0;
    EXPECT_TRUE(has_row || plain_of_a_row) << "no bad-input row for the export " << name;
  }
  for (const std::string& name : row_names) {
    EXPECT_TRUE(export_set.count(name) != 0) << "row for a name that is not exported: " << name;
  }
  EXPECT_GE(exports.size(), 306u);
  // Every case a row leaves out is one the sweep would make (a misspelt label skips nothing).
  Fixture unbuilt;
  for (const Row& row : rows) {
    const std::vector<Case> cases = CasesOf(row, unbuilt);
    for (const std::string& label : row.skipped) {
      const bool made = std::any_of(cases.begin(), cases.end(), [&](const Case& one) { return one.label == label; });
      EXPECT_TRUE(made) << row.name << " skips \"" << label << "\", which the sweep does not make";
    }
  }
}

TEST(BadInput, EveryExportRejectsBadInputAndTheInstanceStaysUsable) {
  const Rows rows = AllRows();
  std::map<std::string, const Row*> by_name;
  for (const Row& row : rows) by_name[row.name] = &row;
  Totals totals;
  // BAD_INPUT_ONLY=<name> sweeps one function (to reproduce a failure quickly).
  const char* only = std::getenv("BAD_INPUT_ONLY");
  for (const std::string& name : ExportNames()) {
    if (only != nullptr && name != only) continue;
    auto found = by_name.find(name);
    if (found != by_name.end()) {
      Sweep(*found->second, nullptr, name, totals);
      continue;
    }
    auto ansi = by_name.find(name + "A");
    ASSERT_NE(ansi, by_name.end()) << name;
    void* alias = dlsym(RTLD_DEFAULT, name.c_str());
    ASSERT_NE(alias, nullptr) << name;
    Sweep(*ansi->second, alias, name, totals);
  }
  std::printf("reliability: bad input: %zu functions, %zu bad calls, %s\n", totals.functions, totals.calls,
              ::testing::Test::HasFailure() ? "SOME FAILED (see above)"
                                            : "all returned their JET_ERR, instance usable after each");
}

}  // namespace
}  // namespace esent_test::bad_input
