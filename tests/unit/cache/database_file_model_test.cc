// A seeded randomized test of DatabaseFile against a trivial model: allocate, free, rewrite,
// flush and close/reopen with a tiny cache (so pages and space maps keep going through the
// disk), up to the maximum size; every kept page holds its last value and the free pages are
// exactly the rest. (Crashes are not modelled: space-map changes are not logged yet.) ESENT_SEED=<n> replays a seed;
// ESENT_LONG_TESTS=1 runs longer.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <random>
#include <set>

#include "cache/database_file.h"
#include "page/page.h"

namespace esent::cache {
namespace {

std::uint32_t value_of(const PageRef& ref) {
  std::uint32_t value;
  std::memcpy(&value, ref.bytes().data() + 200, sizeof value);
  return value;
}

void stamp(DatabaseFile& db, PageRef& ref, std::uint32_t value) {
  auto bytes = ref.mutable_bytes();
  page::initialize(bytes, ref.pgno(), page::PageType::kBtreeLeaf, 1, 0);
  page::set_dbtime(bytes, db.next_dbtime());
  std::memcpy(bytes.data() + 200, &value, sizeof value);
  ref.mark_dirty(0);
}

TEST(DatabaseFileModel, RandomOperationsMatchTheModel) {
  const char* seed_text = std::getenv("ESENT_SEED");
  const std::uint32_t seed =
      seed_text != nullptr ? static_cast<std::uint32_t>(std::strtoul(seed_text, nullptr, 10))
                           : std::random_device{}();
  std::printf("seed %u (replay with ESENT_SEED=%u)\n", seed, seed);
  const int operations = std::getenv("ESENT_LONG_TESTS") != nullptr ? 20000 : 2500;
  std::mt19937 engine(seed);
  auto pick = [&engine](std::uint32_t bound) {
    return static_cast<std::uint32_t>(engine() % bound);
  };

  auto fs = io::posix_file_system();
  const std::string dir = ::testing::TempDir() + "/esent_model_" + std::to_string(::getpid()) +
                          "_" + std::to_string(seed);
  ASSERT_TRUE(fs->create_directories(dir).ok());
  const std::string path = dir + "/model.edb";
  BufferCache cache(8);

  CreateOptions create_options;
  create_options.initial_size_pages = 5;
  create_options.extension_size_pages = 1 + pick(20);
  create_options.max_size_pages = 100 + pick(60);
  create_options.overwrite = true;
  auto created = DatabaseFile::create(*fs, cache, path, create_options);
  ASSERT_TRUE(created.ok()) << created.status().to_string();
  std::unique_ptr<DatabaseFile> db = std::move(created.value());

  std::map<Pgno, std::uint32_t> model;       // kept pages and their last value
  bool out_of_space_seen = false;
  for (int op = 0; op < operations; ++op) {
    const std::uint32_t choice = pick(100);
    if (choice < 40) {
      Result<PageRef> ref = db->allocate();
      if (!ref.ok()) {
        ASSERT_EQ(ref.status().error(), Error::kOutOfDatabaseSpace) << "op " << op;
        ASSERT_EQ(db->size_pages(), create_options.max_size_pages);
        out_of_space_seen = true;
        continue;
      }
      ASSERT_EQ(model.count(ref->pgno()), 0u) << "page handed out twice, op " << op;
      // The lowest free page is taken.
      for (Pgno p = page::kFirstSpaceMapPage; p < ref->pgno(); ++p) {
        ASSERT_TRUE(model.count(p) != 0 || db->is_space_map_page(p)) << p << " op " << op;
      }
      const auto value = static_cast<std::uint32_t>(engine());
      stamp(*db, ref.value(), value);
      model[ref->pgno()] = value;
    } else if (choice < 75 && !model.empty()) {
      auto it = std::next(model.begin(), pick(static_cast<std::uint32_t>(model.size())));
      ASSERT_TRUE(db->free(it->first).ok()) << "op " << op;
      model.erase(it);
    } else if (choice < 95 && !model.empty()) {
      auto it = std::next(model.begin(), pick(static_cast<std::uint32_t>(model.size())));
      Result<PageRef> ref = db->get(it->first, LatchMode::kExclusive);
      ASSERT_TRUE(ref.ok()) << ref.status().to_string();
      ASSERT_EQ(value_of(ref.value()), it->second) << "page " << it->first << " op " << op;
      it->second = static_cast<std::uint32_t>(engine());
      stamp(*db, ref.value(), it->second);
    } else if (choice < 98) {
      ASSERT_TRUE(db->flush().ok());
    } else {
      ASSERT_TRUE(db->close().ok());
      db.reset();
      auto reopened = DatabaseFile::open(*fs, cache, path, {});
      ASSERT_TRUE(reopened.ok()) << reopened.status().to_string();
      db = std::move(reopened.value());
      db->set_extension_size_pages(create_options.extension_size_pages);
      ASSERT_EQ(db->header_at_open().state, page::DatabaseState::kCleanShutdown);
    }
  }
  // Final check against the model, then once more after a clean reopen.
  for (int round = 0; round < 2; ++round) {
    for (const auto& [pgno, value] : model) {
      Result<PageRef> ref = db->get(pgno, LatchMode::kShared);
      ASSERT_TRUE(ref.ok());
      ASSERT_EQ(value_of(ref.value()), value) << "page " << pgno << " round " << round;
    }
    Result<std::vector<Pgno>> free_pages = db->free_pages();
    ASSERT_TRUE(free_pages.ok());
    std::set<Pgno> expected_free;
    for (Pgno p = page::kFirstSpaceMapPage; p < db->size_pages(); ++p) {
      if (!db->is_space_map_page(p) && model.count(p) == 0) expected_free.insert(p);
    }
    ASSERT_EQ(std::set<Pgno>(free_pages->begin(), free_pages->end()), expected_free);
    ASSERT_TRUE(db->close().ok());
    db.reset();
    auto reopened = DatabaseFile::open(*fs, cache, path, {});
    ASSERT_TRUE(reopened.ok());
    db = std::move(reopened.value());
  }
  std::printf("%zu pages kept, size %u, out of space seen: %d\n", model.size(), db->size_pages(),
              out_of_space_seen ? 1 : 0);
  ASSERT_TRUE(db->close().ok());
  (void)fs->remove_file(path);
}

}  // namespace
}  // namespace esent::cache
