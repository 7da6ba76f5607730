// esentutl's inspection verbs on real files: header (/mh), log-header (/ml), checkpoint (/mk),
// checksum (/k), copy (/y), in text and --json, on sound and damaged files, and the command
// line's errors (exit code 2, the message) and help.
#include "tools_fixture.h"

namespace esent_test::tools {
namespace {

constexpr std::uint32_t kPageBytes = 4096;  // the process default page size

class InspectVerbsTest : public ToolTest {
 protected:
  // A database of 300 rows, cleanly shut down: several log generations.
  void MakeCleanSet() {
    CreateDatabase(300);
    StopInstance();
  }
};

TEST_F(InspectVerbsTest, HeaderShowsStateSignaturesAndBackupSlots) {
  MakeCleanSet();
  RunResult text = Run("/mh db.edb");
  EXPECT_EQ(0, text.exit_code) << text.err;
  EXPECT_TRUE(Contains(text.out, "Clean Shutdown"));
  EXPECT_TRUE(Contains(text.out, "Page Size:"));
  EXPECT_TRUE(Contains(text.out, "Previous Full Backup:          none"));

  RunResult json = Run("header db.edb --json");
  EXPECT_EQ(0, json.exit_code) << json.err;
  EXPECT_TRUE(Contains(json.out, "{\"ok\":true,\"database\":\"db.edb\""));
  EXPECT_TRUE(Contains(json.out, "\"state\":\"clean_shutdown\",\"state_code\":3"));
  EXPECT_TRUE(Contains(json.out, "\"page_size_bytes\":4096"));
  EXPECT_TRUE(Contains(json.out, "\"backups\":{\"full_previous\":{\"mark\":{\"generation\":0"));
}

TEST_F(InspectVerbsTest, HeaderOfAMissingFileNamesTheError) {
  RunResult result = Run("/mh missing.edb");
  EXPECT_EQ(1, result.exit_code);
  EXPECT_TRUE(Contains(result.err, "JET_errFileNotFound (-1811)"));
  RunResult json = Run("header missing.edb --json");
  EXPECT_EQ(1, json.exit_code);
  EXPECT_TRUE(Contains(json.out,
                       "{\"ok\":false,\"error\":{\"code\":-1811,\"name\":\"JET_errFileNotFound\""));
}

TEST_F(InspectVerbsTest, LogHeaderOfOneFileAndOfTheSet) {
  MakeCleanSet();
  RunResult one = Run("/ml logs/edb00001.log");
  EXPECT_EQ(0, one.exit_code) << one.err;
  EXPECT_TRUE(Contains(one.out, "lGeneration:"));
  EXPECT_TRUE(Contains(one.out, "1 (0x1)"));
  EXPECT_TRUE(Contains(one.out, "Integrity:                 OK"));
  RunResult one_json = Run("log-header logs/edb00001.log --json");
  EXPECT_EQ(0, one_json.exit_code) << one_json.err;
  EXPECT_TRUE(Contains(one_json.out, "\"generation\":1,\"format_version\":1"));
  EXPECT_TRUE(Contains(one_json.out, "\"file_size_bytes\":131072"));
  EXPECT_TRUE(Contains(one_json.out, "\"intact\":true,\"first_damaged\":null"));

  RunResult set = Run("/ml logs/edb");
  EXPECT_EQ(0, set.exit_code) << set.err;
  EXPECT_TRUE(Contains(set.out, "edb00002.log"));
  EXPECT_TRUE(Contains(set.out, "Integrity check passed"));
  RunResult set_json = Run("log-header logs/edb --json");
  EXPECT_EQ(0, set_json.exit_code) << set_json.err;
  EXPECT_TRUE(
      Contains(set_json.out, "\"base_name\":\"edb\",\"files\":[{\"file\":\"logs/edb00001.log\""));
  EXPECT_TRUE(Contains(set_json.out, "\"set\":{\"kind\":\"logs\""));
  EXPECT_TRUE(Contains(set_json.out, "\"blocks_bad\":0"));
}

TEST_F(InspectVerbsTest, DamagedLogSectorIsReportedWithItsGenerationAndSector) {
  MakeCleanSet();
  // Sector 9 of generation 1 holds records; later sectors of it verify.
  FlipByte(logs_ + "/edb00001.log", 9 * 512 + 100);
  RunResult one = Run("/ml logs/edb00001.log");
  EXPECT_EQ(1, one.exit_code);
  EXPECT_TRUE(Contains(one.out, "DAMAGED at (0x1,9,0) (generation 1, sector 9)"));
  EXPECT_TRUE(Contains(one.err, "JET_errLogReadVerifyFailure (-612)"));
  RunResult json = Run("log-header logs/edb00001.log --json");
  EXPECT_EQ(1, json.exit_code);
  EXPECT_TRUE(Contains(
      json.out, "\"intact\":false,\"first_damaged\":{\"generation\":1,\"sector\":9,\"byte\":0}"));

  RunResult set = Run("checksum --logs logs --json");
  EXPECT_EQ(1, set.exit_code);
  EXPECT_TRUE(Contains(set.out, "\"name\":\"JET_errLogReadVerifyFailure\""));
  EXPECT_TRUE(
      Contains(set.out, "\"first_bad_position\":{\"generation\":1,\"sector\":9,\"byte\":0}"));
  RunResult windows = Run("/k logs/edb");
  EXPECT_EQ(1, windows.exit_code);
  EXPECT_TRUE(Contains(windows.out, "First damage:              generation 1 sector 9"));
  EXPECT_TRUE(Contains(windows.err, "JET_errLogReadVerifyFailure (-612)"));
}

TEST_F(InspectVerbsTest, CheckpointShowsPositionSignatureAndDatabases) {
  CreateDatabase(100);
  CheckpointListingTheDatabase(100);
  // A dirty stop leaves the database listed in the checkpoint.
  StopInstance(/*dirty=*/true);
  RunResult text = Run("/mk sys/edb.chk");
  EXPECT_EQ(0, text.exit_code) << text.err;
  EXPECT_TRUE(Contains(text.out, "Checkpoint:"));
  EXPECT_TRUE(Contains(text.out, "Clean shutdown:            no"));
  EXPECT_TRUE(Contains(text.out, "db.edb"));
  RunResult json = Run("checkpoint sys/edb.chk --json");
  EXPECT_EQ(0, json.exit_code) << json.err;
  EXPECT_TRUE(Contains(json.out, "\"clean_shutdown\":false"));
  EXPECT_TRUE(Contains(json.out, "\"databases\":[{\"dbid\":"));
  EXPECT_TRUE(Contains(json.out, db_));

  RunResult missing = Run("/mk sys/none.chk");
  EXPECT_EQ(1, missing.exit_code);
  EXPECT_TRUE(Contains(missing.err, "JET_errCheckpointFileNotFound (-542)"));
}

TEST_F(InspectVerbsTest, ChecksumOfASoundDatabaseAndLogSet) {
  MakeCleanSet();
  RunResult text = Run("/k db.edb");
  EXPECT_EQ(0, text.exit_code) << text.err;
  EXPECT_TRUE(Contains(text.out, "Bad pages:                 0"));
  EXPECT_TRUE(Contains(text.out, "Checksum verification passed."));
  RunResult json = Run("checksum db.edb --json");
  EXPECT_EQ(0, json.exit_code) << json.err;
  EXPECT_TRUE(Contains(json.out, "\"kind\":\"database\",\"path\":\"db.edb\",\"block_bytes\":4096"));
  EXPECT_TRUE(Contains(json.out, "\"blocks_bad\":0"));
  EXPECT_TRUE(Contains(json.out, "\"first_bad_page\":null"));
  RunResult logs = Run("checksum --logs logs --base edb --json");
  EXPECT_EQ(0, logs.exit_code) << logs.err;
  EXPECT_TRUE(Contains(logs.out, "\"generation_first\":1"));
  RunResult checkpoint = Run("/k sys/edb.chk");
  EXPECT_EQ(0, checkpoint.exit_code) << checkpoint.err;
}

TEST_F(InspectVerbsTest, FlippedByteInADatabasePageIsReportedWithItsPageNumber) {
  MakeCleanSet();
  const std::uint32_t page = FirstUsedPage(db_, kPageBytes);
  FlipByte(db_, std::uint64_t{page} * kPageBytes + 1000);
  RunResult text = Run("/k db.edb");
  EXPECT_EQ(1, text.exit_code);
  EXPECT_TRUE(Contains(text.out, "Bad pages:                 1"));
  EXPECT_TRUE(Contains(text.out, "First bad page:            " + std::to_string(page) +
                                     " (JET_errReadVerifyFailure)"));
  EXPECT_TRUE(Contains(text.err, "JET_errReadVerifyFailure (-1018)"));
  RunResult json = Run("checksum db.edb --json");
  EXPECT_EQ(1, json.exit_code);
  EXPECT_TRUE(Contains(
      json.out, "{\"ok\":false,\"error\":{\"code\":-1018,\"name\":\"JET_errReadVerifyFailure\""));
  EXPECT_TRUE(Contains(json.out, "\"blocks_bad\":1"));
  EXPECT_TRUE(Contains(json.out, "\"first_bad_page\":" + std::to_string(page) + ","));
}

TEST_F(InspectVerbsTest, CopyVerifiesEveryPageAndRefusesADamagedSource) {
  MakeCleanSet();
  RunResult copy = Run("/y db.edb /dcopy.edb");
  EXPECT_EQ(0, copy.exit_code) << copy.err;
  EXPECT_TRUE(Contains(copy.out, "pages verified"));
  EXPECT_EQ(ReadFile(db_), ReadFile(folder_ + "/copy.edb"));
  RunResult json = Run("copy db.edb copy2.edb --json");
  EXPECT_EQ(0, json.exit_code) << json.err;
  EXPECT_TRUE(Contains(json.out, "\"database\":true,\"verify\":{\"kind\":\"database\""));

  const std::uint32_t page = FirstUsedPage(db_, kPageBytes);
  FlipByte(db_, std::uint64_t{page} * kPageBytes + 2000);
  RunResult damaged = Run("copy db.edb copy3.edb");
  EXPECT_EQ(1, damaged.exit_code);
  EXPECT_TRUE(Contains(damaged.err, "JET_errReadVerifyFailure (-1018)"));
  EXPECT_TRUE(Contains(damaged.out, "First bad page:            " + std::to_string(page)));
  EXPECT_FALSE(fs::exists(folder_ + "/copy3.edb"));
}

TEST_F(InspectVerbsTest, ProgressIsABarOnATerminalAndLinesOtherwise) {
  MakeCleanSet();
  RunResult lines = Run("checksum db.edb");
  EXPECT_EQ(0, lines.exit_code) << lines.err;
  EXPECT_TRUE(Contains(lines.err, "checksum db.edb: 100%\n"));
  EXPECT_FALSE(Contains(lines.err, "\r"));
  // script(1) (util-linux, Debian's essential bsdutils) gives the tool a terminal.
  const std::string command = "script -qec \"'" ESENTUTL_PATH "' checksum db.edb\" /dev/null";
  const std::string transcript = folder_ + "/.tty";
  ASSERT_EQ(0, std::system(("cd '" + folder_ + "' && " + command + " >'" + transcript + "'").c_str()));
  const std::string bar = ReadFile(transcript);
  EXPECT_TRUE(Contains(bar, "\rchecksum db.edb [########################################] 100%"));
}

TEST_F(InspectVerbsTest, BadCommandLinesExitTwoWithAMessage) {
  RunResult none = Run("");
  EXPECT_EQ(2, none.exit_code);
  EXPECT_TRUE(Contains(none.out, "usage: esentutl <verb>"));
  RunResult unknown = Run("frobnicate");
  EXPECT_EQ(2, unknown.exit_code);
  EXPECT_TRUE(Contains(unknown.err, "unknown verb 'frobnicate'"));
  RunResult missing = Run("header");
  EXPECT_EQ(2, missing.exit_code);
  EXPECT_TRUE(Contains(missing.err, "missing argument: esentutl header <database>"));
  RunResult extra = Run("/mh a.edb b.edb");
  EXPECT_EQ(2, extra.exit_code);
  EXPECT_TRUE(Contains(extra.err, "unexpected argument 'b.edb'"));
  RunResult option = Run("backup a.edb dir --fast");
  EXPECT_EQ(2, option.exit_code);
  EXPECT_TRUE(Contains(option.err, "unknown option --fast"));
  RunResult value = Run("backup a.edb dir --rate-mib");
  EXPECT_EQ(2, value.exit_code);
  EXPECT_TRUE(Contains(value.err, "option --rate-mib needs a value"));
  RunResult rate = Run("backup a.edb dir --rate-mib fast");
  EXPECT_EQ(2, rate.exit_code);
  EXPECT_TRUE(Contains(rate.err, "--rate-mib needs a whole number"));
  RunResult json = Run("header --json");
  EXPECT_EQ(2, json.exit_code);
  EXPECT_TRUE(Contains(json.out, "{\"ok\":false,\"usage_error\":"));
}

TEST_F(InspectVerbsTest, HelpForTheToolAndForEachVerb) {
  RunResult help = Run("--help");
  EXPECT_EQ(0, help.exit_code);
  for (const char* verb : {"header", "log-header", "checkpoint", "checksum", "recover", "restore",
                           "copy", "backup", "verify-backup"}) {
    EXPECT_TRUE(Contains(help.out, std::string("  ") + verb));
    RunResult verb_help = Run(std::string(verb) + " --help");
    EXPECT_EQ(0, verb_help.exit_code) << verb;
    EXPECT_TRUE(Contains(verb_help.out, std::string("usage: esentutl ") + verb));
  }
  RunResult windows = Run("/r /?");
  EXPECT_EQ(0, windows.exit_code);
  EXPECT_TRUE(Contains(windows.out, "--log-folder VALUE, /lVALUE"));
}

}  // namespace
}  // namespace esent_test::tools
