/*
 * streaming_backup.c — a streaming (external) backup client.
 *
 *   streaming_backup DATA_FOLDER BACKUP_FOLDER
 *
 * Creates an instance whose files live in DATA_FOLDER, a database DATA_FOLDER/example.edb
 * with a table "fruit" of a few rows, and then takes a full online backup of it the way a
 * backup application drives ESE: the engine hands out the files, the client copies their bytes
 * wherever it likes (here: into BACKUP_FOLDER; a real client might send them over a network).
 *
 *   JetBeginExternalBackupInstance   the backup starts; the databases' pages stay consistent
 *   JetGetAttachInfoInstance         the databases to copy
 *   JetOpenFileInstance / JetReadFileInstance / JetCloseFileInstance    copy each of them
 *   JetGetLogInfoInstance            the log files to copy (the current log is rolled first)
 *   ... the same open / read / close for each log file
 *   JetTruncateLogInstance           the logs the backup made unnecessary are deleted
 *   JetEndExternalBackupInstance     the backup is over and recorded in the database header
 *
 * BACKUP_FOLDER then holds a backup set that restore.c (JetRestoreInstance) restores. On any
 * error the program prints the failing call and the error's name and exits with status 1.
 */
#define _POSIX_C_SOURCE 200809L

#include <esent.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The instance while its backup is in progress, 0 otherwise. */
static JET_INSTANCE backup_in_progress = 0;

/* Exits with a message naming the call and the error (JET_paramErrorToString). A backup in
 * progress is ended as aborted first: the database headers then record no backup. */
static void fail(const char *call, JET_ERR err) {
  JET_API_PTR code = (JET_API_PTR)err; /* the error code travels in lParam */
  char text[256] = "";
  JetGetSystemParameterA(0, 0, JET_paramErrorToString, &code, text, sizeof text);
  fprintf(stderr, "streaming_backup: %s failed: %d (%s)\n", call, (int)err, text);
  if (backup_in_progress != 0) {
    JetEndExternalBackupInstance2(backup_in_progress, JET_bitBackupEndAbort);
  }
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
    fprintf(stderr, "streaming_backup: cannot create %s: %s\n", path, strerror(errno));
    exit(1);
  }
}

/* The last component of a path: where a file of the backup goes inside BACKUP_FOLDER. */
static const char *file_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash != NULL ? slash + 1 : path;
}

/* Creates the database with table "fruit" (Id: long, primary index; Name: text) and rows. */
static void create_database(JET_SESID session, const char *database) {
  static const char *const names[] = {"apple", "banana", "cherry", "damson", "elderberry"};
  JET_DBID db;
  JET_TABLEID table;
  JET_COLUMNDEF column;
  JET_COLUMNID id_column, name_column;
  JET_INT32 id;

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
  for (id = 1; id <= (JET_INT32)(sizeof names / sizeof names[0]); ++id) {
    const char *name = names[id - 1];
    CHECK(JetPrepareUpdate(session, table, JET_prepInsert));
    CHECK(JetSetColumn(session, table, id_column, &id, sizeof id, 0, NULL));
    CHECK(JetSetColumn(session, table, name_column, name, (JET_UINT32)strlen(name), 0, NULL));
    CHECK(JetUpdate(session, table, NULL, 0, NULL));
  }
  /* Committed without JET_bitCommitLazyFlush: durable in the log when the call returns. */
  CHECK(JetCommitTransaction(session, 0));
  CHECK(JetCloseTable(session, table));
  CHECK(JetCloseDatabase(session, db, 0));
  printf("created %s with %d rows\n", database, (int)(sizeof names / sizeof names[0]));
}

/* Copies one file the backup hands out into the folder `target_folder`. */
static void copy_file(JET_INSTANCE instance, const char *path, const char *target_folder) {
  char target[4096];
  static char buffer[1 << 16];
  JET_HANDLE handle;
  JET_UINT32 size_low, size_high, read_bytes;
  unsigned long long size, copied = 0;
  FILE *out;

  snprintf(target, sizeof target, "%s/%s", target_folder, file_name(path));
  CHECK(JetOpenFileInstanceA(instance, path, &handle, &size_low, &size_high));
  size = ((unsigned long long)size_high << 32) | size_low;
  out = fopen(target, "wb");
  if (out == NULL) {
    fprintf(stderr, "streaming_backup: cannot create %s: %s\n", target, strerror(errno));
    exit(1);
  }
  /* JetReadFileInstance verifies every page (or log block) it returns; 0 bytes is the end. */
  for (;;) {
    CHECK(JetReadFileInstance(instance, handle, buffer, sizeof buffer, &read_bytes));
    if (read_bytes == 0) break;
    if (fwrite(buffer, 1, read_bytes, out) != read_bytes) {
      fprintf(stderr, "streaming_backup: cannot write %s\n", target);
      exit(1);
    }
    copied += read_bytes;
  }
  /* A real client would also fsync the copy before calling the backup complete. */
  if (fclose(out) != 0) {
    fprintf(stderr, "streaming_backup: cannot write %s\n", target);
    exit(1);
  }
  CHECK(JetCloseFileInstance(instance, handle));
  printf("copied %s (%llu of %llu bytes)\n", file_name(path), copied, size);
}

/* Copies every file of a double-NUL-terminated list ("a\0b\0\0"). */
static void copy_files(JET_INSTANCE instance, const char *list, const char *target_folder) {
  const char *path;
  for (path = list; *path != '\0'; path += strlen(path) + 1) {
    copy_file(instance, path, target_folder);
  }
}

int main(int argc, char **argv) {
  static char list[64 * 1024]; /* JetGet*InfoInstance results: NUL-separated paths */
  char folder[4096], database[4096];
  JET_INSTANCE instance;
  JET_SESID session;
  JET_UINT32 list_bytes;

  if (argc != 3) {
    fprintf(stderr, "usage: %s DATA_FOLDER BACKUP_FOLDER\n", argv[0]);
    return 2;
  }
  make_folder(argv[1]);
  make_folder(argv[2]);

  /* The instance keeps its logs in DATA_FOLDER/logs and its checkpoint in DATA_FOLDER. A
   * streaming backup needs the log: JET_paramRecovery stays "on" (the default). */
  CHECK(JetCreateInstanceA(&instance, "streaming-backup-example"));
  snprintf(folder, sizeof folder, "%s/logs/", argv[1]);
  CHECK(JetSetSystemParameterA(&instance, 0, JET_paramLogFilePath, 0, folder));
  snprintf(folder, sizeof folder, "%s/", argv[1]);
  CHECK(JetSetSystemParameterA(&instance, 0, JET_paramSystemPath, 0, folder));
  CHECK(JetSetSystemParameterA(&instance, 0, JET_paramCreatePathIfNotExist, 1, NULL));
  CHECK(JetInit(&instance));
  CHECK(JetBeginSessionA(instance, &session, NULL, NULL));
  snprintf(database, sizeof database, "%s/example.edb", argv[1]);
  create_database(session, database);

  /* The backup. The database stays attached and usable by other sessions meanwhile. */
  CHECK(JetBeginExternalBackupInstance(instance, 0)); /* 0: a full backup */
  backup_in_progress = instance;
  CHECK(JetGetAttachInfoInstanceA(instance, list, sizeof list, &list_bytes));
  copy_files(instance, list, argv[2]);
  CHECK(JetGetLogInfoInstanceA(instance, list, sizeof list, &list_bytes));
  copy_files(instance, list, argv[2]);
  CHECK(JetTruncateLogInstance(instance));
  backup_in_progress = 0;
  CHECK(JetEndExternalBackupInstance(instance));
  printf("backup complete in %s\n", argv[2]);

  CHECK(JetEndSession(session, 0));
  CHECK(JetTerm(instance)); /* detaches the database cleanly */
  return 0;
}
