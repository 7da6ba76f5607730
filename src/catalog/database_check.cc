// The on-disk checker (Database::check): every tree valid, every page accounted for exactly
// once, every record decodable, every secondary index exactly what its records say.
// The tree walk it starts with (walk_trees) is shared with crash recovery
// (database_recovery.cc), which rebuilds the space maps from the pages it collects.
#include <algorithm>
#include <set>
#include <vector>

#include "catalog/catalog_codec.h"
#include "catalog/catalog_format.h"
#include "catalog/database.h"
#include "catalog/key.h"

namespace esent::catalog {

namespace {

Status corrupt(const std::string& what) { return Status(Error::kDatabaseCorrupted, what); }

}  // namespace

Result<Database::TreeWalk> Database::walk_trees() {
  TreeWalk walk;
  auto check_one = [&](page::Pgno root, std::uint32_t object_id,
                       const std::string& what) -> Result<btree::TreeStats> {
    std::vector<page::Pgno> pages;
    Result<btree::TreeStats> stats = btree::check_tree(*file_, root, object_id, &pages);
    if (!stats.ok()) return Status(stats.status().error(), what + ": " + stats.status().detail());
    walk.pages.insert(walk.pages.end(), pages.begin(), pages.end());
    walk.largest_object_id = std::max(walk.largest_object_id, object_id);
    ++walk.trees;
    return stats;
  };
  ESENT_RETURN_IF_ERROR(
      check_one(catalog_root_, catalog_format::kCatalogObjectId, "catalog").status());

  // Table names come from the catalog itself, not from the tables opened so far.
  std::vector<std::string> names;
  {
    btree::Tree catalog = catalog_tree();
    btree::Cursor cursor(catalog);
    std::string prefix(1, catalog_format::kTableTag);
    Result<bool> found = cursor.seek(prefix, btree::SeekOp::kGreaterOrEqual);
    while (found.ok() && found.value() && cursor.key().compare(0, 1, prefix) == 0) {
      TableSchema entry;
      ESENT_RETURN_IF_ERROR(decode_table_entry(cursor.value(), &entry));
      names.push_back(entry.name);
      found = cursor.next();
    }
    if (!found.ok()) return found.status();
  }

  for (const std::string& name : names) {
    Result<std::shared_ptr<const TableSchema>> loaded = load_schema(name);
    if (!loaded.ok()) return loaded.status();
    const TableSchema& s = **loaded;
    Result<btree::TreeStats> primary = check_one(s.primary_root, s.object_id, "table " + name);
    if (!primary.ok()) return primary.status();
    ESENT_RETURN_IF_ERROR(check_one(s.long_value_root, s.long_value_object_id,
                                    "long values of " + name)
                              .status());
    std::vector<btree::TreeStats> indexes(s.indexes.size());
    for (std::size_t i = 0; i < s.indexes.size(); ++i) {
      // A primary index is the table's own tree; its object id is the table's.
      walk.largest_object_id = std::max(walk.largest_object_id, s.index_object_ids[i]);
      if (s.index_roots[i] == page::kNoPage) continue;
      Result<btree::TreeStats> stats = check_one(s.index_roots[i], s.index_object_ids[i],
                                                 "index " + s.indexes[i].name + " of " + name);
      if (!stats.ok()) return stats.status();
      indexes[i] = stats.value();
    }
    walk.tables.push_back(std::move(loaded).value());
    walk.primary.push_back(primary.value());
    walk.indexes.push_back(std::move(indexes));
  }
  return walk;
}

Result<CheckReport> Database::check() {
  std::lock_guard lock(schema_mutex_);
  CheckReport report;
  Result<TreeWalk> walked = walk_trees();
  if (!walked.ok()) return walked.status();
  const TreeWalk& walk = walked.value();
  report.trees = walk.trees;

  for (std::size_t t = 0; t < walk.tables.size(); ++t) {
    const TableSchema& s = *walk.tables[t];
    const std::string& name = s.name;
    ++report.tables;
    report.records += walk.primary[t].entries;
    report.primary_depth_max = std::max(report.primary_depth_max, walk.primary[t].depth);

    // Every record decodes; collect what each secondary index must hold.
    std::vector<std::size_t> expected(s.indexes.size(), 0);
    btree::Tree records(*file_, s.primary_root, s.object_id, nullptr);
    btree::Cursor scan(records);
    Result<bool> found = scan.first();
    while (found.ok() && found.value()) {
      Result<Record> record = Record::decode(s.record_schema, scan.value());
      if (!record.ok()) return corrupt("record of " + name + " does not decode: " + record.status().detail());
      for (std::size_t i = 0; i < s.indexes.size(); ++i) {
        if (s.index_roots[i] == page::kNoPage) continue;
        Result<IndexEntries> keys = index_entries(s.indexes[i], s.columns, record.value());
        if (!keys.ok()) return corrupt("index keys of a record of " + name + ": " + keys.status().to_string());
        expected[i] += keys->keys.size();
        btree::Tree index(*file_, s.index_roots[i], s.index_object_ids[i], nullptr);
        for (const std::string& key : keys->keys) {
          Result<std::optional<std::string>> entry = index.get(key + scan.key());
          if (!entry.ok()) return entry.status();
          if (!entry->has_value() || **entry != scan.key()) {
            return corrupt("index " + s.indexes[i].name + " of " + name + " misses a record");
          }
        }
      }
      found = scan.next();
    }
    if (!found.ok()) return found.status();
    for (std::size_t i = 0; i < s.indexes.size(); ++i) {
      if (s.index_roots[i] == page::kNoPage) continue;
      if (walk.indexes[t][i].entries != expected[i]) {
        return corrupt("index " + s.indexes[i].name + " of " + name + " holds " +
                       std::to_string(walk.indexes[t][i].entries) + " entries, its records make " +
                       std::to_string(expected[i]));
      }
    }
  }

  // Space: each page is a header copy, a space map, free, or owned by exactly one tree.
  Result<std::vector<page::Pgno>> free = file_->free_pages();
  if (!free.ok()) return free.status();
  const std::uint32_t size = file_->size_pages();
  std::vector<std::uint8_t> seen(size, 0);
  auto mark = [&](page::Pgno pgno, const char* what) -> Status {
    if (pgno >= size) return corrupt(std::string(what) + " page " + std::to_string(pgno) + " beyond the end");
    if (seen[pgno] != 0) return corrupt(std::string(what) + " page " + std::to_string(pgno) + " counted twice");
    seen[pgno] = 1;
    return Status::success();
  };
  for (page::Pgno pgno : walk.pages) ESENT_RETURN_IF_ERROR(mark(pgno, "tree"));
  for (page::Pgno pgno : free.value()) ESENT_RETURN_IF_ERROR(mark(pgno, "free"));
  for (page::Pgno pgno = 0; pgno < size; ++pgno) {
    if (pgno <= 1 || file_->is_space_map_page(pgno)) {
      if (seen[pgno] != 0) return corrupt("system page " + std::to_string(pgno) + " is in use");
      continue;
    }
    if (seen[pgno] == 0) return corrupt("page " + std::to_string(pgno) + " is neither free nor in a tree");
  }
  report.pages = size;
  report.free_pages = free->size();
  return report;
}

}  // namespace esent::catalog
