#!/usr/bin/env python3
"""Prints the function table of docs/compat.md: every Appendix A function, whether
src/api implements it (works / partial, from PARTIAL below) or it is in src/api/not_yet.cc.

Usage: tools/gen_compat_table.py  (paste the output over the table in docs/compat.md)
"""
import re

PARTIAL = {
    "JetInit3A": "recovery with a JET_RSTMAP (relocation), JET_bitReplayIgnoreMissingDB, JET_bitTruncateLogsAfterRecovery and a JET_snpRestore status callback; a stop position or time returns JET_errFeatureNotAvailable; other recovery grbits are accepted and change nothing",
    "JetInit3W": "as JetInit3A",
    "JetTerm2": "JET_bitTermStopBackup has no backup to stop yet; JET_bitTermDirty leaves attached databases as a crash would (DirtyShutdown) and returns JET_errDirtyShutdown",
    "JetGetInstanceMiscInfo": "JET_InstanceMiscInfoLogSignature only (the log set's signature with recovery on; a new one per JetInit with recovery off)",
    "JetStopServiceInstance2": "BackgroundUserTasks / QuiesceCaches are accepted and resumable but have nothing to stop until background tasks exist",
    "JetInit": "crash recovery and the write-ahead log with JET_paramRecovery \"on\" (docs/recovery.md); recovered databases are left detached, as ESE leaves them",
    "JetInit2": "as JetInit",
    "JetAttachDatabase2A": "the maximum size is accepted but not applied to an existing database",
    "JetAttachDatabase2W": "as JetAttachDatabase2A",
    "JetGetDatabaseFileInfoA": "JET_DbInfoFilesize, FilesizeOnDisk, PageSize, Misc (JET_DBINFOMISC..4 by cbMax), FileType; other levels JET_errInvalidParameter",
    "JetGetDatabaseFileInfoW": "as JetGetDatabaseFileInfoA",
    "JetGetDatabaseInfoA": "Filename, Connect, Country, LCID, Cp, Options, Transactions, Version, Filesize, SpaceOwned, SpaceAvailable, PageSize, Misc, FileType; other levels JET_errInvalidParameter",
    "JetGetDatabaseInfoW": "as JetGetDatabaseInfoA",
    "JetCommitTransaction": "durable on return with recovery on (group commit), unless JET_bitCommitLazyFlush; the wait grbits flush the log, JET_bitForceNewLog rolls it; with recovery off nothing is durable before the detach",
    "JetCommitTransaction2": "as JetCommitTransaction; the JET_COMMIT_ID is zero",
    "JetRetrieveColumn": "JET_bitRetrieveFromIndex and FromPrimaryBookmark read the record; columnid 0 (every tagged column) is not supported",
    "JetRetrieveColumns": "as JetRetrieveColumn",
    "JetSetColumn": "JET_bitSetUniqueMultiValues, SetUniqueNormalizedMultiValues and SetIntrinsicLV are accepted and not enforced",
    "JetSetColumns": "as JetSetColumn",
    "JetGetRecordPosition": "exact counts, found by walking the index (slow on large tables)",
    "JetCreateTableColumnIndexA": "no template tables, callbacks or conditional columns (JET_errFeatureNotAvailable); space hints ignored",
    "JetCreateTableColumnIndexW": "as JetCreateTableColumnIndexA",
    "JetCreateTableColumnIndex2A": "as JetCreateTableColumnIndexA",
    "JetCreateTableColumnIndex2W": "as JetCreateTableColumnIndexA",
    "JetCreateTableColumnIndex3A": "as JetCreateTableColumnIndexA",
    "JetCreateTableColumnIndex3W": "as JetCreateTableColumnIndexA",
    "JetCreateTableColumnIndex4A": "as JetCreateTableColumnIndexA; locale names en-US or empty only",
    "JetCreateTableColumnIndex4W": "as JetCreateTableColumnIndex4A",
    "JetGetTableInfoA": "JET_TblInfo, Name, Dbid, SpaceOwned/SpaceAlloc (pages of the table's trees), SpaceAvailable (0), TemplateTableName (empty); other levels JET_errFeatureNotAvailable",
    "JetGetTableInfoW": "as JetGetTableInfoA",
    "JetGetTableIndexInfoA": "JET_IdxInfo/List (cKey, cEntry, cPage are 0), Count, LCID, LocaleName, KeyMost, VarSegMac, IndexId, SpaceAlloc; JET_IdxInfoCreateIndex* and sort versions JET_errInvalidParameter",
    "JetGetTableIndexInfoW": "as JetGetTableIndexInfoA",
    "JetGetIndexInfoA": "as JetGetTableIndexInfoA",
    "JetGetIndexInfoW": "as JetGetTableIndexInfoA",
    "JetCreateIndex2A": "no conditional columns, cbVarSegMac or tuple indexes (JET_errFeatureNotAvailable)",
    "JetCreateIndex2W": "as JetCreateIndex2A",
    "JetCreateIndex3A": "as JetCreateIndex2A; space hints ignored",
    "JetCreateIndex3W": "as JetCreateIndex3A",
    "JetCreateIndex4A": "as JetCreateIndex3A; locale names en-US or empty only",
    "JetCreateIndex4W": "as JetCreateIndex4A",
    "JetGetTableColumnInfoA": "JET_ColInfo, ByColid, Base, BaseByColid, List, ListCompact, ListSortColumnid (+ MinimalInfo, SortByColumnid); list tables cannot be searched with JetSeek",
    "JetGetTableColumnInfoW": "as JetGetTableColumnInfoA",
    "JetGetColumnInfoA": "as JetGetTableColumnInfoA",
    "JetGetColumnInfoW": "as JetGetTableColumnInfoA",
}

text = open("tests/abi/data/esent-api.md", encoding="utf-8").read()
section = text.split("## Appendix A")[1].split("## Appendix B")[0]
not_yet = set(re.findall(r"JET_API (Jet\w+)\(", open("src/api/not_yet.cc", encoding="utf-8").read()))
print("| function | since JET_VERSION | state | notes |")
print("|---|---|---|---|")
for line in section.splitlines():
    if not line.startswith("| Jet"):
        continue
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    name = cells[0].split()[0]
    plain = " (+ plain name)" if "(A*)" in cells[0] or name in ("JetInit3A", "JetOSSnapshotGetFreezeInfoA") else ""
    if name in not_yet:
        state, note = "not yet", "JET_errFeatureNotAvailable"
    elif name in PARTIAL:
        state, note = "partial", PARTIAL[name]
    else:
        state, note = "works", ""
    print(f"| `{name}`{plain} | {cells[1]} | {state} | {note} |")
