// The bad-input sweep (issue 10): one row per exported function. A row says how to call its
// function with valid arguments on the fixture (one instance, one session, one database with
// table "t", column "c", index "ix" and one row), which kinds of argument it takes, and which
// JET_ERR each kind of bad value must give. The sweep (bad_input_test.cc) derives the bad calls
// from the row: every bad handle of each kind it takes, NULL for each required pointer, every
// undefined grbit bit, overlong and ill-formed names and paths, and `..` paths, plus the row's own
// extra cases (struct and buffer sizes), and checks the result and that the fixture's instance
// still works after each call.
#pragma once

#include <esent.h>
#include <esent_ext.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "test_dirs.h"

namespace esent_test::bad_input {

// What a row's function takes; the sweep makes bad values for each.
enum Takes : std::uint32_t {
  kInstance = 1u << 0,  // a JET_INSTANCE by value
  kSesid = 1u << 1,
  kDbid = 1u << 2,
  kTableid = 1u << 3,
  kGrbit = 1u << 4,
  kName = 1u << 5,  // an object name (JET_cbNameMost)
  kPath = 1u << 6,  // a file or folder path
};

enum class Form { kPlain, kA, kW };

// One bad call's arguments: the fixture's valid values with one of them replaced.
struct Args {
  JET_INSTANCE instance = 0;
  JET_SESID sesid = 0;
  JET_DBID dbid = 0;
  JET_TABLEID tableid = 0;
  JET_GRBIT grbit_extra = 0;  // OR-ed into the row's valid grbit
  int null_index = -1;        // the required pointer argument passed as NULL
  std::optional<std::string> name_a, path_a;
  std::optional<std::u16string> name_w, path_w;
  void* alias = nullptr;  // the plain export (JetFoo) called in place of JetFooA

  // `valid` unless this call makes pointer `index` NULL.
  template <typename T>
  T* P(int index, T* valid) const {
    return index == null_index ? nullptr : valid;
  }
  JET_GRBIT G(JET_GRBIT valid) const { return valid | grbit_extra; }
  // The A function, or the plain export of the same signature when the sweep calls that.
  template <typename F>
  F Fn(F ansi) const {
    return alias == nullptr ? ansi : reinterpret_cast<F>(alias);
  }
};

// A client string of either face; kept alive for the length of the call's full expression.
template <typename Char>
struct Text {
  std::basic_string<Char> text;
  bool null = false;
  const Char* get() const { return null ? nullptr : text.c_str(); }
};

inline Text<char> NameOf(const Args& a, const std::string& valid, int index, char) {
  return {a.name_a.value_or(valid), index >= 0 && a.null_index == index};
}
inline Text<JET_WCHAR> NameOf(const Args& a, const std::string& valid, int index, JET_WCHAR) {
  std::u16string wide = a.name_w.value_or(Widen(valid));
  return {std::basic_string<JET_WCHAR>(wide.begin(), wide.end()), index >= 0 && a.null_index == index};
}
inline Text<char> PathOf(const Args& a, const std::string& valid, int index, char) {
  return {a.path_a.value_or(valid), index >= 0 && a.null_index == index};
}
inline Text<JET_WCHAR> PathOf(const Args& a, const std::string& valid, int index, JET_WCHAR) {
  std::u16string wide = a.path_w.value_or(Widen(valid));
  return {std::basic_string<JET_WCHAR>(wide.begin(), wide.end()), index >= 0 && a.null_index == index};
}

// The structs of each face.
template <typename Char>
struct Face;
template <>
struct Face<char> {
  using TableCreate = JET_TABLECREATE_A;
  using TableCreate2 = JET_TABLECREATE2_A;
  using TableCreate3 = JET_TABLECREATE3_A;
  using TableCreate4 = JET_TABLECREATE4_A;
  using IndexCreate = JET_INDEXCREATE_A;
  using IndexCreate2 = JET_INDEXCREATE2_A;
  using IndexCreate3 = JET_INDEXCREATE3_A;
  using ColumnCreate = JET_COLUMNCREATE_A;
};
template <>
struct Face<JET_WCHAR> {
  using TableCreate = JET_TABLECREATE_W;
  using TableCreate2 = JET_TABLECREATE2_W;
  using TableCreate3 = JET_TABLECREATE3_W;
  using TableCreate4 = JET_TABLECREATE4_W;
  using IndexCreate = JET_INDEXCREATE_W;
  using IndexCreate2 = JET_INDEXCREATE2_W;
  using IndexCreate3 = JET_INDEXCREATE3_W;
  using ColumnCreate = JET_COLUMNCREATE_W;
};

class Fixture;
using Call = std::function<JET_ERR(Fixture&, const Args&)>;

// A case a row adds by hand (sizes, values the generic kinds do not reach).
struct Extra {
  std::string label;
  Call call;
  JET_ERR expected;  // kAnyError: any error (< 0)
};
inline constexpr JET_ERR kAnyError = 1;

struct Row {
  std::string name;
  Form form = Form::kPlain;
  Call call;
  std::uint32_t takes = 0;
  int pointers = 0;            // required pointer arguments, P(0) .. P(pointers - 1)
  JET_GRBIT valid_grbits = 0;  // the bits defined for this function
  JET_ERR always = 0;          // not built yet: every call returns this error
  JET_ERR null_error = JET_errInvalidParameter;
  JET_ERR grbit_error = JET_errInvalidGrbit;
  JET_ERR name_error = JET_errInvalidName;
  JET_ERR path_error = JET_errInvalidPath;           // an ill-formed path
  JET_ERR overlong_path_error = JET_errInvalidPath;  // a path beyond the file system's limits
  std::vector<std::pair<int, JET_ERR>> null_errors;  // NULL pointers whose error is not null_error
  bool grbit_ignored = false;                        // ESE ignores undefined bits (a reason given)
  bool needs_log = false;                            // the fixture runs with the log (backups)
  JET_ERR instance_error = JET_errInvalidInstance;  // garbage / terminated / other-kind
  JET_ERR nil_instance_error = JET_errInvalidParameter;  // 0 and JET_instanceNil
  std::vector<Extra> extras;
  std::vector<std::string> skipped;  // labels of generated cases that do not apply to this row

  Row& Takes(std::uint32_t kinds) { takes |= kinds; return *this; }
  Row& Pointers(int count, JET_ERR error = JET_errInvalidParameter) {
    pointers = count;
    null_error = error;
    return *this;
  }
  Row& Grbits(JET_GRBIT valid, JET_ERR error = JET_errInvalidGrbit) {
    takes |= kGrbit;
    valid_grbits = valid;
    grbit_error = error;
    return *this;
  }
  Row& NeedsLog() { needs_log = true; return *this; }
  Row& NameError(JET_ERR error) { name_error = error; return *this; }
  Row& PathError(JET_ERR error) { path_error = error; return *this; }
  Row& OverlongPathError(JET_ERR error) { overlong_path_error = error; return *this; }
  Row& NullError(int index, JET_ERR error) { null_errors.emplace_back(index, error); return *this; }
  // ESE documents (or its code shows) that this function ignores the bits it does not define:
  // no undefined-grbit cases. `reason` is for the reader.
  Row& GrbitIgnored(const char* reason) {
    static_cast<void>(reason);
    grbit_ignored = true;
    return *this;
  }
  Row& InstanceErrors(JET_ERR bad, JET_ERR nil) {
    instance_error = bad;
    nil_instance_error = nil;
    return *this;
  }
  Row& Always(JET_ERR error) { always = error; return *this; }
  // Leaves out a generated case (by label) that is not bad input for this function.
  Row& Skip(std::string label) { skipped.push_back(std::move(label)); return *this; }
  Row& Add(std::string label, Call extra, JET_ERR expected) {
    extras.push_back({std::move(label), std::move(extra), expected});
    return *this;
  }
};

using Rows = std::vector<Row>;

inline Row MakeRow(std::string name, Call call) {
  Row row;
  row.name = std::move(name);
  row.call = std::move(call);
  return row;
}

inline constexpr JET_DBID kNilDbid = ~JET_DBID{0};
// JET_MoveFirst without the header's unsigned literal.
inline constexpr JET_INT32 kMoveFirst = std::numeric_limits<JET_INT32>::min();

// The fixture every row runs on. Made fresh for each row.
class Fixture : public ApiTest {
 public:
  // `with_log`: JET_paramRecovery "on", so that the backup functions get past
  // JET_errLoggingDisabled (slower: the log files are made and synced).
  void Build(bool other_instance, bool with_log);
  // Begin/commit a transaction and read the row through the fixture's cursor.
  ::testing::AssertionResult Usable();

  JET_INSTANCE instance = 0;
  JET_SESID sesid = 0;
  JET_DBID dbid = 0;
  JET_TABLEID tableid = 0;
  JET_COLUMNID columnid = 0;
  std::string folder;         // the instance's folder, ends with '/'
  std::string database_path;  // the fixture's database
  std::string backup_folder;  // an existing, empty folder
  // Handles that were valid once, and another instance's.
  JET_SESID closed_sesid = 0;
  JET_TABLEID closed_tableid = 0;
  JET_INSTANCE terminated_instance = 0;
  JET_INSTANCE other_instance = 0;
  JET_SESID other_sesid = 0;
  JET_TABLEID other_tableid = 0;
  JET_SESID other_bare_sesid = 0;  // another instance's session with no database open

  void TestBody() override {}
  // A created, uninitialized instance with its own folder, terminated with the fixture.
  using ApiTest::CreateInstance;
  using ApiTest::InitInstance;
  using ApiTest::BeginSession;
  const TestDir& dir() const { return dir_; }
  // A created, uninitialized instance (its own folder), terminated with the fixture; the same
  // one on every call (bad calls leave it uninitialized).
  JET_INSTANCE Fresh();
  // Starts a full external backup of the fixture's instance; EndBackup aborts it and passes
  // `result` through.
  JET_ERR BeginBackup();
  JET_ERR EndBackup(JET_ERR result);

 private:
  JET_INSTANCE fresh_ = 0;
};

// Row tables, one function per API family.
void AddInstanceRows(Rows& rows);
void AddStorageRows(Rows& rows);
void AddRecordRows(Rows& rows);
void AddNotYetRows(Rows& rows);

// Both faces of one function: `body(fixture, args, char_tag)`; the tag is char for A and
// JET_WCHAR for W. N(i, "x") and PATH(i, "x") give the name / path for the face.
template <typename Body>
void AddBoth(Rows& rows, const std::string& base, Body body, const std::function<void(Row&)>& shape) {
  Row a;
  a.name = base + "A";
  a.form = Form::kA;
  a.call = [body](Fixture& f, const Args& args) { return body(f, args, char{}); };
  shape(a);
  rows.push_back(a);
  Row w;
  w.name = base + "W";
  w.form = Form::kW;
  w.call = [body](Fixture& f, const Args& args) { return body(f, args, JET_WCHAR{}); };
  shape(w);
  rows.push_back(w);
}

// Inside an AddBoth body: the function of the face being swept.
#define BAD_FN(base)                                                  \
  [&] {                                                               \
    if constexpr (sizeof(c) == 1) return args.Fn(&base##A);           \
    else return &base##W;                                             \
  }()
// A call of one row or extra case: `f` is the fixture, `a` the arguments.
#define BAD_CALL(...) \
  []([[maybe_unused]] Fixture& f, [[maybe_unused]] const Args& a) -> JET_ERR { __VA_ARGS__; }
// A row of a function with one face.
#define BAD_ROW(fn, ...) MakeRow(#fn, BAD_CALL(__VA_ARGS__))
// The A and W rows of `base`; `shape` is a chain of Row setters (.Takes(...).Pointers(...)); in
// the body `args` are the arguments and `c` the face's character type.
#define BAD_AW(base, shape, ...)                                                                  \
  AddBoth(                                                                                        \
      rows, #base,                                                                                \
      []([[maybe_unused]] Fixture& f, [[maybe_unused]] const Args& args, [[maybe_unused]] auto c) \
          -> JET_ERR { __VA_ARGS__; },                                                            \
      [](Row& row) { row shape; })
#define BAD_NAME(index, valid) NameOf(args, valid, index, c).get()
#define BAD_PATH(index, valid) PathOf(args, valid, index, c).get()

}  // namespace esent_test::bad_input
