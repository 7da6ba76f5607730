// Rows of the database, table, column and index functions.
#include <cstring>

#include "bad_input.h"

namespace esent_test::bad_input {
namespace {

// With JET_bitDbVersioningOff (0x40).
constexpr JET_GRBIT kCreateDatabaseGrbits =
    JET_bitDbRecoveryOff | JET_bitDbShadowingOff | JET_bitDbOverwriteExisting | 0x40;
constexpr JET_GRBIT kAttachGrbits = JET_bitDbReadOnly | JET_bitDbExclusive | JET_bitDbDeleteCorruptIndexes |
                                    JET_bitDbDeleteUnicodeIndexes | JET_bitDbUpgrade |
                                    JET_bitDbEnableBackgroundMaintenance | JET_bitDbPurgeCacheOnAttach;
constexpr JET_GRBIT kOpenDatabaseGrbits = JET_bitDbReadOnly | JET_bitDbExclusive;
constexpr JET_GRBIT kTableCreateGrbits = JET_bitTableCreateFixedDDL | JET_bitTableCreateTemplateTable |
                                         JET_bitTableCreateNoFixedVarColumnsInDerivedTables |
                                         JET_bitTableCreateImmutableStructure;
// JetOpenTable: the access bits, the hints and the table class.
constexpr JET_GRBIT kOpenTableGrbits = JET_bitTableDenyWrite | JET_bitTableDenyRead | JET_bitTableReadOnly |
                                       JET_bitTableUpdatable | JET_bitTablePermitDDL | JET_bitTableNoCache |
                                       JET_bitTablePreread | JET_bitTableOpportuneRead | JET_bitTableSequential |
                                       JET_bitTableClassMask;
constexpr JET_GRBIT kIndexGrbits = 0x000FFFFF;  // JET_bitIndexUnique .. JET_bitIndexImmutableStructure
constexpr JET_GRBIT kSetCurrentIndexGrbits = JET_bitMoveFirst | JET_bitNoMove;

// A JET_TABLECREATE* of the face of `c` for a new table "t2" (name and grbit from `args`) with
// cbStruct `size_delta` bytes off, passed to `create`.
template <typename Create, typename Char, typename Fn>
JET_ERR CreateTable(const Args& args, Char c, Fn create, int size_delta) {
  auto name = NameOf(args, "t2", -1, c);
  Create table{};
  table.cbStruct = static_cast<JET_UINT32>(static_cast<int>(sizeof(table)) + size_delta);
  table.szTableName = name.text.data();
  table.grbit = args.G(0);
  const JET_ERR err = create(args.sesid, args.dbid, args.P(0, &table));
  if (err >= 0) static_cast<void>(JetCloseTable(args.sesid, table.tableid));
  return err;
}

// A JET_INDEXCREATE* of the face of `c` for a new index "ix2" on -c (name and grbit from `args`)
// with cbStruct `size_delta` bytes off, passed to `create`.
template <typename Create, typename Char, typename Fn>
JET_ERR CreateIndex(const Args& args, Char c, Fn create, int size_delta, JET_UINT32 count = 1) {
  auto name = NameOf(args, "ix2", -1, c);
  Char key[] = {Char('-'), Char('c'), Char(0), Char(0)};
  Create index{};
  index.cbStruct = static_cast<JET_UINT32>(static_cast<int>(sizeof(index)) + size_delta);
  index.szIndexName = name.text.data();
  index.szKey = key;
  index.cbKey = sizeof(key);
  index.grbit = args.G(0);
  index.ulDensity = 100;
  return create(args.sesid, args.tableid, args.P(0, &index), count);
}

}  // namespace

void AddStorageRows(Rows& rows) {
  // ---- Databases ----------------------------------------------------------------------------
  BAD_AW(JetCreateDatabase, .Takes(kSesid | kPath).Pointers(1).Grbits(kCreateDatabaseGrbits),
         JET_DBID dbid = 0;
         return BAD_FN(JetCreateDatabase)(args.sesid, BAD_PATH(-1, f.folder + "new.edb"), nullptr, args.P(0, &dbid),
                                          args.G(0)));
  BAD_AW(JetCreateDatabase2, .Takes(kSesid | kPath).Pointers(1).Grbits(kCreateDatabaseGrbits)
             .Add("cpgDatabaseSizeMax above the most",
                  BAD_CALL(JET_DBID dbid = 0;
                           return JetCreateDatabase2A(f.sesid, (f.folder + "new.edb").c_str(), 0x7fffffff, &dbid, 0)),
                  kAnyError),
         JET_DBID dbid = 0;
         return BAD_FN(JetCreateDatabase2)(args.sesid, BAD_PATH(-1, f.folder + "new.edb"), 0, args.P(0, &dbid),
                                           args.G(0)));
  BAD_AW(JetAttachDatabase, .Takes(kSesid | kPath).Grbits(kAttachGrbits)
             .Add("NULL name", BAD_CALL(return JetAttachDatabaseA(f.sesid, nullptr, 0)), JET_errDatabaseInvalidPath),
         return BAD_FN(JetAttachDatabase)(args.sesid, BAD_PATH(-1, f.database_path), args.G(0)));
  BAD_AW(JetAttachDatabase2, .Takes(kSesid | kPath).Grbits(kAttachGrbits),
         return BAD_FN(JetAttachDatabase2)(args.sesid, BAD_PATH(-1, f.database_path), 0, args.G(0)));
  // A path that is too long names no attached database.
  BAD_AW(JetDetachDatabase, .Takes(kSesid | kPath).OverlongPathError(JET_errDatabaseNotFound),
         return BAD_FN(JetDetachDatabase)(args.sesid, BAD_PATH(-1, f.database_path)));
  BAD_AW(JetDetachDatabase2, .Takes(kSesid | kPath).Grbits(JET_bitForceDetach | JET_bitForceCloseAndDetach)
             .OverlongPathError(JET_errDatabaseNotFound),
         return BAD_FN(JetDetachDatabase2)(args.sesid, BAD_PATH(-1, f.database_path), args.G(0)));
  BAD_AW(JetOpenDatabase, .Takes(kSesid | kPath).Pointers(1).Grbits(kOpenDatabaseGrbits)
             .OverlongPathError(JET_errDatabaseNotFound),
         JET_DBID dbid = 0;
         const JET_ERR err = BAD_FN(JetOpenDatabase)(args.sesid, BAD_PATH(-1, f.database_path), nullptr,
                                                     args.P(0, &dbid), args.G(0));
         if (err >= 0) static_cast<void>(JetCloseDatabase(args.sesid, dbid, 0));
         return err);
  // JetCloseDatabase's grbit is reserved and ignored, as ESE: no grbit cases.
  rows.push_back(BAD_ROW(JetCloseDatabase, return JetCloseDatabase(a.sesid, a.dbid, 0)).Takes(kSesid | kDbid));
  BAD_AW(JetGetDatabaseInfo, .Takes(kSesid | kDbid).Pointers(1)
             .Add("cbMax 0", BAD_CALL(JET_UINT32 v = 0; return JetGetDatabaseInfoA(f.sesid, f.dbid, &v, 0,
                                                                                  JET_DbInfoPageSize)),
                  kAnyError)
             .Add("unknown info level",
                  BAD_CALL(JET_UINT32 v = 0; return JetGetDatabaseInfoW(f.sesid, f.dbid, &v, sizeof(v), 0xBAD)),
                  kAnyError),
         JET_UINT32 v = 0;
         return BAD_FN(JetGetDatabaseInfo)(args.sesid, args.dbid, args.P(0, &v), sizeof(v), JET_DbInfoPageSize));
  BAD_AW(JetGetDatabaseFileInfo, .Takes(kPath).Pointers(2)
             .Add("cbMax 0", BAD_CALL(JET_DBINFOMISC info{};
                                      return JetGetDatabaseFileInfoA(f.database_path.c_str(), &info, 0, JET_DbInfoMisc)),
                  kAnyError)
             .Add("unknown info level",
                  BAD_CALL(JET_DBINFOMISC info{};
                           return JetGetDatabaseFileInfoW(Widen(f.database_path).c_str(), &info, sizeof(info), 0xBAD)),
                  kAnyError),
         JET_DBINFOMISC info{};
         return BAD_FN(JetGetDatabaseFileInfo)(BAD_PATH(0, f.database_path), args.P(1, &info), sizeof(info),
                                               JET_DbInfoMisc));
  BAD_AW(JetSetDatabaseSize, .Takes(kSesid | kPath)
             .Add("below 256 pages", BAD_CALL(JET_UINT32 real = 0;
                                              return JetSetDatabaseSizeA(f.sesid, f.database_path.c_str(), 1, &real)),
                  JET_errInvalidParameter),
         JET_UINT32 real = 0;
         return BAD_FN(JetSetDatabaseSize)(args.sesid, BAD_PATH(-1, f.database_path), 256, &real));
  BAD_AW(JetGetObjectInfo, .Takes(kSesid | kDbid | kName).Pointers(1)
             .Add("cbMax 0", BAD_CALL(JET_OBJECTINFO info{};
                                      return JetGetObjectInfoA(f.sesid, f.dbid, JET_objtypTable, nullptr, "t", &info, 0,
                                                               JET_ObjInfo)),
                  kAnyError)
             .Add("unknown info level", BAD_CALL(JET_OBJECTINFO info{};
                                                 return JetGetObjectInfoA(f.sesid, f.dbid, JET_objtypTable, nullptr,
                                                                          "t", &info, sizeof(info), 0xBAD)),
                  kAnyError),
         JET_OBJECTINFO info{};
         return BAD_FN(JetGetObjectInfo)(args.sesid, args.dbid, JET_objtypTable, nullptr, BAD_NAME(-1, "t"),
                                         args.P(0, &info), sizeof(info), JET_ObjInfo));

  // ---- Tables -------------------------------------------------------------------------------
  BAD_AW(JetCreateTable, .Takes(kSesid | kDbid | kName).Pointers(1),
         JET_TABLEID t = 0;
         const JET_ERR err = BAD_FN(JetCreateTable)(args.sesid, args.dbid, BAD_NAME(-1, "t2"), 0, 0, args.P(0, &t));
         if (err >= 0) static_cast<void>(JetCloseTable(args.sesid, t));
         return err);
// `fn_a` / `fn_w` are spelled out: the plain names are macros of the header.
#define TABLE_CREATE_ROW(base, fn_a, fn_w, Struct)                                                         \
  AddBoth(                                                                                                \
      rows, base,                                                                                         \
      [](Fixture&, const Args& args, auto c) -> JET_ERR {                                                 \
        if constexpr (sizeof(c) == 1) {                                                                   \
          return CreateTable<Face<char>::Struct>(args, c, args.Fn(&fn_a), 0);                             \
        } else {                                                                                          \
          return CreateTable<Face<JET_WCHAR>::Struct>(args, c, &fn_w, 0);                                 \
        }                                                                                                 \
      },                                                                                                  \
      [](Row& row) {                                                                                      \
        row.Takes(kSesid | kDbid | kName)                                                                 \
            .Pointers(1)                                                                                  \
            .Grbits(kTableCreateGrbits)                                                                   \
            .Add("cbStruct - 1", BAD_CALL(return CreateTable<Face<char>::Struct>(a, char{}, &fn_a, -1)),   \
                 JET_errInvalidParameter)                                                                 \
            .Add("cbStruct + 1",                                                                          \
                 BAD_CALL(return CreateTable<Face<JET_WCHAR>::Struct>(a, JET_WCHAR{}, &fn_w, 1)),          \
                 JET_errInvalidParameter);                                                                \
      })
  TABLE_CREATE_ROW("JetCreateTableColumnIndex", JetCreateTableColumnIndexA, JetCreateTableColumnIndexW, TableCreate);
  TABLE_CREATE_ROW("JetCreateTableColumnIndex2", JetCreateTableColumnIndex2A, JetCreateTableColumnIndex2W,
                   TableCreate2);
  TABLE_CREATE_ROW("JetCreateTableColumnIndex3", JetCreateTableColumnIndex3A, JetCreateTableColumnIndex3W,
                   TableCreate3);
  TABLE_CREATE_ROW("JetCreateTableColumnIndex4", JetCreateTableColumnIndex4A, JetCreateTableColumnIndex4W,
                   TableCreate4);
#undef TABLE_CREATE_ROW
  // "t" is open, so even a valid call would fail; the bad names and handles must fail first.
  BAD_AW(JetDeleteTable, .Takes(kSesid | kDbid | kName).Pointers(1, JET_errInvalidName),
         return BAD_FN(JetDeleteTable)(args.sesid, args.dbid, BAD_NAME(0, "t")));
  // JetOpenTable accepts and ignores the hints and the bits of later versions (docs/compat.md).
  BAD_AW(JetOpenTable, .Takes(kSesid | kDbid | kName).Pointers(2).NullError(1, JET_errInvalidName)
             .Grbits(kOpenTableGrbits).GrbitIgnored("hints and later bits are accepted (compat.md)"),
         JET_TABLEID t = 0;
         const JET_ERR err = BAD_FN(JetOpenTable)(args.sesid, args.dbid, BAD_NAME(1, "t"), nullptr, 0, args.G(0),
                                                  args.P(0, &t));
         if (err >= 0) static_cast<void>(JetCloseTable(args.sesid, t));
         return err);
  rows.push_back(BAD_ROW(JetCloseTable, return JetCloseTable(a.sesid, a.tableid)).Takes(kSesid | kTableid));
  BAD_AW(JetGetTableInfo, .Takes(kSesid | kTableid).Pointers(1)
             .Add("cbMax 0", BAD_CALL(JET_OBJECTINFO info{};
                                      return JetGetTableInfoA(f.sesid, f.tableid, &info, 0, JET_TblInfo)),
                  kAnyError)
             .Add("unknown info level", BAD_CALL(JET_OBJECTINFO info{};
                                                 return JetGetTableInfoW(f.sesid, f.tableid, &info, sizeof(info), 0xBAD)),
                  kAnyError),
         JET_OBJECTINFO info{};
         return BAD_FN(JetGetTableInfo)(args.sesid, args.tableid, args.P(0, &info), sizeof(info), JET_TblInfo));
  rows.push_back(BAD_ROW(JetDupCursor, JET_TABLEID t = 0;
                         const JET_ERR err = JetDupCursor(a.sesid, a.tableid, a.P(0, &t), a.G(0));
                         if (err >= 0) static_cast<void>(JetCloseTable(a.sesid, t));
                         return err)
                     .Takes(kSesid | kTableid)
                     .Pointers(1)
                     .Grbits(0));

  // ---- Columns ------------------------------------------------------------------------------
  BAD_AW(JetAddColumn, .Takes(kSesid | kTableid | kName).Pointers(2).NullError(1, JET_errInvalidName)
             .Add("JET_COLUMNDEF cbStruct - 1",
                  BAD_CALL(JET_COLUMNDEF def{}; def.cbStruct = sizeof(def) - 1; def.coltyp = JET_coltypLong;
                           JET_COLUMNID id = 0; return JetAddColumnA(f.sesid, f.tableid, "d", &def, nullptr, 0, &id)),
                  JET_errInvalidParameter)
             // A longer JET_COLUMNDEF (a later generation's) is read for the fields known here.
             .Add("JET_COLUMNDEF cbStruct + 1 is accepted",
                  BAD_CALL(JET_COLUMNDEF def{}; def.cbStruct = sizeof(def) + 1; def.coltyp = JET_coltypLong;
                           JET_COLUMNID id = 0; return JetAddColumnW(f.sesid, f.tableid, u"d", &def, nullptr, 0, &id)),
                  JET_errSuccess)
             .Add("undefined column grbit",
                  BAD_CALL(JET_COLUMNDEF def{}; def.cbStruct = sizeof(def); def.coltyp = JET_coltypLong;
                           def.grbit = 0x40000000; JET_COLUMNID id = 0;
                           return JetAddColumnA(f.sesid, f.tableid, "d", &def, nullptr, 0, &id)),
                  JET_errInvalidGrbit)
             .Add("unknown column type",
                  BAD_CALL(JET_COLUMNDEF def{}; def.cbStruct = sizeof(def); def.coltyp = 0xBAD; JET_COLUMNID id = 0;
                           return JetAddColumnA(f.sesid, f.tableid, "d", &def, nullptr, 0, &id)),
                  JET_errInvalidColumnType)
             .Add("default value size without a value",
                  BAD_CALL(JET_COLUMNDEF def{}; def.cbStruct = sizeof(def); def.coltyp = JET_coltypLong;
                           JET_COLUMNID id = 0; return JetAddColumnA(f.sesid, f.tableid, "d", &def, nullptr, 4, &id)),
                  kAnyError),
         // P(0): the column definition, P(1): the name.
         JET_COLUMNDEF def{};
         def.cbStruct = sizeof(def);
         def.coltyp = JET_coltypLong;
         JET_COLUMNID id = 0;
         return BAD_FN(JetAddColumn)(args.sesid, args.tableid, BAD_NAME(1, "d"), args.P(0, &def), nullptr, 0, &id));
  // "c" is in the primary index: even a valid call fails; the bad names and handles must fail first.
  BAD_AW(JetDeleteColumn, .Takes(kSesid | kTableid | kName).Pointers(1, JET_errColumnNotFound),
         return BAD_FN(JetDeleteColumn)(args.sesid, args.tableid, BAD_NAME(0, "c")));
  BAD_AW(JetDeleteColumn2,
         .Takes(kSesid | kTableid | kName)
             .Pointers(1, JET_errColumnNotFound)
             .Grbits(JET_bitDeleteColumnIgnoreTemplateColumns),
         return BAD_FN(JetDeleteColumn2)(args.sesid, args.tableid, BAD_NAME(0, "c"), args.G(0)));
  BAD_AW(JetGetTableColumnInfo, .Takes(kSesid | kTableid | kName).Pointers(1)
             .Add("cbMax 0", BAD_CALL(JET_COLUMNDEF def{};
                                      return JetGetTableColumnInfoA(f.sesid, f.tableid, "c", &def, 0, JET_ColInfo)),
                  kAnyError)
             .Add("unknown info level",
                  BAD_CALL(JET_COLUMNDEF def{};
                           return JetGetTableColumnInfoW(f.sesid, f.tableid, u"c", &def, sizeof(def), 0xBAD)),
                  kAnyError),
         JET_COLUMNDEF def{};
         return BAD_FN(JetGetTableColumnInfo)(args.sesid, args.tableid, BAD_NAME(-1, "c"), args.P(0, &def),
                                              sizeof(def), JET_ColInfo));
  BAD_AW(JetGetColumnInfo, .Takes(kSesid | kDbid | kName).Pointers(1)
             .Add("cbMax 0", BAD_CALL(JET_COLUMNDEF def{};
                                      return JetGetColumnInfoA(f.sesid, f.dbid, "t", "c", &def, 0, JET_ColInfo)),
                  kAnyError),
         JET_COLUMNDEF def{};
         return BAD_FN(JetGetColumnInfo)(args.sesid, args.dbid, BAD_NAME(-1, "t"), BAD_NAME(-1, "c"),
                                         args.P(0, &def), sizeof(def), JET_ColInfo));

  // ---- Indexes ------------------------------------------------------------------------------
  BAD_AW(JetCreateIndex, .Takes(kSesid | kTableid | kName).Grbits(kIndexGrbits)
             .Add("key without its double NUL",
                  BAD_CALL(return JetCreateIndexA(f.sesid, f.tableid, "ix2", 0, "-c", 2, 100)), kAnyError)
             .Add("key size 0", BAD_CALL(return JetCreateIndexA(f.sesid, f.tableid, "ix2", 0, "-c\0", 0, 100)),
                  kAnyError)
             .Add("density above 100",
                  BAD_CALL(return JetCreateIndexA(f.sesid, f.tableid, "ix2", 0, "-c\0", 4, 101)), kAnyError)
             .Add("key of a column that does not exist",
                  BAD_CALL(return JetCreateIndexA(f.sesid, f.tableid, "ix2", 0, "+zz\0", 5, 100)), kAnyError),
         using Char = decltype(c);
         const Char key[] = {Char('-'), Char('c'), Char(0), Char(0)};
         return BAD_FN(JetCreateIndex)(args.sesid, args.tableid, BAD_NAME(-1, "ix2"), args.G(0), key, sizeof(key),
                                       100));
#define INDEX_CREATE_ROW(base, fn_a, fn_w, Struct)                                                         \
  AddBoth(                                                                                                \
      rows, base,                                                                                         \
      [](Fixture&, const Args& args, auto c) -> JET_ERR {                                                 \
        if constexpr (sizeof(c) == 1) {                                                                   \
          return CreateIndex<Face<char>::Struct>(args, c, args.Fn(&fn_a), 0);                             \
        } else {                                                                                          \
          return CreateIndex<Face<JET_WCHAR>::Struct>(args, c, &fn_w, 0);                                 \
        }                                                                                                 \
      },                                                                                                  \
      [](Row& row) {                                                                                      \
        row.Takes(kSesid | kTableid | kName)                                                              \
            .Pointers(1)                                                                                  \
            .Grbits(kIndexGrbits)                                                                         \
            .Add("cbStruct - 1", BAD_CALL(return CreateIndex<Face<char>::Struct>(a, char{}, &fn_a, -1)),   \
                 JET_errInvalidParameter)                                                                 \
            .Add("cbStruct + 1",                                                                          \
                 BAD_CALL(return CreateIndex<Face<JET_WCHAR>::Struct>(a, JET_WCHAR{}, &fn_w, 1)),          \
                 JET_errInvalidParameter)                                                                 \
            ;                                                                                             \
      })
  INDEX_CREATE_ROW("JetCreateIndex2", JetCreateIndex2A, JetCreateIndex2W, IndexCreate);
  INDEX_CREATE_ROW("JetCreateIndex3", JetCreateIndex3A, JetCreateIndex3W, IndexCreate2);
  INDEX_CREATE_ROW("JetCreateIndex4", JetCreateIndex4A, JetCreateIndex4W, IndexCreate3);
#undef INDEX_CREATE_ROW
  // "ix" is the primary index: even a valid call fails; the bad names and handles must fail first.
  BAD_AW(JetDeleteIndex, .Takes(kSesid | kTableid | kName).Pointers(1, JET_errIndexNotFound),
         return BAD_FN(JetDeleteIndex)(args.sesid, args.tableid, BAD_NAME(0, "ix")));
  BAD_AW(JetGetTableIndexInfo, .Takes(kSesid | kTableid | kName).Pointers(1)
             .Add("cbResult 0", BAD_CALL(JET_INDEXLIST list{};
                                         return JetGetTableIndexInfoA(f.sesid, f.tableid, "ix", &list, 0, JET_IdxInfo)),
                  JET_wrnBufferTruncated)
             .Add("unknown info level",
                  BAD_CALL(JET_INDEXLIST list{};
                           return JetGetTableIndexInfoW(f.sesid, f.tableid, u"ix", &list, sizeof(list), 0xBAD)),
                  kAnyError),
         JET_INDEXLIST list{};
         const JET_ERR err = BAD_FN(JetGetTableIndexInfo)(args.sesid, args.tableid, BAD_NAME(-1, "ix"),
                                                          args.P(0, &list), sizeof(list), JET_IdxInfo);
         if (err >= 0) static_cast<void>(JetCloseTable(args.sesid, list.tableid));
         return err);
  BAD_AW(JetGetIndexInfo, .Takes(kSesid | kDbid | kName).Pointers(1)
             .Add("cbResult 0", BAD_CALL(JET_INDEXLIST list{};
                                         return JetGetIndexInfoA(f.sesid, f.dbid, "t", "ix", &list, 0, JET_IdxInfo)),
                  JET_wrnBufferTruncated),
         JET_INDEXLIST list{};
         const JET_ERR err = BAD_FN(JetGetIndexInfo)(args.sesid, args.dbid, BAD_NAME(-1, "t"), BAD_NAME(-1, "ix"),
                                                     args.P(0, &list), sizeof(list), JET_IdxInfo);
         if (err >= 0) static_cast<void>(JetCloseTable(args.sesid, list.tableid));
         return err);
  BAD_AW(JetGetCurrentIndex, .Takes(kSesid | kTableid).Pointers(1)
             // ESE (ErrIsamGetCurrentIndex): no room for the terminator is a warning, nothing written.
             .Add("cbIndexName 0", BAD_CALL(char name[64]; return JetGetCurrentIndexA(f.sesid, f.tableid, name, 0)),
                  JET_wrnBufferTruncated)
             .Add("cbIndexName 1 (W)",
                  BAD_CALL(JET_WCHAR name[64]; return JetGetCurrentIndexW(f.sesid, f.tableid, name, 1)),
                  JET_wrnBufferTruncated),
         decltype(c) name[JET_cbNameMost + 1] = {};
         return BAD_FN(JetGetCurrentIndex)(args.sesid, args.tableid, args.P(0, name), sizeof(name)));
  BAD_AW(JetSetCurrentIndex, .Takes(kSesid | kTableid | kName)
             .Add("an index that does not exist",
                  BAD_CALL(return JetSetCurrentIndexA(f.sesid, f.tableid, "no-such-index")), JET_errIndexNotFound),
         return BAD_FN(JetSetCurrentIndex)(args.sesid, args.tableid, BAD_NAME(-1, "ix")));
  BAD_AW(JetSetCurrentIndex2, .Takes(kSesid | kTableid | kName).Grbits(kSetCurrentIndexGrbits),
         return BAD_FN(JetSetCurrentIndex2)(args.sesid, args.tableid, BAD_NAME(-1, "ix"), args.G(0)));
  BAD_AW(JetSetCurrentIndex3, .Takes(kSesid | kTableid | kName).Grbits(kSetCurrentIndexGrbits),
         return BAD_FN(JetSetCurrentIndex3)(args.sesid, args.tableid, BAD_NAME(-1, "ix"), args.G(0), 1));
  // The JET_INDEXID is only a lookup hint in ESE; the name decides (src/api/index_api.cc).
  BAD_AW(JetSetCurrentIndex4, .Takes(kSesid | kTableid | kName).Grbits(kSetCurrentIndexGrbits),
         return BAD_FN(JetSetCurrentIndex4)(args.sesid, args.tableid, BAD_NAME(-1, "ix"), nullptr, args.G(0), 1));
}

}  // namespace esent_test::bad_input
