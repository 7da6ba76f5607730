// The demonstration's table, bulk load, writer thread and row-by-row check (workload.h).
#include "workload.h"

#include <cstdio>
#include <cstring>
#include <set>
#include <utility>

namespace demo {

namespace {

const char* const kCustomers[] = {"ada", "grace", "edsger", "barbara", "ken"};

JET_UINT32 size_of(const std::string& text) { return static_cast<JET_UINT32>(text.size()); }

}  // namespace

Row row_for(int id) {
  Row row;
  row.customer = kCustomers[static_cast<unsigned>(id) % 5];
  row.amount = (static_cast<long long>(id) * 7919LL) % 100003LL;
  char head[48];
  std::snprintf(head, sizeof head, "order %d for %s: ", id, row.customer.c_str());
  row.note = head;
  for (std::size_t i = row.note.size(); i < 200; ++i) {
    row.note.push_back(static_cast<char>('a' + (static_cast<std::size_t>(id) * 31 + i) % 26));
  }
  return row;
}

JET_ERR create_orders(JET_SESID session, JET_DBID dbid) {
  JET_TABLEID table = 0;
  JET_ERR err = JetCreateTable(session, dbid, kTable, 0, 100, &table);
  JET_COLUMNDEF def{};
  def.cbStruct = sizeof def;
  JET_COLUMNID ignored = 0;
  def.coltyp = JET_coltypLong;
  if (err >= 0) err = JetAddColumn(session, table, "Id", &def, nullptr, 0, &ignored);
  def.coltyp = JET_coltypText;
  def.cp = 1252;
  if (err >= 0) err = JetAddColumn(session, table, "Customer", &def, nullptr, 0, &ignored);
  if (err >= 0) err = JetAddColumn(session, table, "Note", &def, nullptr, 0, &ignored);
  def.coltyp = JET_coltypLongLong;
  def.cp = 0;
  if (err >= 0) err = JetAddColumn(session, table, "Amount", &def, nullptr, 0, &ignored);
  const char primary[] = "+Id\0";
  if (err >= 0) err = JetCreateIndex(session, table, "primary", JET_bitIndexPrimary, primary, sizeof primary, 100);
  const char by_customer[] = "+Customer\0-Amount\0";
  if (err >= 0) err = JetCreateIndex(session, table, "byCustomer", 0, by_customer, sizeof by_customer, 100);
  if (table != 0) JetCloseTable(session, table);
  return err;
}

JET_ERR find_columns(JET_SESID session, JET_TABLEID table, Columns* columns) {
  const std::pair<const char*, JET_COLUMNID*> wanted[] = {
      {"Id", &columns->id}, {"Customer", &columns->customer}, {"Amount", &columns->amount}, {"Note", &columns->note}};
  for (const auto& [name, id] : wanted) {
    JET_COLUMNDEF def{};
    const JET_ERR err = JetGetTableColumnInfo(session, table, name, &def, sizeof def, JET_ColInfo);
    if (err < 0) return err;
    *id = def.columnid;
  }
  return JET_errSuccess;
}

JET_ERR insert_row(JET_SESID session, JET_TABLEID table, const Columns& columns, int id) {
  const Row row = row_for(id);
  JET_ERR err = JetPrepareUpdate(session, table, JET_prepInsert);
  if (err >= 0) err = JetSetColumn(session, table, columns.id, &id, sizeof id, 0, nullptr);
  if (err >= 0) err = JetSetColumn(session, table, columns.customer, row.customer.data(), size_of(row.customer), 0, nullptr);
  if (err >= 0) err = JetSetColumn(session, table, columns.amount, &row.amount, sizeof row.amount, 0, nullptr);
  if (err >= 0) err = JetSetColumn(session, table, columns.note, row.note.data(), size_of(row.note), 0, nullptr);
  if (err >= 0) err = JetUpdate(session, table, nullptr, 0, nullptr);
  return err;
}

JET_ERR load_rows(JET_SESID session, JET_TABLEID table, const Columns& columns, int first, int count) {
  JET_ERR err = JET_errSuccess;
  for (int i = 0; i < count && err >= 0; ++i) {
    if (i % 1000 == 0) err = JetBeginTransaction(session);
    if (err >= 0) err = insert_row(session, table, columns, first + i);
    if (err >= 0 && (i % 1000 == 999 || i + 1 == count)) err = JetCommitTransaction(session, JET_bitCommitLazyFlush);
  }
  if (err < 0) JetRollback(session, 0);
  return err;
}

Writer::Writer(JET_INSTANCE instance, std::string database, int first_id)
    : instance_(instance), database_(std::move(database)), first_id_(first_id), last_acknowledged_(first_id - 1) {}

Writer::~Writer() { stop(); }

void Writer::start() { thread_ = std::thread([this] { run(); }); }

void Writer::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void Writer::run() {
  JET_SESID session = 0;
  JET_DBID dbid = 0;
  JET_TABLEID table = 0;
  Columns columns;
  if (JetBeginSession(instance_, &session, "", "") < 0 ||
      JetOpenDatabase(session, database_.c_str(), nullptr, &dbid, 0) < 0 ||
      JetOpenTable(session, dbid, kTable, nullptr, 0, 0, &table) < 0 || find_columns(session, table, &columns) < 0) {
    errors_.fetch_add(1);
    if (session != 0) JetEndSession(session, 0);
    return;
  }
  for (int id = first_id_; !stop_.load(); ++id) {
    JET_ERR err = JetBeginTransaction(session);
    if (err >= 0) err = insert_row(session, table, columns, id);
    if (err >= 0) err = JetCommitTransaction(session, 0);  // durable when it returns
    if (err < 0) {
      // An id that failed is never retried; stop, so the acknowledged ids stay contiguous.
      errors_.fetch_add(1);
      JetRollback(session, 0);
      break;
    }
    commits_.fetch_add(1);
    last_acknowledged_.store(id);
  }
  JetCloseTable(session, table);
  JetCloseDatabase(session, dbid, 0);
  JetEndSession(session, 0);
}

ScanResult scan_orders(JET_SESID session, const std::string& path, int loaded_rows, int writer_first,
                       int must_have_up_to, int committed_up_to) {
  ScanResult result;
  JET_DBID dbid = 0;
  JET_TABLEID table = 0;
  Columns columns;
  result.err = JetAttachDatabase(session, path.c_str(), JET_bitDbReadOnly);
  if (result.err >= 0) result.err = JetOpenDatabase(session, path.c_str(), nullptr, &dbid, JET_bitDbReadOnly);
  if (result.err >= 0) result.err = JetOpenTable(session, dbid, kTable, nullptr, 0, JET_bitTableReadOnly, &table);
  if (result.err >= 0) result.err = find_columns(session, table, &columns);
  std::set<int> seen;
  JET_ERR err = result.err >= 0 ? JetMove(session, table, static_cast<JET_INT32>(JET_MoveFirst), 0) : result.err;
  for (; err >= 0; err = JetMove(session, table, JET_MoveNext, 0)) {
    int id = 0;
    long long amount = 0;
    char customer[256] = {};
    char note[256] = {};
    JET_UINT32 id_size = 0, customer_size = 0, amount_size = 0, note_size = 0;
    JET_ERR read = JetRetrieveColumn(session, table, columns.id, &id, sizeof id, &id_size, 0, nullptr);
    if (read >= 0) read = JetRetrieveColumn(session, table, columns.customer, customer, sizeof customer, &customer_size, 0, nullptr);
    if (read >= 0) read = JetRetrieveColumn(session, table, columns.amount, &amount, sizeof amount, &amount_size, 0, nullptr);
    if (read >= 0) read = JetRetrieveColumn(session, table, columns.note, note, sizeof note, &note_size, 0, nullptr);
    if (read < 0) {
      result.err = read;
      break;
    }
    ++result.rows;
    seen.insert(id);
    const Row want = row_for(id);
    if (std::string(customer, customer_size) != want.customer || amount != want.amount ||
        std::string(note, note_size) != want.note) {
      ++result.wrong_content;
    }
    const bool loaded = id >= 0 && id < loaded_rows;
    const bool written = id >= writer_first && id <= committed_up_to;
    if (loaded) ++result.loaded;
    if (id >= writer_first) ++result.writer_rows;
    if (!loaded && !written) ++result.unexpected;
  }
  if (result.err >= 0 && err != JET_errNoCurrentRecord) result.err = err;
  for (int id = 0; id < loaded_rows; ++id) {
    if (seen.count(id) == 0) ++result.missing;
  }
  for (int id = writer_first; id <= must_have_up_to; ++id) {
    if (seen.count(id) == 0) ++result.missing;
  }
  if (table != 0) JetCloseTable(session, table);
  if (dbid != 0) JetCloseDatabase(session, dbid, 0);
  JetDetachDatabase(session, path.c_str());
  return result;
}

std::string error_text(JET_ERR err) {
  JET_API_PTR code = static_cast<JET_API_PTR>(static_cast<std::int64_t>(err));
  char text[256] = {};
  JetGetSystemParameter(0, 0, JET_paramErrorToString, &code, text, sizeof text);
  return text;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace demo
