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

#ifdef __cplusplus
}
#endif

#endif /* ESENT_EXT_H */
