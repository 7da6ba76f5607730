// The snapshot differential test of issue 4 at the process's default page size, and the
// free-running stress. See snapshot_driver.h for the design and the knobs (ESENT_TEST_SEED,
// ESENT_DIFF_OPS, ESENT_LONG_TESTS, ESENT_DIFF_SECONDS) and snapshot_model.h for the model of
// docs/transactions.md.
#include <cstdint>

#include "snapshot_driver.h"

namespace esent_test::snapshot {
namespace {

int SessionsFor(std::uint64_t seed) { return 3 + static_cast<int>(seed % 3); }

// One session: no isolation question, only levels, rollback, implicit transactions, cursors and
// long values. Validates the model against what the engine already did before issue 4.
TEST_F(SnapshotDifferentialTest, OneSessionMatchesTheModel) {
  RunDifferential(ChooseSeed(), LongTests() ? 30000 : DiffOperations(3000), 1);
}

// 3 to 5 sessions on their own threads, one operation at a time in a seeded order.
TEST_F(SnapshotDifferentialTest, SessionsOnThreadsMatchTheModel) {
  const std::uint64_t seed = ChooseSeed();
  RunDifferential(seed, DiffOperations(4000), SessionsFor(seed), DiffSeconds());
}

// Regression seeds: each runs the seed for as many operations as it took to fail, and names what
// failed.

// Op 48: a cursor on the byValue index sat on a record whose insert was rolled back; reading it
// gave JET_errDatabaseCorrupted (-1206) instead of JET_errRecordDeleted (on the primary index it
// was already JET_errRecordDeleted). Main at 18a4cf8.
TEST_F(SnapshotDifferentialTest, Seed2OneSession) { RunDifferential(2, 60, 1); }

TEST_F(SnapshotStressTest, FreeRunningSessionsKeepTheInvariants) {
  RunFreeStress(ChooseSeed(), 4, LongTests() ? 20000 : 600);
}

}  // namespace
}  // namespace esent_test::snapshot
