/*
 * backup_instance.c — a whole backup in one call, with progress.
 *
 *   backup_instance DATA_FOLDER BACKUP_FOLDER
 *
 * Creates an instance whose files live in DATA_FOLDER, a database DATA_FOLDER/example.edb
 * with a table "fruit" of a few hundred rows, and backs it up with JetBackupInstance into
 * BACKUP_FOLDER (which must be empty or not exist yet). The engine copies the databases and the
 * logs itself, verifying every page and log block, and reports its progress to a JET_PFNSTATUS
 * callback, which prints it in percent. BACKUP_FOLDER then holds a backup that restore.c
 * (JetRestoreInstance) restores. On any error the program prints the failing call and the
 * error's name and exits with status 1.
 */
#define _POSIX_C_SOURCE 200809L

#include <esent.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Exits with a message naming the call and the error (JET_paramErrorToString). */
static void fail(const char *call, JET_ERR err) {
  JET_API_PTR code = (JET_API_PTR)err; /* the error code travels in lParam */
  char text[256] = "";
  JetGetSystemParameterA(0, 0, JET_paramErrorToString, &code, text, sizeof text);
  fprintf(stderr, "backup_instance: %s failed: %d (%s)\n", call, (int)err, text);
  exit(1);
}

/* Runs a Jet call; a negative result (an error) ends the program. Warnings are let through. */
#define CHECK(call)                      \
  do {                                   \
    JET_ERR check_err_ = (call);         \
    if (check_err_ < 0) {                \
      fail(#call, check_err_);           \
    }                                    \
  } while (0)

static void make_folder(const char *path) {
  if (mkdir(path, 0755) != 0 && errno != EEXIST) {
    fprintf(stderr, "backup_instance: cannot create %s: %s\n", path, strerror(errno));
    exit(1);
  }
}

/* Creates the database with table "fruit" (Id: long, primary index; Name: text) and rows. */
static void create_database(JET_SESID session, const char *database, int rows) {
  JET_DBID db;
  JET_TABLEID table;
  JET_COLUMNDEF column;
  JET_COLUMNID id_column, name_column;
  JET_INT32 id;
  char name[32];

  CHECK(JetCreateDatabaseA(session, database, NULL, &db, 0));
  CHECK(JetBeginTransaction(session));
  CHECK(JetCreateTableA(session, db, "fruit", 0, 100, &table));
  memset(&column, 0, sizeof column);
  column.cbStruct = sizeof column;
  column.coltyp = JET_coltypLong;
  CHECK(JetAddColumnA(session, table, "Id", &column, NULL, 0, &id_column));
  column.coltyp = JET_coltypLongText;
  column.cp = 1252; /* the code page of 8-bit text (Windows-1252; plain ASCII here) */
  CHECK(JetAddColumnA(session, table, "Name", &column, NULL, 0, &name_column));
  CHECK(JetCreateIndexA(session, table, "primary", JET_bitIndexPrimary, "+Id\0", 5, 100));
  for (id = 1; id <= rows; ++id) {
    snprintf(name, sizeof name, "fruit number %d", (int)id);
    CHECK(JetPrepareUpdate(session, table, JET_prepInsert));
    CHECK(JetSetColumn(session, table, id_column, &id, sizeof id, 0, NULL));
    CHECK(JetSetColumn(session, table, name_column, name, (JET_UINT32)strlen(name), 0, NULL));
    CHECK(JetUpdate(session, table, NULL, 0, NULL));
  }
  CHECK(JetCommitTransaction(session, 0));
  CHECK(JetCloseTable(session, table));
  CHECK(JetCloseDatabase(session, db, 0));
  printf("created %s with %d rows\n", database, rows);
}

/*
 * The progress callback. JetBackupInstance calls it with snp = JET_snpBackup and
 *   JET_sntBegin, then JET_sntProgress (pv: a JET_SNPROG, cunitDone of cunitTotal units) any
 *   number of times, then JET_sntComplete — or JET_sntFail if the backup fails.
 * Returning an error from JET_sntBegin or JET_sntProgress cancels the backup, which then fails
 * with that error and leaves BACKUP_FOLDER as it was.
 */
static JET_ERR JET_API on_status(JET_SESID session, JET_SNP snp, JET_SNT snt, JET_PVOID pv) {
  static int shown_percent = -1;
  (void)session;
  if (snp != JET_snpBackup) return JET_errSuccess;
  if (snt == JET_sntBegin) {
    shown_percent = -1;
    printf("backup: started\n");
  } else if (snt == JET_sntProgress && pv != NULL) {
    const JET_SNPROG *progress = (const JET_SNPROG *)pv;
    int percent = progress->cunitTotal == 0
                      ? 100
                      : (int)((unsigned long long)progress->cunitDone * 100 / progress->cunitTotal);
    if (percent >= shown_percent + 10 || (percent == 100 && shown_percent != 100)) {
      shown_percent = percent;
      printf("backup: %3d%%\n", percent);
    }
  } else if (snt == JET_sntComplete) {
    printf("backup: complete\n");
  } else if (snt == JET_sntFail) {
    printf("backup: failed\n");
  }
  fflush(stdout);
  return JET_errSuccess;
}

int main(int argc, char **argv) {
  char folder[4096], database[4096];
  JET_INSTANCE instance;
  JET_SESID session;

  if (argc != 3) {
    fprintf(stderr, "usage: %s DATA_FOLDER BACKUP_FOLDER\n", argv[0]);
    return 2;
  }
  make_folder(argv[1]);

  /* The instance keeps its logs in DATA_FOLDER/logs and its checkpoint in DATA_FOLDER. A backup
   * needs the log: JET_paramRecovery stays "on" (the default). JET_paramCreatePathIfNotExist
   * also lets JetBackupInstance create BACKUP_FOLDER. */
  CHECK(JetCreateInstanceA(&instance, "backup-instance-example"));
  snprintf(folder, sizeof folder, "%s/logs/", argv[1]);
  CHECK(JetSetSystemParameterA(&instance, 0, JET_paramLogFilePath, 0, folder));
  snprintf(folder, sizeof folder, "%s/", argv[1]);
  CHECK(JetSetSystemParameterA(&instance, 0, JET_paramSystemPath, 0, folder));
  CHECK(JetSetSystemParameterA(&instance, 0, JET_paramCreatePathIfNotExist, 1, NULL));
  CHECK(JetInit(&instance));
  CHECK(JetBeginSessionA(instance, &session, NULL, NULL));
  snprintf(database, sizeof database, "%s/example.edb", argv[1]);
  create_database(session, database, 500);

  /* grbit 0: a full backup into BACKUP_FOLDER itself. JET_bitBackupAtomic would keep the
   * previous backup until the new one is complete (BACKUP_FOLDER/new, BACKUP_FOLDER/old);
   * JET_bitBackupIncremental adds only the logs written since the last backup. */
  CHECK(JetBackupInstanceA(instance, argv[2], 0, on_status));
  printf("backup complete in %s\n", argv[2]);

  CHECK(JetEndSession(session, 0));
  CHECK(JetTerm(instance));
  return 0;
}
