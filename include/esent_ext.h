/*
 * esent_ext.h — libesent's own additions to the ESENT API. Not part of Microsoft's esent.h:
 * a program that uses them is a libesent program. Include after (or instead of) <esent.h>.
 *
 *   ESENT_paramBackupReadBytesPerSecond — an instance system parameter (JetSetSystemParameter /
 *     JetGetSystemParameter, lParam): JetBackupInstance reads the databases and logs at most
 *     this many bytes per second, so a backup does not starve the instance's own I/O. 0 (the
 *     default) is unlimited. It may be changed while the instance runs; a backup in progress
 *     picks the new value up at its next read.
 *
 *   EsentVerifyBackupA / W(szBackupPath, pfnStatus) — verifies a backup directory written by
 *     JetBackupInstance without restoring it: the backup is <dir>, else <dir>/new, else
 *     <dir>/old (the atomic layout); its manifest (esent-backup.manifest) must list exactly the
 *     backup's files with their sizes and XXH3-64 checksums; every database page and every log
 *     block is checked; the logs must be contiguous and cover what the images need. Errors:
 *     JET_errFileNotFound (no backup, no manifest, a listed file missing), JET_errReadVerifyFailure
 *     (a database image that differs from the manifest or holds a damaged page),
 *     JET_errLogReadVerifyFailure (the same for a log), and the restore functions' errors for a
 *     set that does not fit together (JET_errGivenLogFileIsNotContiguous, ...). pfnStatus (may
 *     be NULL) hears JET_snpBackup progress. The restore functions run the same checks first.
 *
 *   Inspection of the engine's files without an instance (what esentutl /ml, /mk and /k use).
 *   Each A function takes UTF-8 paths, each W function UTF-16. Each result struct starts with
 *   cbStruct (set by the library to the size it filled) and is passed with cbMax, its size in
 *   bytes: a cbMax below the first version's size is JET_errInvalidBufferSize; a larger one is
 *   fine (later versions only append fields). NULL pointers are JET_errInvalidParameter.
 *
 *   EsentGetLogFileInfoA / W(szLogFile, pinfo, cbMax) — one log file's header and the integrity
 *     of its sectors (the file on its own: its data ends at the first sector that does not
 *     verify, unless a later one does, which is damage). Errors: JET_errFileNotFound,
 *     JET_errLogFileCorrupt (a header that does not verify), JET_errBadLogVersion, and
 *     JET_errLogReadVerifyFailure for damage, with *pinfo filled (fIntact 0, lgposFirstDamaged).
 *
 *   EsentGetCheckpointFileInfoA / W(szCheckpoint, pinfo, cbMax) — the newest sound copy of a
 *     checkpoint file: the checkpoint position, the log signature, the backup marks, the count
 *     of attached databases. EsentGetCheckpointDatabaseInfoA / W(szCheckpoint, iDatabase, pinfo,
 *     cbMax) — the attached database number iDatabase (0 .. cDatabases-1; beyond →
 *     JET_errInvalidParameter). Errors: JET_errCheckpointFileNotFound, JET_errCheckpointCorrupt.
 *
 *   EsentChecksumDatabaseA / W(szDatabase, pfnStatus, pinfo, cbMax) — verifies every page of a
 *     database file (both header copies included; a never-written, all-zero page counts as
 *     sound), counting on past damage. A bad page → JET_errReadVerifyFailure with *pinfo filled
 *     (cBlocksBad, pgnoFirstBad, errFirstBad). No sound header → JET_errDatabaseCorrupted or
 *     JET_errInvalidDatabase. pfnStatus (may be NULL) hears ESENT_snpChecksum progress by pages.
 *
 *   EsentChecksumLogsA / W(szLogFolder, szBaseName, pfnStatus, pinfo, cbMax) — verifies every
 *     sector of every log of the set szBaseName ("edb" when NULL or empty; `.log` names, else
 *     `.jtx`) in szLogFolder: the set must be contiguous with one signature (JET_errBadLogSignature,
 *     JET_errInvalidLogSequence, JET_errMissingLogFile, ...), every sector a generation's successor
 *     relies on must verify, and the last generation holds no data after a gap. Damage →
 *     JET_errLogReadVerifyFailure with *pinfo filled (lgposFirstBad); no such log →
 *     JET_errFileNotFound. pfnStatus hears ESENT_snpChecksum progress by files.
 */
#ifndef ESENT_EXT_H
#define ESENT_EXT_H

#include <esent.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ESENT_paramBackupReadBytesPerSecond 65536

JET_ERR JET_API EsentVerifyBackupA(JET_PCSTR szBackupPath, JET_PFNSTATUS pfnStatus);
JET_ERR JET_API EsentVerifyBackupW(JET_PCWSTR szBackupPath, JET_PFNSTATUS pfnStatus);

/* The JET_SNP of the checksum functions' progress callbacks (not one of ESE's values). */
#define ESENT_snpChecksum 0x4553

/* pgnoFirstBad when no page is bad. */
#define ESENT_pgnoNone 0xFFFFFFFFu

/* grbitFlags of ESENT_LOGFILEINFO. */
#define ESENT_bitLogCircular 0x00000001

typedef struct
{
    JET_UINT32      cbStruct;           /* set by the library: the size it filled */
    JET_UINT32      ulFormatVersion;    /* log format version */
    JET_UINT32      ulGeneration;       /* the file's generation */
    JET_UINT32      cbFile;             /* the file's size as its header states it */
    JET_UINT32      cbSector;           /* 512 */
    JET_UINT32      csecHeader;         /* sectors of the header (8) */
    JET_UINT32      cbDatabasePage;     /* the instance's database page size */
    JET_UINT32      grbitFlags;         /* ESENT_bitLogCircular */
    JET_UINT32      isecPreviousEnd;    /* where the previous generation's data ended (0: none) */
    JET_SIGNATURE   signLog;            /* the log sequence's signature */
    JET_LOGTIME     logtimeCreate;      /* this generation's creation time */
    JET_LOGTIME     logtimePrevGen;     /* the previous generation's creation time */
    JET_LGPOS       lgposCheckpoint;    /* the checkpoint when this generation began */
    JET_UINT32      csecChecked;        /* data sectors that verified */
    JET_UINT32      isecEndOfData;      /* the first sector after the data */
    JET_UINT32      fIntact;            /* 1: no damage found */
    JET_LGPOS       lgposFirstDamaged;  /* the first damaged sector (zero when intact) */
} ESENT_LOGFILEINFO;

typedef struct
{
    JET_UINT32      cbStruct;
    JET_UINT32      genLastAtWrite;     /* the newest generation when the file was written */
    JET_LGPOS       lgposCheckpoint;    /* where recovery starts */
    JET_SIGNATURE   signLog;
    JET_UINT32      fCleanShutdown;     /* 1: written by a clean JetTerm */
    JET_UINT32      cDatabases;         /* attached databases listed */
    JET_BKINFO      bkinfoFullPrev;     /* the instance's last backups */
    JET_BKINFO      bkinfoIncPrev;
    JET_BKINFO      bkinfoDiffPrev;
    JET_BKINFO      bkinfoCopyPrev;
} ESENT_CHECKPOINTINFO;

#define ESENT_cbCheckpointPathMax 1024  /* bytes (A) or UTF-16 units (W), NUL included */

typedef struct
{
    JET_UINT32      cbStruct;
    JET_UINT32      dbid;
    JET_SIGNATURE   signDb;
    JET_LGPOS       lgposAttach;
    JET_UINT32      grbitFlags;         /* the engine's, unchanged */
    JET_CHAR        szPath[ ESENT_cbCheckpointPathMax ];  /* UTF-8 */
} ESENT_CHECKPOINTDBINFO_A;

typedef struct
{
    JET_UINT32      cbStruct;
    JET_UINT32      dbid;
    JET_SIGNATURE   signDb;
    JET_LGPOS       lgposAttach;
    JET_UINT32      grbitFlags;
    JET_WCHAR       wszPath[ ESENT_cbCheckpointPathMax ];  /* UTF-16 */
} ESENT_CHECKPOINTDBINFO_W;

typedef struct
{
    JET_UINT32      cbStruct;
    JET_UINT32      cbBlock;            /* the database page size, or 512 (log sectors) */
    JET_UINT64      cBlocksChecked;     /* pages or sectors read and checked */
    JET_UINT64      cBlocksBad;         /* of those, the ones that failed */
    JET_UINT64      cBlocksEmpty;       /* database pages never written (all zero) */
    JET_UINT32      cFiles;             /* files checked */
    JET_UINT32      genFirst;           /* logs: the set's first and last generation */
    JET_UINT32      genLast;
    JET_UINT32      pgnoFirstBad;       /* database: ESENT_pgnoNone when none */
    JET_ERR         errFirstBad;        /* why the first bad block failed (0 when none) */
    JET_LGPOS       lgposFirstBad;      /* logs: the first damaged sector (zero when none) */
} ESENT_CHECKSUMINFO;

JET_ERR JET_API EsentGetLogFileInfoA(JET_PCSTR szLogFile, ESENT_LOGFILEINFO* pinfo,
                                     JET_UINT32 cbMax);
JET_ERR JET_API EsentGetLogFileInfoW(JET_PCWSTR szLogFile, ESENT_LOGFILEINFO* pinfo,
                                     JET_UINT32 cbMax);
JET_ERR JET_API EsentGetCheckpointFileInfoA(JET_PCSTR szCheckpoint, ESENT_CHECKPOINTINFO* pinfo,
                                            JET_UINT32 cbMax);
JET_ERR JET_API EsentGetCheckpointFileInfoW(JET_PCWSTR szCheckpoint, ESENT_CHECKPOINTINFO* pinfo,
                                            JET_UINT32 cbMax);
JET_ERR JET_API EsentGetCheckpointDatabaseInfoA(JET_PCSTR szCheckpoint, JET_UINT32 iDatabase,
                                                ESENT_CHECKPOINTDBINFO_A* pinfo, JET_UINT32 cbMax);
JET_ERR JET_API EsentGetCheckpointDatabaseInfoW(JET_PCWSTR szCheckpoint, JET_UINT32 iDatabase,
                                                ESENT_CHECKPOINTDBINFO_W* pinfo, JET_UINT32 cbMax);
JET_ERR JET_API EsentChecksumDatabaseA(JET_PCSTR szDatabase, JET_PFNSTATUS pfnStatus,
                                       ESENT_CHECKSUMINFO* pinfo, JET_UINT32 cbMax);
JET_ERR JET_API EsentChecksumDatabaseW(JET_PCWSTR szDatabase, JET_PFNSTATUS pfnStatus,
                                       ESENT_CHECKSUMINFO* pinfo, JET_UINT32 cbMax);
JET_ERR JET_API EsentChecksumLogsA(JET_PCSTR szLogFolder, JET_PCSTR szBaseName,
                                   JET_PFNSTATUS pfnStatus, ESENT_CHECKSUMINFO* pinfo,
                                   JET_UINT32 cbMax);
JET_ERR JET_API EsentChecksumLogsW(JET_PCWSTR szLogFolder, JET_PCWSTR szBaseName,
                                   JET_PFNSTATUS pfnStatus, ESENT_CHECKSUMINFO* pinfo,
                                   JET_UINT32 cbMax);

#ifdef __cplusplus
}
#endif

#endif /* ESENT_EXT_H */
