// The table of esentutl's verbs (verbs.h): names, switches, options and help text.
#include "verbs.h"

namespace esentutl {

namespace {

const OptionSpec kSystemFolder{"system-folder", 's', true,
                               "the folder of the checkpoint file (default: the log folder)"};
const OptionSpec kBaseName{"base", 'b', true, "the log base name, 3 characters (default: edb)"};

}  // namespace

const std::vector<Verb>& verbs() {
  static const std::vector<Verb> table = {
      {"header", "/mh", "header <database>",
       "Prints the database header: state, signatures, log signature, generations required and\n"
       "committed, the backup slots, page size, repair count (JetGetDatabaseFileInfo).",
       1, 1, {}, run_header},
      {"log-header", "/ml", "log-header <log file | log base name>",
       "Prints a log file's header and checks every sector of it. Given a base name (E00,\n"
       "logs/E00) instead of a file, does so for every log of the set and checks the set as a\n"
       "whole (contiguity, signature, every sector a later generation relies on).",
       1, 1, {}, run_log_header},
      {"checkpoint", "/mk", "checkpoint <checkpoint file>",
       "Prints a checkpoint file: the checkpoint position, the log signature, the backup marks\n"
       "and the databases attached when it was written.",
       1, 1, {}, run_checkpoint},
      {"checksum", "/k", "checksum <database | log file | checkpoint | log base name>",
       "Verifies every page of a database (both header copies included), every sector of a log\n"
       "file, or every sector of every log of a set: a base name (E00, logs/E00), or a folder\n"
       "with --logs. Reports every bad page and the first one's number, or the first damaged\n"
       "log position.",
       0, 1,
       {{"logs", 0, true, "check the log set in this folder (with --base)"},
        kBaseName},
       run_checksum},
      {"recover", "/r", "recover <log base name>",
       "Soft recovery: replays the log set into its databases and shuts them down clean (an\n"
       "instance is initialised on the logs and terminated). The logs are checked first.",
       0, 1,
       {{"log-folder", 'l', true, "the folder of the log files (default: the current folder)"},
        kSystemFolder,
        {"database-folder", 'd', true,
         "where the databases the checkpoint lists are now (default: where the logs say)"},
        {"ignore-missing", 'i', false,
         "skip databases that are missing (JET_bitReplayIgnoreMissingDB)"},
        {"truncate", 't', false,
         "delete the logs recovery no longer needs (JET_bitTruncateLogsAfterRecovery)"}},
       run_recover},
      {"restore", "/c", "restore <backup folder>",
       "Restores a backup folder (JetBackupInstance's, atomic layout included, or a streamed set)\n"
       "and rolls it forward (JetRestoreInstance). The databases go to --dest, else to the paths\n"
       "they were backed up from; the instance's logs and checkpoint go to --log-folder and\n"
       "--system-folder.",
       1, 1,
       {{"dest", 'd', true, "where the databases go (default: their original paths)"},
        {"log-folder", 'l', true, "the restored instance's log folder (default: the current folder)"},
        kSystemFolder, kBaseName},
       run_restore},
      {"copy", "/y", "copy <source database> <destination>",
       "Copies a database file, verifying every page of the copy; a damaged page fails the copy\n"
       "and removes the destination. A file that is not a database is copied byte for byte.",
       1, 2, {{"dest", 'd', true, "the destination file (Windows: /d<file>)"}}, run_copy},
      {"backup", nullptr, "backup <database> <backup folder>",
       "Backs up a database and its logs to a folder (JetBackupInstance): an instance is\n"
       "initialised on the database's logs (recovering them), the database attached, the backup\n"
       "taken with progress, and the instance terminated.",
       2, 2,
       {{"incremental", 0, false, "back up only the logs since the last full or incremental backup"},
        {"atomic", 0, false, "keep the previous backup in <folder>/old until the new one is complete"},
        {"rate-mib", 0, true, "read at most this many MiB/s (0: unlimited)"},
        {"log-folder", 0, true, "the database's log folder (default: the database's folder)"},
        {"system-folder", 0, true, "the folder of the checkpoint file (default: the log folder)"},
        {"base", 0, true, "the log base name (default: edb)"}},
       run_backup},
      {"verify-backup", nullptr, "verify-backup <backup folder>",
       "Verifies a backup folder written by JetBackupInstance without restoring it: its manifest,\n"
       "every database page and log sector, and that the logs fit the databases\n"
       "(EsentVerifyBackup).",
       1, 1, {}, run_verify_backup},
  };
  return table;
}

}  // namespace esentutl
