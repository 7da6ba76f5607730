/*
 * restore.c — restore a backup and read it back.
 *
 *   restore BACKUP_FOLDER RESTORE_FOLDER [DATABASE_FILE_NAME]
 *
 * Restores the backup in BACKUP_FOLDER (made by streaming_backup.c or backup_instance.c) into
 * RESTORE_FOLDER with JetRestoreInstance: the database images are checked, copied to
 * RESTORE_FOLDER/<their file name> and brought up to date by replaying the backup's logs. Then
 * the instance starts on the restored files, the database (DATABASE_FILE_NAME, example.edb by
 * default) is attached, and every row of its table "fruit" is printed and counted. On any error
 * the program prints the failing call and the error's name and exits with status 1.
 */
#include <esent.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Exits with a message naming the call and the error (JET_paramErrorToString). */
static void fail(const char *call, JET_ERR err) {
  JET_API_PTR code = (JET_API_PTR)err; /* the error code travels in lParam */
  char text[256] = "";
  JetGetSystemParameterA(0, 0, JET_paramErrorToString, &code, text, sizeof text);
  fprintf(stderr, "restore: %s failed: %d (%s)\n", call, (int)err, text);
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

/* Restore progress: JET_snpRestore with JET_sntBegin, JET_sntProgress (a JET_SNPROG), then
 * JET_sntComplete or JET_sntFail. */
static JET_ERR JET_API on_status(JET_SESID session, JET_SNP snp, JET_SNT snt, JET_PVOID pv) {
  static int shown_percent = -1;
  (void)session;
  if (snp != JET_snpRestore) return JET_errSuccess;
  if (snt == JET_sntBegin) {
    shown_percent = -1;
    printf("restore: started\n");
  } else if (snt == JET_sntProgress && pv != NULL) {
    const JET_SNPROG *progress = (const JET_SNPROG *)pv;
    int percent = progress->cunitTotal == 0
                      ? 100
                      : (int)((unsigned long long)progress->cunitDone * 100 / progress->cunitTotal);
    if (percent >= shown_percent + 25 || (percent == 100 && shown_percent != 100)) {
      shown_percent = percent;
      printf("restore: %3d%%\n", percent);
    }
  } else if (snt == JET_sntComplete) {
    printf("restore: complete\n");
  } else if (snt == JET_sntFail) {
    printf("restore: failed\n");
  }
  return JET_errSuccess;
}

/* Prints every row of table "fruit" in primary-key order; returns how many there are. */
static int print_rows(JET_SESID session, JET_DBID db) {
  JET_TABLEID table;
  JET_COLUMNDEF id_column, name_column;
  JET_ERR moved;
  int rows = 0;

  CHECK(JetOpenTableA(session, db, "fruit", NULL, 0, JET_bitTableReadOnly, &table));
  CHECK(JetGetTableColumnInfoA(session, table, "Id", &id_column, sizeof id_column, JET_ColInfo));
  CHECK(JetGetTableColumnInfoA(session, table, "Name", &name_column, sizeof name_column,
                               JET_ColInfo));
  /* JetMove ends with JET_errNoCurrentRecord past the last row (or on an empty table). */
  for (moved = JetMove(session, table, (JET_INT32)JET_MoveFirst, 0); moved >= 0;
       moved = JetMove(session, table, JET_MoveNext, 0)) {
    JET_INT32 id = 0;
    char name[256];
    JET_UINT32 bytes = 0;
    CHECK(JetRetrieveColumn(session, table, id_column.columnid, &id, sizeof id, &bytes, 0, NULL));
    CHECK(JetRetrieveColumn(session, table, name_column.columnid, name, sizeof name - 1, &bytes,
                            0, NULL));
    name[bytes < sizeof name - 1 ? bytes : sizeof name - 1] = '\0';
    printf("  %5d  %s\n", (int)id, name);
    ++rows;
  }
  if (moved != JET_errNoCurrentRecord) fail("JetMove", moved);
  CHECK(JetCloseTable(session, table));
  return rows;
}

int main(int argc, char **argv) {
  char folder[4096], database[4096];
  const char *database_name = argc > 3 ? argv[3] : "example.edb";
  JET_INSTANCE instance;
  JET_SESID session;
  JET_DBID db;
  int rows;

  if (argc != 3 && argc != 4) {
    fprintf(stderr, "usage: %s BACKUP_FOLDER RESTORE_FOLDER [DATABASE_FILE_NAME]\n", argv[0]);
    return 2;
  }

  /* The restored instance: its logs in RESTORE_FOLDER/logs, its checkpoint in RESTORE_FOLDER,
   * folders created as needed. JetRestoreInstance takes a created instance, not an initialised
   * one, and leaves it created; JetInit then starts it on the restored files. */
  CHECK(JetCreateInstanceA(&instance, "restore-example"));
  snprintf(folder, sizeof folder, "%s/logs/", argv[2]);
  CHECK(JetSetSystemParameterA(&instance, 0, JET_paramLogFilePath, 0, folder));
  snprintf(folder, sizeof folder, "%s/", argv[2]);
  CHECK(JetSetSystemParameterA(&instance, 0, JET_paramSystemPath, 0, folder));
  CHECK(JetSetSystemParameterA(&instance, 0, JET_paramCreatePathIfNotExist, 1, NULL));
  CHECK(JetRestoreInstanceA(instance, argv[1], argv[2], on_status));
  CHECK(JetInit(&instance));

  CHECK(JetBeginSessionA(instance, &session, NULL, NULL));
  snprintf(database, sizeof database, "%s/%s", argv[2], database_name);
  CHECK(JetAttachDatabaseA(session, database, 0));
  CHECK(JetOpenDatabaseA(session, database, NULL, &db, 0));
  printf("rows of %s:\n", database);
  rows = print_rows(session, db);
  printf("restored %d rows\n", rows);
  CHECK(JetCloseDatabase(session, db, 0));
  CHECK(JetDetachDatabaseA(session, database));
  CHECK(JetEndSession(session, 0));
  CHECK(JetTerm(instance));
  return 0;
}
